/** The production bundle's stand-in for device/simulation.ts: this build has no simulators. */
import type { Simulation } from './simulation.ts';

export function loadSimulation(): Promise<Simulation> {
  return Promise.reject(new Error('this is the production build: demo and pcsc-sim modes need the demo bundle (dist/device/main.js)'));
}
