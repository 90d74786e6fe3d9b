/**
 * The staff PIN lockout, kept in SQLite so that neither a restart nor a crash gives a guesser
 * fresh tries. One row per kiosk: consecutive failures and, once they reach the limit, the time
 * the lock ends. An attempt is counted before the PIN is checked, so killing the daemon while it
 * checks does not erase the try.
 */
import type { ClockPort } from '../flow/ports.ts';
import type { Db } from './db.ts';

export interface PinLockState {
  failures: number;
  /** Epoch ms until which every PIN is refused; null when not locked. */
  lockedUntil: number | null;
}

export class PinLockout {
  static readonly MAX_FAILURES = 5;
  static readonly LOCK_MS = 5 * 60_000;

  constructor(
    private readonly db: Db,
    private readonly clock: ClockPort,
  ) {}

  state(): PinLockState {
    const row = this.db.prepare('SELECT failures, locked_until FROM staff_pin_lockout WHERE id = 1').get() as
      | { failures: number; locked_until: number | null }
      | undefined;
    const lockedUntil = row?.locked_until ?? null;
    return { failures: row?.failures ?? 0, lockedUntil: lockedUntil !== null && lockedUntil > this.clock.now().getTime() ? lockedUntil : null };
  }

  /** Counts one attempt as failed (undone by `succeeded`); locks once the limit is reached. */
  beginAttempt(): void {
    const now = this.clock.now().getTime();
    this.db.transaction(() => {
      const failures = this.state().failures + 1;
      const lockedUntil = failures >= PinLockout.MAX_FAILURES ? now + PinLockout.LOCK_MS : null;
      this.db
        .prepare(
          'INSERT INTO staff_pin_lockout (id, failures, locked_until) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until',
        )
        .run(lockedUntil === null ? failures : 0, lockedUntil);
    })();
  }

  succeeded(): void {
    this.db.prepare('DELETE FROM staff_pin_lockout WHERE id = 1').run();
  }
}
