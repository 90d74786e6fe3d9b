/**
 * Operator sign-in: user ID + PIN, checked against the credential file's scrypt hashes, for an
 * operator the roster permits today (NDA signed, not disabled), under the per-source throttle
 * (store/attempt-throttle.ts). An unknown user ID costs the same hash as a known one, so the
 * answer's timing does not tell which IDs exist, and the throttle counts per source, never per
 * user ID: no answer depends on whether an ID exists, and nobody can lock an operator out by
 * typing their ID with wrong PINs.
 */
import { randomBytes } from 'node:crypto';
import { staffPinMatches, type Credentials } from '../store/credentials.ts';
import type { AttemptSource, AttemptThrottle } from '../store/attempt-throttle.ts';

export type SignInOutcome =
  | { ok: true; operatorId: string }
  /** `operatorId` only for an ID with a PIN on file: anything else typed is never repeated. */
  | { ok: false; refusal: 'wrongPin' | 'notPermitted'; operatorId: string | null }
  /** This source failed too often lately: it may try again at `retryAt` (epoch ms), in `retryInMs`; no PIN was checked. */
  | { ok: false; refusal: 'throttled'; operatorId: string | null; retryAt: number; retryInMs: number };

export interface SignInDeps {
  staff: Credentials['staff'];
  /** Whether this user ID may sign in now (staff/roster.ts: on the roster, NDA signed, not disabled). */
  permitted(operatorId: string): boolean;
  throttle: AttemptThrottle;
}

export class OperatorSignIn {
  /**
   * What an unknown or not permitted ID's PIN is checked against: the same scrypt and comparison
   * as a real entry, against a random hash that no PIN has (1 in 2^256). It is not hashed from
   * anything: hashing a decoy PIN at start cost every boot one scrypt (~80 ms of CPU, #25).
   */
  private readonly decoy: Credentials['staff'][number] = {
    id: 'decoy',
    salt: randomBytes(16).toString('hex'),
    hash: randomBytes(32).toString('hex'),
  };

  constructor(private readonly deps: SignInDeps) {}

  async signIn(userId: string, pin: string, source: AttemptSource): Promise<SignInOutcome> {
    const known = this.deps.staff.find((s) => s.id === userId);
    const operatorId = known ? known.id : null;
    const wait = this.deps.throttle.wait(source);
    if (wait !== null) return { ok: false, refusal: 'throttled', operatorId, retryAt: wait.until, retryInMs: wait.ms };
    const entry = known && this.deps.permitted(known.id) ? known : undefined;
    this.deps.throttle.beginAttempt(source);
    const matches = await staffPinMatches(entry ?? this.decoy, pin);
    if (entry && matches) {
      this.deps.throttle.succeeded(source);
      return { ok: true, operatorId: entry.id };
    }
    this.deps.throttle.failed(source);
    return { ok: false, refusal: entry ? 'wrongPin' : 'notPermitted', operatorId };
  }
}
