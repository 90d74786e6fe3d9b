/**
 * The staff sign-in lockout, in SQLite so neither a restart nor a crash gives a guesser fresh
 * tries. Two bounds: each operator's own (wrong PINs for one user ID), and a kiosk-wide one
 * ('*') over every attempt, so guessing across many user IDs is bounded too. A try is counted
 * before the PIN is checked (killing the daemon mid-check keeps it) and undone on success.
 * Only user IDs on the roster get a row: whatever else is typed into the user ID field is
 * never stored.
 */
import type { ClockPort } from '../flow/ports.ts';
import type { Db } from './db.ts';

export interface LockPolicy {
  /** Failures within one window that lock. */
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

export const OPERATOR_LOCK: LockPolicy = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };
/** Above what a shift of staff mistyping needs, far below what guessing six digits needs. */
export const KIOSK_WIDE_LOCK: LockPolicy = { maxFailures: 20, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

const KIOSK_WIDE = '*';
const operatorKey = (operatorId: string) => `operator:${operatorId}`;

interface Row {
  failures: number;
  window_started: number;
  locked_until: number | null;
}

export class SignInLockout {
  constructor(
    private readonly db: Db,
    private readonly clock: ClockPort,
    private readonly policies: { operator: LockPolicy; kioskWide: LockPolicy } = { operator: OPERATOR_LOCK, kioskWide: KIOSK_WIDE_LOCK },
  ) {}

  private row(key: string): Row | undefined {
    return this.db.prepare('SELECT failures, window_started, locked_until FROM staff_sign_in_lockout WHERE key = ?').get(key) as Row | undefined;
  }

  /** Failures counted in the current window (0 once it has passed). */
  failures(operatorId: string | null): number {
    const row = this.row(operatorId === null ? KIOSK_WIDE : operatorKey(operatorId));
    const policy = operatorId === null ? this.policies.kioskWide : this.policies.operator;
    if (!row || this.clock.now().getTime() - row.window_started >= policy.windowMs) return 0;
    return row.failures;
  }

  /** Epoch ms until which this operator (null: anyone) may not sign in; null when free. */
  lockedUntil(operatorId: string | null): number | null {
    const now = this.clock.now().getTime();
    const keys = operatorId === null ? [KIOSK_WIDE] : [KIOSK_WIDE, operatorKey(operatorId)];
    const until = Math.max(0, ...keys.map((k) => this.row(k)?.locked_until ?? 0));
    return until > now ? until : null;
  }

  /** Counts one attempt as failed, kiosk-wide and (for an ID on the roster) for the operator. */
  beginAttempt(operatorId: string | null): void {
    const now = this.clock.now().getTime();
    this.db.transaction(() => {
      this.count(KIOSK_WIDE, this.policies.kioskWide, now);
      if (operatorId !== null) this.count(operatorKey(operatorId), this.policies.operator, now);
    })();
  }

  /** The operator's PIN was right: their count starts over and the kiosk-wide try is undone. */
  succeeded(operatorId: string): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM staff_sign_in_lockout WHERE key = ?').run(operatorKey(operatorId));
      this.db.prepare('UPDATE staff_sign_in_lockout SET failures = max(failures - 1, 0) WHERE key = ?').run(KIOSK_WIDE);
    })();
  }

  private count(key: string, policy: LockPolicy, now: number): void {
    const row = this.row(key);
    const fresh = !row || now - row.window_started >= policy.windowMs;
    const failures = (fresh ? 0 : row.failures) + 1;
    const windowStarted = fresh ? now : row.window_started;
    const locks = failures >= policy.maxFailures;
    this.db
      .prepare(
        `INSERT INTO staff_sign_in_lockout (key, failures, window_started, locked_until) VALUES (?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, window_started = excluded.window_started, locked_until = excluded.locked_until`,
      )
      .run(key, locks ? 0 : failures, locks ? now : windowStarted, locks ? now + policy.lockMs : (row?.locked_until ?? null));
  }
}
