/**
 * The operator roster (stateDir/operators.json, 0600): the staff who may use the kiosk's staff
 * functions, each with the date their NDA was signed. `anjungan-provision operators` writes it;
 * the daemon reads it to decide who may sign in. The PIN hashes live in the credential file.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Static } from 'typebox';
import * as Type from 'typebox/type';
import * as Value from 'typebox/value';

export const EMPLOYMENT_STATUSES = ['PNS', 'PPPK', 'Non-ASN'] as const;

export const OPERATOR_ID_PATTERN = '^[a-z0-9-]{1,32}$';

export const OperatorSchema = Type.Object(
  {
    userId: Type.String({ pattern: OPERATOR_ID_PATTERN }),
    name: Type.String({ minLength: 1, maxLength: 100 }),
    /** Nomor Induk Pegawai: 18 digits. */
    nip: Type.String({ pattern: '^[0-9]{18}$' }),
    employmentStatus: Type.Union([Type.Literal('PNS'), Type.Literal('PPPK'), Type.Literal('Non-ASN')]),
    position: Type.String({ minLength: 1, maxLength: 100 }),
    ndaSigned: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' }),
    addedAt: Type.String(),
    disabledAt: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export const OperatorsFileSchema = Type.Object({ operators: Type.Array(OperatorSchema) }, { additionalProperties: false });
export type Operator = Static<typeof OperatorSchema>;

export class RosterFileError extends Error {
  override readonly name = 'RosterFileError';
  constructor(readonly path: string) {
    super(`${path} is malformed`); // never the content: it holds names and NIPs
  }
}

/** The whole roster; an absent file is an empty roster, a malformed one a RosterFileError. */
export function readRoster(path: string): Operator[] {
  if (!existsSync(path)) return [];
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    data = null;
  }
  if (!Value.Check(OperatorsFileSchema, data)) throw new RosterFileError(path);
  return data.operators;
}

/** What sign-in needs of an operator: the daemon has no use for names or NIPs and does not hold them. */
export type SignInEntry = Pick<Operator, 'userId' | 'ndaSigned' | 'disabledAt'>;

export function readSignInRoster(path: string): SignInEntry[] {
  return readRoster(path).map(({ userId, ndaSigned, disabledAt }) => ({ userId, ndaSigned, ...(disabledAt ? { disabledAt } : {}) }));
}

/**
 * The user IDs that may sign in on `today` (a WIB calendar day, YYYY-MM-DD): on the roster, with
 * an NDA signed on or before that day, not disabled.
 */
export function permittedOperatorIds(roster: SignInEntry[], today: string): Set<string> {
  return new Set(roster.filter((o) => o.disabledAt === undefined && o.ndaSigned <= today).map((o) => o.userId));
}
