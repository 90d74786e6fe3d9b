/**
 * The demo personas (device/sim/personas.ts), loaded the first time the demo strip or the simulated
 * registry needs one, and kept: a start runs none of them, so the code cache made of it holds none
 * of their people (device/sim/persona-ids.ts).
 */
let personas: Promise<typeof import('./personas.ts')> | undefined;

export function loadPersonas(): Promise<typeof import('./personas.ts')> {
  return (personas ??= import('./personas.ts'));
}
