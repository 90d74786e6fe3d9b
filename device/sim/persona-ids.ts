/**
 * The demo personas' names (device/sim/personas.ts), apart from their data: the demo strip's
 * schema and checks need only these at start, and the personas' synthetic people are loaded on
 * first use, so that the code a start runs, and the code cache made of it (device/boot.ts), holds
 * none of them.
 */
export const PERSONA_IDS = [
  'valid',
  'address-changed',
  'not-found',
  'deceased',
  'inactive',
  'tampered-card',
  'finger-unreadable',
  'other-regency',
] as const;

export type PersonaId = (typeof PERSONA_IDS)[number];

export function isPersonaId(v: string): v is PersonaId {
  return (PERSONA_IDS as readonly string[]).includes(v);
}
