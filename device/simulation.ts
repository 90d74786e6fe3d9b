/**
 * The simulators' device set, loaded only when a demo mode asks for it. The production bundle
 * swaps this module for device/simulation.production.ts (build.mjs), so it carries no simulator,
 * virtual device or demo persona.
 */
import type { DeviceSet } from './devices/device-set.ts';

export async function loadSimulators(): Promise<DeviceSet> {
  return (await import('./sim/devices.ts')).simulators;
}
