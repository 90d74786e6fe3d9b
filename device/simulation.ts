/**
 * The simulators, loaded only when a demo mode asks for them. The production bundle swaps this
 * module for device/simulation.production.ts (build.mjs), so it carries no simulator, virtual
 * device or demo persona.
 */
export type Simulation = typeof import('./sim/kit.ts');

export function loadSimulation(): Promise<Simulation> {
  return import('./sim/kit.ts');
}
