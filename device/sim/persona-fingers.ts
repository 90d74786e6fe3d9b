/**
 * The demo personas' fingers. Each persona has one master finger per card finger position,
 * derived from `finger.seed`; the card holds an enrolment impression of each (encoded as the
 * content of EF 6FF4 / 6FF5), and the simulated sensor makes fresh live impressions of the same
 * masters. Everything is deterministic from the seed except the live impressions, which draw
 * from the RNG the caller passes.
 */
import type { Persona } from './personas.ts';
import type { FingerTemplate } from '../domain/finger-template.ts';
import { encodeCardTemplateFile } from '../fingerprint/card-file.ts';
import {
  ENROLMENT_PROFILE,
  LIVE_PROFILE,
  WORN_PROFILE,
  createMaster,
  createRng,
  impression,
  type MasterFinger,
  type Rng,
} from './finger-synth.ts';

export function personaMaster(p: Persona, fingerPosition: number): MasterFinger {
  return createMaster(`${p.finger.seed}/finger-${fingerPosition}`);
}

/** The two enrolment templates on the persona's card, in the order of `p.fingerPositions`. */
export function cardTemplates(p: Persona): [FingerTemplate, FingerTemplate] {
  const enrol = (position: number): FingerTemplate =>
    impression(personaMaster(p, position), createRng(`${p.finger.seed}/enrolment-${position}`), ENROLMENT_PROFILE, position);
  return [enrol(p.fingerPositions[0]), enrol(p.fingerPositions[1])];
}

/** The bytes of EF 6FF4 and EF 6FF5 on the persona's card. */
export function cardTemplateFiles(p: Persona): [Uint8Array, Uint8Array] {
  const [first, second] = cardTemplates(p);
  return [encodeCardTemplateFile(first), encodeCardTemplateFile(second)];
}

/** A live touch of the persona's finger: usable for a good finger, hopeless for a worn one. */
export function liveImpression(p: Persona, fingerPosition: number, rng: Rng): FingerTemplate {
  const profile = p.finger.condition === 'worn' ? WORN_PROFILE : LIVE_PROFILE;
  return impression(personaMaster(p, fingerPosition), rng, profile, fingerPosition);
}

/** A live touch of somebody else's finger (not any persona's). */
export function strangerImpression(fingerPosition: number, rng: Rng): FingerTemplate {
  const stranger = createMaster(`stranger-${Math.floor(rng.next() * 2 ** 32)}`);
  return impression(stranger, rng, LIVE_PROFILE, fingerPosition);
}
