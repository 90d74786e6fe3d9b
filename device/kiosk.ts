/**
 * The kiosk between its devices and its listeners: the flow on the devices and the store, and
 * the policies around it. The panel follows the screen; the reader power relay, staff alerts and
 * the log follow what the kiosk records (flow/events.ts). The daemon (main.ts) assembles it on a
 * device set; the test harnesses assemble it the same way on fake devices and a simulated clock.
 */
import { randomUUID } from 'node:crypto';
import type { ActorOptions } from 'xstate';
import type { KioskConfig } from './config.ts';
import type { Devices } from './devices/device-set.ts';
import { createMatcher } from './fingerprint/matcher.ts';
import {
  createKioskMachine,
  MAX_FINGER_ATTEMPTS,
  OUT_OF_SERVICE_RECHECK_MS,
  type FlowSettings,
  type KioskMachine,
} from './flow/machine.ts';
import type { KioskEvents } from './flow/events.ts';
import type { ClockPort, FingerMatcherPort, ReadinessPort, ReturnDataPort, StaffAuthPort, ValidatorPort } from './flow/ports.ts';
import { attachReaderPower, DEFAULT_READER_POWER, ReaderPowerPolicy } from './gpio/reader-power.ts';
import { TamperLock } from './gpio/tamper-lock.ts';
import { DiskWatch, type DiskLevel, type DiskThresholds } from './disk.ts';
import { deviceHealth, type DeviceHealth } from './health.ts';
import { Lifecycle } from './lifecycle.ts';
import type { Logger } from './log.ts';
import { createReadiness, type Readiness } from './readiness.ts';
import { attachAlerts, raiseAlert, type AlertLog } from './staff/alerts.ts';
import { dashboardRoutes, overview, type DashboardDeps } from './staff/dashboard-routes.ts';
import type { Overview } from './staff/protocol.ts';
import type { StaffRoutes } from './staff/scope.ts';
import type { Db } from './store/db.ts';
import type { KioskFlags } from './store/kiosk-flags.ts';
import { KIOSK_SCREEN, type AttemptThrottle } from './store/attempt-throttle.ts';
import type { QuotaLedger } from './uplink/quota-ledger.ts';
import { attachPanel } from './view/panel.ts';
import { KioskRuntime } from './view/runtime.ts';

export interface KioskParts {
  devices: Pick<Devices, 'card' | 'sensor' | 'gpio' | 'readerRelay' | 'readiness' | 'provisioningMissing'>;
  validator: ValidatorPort & { probe(): Promise<boolean> };
  store: { db: Db; flags: KioskFlags; outbox: ReturnDataPort };
  /** The audit log, with the policies' subscriptions: everything the kiosk records goes through it. */
  events: KioskEvents;
  ledger: Pick<QuotaLedger, 'usage'>;
  alerts: AlertLog;
  staffAuth: StaffAuthPort;
  /** Wrong staff PINs per source (staff/access.ts): the kiosk screen's wait is shown in the staff-assist view. */
  attempts: Pick<AttemptThrottle, 'waitUntil' | 'freeLeft'>;
  config: Pick<KioskConfig, 'agreement' | 'stateDir' | 'gpio' | 'fingerprint'> & { uplink?: Pick<KioskConfig['uplink'], 'accessHours'> };
  settings: FlowSettings;
  clock: ClockPort;
  logger: Logger;
  /** The screen shows the demo strip. */
  demo: boolean;
  /** The data partition's thresholds (device/disk.ts): watched when given. */
  disk?: DiskThresholds;
  /** Production: whether NTP has synchronised the clock (device/clock-sync.ts). */
  clockSynchronised?: () => boolean;
  /** The 1:1 matcher; tests give one that reads their fake templates. */
  matcher?: FingerMatcherPort;
  newSessionId?: () => string;
  /** Tests: the flow's timers on a simulated clock. */
  xstateClock?: NonNullable<ActorOptions<KioskMachine>['clock']>;
}

export interface AssembledKiosk {
  runtime: KioskRuntime;
  tamper: TamperLock;
  alerts: AlertLog;
  readerPower: ReaderPowerPolicy;
  health(): DeviceHealth;
  /** The staff dashboard's routes over this kiosk (staff/dashboard-routes.ts). */
  dashboard: StaffRoutes;
  /** The data partition's level; null when it is not watched. */
  diskLevel(): DiskLevel | null;
  /** The dashboard's overview as the LAN sees it (a fleet heartbeat carries it). */
  overview(): Promise<Overview>;
  close(): Promise<void>;
}

/** The flow's settings: the session's times from the configuration, the rest fixed by the flow. */
export function flowSettings(config: Pick<KioskConfig, 'session' | 'npwpdPattern'>): FlowSettings {
  return {
    maxFingerAttempts: MAX_FINGER_ATTEMPTS,
    idleTimeoutMs: config.session.idleTimeoutS * 1000,
    idleWarningMs: config.session.idleWarningS * 1000,
    failureDisplayMs: config.session.failureDisplayS * 1000,
    outOfServiceRecheckMs: OUT_OF_SERVICE_RECHECK_MS,
    npwpdPattern: new RegExp(config.npwpdPattern),
  };
}

export function assembleKiosk(parts: KioskParts): AssembledKiosk {
  const { devices, store, events, clock, logger } = parts;
  const { card, gpio } = devices;
  const lifecycle = new Lifecycle(logger);
  // The policies that follow what the kiosk records subscribe first: an enclosure found open at
  // boot is recorded as the tamper lock starts.
  lifecycle.defer(logEvents(events, logger));
  const readerPower = new ReaderPowerPolicy({
    gpio,
    reader: card,
    clock,
    audit: events,
    logger: logger.child({ component: 'gpio' }),
    settings: {
      ...DEFAULT_READER_POWER,
      afterFailures: parts.config.gpio?.readerFailuresBeforePowerCycle ?? DEFAULT_READER_POWER.afterFailures,
    },
    onCycled: () => runtime.send({ type: 'READINESS_CHANGED' }),
  });
  // A kiosk without a relay (gpio driver "none") pretends no cycle.
  if (devices.readerRelay) lifecycle.defer(attachReaderPower(readerPower, events));
  const { alerts } = parts;
  lifecycle.defer(attachAlerts({ events, alerts, quota: () => parts.ledger.usage(), logger: logger.child({ component: 'staff' }) }));

  const tamper = new TamperLock({
    gpio,
    flags: store.flags,
    staffAuth: parts.staffAuth,
    audit: events,
    logger: logger.child({ component: 'gpio' }),
    onOpened: () => runtime.send({ type: 'TAMPER' }),
    onChanged: () => runtime.send({ type: 'READINESS_CHANGED' }),
  });
  const accessHours = parts.config.uplink?.accessHours ?? null;
  // The data partition: out of service below its reserve, staff alerted when it runs low.
  const disk = parts.disk
    ? new DiskWatch({
        dir: parts.config.stateDir,
        thresholds: parts.disk,
        onChange: (level, free) => {
          logger[level === 'ok' ? 'info' : 'warn'](
            { event: 'disk', level, freeMb: Math.floor(free / 1048576) },
            'data partition free space',
          );
          if (level !== 'ok') raiseAlert(alerts, 'diskLow', logger);
          runtime.send({ type: 'READINESS_CHANGED' });
        },
      })
    : null;
  // A deactivated kiosk's readiness (devices.readiness) never opens: it knows no access hours.
  const readiness: ReadinessPort & Partial<Pick<Readiness, 'accessReopensAt'>> =
    devices.readiness ??
    createReadiness({
      agreement: parts.config.agreement,
      clock,
      tamper,
      card,
      validator: parts.validator,
      flags: store.flags,
      accessHours,
      logger,
      ...(disk ? { disk } : {}),
      ...(parts.clockSynchronised ? { clockSynchronised: parts.clockSynchronised } : {}),
    });
  const machine = createKioskMachine({
    card,
    sensor: devices.sensor,
    matcher: parts.matcher ?? createMatcher(parts.config.fingerprint?.threshold?.score),
    validator: parts.validator,
    readiness,
    staffAuth: parts.staffAuth,
    audit: events,
    returnData: store.outbox,
    clock,
    settings: parts.settings,
    newSessionId: parts.newSessionId ?? randomUUID,
  });
  const runtime = new KioskRuntime(machine, {
    demo: parts.demo,
    clock,
    logger,
    maxFingerAttempts: parts.settings.maxFingerAttempts,
    ...(parts.xstateClock ? { xstateClock: parts.xstateClock } : {}),
    staffPinLockedUntil: () => parts.attempts.waitUntil(KIOSK_SCREEN),
    staffPinAttemptsLeft: () => parts.attempts.freeLeft(KIOSK_SCREEN),
    accessReopensAt: () => readiness.accessReopensAt?.() ?? null,
    ...(devices.provisioningMissing ? { provisioningMissing: devices.provisioningMissing } : {}),
  });
  lifecycle.defer(() => runtime.stop());
  card.subscribe((e) => {
    if (e.type === 'cardInserted') runtime.send({ type: 'CARD_INSERTED' });
    else if (e.type === 'cardRemoved') runtime.send({ type: 'CARD_REMOVED' });
    else if (e.type === 'readerRemoved') runtime.send({ type: 'READER_REMOVED' });
    else runtime.send({ type: 'READINESS_CHANGED' });
  });
  // Before the runtime starts, so an enclosure found open at boot is audited and locks at once.
  tamper.start();
  lifecycle.defer(() => tamper.stop());
  // The panel shows what the screen shows.
  attachPanel(runtime, gpio);
  runtime.start();
  if (disk) {
    disk.start();
    lifecycle.defer(() => disk.stop());
    if (disk.level() !== 'ok') raiseAlert(alerts, 'diskLow', logger);
  }
  const health = () => deviceHealth({ card, sensor: devices.sensor, validator: parts.validator, gpio, tamper });
  const dashboardDeps: DashboardDeps = {
    runtime,
    health,
    flags: store.flags,
    ledger: parts.ledger,
    alerts,
    audit: events,
    db: store.db,
    agreement: parts.config.agreement,
    stateDir: parts.config.stateDir,
    clock,
    logger: logger.child({ component: 'staff' }),
  };
  const dashboard = dashboardRoutes(dashboardDeps);
  return {
    runtime,
    tamper,
    alerts,
    readerPower,
    health,
    dashboard,
    overview: () => overview(dashboardDeps, false),
    diskLevel: () => disk?.level() ?? null,
    close: () => lifecycle.close(),
  };
}

/** The journal's account of what happened: each event's code, outcome and step, nothing else. */
function logEvents(events: KioskEvents, logger: Logger): () => void {
  return events.subscribe((e) =>
    logger.info(
      {
        event: 'kiosk',
        code: e.code,
        ...(e.outcome === undefined ? {} : { outcome: e.outcome }),
        ...(e.state === undefined ? {} : { state: e.state }),
      },
      'kiosk event',
    ),
  );
}
