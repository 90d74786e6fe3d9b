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

// Each kind once, in the order reports list them: a kind added to the unions above does not
// compile until it is added here, and then every list derived from these carries it.
const VERDICT_KINDS = {
  verified: true,
  dataDiffers: true,
  notFound: true,
  deceased: true,
  inactive: true,
  duplicateRecords: true,
} as const satisfies Record<RegistryVerdict['kind'], true>;
const REFUSAL_KINDS = {
  quotaReached: true,
  loginFailed: true,
  ipRefused: true,
  outsideHours: true,
  institutionInactive: true,
  userInactive: true,
  serviceError: true,
  unavailable: true,
} as const satisfies Record<RegistryRefusal['kind'], true>;

export const REGISTRY_VERDICT_KINDS = Object.keys(VERDICT_KINDS) as Array<RegistryVerdict['kind']>;
export const REGISTRY_REFUSAL_KINDS = Object.keys(REFUSAL_KINDS) as Array<RegistryRefusal['kind']>;
export const REGISTRY_OUTCOME_KINDS: ReadonlyArray<RegistryOutcome['kind']> = [...REGISTRY_VERDICT_KINDS, ...REGISTRY_REFUSAL_KINDS];
