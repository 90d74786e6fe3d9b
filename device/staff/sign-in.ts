/**
 * Operator sign-in: user ID + PIN, checked against the credential file's scrypt hashes, for an
 * operator the roster permits today (NDA signed, not disabled), under the persistent lockout
 * (store/sign-in-lockout.ts). An unknown user ID costs the same hash as a known one, so the
 * answer's timing does not tell which IDs exist. For the same reason an operator's own lock is
 * answered like a wrong PIN (a distinct answer would confirm the ID after five guesses); only
 * the kiosk-wide lock, which says nothing about any ID, is told as a lock.
 */
import { randomBytes } from 'node:crypto';
import { hashStaffPin, staffPinMatches, type Credentials } from '../store/credentials.ts';
import type { SignInLockout } from '../store/sign-in-lockout.ts';

export type SignInOutcome =
  | { ok: true; operatorId: string }
  /** `operatorId` only for an ID with a PIN on file: anything else typed is never repeated. */
  | { ok: false; refusal: 'wrongPin' | 'notPermitted' | 'operatorLocked'; operatorId: string | null }
  | { ok: false; refusal: 'locked'; operatorId: string | null; lockedUntil: number };

export interface SignInDeps {
  staff: Credentials['staff'];
  /** Whether this user ID may sign in now (staff/roster.ts: on the roster, NDA signed, not disabled). */
  permitted(operatorId: string): boolean;
  lockout: SignInLockout;
}

export class OperatorSignIn {
  private readonly decoy: Promise<Credentials['staff'][number]>;

  constructor(private readonly deps: SignInDeps) {
    this.decoy = hashStaffPin('decoy', randomBytes(16).toString('hex'));
  }

  async signIn(userId: string, pin: string): Promise<SignInOutcome> {
    const known = this.deps.staff.find((s) => s.id === userId);
    const operatorId = known ? known.id : null;
    const entry = known && this.deps.permitted(known.id) ? known : undefined;
    const kioskLockedUntil = this.deps.lockout.lockedUntil(null);
    if (kioskLockedUntil !== null) return { ok: false, refusal: 'locked', operatorId, lockedUntil: kioskLockedUntil };
    if (entry && this.deps.lockout.lockedUntil(entry.id) !== null) {
      this.deps.lockout.beginAttempt(null);
      await staffPinMatches(await this.decoy, pin);
      return { ok: false, refusal: 'operatorLocked', operatorId };
    }
    this.deps.lockout.beginAttempt(entry ? entry.id : null);
    const matches = await staffPinMatches(entry ?? (await this.decoy), pin);
    if (!entry) return { ok: false, refusal: 'notPermitted', operatorId };
    if (!matches) return { ok: false, refusal: 'wrongPin', operatorId };
    this.deps.lockout.succeeded(entry.id);
    return { ok: true, operatorId: entry.id };
  }
}
