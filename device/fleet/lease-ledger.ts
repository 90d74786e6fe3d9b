/**
 * The quota ledger of a kiosk in a fleet: the same QuotaLedger contract and the same quota_hit
 * rows as a kiosk on its own (device/uplink/quota-ledger.ts), but a hit is spent from a lease the
 * fleet granted, never from a count of its own. A hit is reserved inside one IMMEDIATE
 * transaction that finds an open lease of today with room in it, so two validations never take
 * the last hit of a lease twice; marking it sent or releasing it is the plain ledger's work.
 *
 * A lease is spent until its `spend_until` (the fleet's expiry, measured from when the kiosk
 * asked, so a kiosk clock ahead of the fleet's only shortens it) or the WIB day's end, then
 * closed: its spent count is fixed in the same transaction that stops spending, and only then
 * reported to the fleet (LeaseKeeper). Cut off from the fleet, a kiosk spends what its leases
 * hold and no more.
 *
 * Holding nothing is not always "the day's quota is gone": before its first lease, while the fleet
 * refuses it more for holding its maximum of unsettled hits, or cut off from the fleet, a kiosk
 * waits for a lease (usage().waitingForLease). Only the fleet's fresh word that every hit of the
 * day is committed makes it "quota reached".
 */
import type { Db } from '../store/db.ts';
import type { ClockPort } from '../flow/ports.ts';
import { wibDate } from '../domain/wib.ts';
import { SqliteQuotaLedger, type QuotaLedger, type QuotaReservation, type QuotaUsage } from '../uplink/quota-ledger.ts';

export interface HeldLeases {
  /** Hits left in today's open leases. */
  remaining: number;
  open: number;
}

/** What the fleet last said about the day: its limit and how much of it leases hold or held. */
export interface FleetDayView {
  day: string;
  limit: number;
  committed: number;
  /** When the fleet said it (kiosk clock, ms). */
  at: number;
}

export class LeaseLedger implements QuotaLedger {
  private readonly plain: SqliteQuotaLedger;
  private readonly reserveTx: (day: string, at: string) => QuotaReservation | null;
  private readonly heldStmt;
  private readonly usedTodayStmt;
  /** Called when no lease had room: the keeper asks the fleet; reserve waits for that once. */
  onEmpty: () => Promise<void> = async () => undefined;
  /**
   * The WIB day on which the fleet last refused this kiosk a lease for holding its maximum of
   * unsettled hits (refusal kioskLimit); null once a lease came. Until then, what the fleet has
   * not handed out is not this kiosk's to count on.
   */
  kioskLimitDay: string | null = null;
  /** Set by the keeper from every fleet answer; stale views count as nothing unallocated. */
  fleetDay: FleetDayView | null = null;
  lastDemandAt = 0;
  /**
   * Set whenever usage() says nothing is left (readiness then takes the kiosk out of service);
   * the keeper clears it when it tells the kiosk there is more again (LeaseKeeper.notifyIfChanged).
   */
  saidNothingLeft = false;

  constructor(
    private readonly db: Db,
    private readonly opts: { clock: ClockPort; dailyLimit: number; fleetViewFreshMs: number },
  ) {
    this.plain = new SqliteQuotaLedger(db, { dailyLimit: opts.dailyLimit, clock: opts.clock });
    const pick = db.prepare<[string, string], { id: string; size: number; used: number }>(
      `SELECT l.id, l.size, (SELECT count(*) FROM quota_hit h WHERE h.lease_id = l.id AND h.state <> 'released') AS used
       FROM quota_lease l WHERE l.day = ? AND l.closed_at IS NULL AND l.spend_until > ? ORDER BY l.spend_until, l.id`,
    );
    const insert = db.prepare<[string, string, string]>(
      "INSERT INTO quota_hit (day, state, reserved_at, lease_id) VALUES (?, 'reserved', ?, ?)",
    );
    const tx = db.transaction((day: string, at: string): QuotaReservation | null => {
      const lease = pick.all(day, at).find((l) => l.used < l.size);
      if (!lease) return null;
      const id = insert.run(day, at, lease.id).lastInsertRowid;
      return { granted: true, id: String(id), usage: this.usage() };
    });
    this.reserveTx = (day, at) => tx.immediate(day, at);
    this.heldStmt = db.prepare<[string, string], { remaining: number | null; open: number }>(
      `SELECT sum(l.size - (SELECT count(*) FROM quota_hit h WHERE h.lease_id = l.id AND h.state <> 'released')) AS remaining, count(*) AS open
       FROM quota_lease l WHERE l.day = ? AND l.closed_at IS NULL AND l.spend_until > ?`,
    );
    this.usedTodayStmt = db.prepare<[string], { n: number }>("SELECT count(*) AS n FROM quota_hit WHERE day = ? AND state <> 'released'");
  }

  async reserve(): Promise<QuotaReservation> {
    this.lastDemandAt = this.opts.clock.now().getTime();
    const attempt = () => {
      const now = this.opts.clock.now();
      return this.reserveTx(wibDate(now), now.toISOString());
    };
    let r = attempt();
    if (r) return r;
    // No room: ask the fleet now and wait for that one answer (bounded by the client's deadline).
    await this.onEmpty();
    r = attempt();
    return r ?? { granted: false, usage: this.usage() };
  }

  markSent(id: string): Promise<void> {
    return this.plain.markSent(id);
  }

  release(id: string): Promise<void> {
    return this.plain.release(id);
  }

  held(): HeldLeases {
    const now = this.opts.clock.now();
    const r = this.heldStmt.get(wibDate(now), now.toISOString())!;
    return { remaining: r.remaining ?? 0, open: r.open };
  }

  /**
   * The day as this kiosk can count on it: `limit` the User ID's, `used` everything this kiosk
   * cannot spend (spent anywhere, or held by other kiosks), as the fleet last said it while that
   * word is fresh. So `used >= limit` means nothing is left for this kiosk, in its leases or at the
   * fleet: the day's quota is gone. Without the fleet's fresh word (at start, cut off) the kiosk
   * knows only what it spent itself (`used`) and counts on its own leases alone; holding none, it
   * is waiting for a lease (`waitingForLease`), as it is while the fleet refuses it more for
   * holding its maximum of unsettled hits. Either way the kiosk stops serving.
   */
  usage(): QuotaUsage {
    const now = this.opts.clock.now();
    const day = wibDate(now);
    const view = this.fleetDay;
    const limit = view?.day === day ? view.limit : this.opts.dailyLimit;
    const fresh = view !== null && view.day === day && now.getTime() - view.at <= this.opts.fleetViewFreshMs;
    const held = this.held().remaining;
    let usage: QuotaUsage;
    if (fresh) {
      const unallocated = Math.max(0, view.limit - view.committed);
      const atKioskLimit = this.kioskLimitDay === day;
      const waiting = held <= 0 && unallocated > 0 && atKioskLimit;
      usage = { used: Math.max(0, limit - held - unallocated), limit, day, ...(waiting ? { waitingForLease: true as const } : {}) };
    } else {
      const used = Math.min(this.spentToday(), limit);
      usage = { used, limit, day, ...(held <= 0 && used < limit ? { waitingForLease: true as const } : {}) };
    }
    if (usage.used >= usage.limit || usage.waitingForLease) this.saidNothingLeft = true;
    return usage;
  }

  /** Hits this kiosk spent today (its own share, for the heartbeat). */
  spentToday(): number {
    return this.usedTodayStmt.get(wibDate(this.opts.clock.now()))!.n;
  }
}
