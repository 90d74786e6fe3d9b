/**
 * Staff alerts: what needs a staff member's attention (the day's quota running out, the registry
 * refusing our access, the enclosure opened, a taxpayer waiting for help, a reader that did not
 * come back after its power was cycled), kept in the store
 * until an operator acknowledges them. An alert is a kind and a time: nothing personal.
 *
 * Dedupe: one open alert per kind per WIB day, so a condition that persists or repeats does not
 * bury the list. A quota threshold is crossed once a day: once raised, acknowledged or not, it is
 * not raised again that day.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { OutOfServiceReason } from '../domain/failure.ts';
import { QUOTA_ALERT_KINDS, QUOTA_ALERT_LEVELS, quotaLevelReached, type QuotaAlertLevel } from '../domain/quota.ts';
import { wibDate } from '../domain/wib.ts';
import type { KioskEventSource } from '../flow/events.ts';
import type { ClockPort } from '../flow/ports.ts';
import type { Logger } from '../log.ts';
import type { Db } from '../store/db.ts';
import type { QuotaUsage } from '../uplink/quota-ledger.ts';
import type { GuessingSignal } from '../store/attempt-throttle.ts';

const QUOTA_KINDS = Object.values(QUOTA_ALERT_KINDS);
export const ALERT_KINDS = [
  ...QUOTA_KINDS,
  'accessRefused',
  'tamper',
  'helpNeeded',
  'readerMissing',
  /** Wrong staff PINs made one source (the kiosk screen, a LAN address) wait (store/attempt-throttle.ts). */
  'signInThrottled',
  /** Many wrong staff PINs in a few minutes, from any sources: guessing spread over addresses. */
  'signInBurst',
  /** Data balikan entries the web service could not settle after every try: they wait for a file export. */
  'returnDataDeadLetter',
  /** The data partition runs low (device/disk.ts): below its reserve the kiosk stops serving. */
  'diskLow',
  /** The daemon's unit gave up restarting it (anjungan-crash-alert.service). */
  'crashLoop',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

const ONCE_A_DAY = new Set<AlertKind>(QUOTA_KINDS);

export interface StaffAlert {
  id: number;
  kind: AlertKind;
  /** When it was raised, ISO 8601. */
  at: string;
  acknowledgedAt: string | null;
  /** The operator ID of the staff member who acknowledged it. */
  acknowledgedBy: string | null;
}

export type AcknowledgeResult = { acknowledged: StaffAlert } | { refused: 'alertNotFound' | 'alreadyAcknowledged' };

interface AlertRow {
  id: number;
  kind: AlertKind;
  raised_at: string;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
}

const toAlert = (r: AlertRow): StaffAlert => ({
  id: r.id,
  kind: r.kind,
  at: r.raised_at,
  acknowledgedAt: r.acknowledged_at,
  acknowledgedBy: r.acknowledged_by,
});

/** How long acknowledged alerts stay in the list; open ones stay until acknowledged. */
const LISTED_DAYS = 7;
const MAX_LISTED = 200;

export class AlertLog {
  private readonly raiseTx;

  constructor(
    private readonly db: Db,
    private readonly clock: ClockPort,
  ) {
    const raise = db.transaction((kind: AlertKind, day: string, at: string): { alert: StaffAlert; raised: boolean } => {
      const existing = db
        .prepare<[AlertKind, string], AlertRow>(
          `SELECT * FROM staff_alerts WHERE kind = ? AND day = ? ${ONCE_A_DAY.has(kind) ? '' : 'AND acknowledged_at IS NULL'} ORDER BY id DESC LIMIT 1`,
        )
        .get(kind, day);
      if (existing) return { alert: toAlert(existing), raised: false };
      const id = Number(db.prepare('INSERT INTO staff_alerts (kind, day, raised_at) VALUES (?, ?, ?)').run(kind, day, at).lastInsertRowid);
      return { alert: { id, kind, at, acknowledgedAt: null, acknowledgedBy: null }, raised: true };
    });
    // IMMEDIATE: two raisers can never both find no open alert.
    this.raiseTx = (kind: AlertKind, day: string, at: string) => raise.immediate(kind, day, at);
  }

  /** Raises an alert of this kind unless one is open today (for quota thresholds: any today). */
  raise(kind: AlertKind): { alert: StaffAlert; raised: boolean } {
    const now = this.clock.now();
    return this.raiseTx(kind, wibDate(now), now.toISOString());
  }

  acknowledge(id: number, operatorId: string): AcknowledgeResult {
    return this.db
      .transaction((): AcknowledgeResult => {
        const row = this.db.prepare<[number], AlertRow>('SELECT * FROM staff_alerts WHERE id = ?').get(id);
        if (!row) return { refused: 'alertNotFound' };
        if (row.acknowledged_at !== null) return { refused: 'alreadyAcknowledged' };
        const at = this.clock.now().toISOString();
        this.db.prepare('UPDATE staff_alerts SET acknowledged_at = ?, acknowledged_by = ? WHERE id = ?').run(at, operatorId, id);
        return { acknowledged: toAlert({ ...row, acknowledged_at: at, acknowledged_by: operatorId }) };
      })
      .immediate();
  }

  /** Open alerts, and those acknowledged in the last week; newest first. */
  list(): StaffAlert[] {
    const since = new Date(this.clock.now().getTime() - LISTED_DAYS * 86_400_000).toISOString();
    return this.db
      .prepare<[string, number], AlertRow>(
        'SELECT * FROM staff_alerts WHERE acknowledged_at IS NULL OR raised_at >= ? ORDER BY id DESC LIMIT ?',
      )
      .all(since, MAX_LISTED)
      .map(toAlert);
  }
}

/** Raises an alert for a condition the daemon finds itself (a disk running low, a crash loop); never throws. */
export function raiseAlert(alerts: AlertLog, kind: AlertKind, logger: Pick<Logger, 'error'>): void {
  try {
    alerts.raise(kind);
  } catch (err) {
    logger.error({ event: 'staffAlertFailed', kind, err: { name: (err as Error).name } }, 'a staff alert could not be stored');
  }
}

/** Written into the state folder by anjungan-crash-alert.service when the unit gave up restarting. */
export const CRASH_LOOP_MARKER = 'crash-loop';

/** The unit's crash loop, left as a marker while the daemon could not run, becomes a staff alert. */
export function alertOfCrashLoop(stateDir: string, alerts: AlertLog, logger: Pick<Logger, 'error'>): void {
  const marker = join(stateDir, CRASH_LOOP_MARKER);
  if (!existsSync(marker)) return;
  raiseAlert(alerts, 'crashLoop', logger);
  rmSync(marker, { force: true });
}

/** A signal of the staff PIN throttle as an alert, raised at most once while open (never throws into a PIN check). */
export function raiseGuessingAlert(alerts: AlertLog, signal: GuessingSignal, logger: Pick<Logger, 'warn' | 'error'>): void {
  const kind: AlertKind = signal === 'throttled' ? 'signInThrottled' : 'signInBurst';
  try {
    if (alerts.raise(kind).raised) logger.warn({ event: 'staffAlert', kind }, 'staff alert raised');
  } catch (err) {
    logger.error({ event: 'staffAlertFailed', kind, err: { name: (err as Error).name } }, 'a staff alert could not be stored');
  }
}

/** The validator's quota alert levels (device/uplink/validator.ts) as alert kinds. */
export function quotaAlertKind(level: QuotaAlertLevel): AlertKind {
  return QUOTA_ALERT_KINDS[level];
}

/** The alert an out-of-service reason calls for, if any. */
const OUT_OF_SERVICE_ALERTS: Partial<Record<OutOfServiceReason, AlertKind>> = {
  tamper: 'tamper',
  uplinkRejected: 'accessRefused',
  quotaReached: 'quotaReached',
  diskFull: 'diskLow',
};

/**
 * Raises alerts from what the kiosk records (flow/events.ts) and from the day's quota. A
 * condition raises when it begins (an enclosure opened, access refused, the quota gone, a call
 * for staff), not while it lasts: an out-of-service kiosk records its reason again at every
 * check, which begins nothing new. Every opening of the enclosure raises, even on a kiosk
 * already locked. The quota thresholds are checked at start (one crossed before a restart is
 * still raised) and after every registry request and session. Returns the unsubscriber.
 */
export function attachAlerts(deps: {
  events: KioskEventSource;
  alerts: AlertLog;
  /** Today's quota figures (the ledger's usage()). */
  quota: () => QuotaUsage;
  logger: Pick<Logger, 'warn' | 'error'>;
}): () => void {
  // Runs inside the flow's actions: a store that cannot write must not stop the kiosk.
  const raise = (kind: AlertKind) => {
    try {
      if (deps.alerts.raise(kind).raised) deps.logger.warn({ event: 'staffAlert', kind }, 'staff alert raised');
    } catch (err) {
      deps.logger.error({ event: 'staffAlertFailed', kind, err: { name: (err as Error).name } }, 'a staff alert could not be stored');
    }
  };
  const checkQuota = () => {
    let usage: QuotaUsage;
    try {
      usage = deps.quota();
    } catch (err) {
      deps.logger.error({ event: 'staffAlertFailed', err: { name: (err as Error).name } }, 'the quota could not be read for staff alerts');
      return;
    }
    for (const level of QUOTA_ALERT_LEVELS) if (quotaLevelReached(usage, level)) raise(QUOTA_ALERT_KINDS[level]);
  };
  let outOfService: AlertKind | null = null;
  let helpCalled = false;
  checkQuota();
  return deps.events.subscribe((e) => {
    switch (e.code) {
      case 'outOfService': {
        const kind = OUT_OF_SERVICE_ALERTS[e.outcome as OutOfServiceReason] ?? null;
        if (kind && kind !== outOfService) raise(kind);
        outOfService = kind;
        break;
      }
      case 'inService':
        outOfService = null;
        break;
      case 'tamperOpened':
        raise('tamper');
        break;
      case 'staffAssistStart':
        if (!helpCalled) raise('helpNeeded');
        helpCalled = true;
        break;
      case 'staffUnlocked':
        helpCalled = false;
        break;
      case 'readerPowerCycled':
        if (e.outcome === 'readerNotBack') raise('readerMissing');
        break;
      case 'validated':
        checkQuota();
        break;
      case 'sessionEnd':
        helpCalled = false;
        checkQuota();
        break;
    }
  });
}
