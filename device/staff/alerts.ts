/**
 * Staff alerts: what needs a staff member's attention (the day's quota running out, the registry
 * refusing our access, the enclosure opened, a taxpayer waiting for help), kept in the store
 * until an operator acknowledges them. An alert is a kind and a time: nothing personal.
 *
 * Dedupe: one open alert per kind per WIB day, so a condition that persists or repeats does not
 * bury the list. A quota threshold is crossed once a day: once raised, acknowledged or not, it is
 * not raised again that day.
 */
import { wibDate } from '../domain/wib.ts';
import type { ClockPort, GpioPort } from '../flow/ports.ts';
import type { Logger } from '../log.ts';
import type { Db } from '../store/db.ts';
import type { QuotaUsage } from '../uplink/quota-ledger.ts';
import type { KioskView } from '../view/protocol.ts';

export const ALERT_KINDS = ['quota80', 'quota95', 'quota100', 'accessRefused', 'tamper', 'helpNeeded', 'diskLow', 'crashLoop'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

const ONCE_A_DAY = new Set<AlertKind>(['quota80', 'quota95', 'quota100']);

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
          `SELECT * FROM staff_alert WHERE kind = ? AND day = ? ${ONCE_A_DAY.has(kind) ? '' : 'AND acknowledged_at IS NULL'} ORDER BY id DESC LIMIT 1`,
        )
        .get(kind, day);
      if (existing) return { alert: toAlert(existing), raised: false };
      const id = Number(db.prepare('INSERT INTO staff_alert (kind, day, raised_at) VALUES (?, ?, ?)').run(kind, day, at).lastInsertRowid);
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
        const row = this.db.prepare<[number], AlertRow>('SELECT * FROM staff_alert WHERE id = ?').get(id);
        if (!row) return { refused: 'alertNotFound' };
        if (row.acknowledged_at !== null) return { refused: 'alreadyAcknowledged' };
        const at = this.clock.now().toISOString();
        this.db.prepare('UPDATE staff_alert SET acknowledged_at = ?, acknowledged_by = ? WHERE id = ?').run(at, operatorId, id);
        return { acknowledged: toAlert({ ...row, acknowledged_at: at, acknowledged_by: operatorId }) };
      })
      .immediate();
  }

  /** Open alerts, and those acknowledged in the last week; newest first. */
  list(): StaffAlert[] {
    const since = new Date(this.clock.now().getTime() - LISTED_DAYS * 86_400_000).toISOString();
    return this.db
      .prepare<[string, number], AlertRow>(
        'SELECT * FROM staff_alert WHERE acknowledged_at IS NULL OR raised_at >= ? ORDER BY id DESC LIMIT ?',
      )
      .all(since, MAX_LISTED)
      .map(toAlert);
  }
}

/** The validator's quota alert levels (device/uplink/validator.ts) as alert kinds. */
export function quotaAlertKind(level: 80 | 95 | 100): AlertKind {
  return level === 80 ? 'quota80' : level === 95 ? 'quota95' : 'quota100';
}

/** What the kiosk's state says staff must see, from one view. */
function conditionsOf(view: KioskView): Set<AlertKind> {
  const found = new Set<AlertKind>();
  if (view.screen === 'outOfService') {
    if (view.reason === 'tamper') found.add('tamper');
    if (view.reason === 'uplinkRejected') found.add('accessRefused');
    if (view.reason === 'quotaExhausted') found.add('quota100');
    if (view.reason === 'diskFull') found.add('diskLow');
  }
  if (view.screen === 'staffAssist' && view.helpNeeded) found.add('helpNeeded');
  return found;
}

/**
 * Raises alerts from what the kiosk shows and from the day's quota. A condition raises when it
 * begins (an enclosure opened, access refused, a staff call), not on every view while it lasts:
 * an out-of-service kiosk re-checks every 30 s and passes through "starting" each time, which
 * neither begins nor ends a condition. Also checks the quota thresholds whenever the screen
 * changes, so a threshold crossed before a restart is still raised. Every opening of the
 * enclosure raises from the panel's switch itself: a kiosk already locked shows no new view when
 * it is opened again. Returns the unsubscriber.
 */
export function attachAlerts(deps: {
  runtime: { view(): KioskView; onView(listener: (view: KioskView) => void): () => void };
  alerts: AlertLog;
  /** Today's quota figures (the ledger's usage()). */
  quota: () => QuotaUsage;
  /** The panel, whose tamper switch events are watched. */
  gpio: Pick<GpioPort, 'subscribe'>;
  logger: Pick<Logger, 'warn' | 'error'>;
}): () => void {
  // Runs inside the flow's view listeners: a store that cannot write must not stop the kiosk.
  const raise = (kind: AlertKind) => {
    try {
      if (deps.alerts.raise(kind).raised) deps.logger.warn({ event: 'staffAlert', kind }, 'staff alert raised');
    } catch (err) {
      deps.logger.error({ event: 'staffAlertFailed', kind, err: { name: (err as Error).name } }, 'a staff alert could not be stored');
    }
  };
  let active = new Set<AlertKind>();
  let lastScreen: string | null = null;
  const onView = (view: KioskView) => {
    if (view.screen === 'outOfService' && view.reason === 'starting') return;
    const now = conditionsOf(view);
    for (const kind of now) if (!active.has(kind)) raise(kind);
    active = now;
    if (view.screen !== lastScreen) {
      lastScreen = view.screen;
      let usage: QuotaUsage;
      try {
        usage = deps.quota();
      } catch (err) {
        deps.logger.error(
          { event: 'staffAlertFailed', err: { name: (err as Error).name } },
          'the quota could not be read for staff alerts',
        );
        return;
      }
      if (usage.used * 100 >= usage.limit * 80) raise('quota80');
      if (usage.used * 100 >= usage.limit * 95) raise('quota95');
      if (usage.used >= usage.limit) raise('quota100');
    }
  };
  onView(deps.runtime.view());
  const stopViews = deps.runtime.onView(onView);
  const stopSwitch = deps.gpio.subscribe((e) => {
    if (e.type === 'tamper' && e.open) raise('tamper');
  });
  return () => {
    stopViews();
    stopSwitch();
  };
}
