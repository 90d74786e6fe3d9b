/**
 * Keeps a fleet kiosk's leases (see lease-ledger.ts): closes a lease when it may no longer be
 * spent and tells the fleet what it spent (the rest returns to the day), and asks for a new
 * lease before the ones it holds run out. Everything it must not forget is in SQLite before it
 * talks to the fleet: a lease request (so an answer lost in a crash is asked for again under the
 * same id, never granted twice) and a closed lease's count (settled again until the fleet took it).
 *
 * It asks while the kiosk is busy (a hit in the last lease period) and whenever it holds nothing
 * (so it can serve the next taxpayer), never while the fleet says the day is gone.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../store/db.ts';
import type { ClockPort } from '../flow/ports.ts';
import type { Logger } from '../log.ts';
import { wibDate, WIB_OFFSET_MS } from '../domain/wib.ts';
import type { FleetClient } from './client.ts';
import type { LeaseLedger } from './lease-ledger.ts';

export interface LeaseSettings {
  /** Hits asked for at once. */
  leaseSize: number;
  /** Ask for more when the leases hold this many or fewer. */
  lowWater: number;
  /** How often the keeper looks (closing, settling, refilling). */
  tickMs: number;
  /** After the fleet refused or could not be reached, wait this long before asking again. */
  retryMs: number;
}

export const DEFAULT_LEASES: LeaseSettings = { leaseSize: 20, lowWater: 5, tickMs: 2_000, retryMs: 10_000 };

interface DayAnswer {
  day: string;
  limit: number;
  committed: number;
}
interface LeaseAnswer {
  lease: { id: string; day: string; size: number; grantedAt: string; expiresAt: string } | null;
  day: DayAnswer;
  refusal?: string;
}

export class LeaseKeeper {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private refusedUntil = 0;
  /** Why the fleet last gave no lease (the wait above is lifted once the fleet says hits are free again). */
  private lastRefusal: string | null = null;
  private unreachableUntil = 0;
  private draining = false;

  constructor(
    private readonly deps: {
      db: Db;
      ledger: LeaseLedger;
      client: FleetClient;
      clock: ClockPort;
      logger: Logger;
      settings: LeaseSettings;
      /**
       * Told when what the kiosk may count on crosses zero: a lease came or the fleet has hits
       * again, or (the kiosk idle on its welcome screen) the last hits went to other kiosks or the
       * fleet's word went stale. Readiness is checked anew, so the screen says what is true.
       */
      onAvailabilityChanged?: () => void;
    },
  ) {
    deps.ledger.onEmpty = () => this.runOnce(true);
  }

  start(): void {
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.runOnce(false).finally(() => this.schedule(this.deps.settings.tickMs)), ms);
  }

  /** One pass; passes never overlap (a caller during one waits for it, then runs its own if asked). */
  async runOnce(urgent: boolean): Promise<void> {
    while (this.running) await this.running;
    this.running = this.pass(urgent).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async pass(urgent: boolean): Promise<void> {
    try {
      this.closeSpentLeases();
      await this.recoverRequests();
      await this.settleClosed();
      await this.refill(urgent);
    } catch (err) {
      this.deps.logger.error({ event: 'fleetLeaseKeeperFailed', err: { name: (err as Error).name } }, 'lease keeper pass failed');
    }
    this.notifyIfChanged();
  }

  /**
   * Tells the kiosk once per change, at the end of a pass or on the fleet's word, whichever comes
   * first. usage() marks "nothing left" whoever asks (readiness too): a kiosk so marked that now
   * has something (a lease came, the fleet says hits are free again) is told; so is a kiosk not
   * yet marked that now has nothing (idle while the other kiosks took the last hits: without
   * this it would show the welcome screen until a taxpayer's card found the day gone, or the
   * fleet refused it for holding its maximum of unsettled hits).
   */
  private notifyIfChanged(): void {
    const { ledger } = this.deps;
    const markedBefore = ledger.saidNothingLeft;
    const now = ledger.usage();
    const nothingLeft = now.used >= now.limit || now.waitingForLease === true;
    if (markedBefore === nothingLeft) return;
    if (!nothingLeft) ledger.saidNothingLeft = false;
    this.deps.onAvailabilityChanged?.();
  }

  /** Leases past their time or day: closed, their spent count fixed, in one transaction each. */
  closeSpentLeases(): void {
    const now = this.deps.clock.now();
    const { db } = this.deps;
    const due = db
      .prepare<[string, string], { id: string }>('SELECT id FROM quota_lease WHERE closed_at IS NULL AND (spend_until <= ? OR day <> ?)')
      .all(now.toISOString(), wibDate(now));
    const close = db.transaction((id: string, at: string) => {
      const used = db
        .prepare<[string], { n: number }>("SELECT count(*) AS n FROM quota_hit WHERE lease_id = ? AND state <> 'released'")
        .get(id)!.n;
      db.prepare('UPDATE quota_lease SET closed_at = ?, used = ? WHERE id = ? AND closed_at IS NULL').run(at, used, id);
    });
    for (const l of due) close.immediate(l.id, now.toISOString());
  }

  /** Closes every open lease now and asks for no more (the kiosk is leaving the fleet, or shut down for long). */
  closeAll(): void {
    this.draining = true;
    const now = this.deps.clock.now().toISOString();
    this.deps.db.prepare('UPDATE quota_lease SET spend_until = ? WHERE closed_at IS NULL AND spend_until > ?').run(now, now);
    this.closeSpentLeases();
  }

  private async settleClosed(): Promise<void> {
    if (this.deps.clock.now().getTime() < this.unreachableUntil) return;
    const { db, client, logger } = this.deps;
    const closed = db
      .prepare<[], { id: string; used: number }>(
        'SELECT id, used FROM quota_lease WHERE closed_at IS NOT NULL AND settled_at IS NULL ORDER BY id',
      )
      .all();
    for (const l of closed) {
      const reply = await client.request('POST', `/api/kiosk/leases/${l.id}/settle`, { used: l.used });
      if (!reply.ok) return this.unreachable(reply.failure);
      if (reply.status === 200) {
        this.saw((reply.body as { day: DayAnswer }).day);
        // Settled hits no longer count against this kiosk's share: a refusal for holding too many ends here.
        if (this.lastRefusal === 'kioskLimit') this.refusedUntil = 0;
      } else if (reply.status === 404 || reply.status === 409)
        logger.error({ event: 'fleetLeaseSettleRefused', status: reply.status }, 'the fleet refused a lease settlement: left as settled');
      else return;
      db.prepare('UPDATE quota_lease SET settled_at = ? WHERE id = ?').run(this.deps.clock.now().toISOString(), l.id);
    }
  }

  /** Requests sent before a crash or a lost answer: asked again under the same id. */
  private async recoverRequests(): Promise<void> {
    const pending = this.deps.db
      .prepare<[], { request_id: string; size: number; asked_at: string }>('SELECT request_id, size, asked_at FROM quota_lease_request')
      .all();
    for (const p of pending) {
      if (!(await this.ask(p.request_id, p.size, Date.parse(p.asked_at)))) return;
    }
  }

  private async refill(urgent: boolean): Promise<void> {
    const { ledger, settings, clock } = this.deps;
    const now = clock.now().getTime();
    // A taxpayer waiting on a kiosk that holds nothing (urgent) is worth one question even while
    // the last refusal's wait runs: the day may have changed since, and a kiosk that cannot take
    // a hit fails the taxpayer. An unreachable fleet is not asked again before its wait.
    if (this.draining || now < this.unreachableUntil || (!urgent && now < this.refusedUntil)) return;
    const held = ledger.held();
    if (held.remaining > settings.lowWater) return;
    const busy = now - ledger.lastDemandAt < 10 * 60_000;
    if (!urgent && held.remaining > 0 && !busy) return;
    const requestId = randomUUID();
    const askedAt = clock.now();
    this.deps.db
      .prepare('INSERT INTO quota_lease_request (request_id, size, asked_at) VALUES (?, ?, ?)')
      .run(requestId, settings.leaseSize, askedAt.toISOString());
    await this.ask(requestId, settings.leaseSize, askedAt.getTime());
  }

  /** Sends one lease request; stores the lease and forgets the request in one transaction. False when unreachable. */
  private async ask(requestId: string, size: number, askedAt: number): Promise<boolean> {
    const { db, client, clock, logger } = this.deps;
    const reply = await client.request('POST', '/api/kiosk/leases', { requestId, size });
    if (!reply.ok) {
      this.unreachable(reply.failure);
      return false;
    }
    if (reply.status >= 500) {
      // The fleet could not answer (its database restarting): the request is asked again later.
      this.unreachable(`status${reply.status}`);
      return false;
    }
    if (reply.status !== 200) {
      // A request the fleet will never answer otherwise (e.g. a lease request from before a re-enrolment).
      logger.error({ event: 'fleetLeaseRequestRefused', status: reply.status }, 'the fleet refused a lease request');
      db.prepare('DELETE FROM quota_lease_request WHERE request_id = ?').run(requestId);
      this.refusedUntil = clock.now().getTime() + this.deps.settings.retryMs;
      return true;
    }
    this.unreachableUntil = 0;
    const answer = reply.body as LeaseAnswer;
    this.saw(answer.day);
    const lease = answer.lease;
    this.lastRefusal = lease ? null : (answer.refusal ?? 'none');
    this.deps.ledger.kioskLimitDay = answer.refusal === 'kioskLimit' ? answer.day.day : null;
    db.transaction(() => {
      if (lease) {
        // The fleet's lease period, counted from when we asked (not from the fleet's clock), and never past the lease's WIB day.
        const period = Date.parse(lease.expiresAt) - Date.parse(lease.grantedAt);
        const dayEnd = Date.parse(`${lease.day}T00:00:00Z`) - WIB_OFFSET_MS + 86_400_000;
        const spendUntil = new Date(Math.min(askedAt + period, dayEnd)).toISOString();
        db.prepare(
          'INSERT INTO quota_lease (id, request_id, day, size, spend_until) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
        ).run(lease.id, requestId, lease.day, lease.size, spendUntil);
      }
      db.prepare('DELETE FROM quota_lease_request WHERE request_id = ?').run(requestId);
    })();
    if (!lease) {
      this.refusedUntil = clock.now().getTime() + this.deps.settings.retryMs;
      logger.info(
        { event: 'fleetLeaseRefused', refusal: answer.refusal ?? null, committed: answer.day.committed, limit: answer.day.limit },
        'no lease: the day is spent or this kiosk holds its share',
      );
    }
    return true;
  }

  /** Every fleet answer updates what the ledger knows of the day. */
  saw(day: DayAnswer): void {
    this.deps.ledger.fleetDay = { ...day, at: this.deps.clock.now().getTime() };
  }

  /**
   * The fleet answered another call (the heartbeat): it is reachable, so the next lease request
   * need not wait out the last failure; hits free again end the wait a "day spent" refusal set.
   * If the kiosk was out of service for want of hits and the fleet now has some, it checks anew.
   */
  heard(day: DayAnswer): void {
    this.saw(day);
    this.unreachableUntil = 0;
    if (this.lastRefusal === 'dayExhausted' && day.committed < day.limit) this.refusedUntil = 0;
    this.notifyIfChanged();
  }

  /**
   * Another call found the fleet unreachable: its last word on what is unallocated no longer
   * counts (the kiosk counts on its own leases only), so readiness never sends a taxpayer to a
   * kiosk that holds nothing on the strength of hits it cannot ask for.
   */
  lost(): void {
    this.deps.ledger.fleetDay = null;
  }

  private unreachable(failure: string): void {
    // Cut off, the kiosk counts on its own leases only: what the fleet last said is unallocated may be gone by now.
    this.deps.ledger.fleetDay = null;
    const first = this.unreachableUntil === 0;
    this.unreachableUntil = this.deps.clock.now().getTime() + this.deps.settings.retryMs;
    if (first) this.deps.logger.warn({ event: 'fleetUnreachable', failure }, 'fleet unreachable: spending from the leases held');
  }
}
