/** The production bundle's stand-in for device/simulation.ts: this build has no simulators. */
import type { DeviceSet } from './devices/device-set.ts';

export function loadSimulators(): Promise<DeviceSet> {
  return Promise.reject(new Error('this is the production build: demo and pcsc-sim modes need the demo bundle (dist/device/main.cjs)'));
}
