/**
 * What the civil registry (Dukcapil) can answer about a NIK: a verdict about the person, with
 * the card and registry compared field by field, or a refusal about the service or our access.
 * The uplink produces these, the flow acts on them, the taxonomy (failure.ts) maps refusals to
 * failures and the semester report counts them.
 */
import type { PermittedField } from './record.ts';

export interface FieldComparison {
  key: PermittedField;
  card: string;
  registry: string | null;
  agrees: boolean;
}

/** Answers about the person (the service worked). */
export type RegistryVerdict =
  | { kind: 'verified'; fields: FieldComparison[] }
  | { kind: 'dataDiffers'; fields: FieldComparison[] }
  | { kind: 'notFound' }
  | { kind: 'deceased' }
  | { kind: 'inactive' }
  | { kind: 'duplicateRecords' };

/** Answers about the service or our access to it (nothing learnt about the person). */
export type RegistryRefusal =
  | { kind: 'quotaReached' }
  | { kind: 'loginFailed' }
  | { kind: 'ipRefused' }
  | { kind: 'outsideHours' }
  | { kind: 'institutionInactive' }
  | { kind: 'userInactive' }
  | { kind: 'serviceError' }
  | { kind: 'unavailable' };

export type RegistryOutcome = RegistryVerdict | RegistryRefusal;
