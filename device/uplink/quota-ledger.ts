/**
 * The quota ledger: the agreement gives one User ID 1,000 NIK hits per day (Juknis 2 e), shared
 * by every kiosk on that User ID. A hit is reserved atomically before a request is sent and
 * counts from then on (a crash or timeout after that point counts); it is released only when
 * the request provably never left. The day ends at midnight Asia/Jakarta (WIB, UTC+7, no DST).
 *
 * QuotaLedger is a port: SqliteQuotaLedger serves one kiosk now; a shared PostgreSQL ledger
 * with the same contract can replace it for a fleet.
 */
import type { Db } from '../store/db.ts';
import type { ClockPort } from '../flow/ports.ts';
import { wibDate } from '../domain/wib.ts';

export interface QuotaUsage {
  used: number;
  limit: number;
  /** The WIB calendar day the figures belong to, `YYYY-MM-DD`. */
  day: string;
  /**
   * A kiosk in a fleet only (device/fleet/lease-ledger.ts): it can count on no hit now, yet the
   * day's shared quota is not known to be spent. It has had no lease yet (at start), or the fleet
   * refuses it more while it holds its maximum of unsettled hits, or the fleet is out of reach and
   * its leases are spent. Out of service until a lease comes; not "quota reached".
   */
  waitingForLease?: true;
}

export type QuotaReservation = { granted: true; id: string; usage: QuotaUsage } | { granted: false; usage: QuotaUsage };

export interface QuotaLedger {
  /** Atomically takes one hit of today's quota, or refuses when none is left. */
  reserve(): Promise<QuotaReservation>;
  /** Records that the request may have left; from then on the hit can never be released. */
  markSent(id: string): Promise<void>;
  /** Gives the hit back; only for a request that provably never left. */
  release(id: string): Promise<void>;
  /** Today's figures (for health and staff screens). */
  usage(): QuotaUsage;
}

export class QuotaLedgerError extends Error {
  override readonly name = 'QuotaLedgerError';
  constructor(readonly code: 'dailyLimit' | 'unknownReservation' | 'alreadySent' | 'alreadyReleased') {
    super(`quota ledger: ${code}`);
  }
}

export class SqliteQuotaLedger implements QuotaLedger {
  private readonly limit: number;
  private readonly clock: ClockPort;
  private readonly countStmt;
  private readonly insertStmt;
  private readonly stateStmt;
  private readonly settleStmt;
  private readonly reserveTx;
  private readonly settleTx;

  constructor(
    private readonly db: Db,
    opts: { dailyLimit: number; clock: ClockPort },
  ) {
    if (!Number.isInteger(opts.dailyLimit) || opts.dailyLimit < 1 || opts.dailyLimit > 1_000_000) {
      throw new QuotaLedgerError('dailyLimit');
    }
    this.limit = opts.dailyLimit;
    this.clock = opts.clock;
    this.countStmt = db.prepare<[string], { n: number }>("SELECT COUNT(*) AS n FROM quota_hit WHERE day = ? AND state <> 'released'");
    this.insertStmt = db.prepare<[string, string]>("INSERT INTO quota_hit (day, state, reserved_at) VALUES (?, 'reserved', ?)");
    this.stateStmt = db.prepare<[number], { state: string }>('SELECT state FROM quota_hit WHERE id = ?');
    this.settleStmt = db.prepare<[string, string, number]>('UPDATE quota_hit SET state = ?, settled_at = ? WHERE id = ?');
    // IMMEDIATE takes the write lock before counting, so two connections (or processes) can
    // never both see the last free hit.
    const reserve = db.transaction((day: string, at: string): QuotaReservation => {
      const used = this.countStmt.get(day)!.n;
      if (used >= this.limit) return { granted: false, usage: { used, limit: this.limit, day } };
      const id = this.insertStmt.run(day, at).lastInsertRowid;
      return { granted: true, id: String(id), usage: { used: used + 1, limit: this.limit, day } };
    });
    this.reserveTx = (day: string, at: string) => reserve.immediate(day, at);
    const settle = db.transaction((id: number, to: 'sent' | 'released', at: string) => {
      const row = this.stateStmt.get(id);
      if (!row) throw new QuotaLedgerError('unknownReservation');
      if (row.state === 'released') throw new QuotaLedgerError('alreadyReleased');
      if (row.state === 'sent') {
        if (to === 'sent') return;
        throw new QuotaLedgerError('alreadySent');
      }
      this.settleStmt.run(to, at, id);
    });
    this.settleTx = (id: number, to: 'sent' | 'released', at: string) => settle.immediate(id, to, at);
  }

  async reserve(): Promise<QuotaReservation> {
    const now = this.clock.now();
    return this.reserveTx(wibDate(now), now.toISOString());
  }

  async markSent(id: string): Promise<void> {
    // The sent mark need not survive a power cut: a lost mark leaves the hit 'reserved', which
    // counts all the same. Skipping its fsync keeps it off the request's critical path. The
    // pragma is per connection and restored before anything else can run on it.
    const previous = this.db.pragma('synchronous', { simple: true });
    this.db.pragma('synchronous = NORMAL');
    try {
      this.settleTx(parseId(id), 'sent', this.clock.now().toISOString());
    } finally {
      this.db.pragma(`synchronous = ${Number(previous)}`);
    }
  }

  async release(id: string): Promise<void> {
    this.settleTx(parseId(id), 'released', this.clock.now().toISOString());
  }

  usage(): QuotaUsage {
    const day = wibDate(this.clock.now());
    return { used: this.countStmt.get(day)!.n, limit: this.limit, day };
  }
}

function parseId(id: string): number {
  if (!/^[0-9]{1,15}$/.test(id)) throw new QuotaLedgerError('unknownReservation');
  return Number(id);
}
