/**
 * The daemon: reads the configuration, opens the store and the credential file, chooses real
 * drivers or simulators by mode, runs the flow and serves the UI. Tells systemd when it is ready
 * and pets the watchdog while the flow is alive.
 */
import { randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, readStaffLanTls, type KioskConfig } from './config.ts';
import { loadStartConfig } from './provisioning-state.ts';
import type { ProvisioningItem } from './domain/provisioning.ts';
import { DEFAULT_DISK, DiskWatch, type DiskThresholds } from './disk.ts';
import { clockSynchronised } from './clock-sync.ts';
import { createNoPanelGpio } from './gpio/no-panel.ts';
import { createLogger, type Logger } from './log.ts';
import { openDatabase } from './store/db.ts';
import { AuditLog } from './store/audit-log.ts';
import { ReturnDataOutbox } from './store/return-data-outbox.ts';
import { DEFAULT_DELIVERY, startReturnDataDelivery, type ReturnDataEndpoint } from './return-data/delivery.ts';
import { DEFAULT_RETENTION_DAYS, startReturnDataRetention } from './return-data/retention.ts';
import { KioskFlags } from './store/kiosk-flags.ts';
import { PinLockout } from './store/pin-lockout.ts';
import { newKey, readCredentials, StaffPinVerifier, writeCredentials, type Credentials } from './store/credentials.ts';
import { SignInLockout } from './store/sign-in-lockout.ts';
import { permittedOperatorIds, readSignInRoster, RosterFileError, type SignInEntry } from './staff/roster.ts';
import { OperatorSignIn } from './staff/sign-in.ts';
import { StaffSessions } from './staff/sessions.ts';
import { buildStaffLanServer, listenOnLan } from './staff/lan-listener.ts';
import type { StaffRoutes } from './staff/scope.ts';
import { createKioskMachine, type FlowEvent, type FlowSettings } from './flow/machine.ts';
import { KioskRuntime } from './flow/runtime.ts';
import type { CardPort, ClockPort, FingerprintSensorPort, GpioPort } from './flow/ports.ts';
import { createReadiness } from './readiness.ts';
import { deactivatedReadiness, detachedCardPort, detachedSensor, detachedValidator, notProvisionedReadiness } from './detached.ts';
import { wibDate } from './domain/wib.ts';
import { buildServer, DemoConflict, type DemoControls } from './server/app.ts';
import { UiWatch } from './server/ui-watch.ts';
import { dashboardRoutes } from './staff/dashboard-routes.ts';
import type { RegisteredStaffRoute, StaffScope } from './staff/auth.ts';
import { returnDataRoutes } from './staff/return-data-routes.ts';
import { exportTargetsFor } from './return-data/export-targets.ts';
import { reportRoutes } from './report/routes.ts';
import { pdfPrinterFromConfig, reportHeaderFromConfig } from './report/from-config.ts';
import { SimulatedGpio } from './gpio/simulated.ts';
import { openPanelGpio } from './gpio/open.ts';
import { attachPanel } from './gpio/panel.ts';
import { TamperLock } from './gpio/tamper-lock.ts';
import { DEFAULT_READER_POWER, ReaderPowerPolicy, readerSignal } from './gpio/reader-power.ts';
import type { KioskView } from './view/protocol.ts';
import { createMatcher } from './fingerprint/matcher.ts';
import { libfprintSensorFromConfig } from './fingerprint/libfprint-sensor.ts';
import { createValidator, type UplinkEndpoint } from './uplink/validator.ts';
import { SqliteQuotaLedger } from './uplink/quota-ledger.ts';
import { AlertLog, attachAlerts, quotaAlertKind, type AlertKind } from './staff/alerts.ts';
import { createPcscCardPort, type PcscCardPort } from './card/pcsc-card.ts';
import { loadSimulation, type Simulation } from './simulation.ts';
import type { Persona } from './sim/personas.ts';
import type { SimulatedFingerSensor } from './sim/finger-sensor.ts';

/** The page pings every 5 s (ui/api.ts): six missed pings mean a frozen page. */
const UI_FROZEN_AFTER_MS = 30_000;
/** Written into the state folder by anjungan-crash-alert.service when the unit gave up restarting. */
export const CRASH_LOOP_MARKER = 'crash-loop';

function tryOrNull<T>(f: () => T): T | null {
  try {
    return f();
  } catch {
    return null;
  }
}

function diskThresholds(config: KioskConfig): DiskThresholds {
  return {
    lowBytes: (config.disk?.lowMb ?? DEFAULT_DISK.lowBytes / 1048576) * 1048576,
    reserveBytes: (config.disk?.reserveMb ?? DEFAULT_DISK.reserveBytes / 1048576) * 1048576,
  };
}

/**
 * What a not-provisioned kiosk still lacks, read again from the files provisioning writes (the
 * credential file in the state folder, not the copy systemd handed over at start).
 */
function stillMissing(logger: Logger): ProvisioningItem[] {
  try {
    return loadStartConfig({ ...process.env, CREDENTIALS_DIRECTORY: undefined }, new Date()).missing;
  } catch (err) {
    logger.warn({ event: 'provisioningUnreadable', err: { name: (err as Error).name } }, 'the configuration cannot be read yet');
    return ['configInvalid'];
  }
}

// Node has no AF_UNIX datagram sockets, so the messages go through systemd-notify, a child
// process (the unit allows it with NotifyAccess=all). It waits until systemd has taken the
// message, so the ready and watchdog states are attributed to this service.
function notifySystemd(state: string): void {
  if (!process.env.NOTIFY_SOCKET) return;
  execFile('systemd-notify', [state], () => undefined);
}

/** Half of systemd's watchdog period (WATCHDOG_USEC), or null when no watchdog is asked for. */
export function watchdogPingIntervalMs(env: NodeJS.ProcessEnv, pid: number): number | null {
  const usec = Number(env.WATCHDOG_USEC);
  if (!Number.isFinite(usec) || usec <= 0) return null;
  if (env.WATCHDOG_PID && Number(env.WATCHDOG_PID) !== pid) return null;
  return Math.max(100, Math.floor(usec / 2000));
}

export interface Kiosk {
  port: number;
  /** The staff LAN listener's configured port; null when it is off. */
  staffLanPort: number | null;
  runtime: KioskRuntime;
  /** Every route of the kiosk listener's staff scope: sign-in and each staff feature. */
  staffRoutes(): RegisteredStaffRoute[];
  close(): Promise<void>;
}

export async function startKiosk(config: KioskConfig, logger: Logger, provisioning: { missing: ProvisioningItem[] } = { missing: [] }): Promise<Kiosk> {
  const simulated = config.mode !== 'production';
  // A deactivated kiosk (anjungan-provision deactivate) keeps no secrets and touches no device;
  // neither does one whose provisioning is not complete (it shows what is missing).
  const notProvisioned = provisioning.missing.length > 0;
  // What is still missing, as found at start and at every readiness check since.
  let missingNow = provisioning.missing;
  const deactivated = config.deactivated !== undefined || notProvisioned;
  const sim: Simulation | null = simulated ? await loadSimulation() : null;
  const clock: ClockPort = { now: () => new Date() };
  const closers: Array<() => Promise<void> | void> = [];
  const db = openDatabase(config.stateDir);
  closers.push(() => {
    db.close();
  });

  // ---- uplink: the Dukcapil simulator stands in for the closed network outside production
  let endpoint: UplinkEndpoint | null = null;
  let simulatorCredentials: Credentials['dukcapil'] | null = null;
  const uplinkTimes = { connectTimeoutMs: config.uplink.connectTimeoutMs, totalTimeoutMs: config.uplink.totalTimeoutMs };
  const uplinkShape = { keyCasing: config.uplink.keyCasing, method: config.uplink.method, verifyThreshold: config.uplink.verifyThreshold };
  if (sim && !deactivated) {
    const dukcapil = await sim.startDukcapilSimulator({ dailyQuota: config.uplink.dailyQuota });
    closers.push(() => dukcapil.close());
    simulatorCredentials = dukcapil.credentials;
    endpoint = { baseUrl: dukcapil.baseUrl, institution: dukcapil.institution, caPem: dukcapil.caPem, ...uplinkShape, ...uplinkTimes };
  } else if (!deactivated) {
    endpoint = {
      baseUrl: config.uplink.baseUrl!,
      institution: config.uplink.institution,
      caPem: readFileSync(config.uplink.caFile!, 'utf8'),
      ...(config.uplink.spkiSha256 ? { spkiSha256: config.uplink.spkiSha256 } : {}),
      ...uplinkShape,
      ...uplinkTimes,
    };
  }

  // ---- credentials: created with demo values on a developer machine, provisioned otherwise
  // Under systemd the file arrives through LoadCredential= (anjungan.service).
  const credentialFile = join(process.env.CREDENTIALS_DIRECTORY ?? config.stateDir, 'credentials.json');
  if (sim && !deactivated && !process.env.CREDENTIALS_DIRECTORY && !existsSync(credentialFile)) writeCredentials(credentialFile, await sim.demoCredentials(simulatorCredentials!));
  const readFile = () => readCredentials(credentialFile, { groupReadable: process.env.CREDENTIALS_DIRECTORY !== undefined });
  // Not provisioned and no credential file yet: keys for this run only (its audit rows name no person).
  const credentials: Credentials = notProvisioned ? (tryOrNull(readFile) ?? { auditKey: newKey(), outboxKey: newKey(), staff: [] }) : readFile();
  // The operator roster (anjungan-provision operators): only operators on it with an NDA signed
  // and not disabled may use a staff PIN. Unreadable, it permits nobody; the kiosk still serves.
  const rosterFile = join(config.stateDir, 'operators.json');
  if (sim && !deactivated && !existsSync(rosterFile)) writeFileSync(rosterFile, JSON.stringify(sim.demoRoster(clock.now()), null, 2), { mode: 0o600 });
  let roster: SignInEntry[] = [];
  try {
    roster = readSignInRoster(rosterFile);
  } catch (err) {
    if (!(err instanceof RosterFileError)) throw err;
    logger.error({ event: 'rosterUnreadable' }, 'the operator roster is malformed: no staff PIN works until it is restored');
  }
  const permittedOperator = (operatorId: string) => permittedOperatorIds(roster, wibDate(clock.now())).has(operatorId);
  if (!deactivated && (!credentials.dukcapil || !credentials.sam)) {
    throw new Error('credentials are incomplete: set them with anjungan-provision credentials set and sam install');
  }
  const samSecret = credentials.sam
    ? { pcid: Buffer.from(credentials.sam.pcid, 'hex'), configuration: Buffer.from(credentials.sam.configuration, 'hex') }
    : null;
  const issuerPublicKeyPem = config.card.issuerPublicKeyFile && !notProvisioned ? readFileSync(config.card.issuerPublicKeyFile, 'utf8') : (sim?.DEMO_ISSUER_PUBLIC_KEY_PEM ?? '');

  // ---- devices
  // A GPIO helper lost at run time leaves the panel unknown: the crash policy restarts the daemon.
  const gpio: GpioPort = notProvisioned
    ? createNoPanelGpio()
    : await openPanelGpio(config, logger.child({ component: 'gpio' }), {
        onLost: (err) => process.emit('uncaughtException', err),
      });
  closers.push(() => gpio.close());
  // The simulated sensor draws a fresh impression per touch; tests fix the draws with
  // ANJUNGAN_SIM_FINGER_SEED so a run is reproducible (the matcher's error rates are the bench's).
  const fingerSeed = process.env.ANJUNGAN_SIM_FINGER_SEED;
  const sensor = sim ? new sim.SimulatedFingerSensor(fingerSeed ? { rng: sim.createRng(fingerSeed) } : {}) : null;
  let fingerSensor: FingerprintSensorPort;
  if (deactivated) fingerSensor = detachedSensor;
  else if (sensor) fingerSensor = sensor;
  else {
    // loadConfig refuses production without a fingerprint section.
    const libfprint = libfprintSensorFromConfig(config.fingerprint!, logger.child({ component: 'sensor' }), process.env);
    closers.unshift(() => libfprint.stop());
    await libfprint.start();
    fingerSensor = libfprint;
  }

  let card: CardPort;
  let demo: DemoControls | undefined;
  const cardLogger = logger.child({ component: 'card' });
  let holder: () => Persona | null = () => null;
  if (deactivated || !samSecret) {
    card = detachedCardPort();
  } else if (config.mode === 'demo' && sim) {
    const inProcess = sim.createInProcessCardPort({ issuerPublicKeyPem, samSecret, logger: cardLogger });
    card = inProcess.port;
    holder = () => inProcess.slot.current();
    demo = demoControls(sim, {
      gpio,
      insert: async (p) => inProcess.slot.insert(p),
      remove: async () => inProcess.slot.remove(),
      current: holder,
      sensor: sensor!,
    });
  } else {
    const idReaderPattern = new RegExp(config.card.idReaderPattern);
    const samReaderPattern = new RegExp(config.card.samReaderPattern);
    let pcscCard: PcscCardPort | null = null;
    if (config.mode === 'pcsc-sim' && sim) {
      // Removals wait until pcscd counted them (see vpcd-devices.ts), so a quick re-insert is seen.
      const devices = await sim.startVirtualDevices({ samSecret: sim.demoSamSecret(), readers: () => pcscCard!.readers() });
      closers.unshift(() => devices.close());
      holder = () => devices.current();
      demo = demoControls(sim, {
        gpio,
        // A slot pcscd has not yet seen empty is a state the demo user can wait out: 409.
        insert: (p) => devices.insert(p).catch((e: Error) => Promise.reject(new DemoConflict(e.message))),
        // The card is out either way; a slow pcscd shows up at the next insert.
        remove: () => devices.remove().catch(() => undefined),
        current: holder,
        sensor: sensor!,
      });
    }
    pcscCard = createPcscCardPort({ idReaderPattern, samReaderPattern, samSecret, issuerPublicKeyPem, logger: cardLogger, transmitTimeoutMs: config.card.transmitTimeoutMs });
    card = pcscCard;
  }
  closers.unshift(() => card.stop());
  await card.start();

  // ---- store-backed parts and the validator
  const flags = new KioskFlags(db, clock);
  const pinLockout = new PinLockout(db, clock);
  const audit = new AuditLog(db, Buffer.from(credentials.auditKey, 'hex'), clock);
  audit.record({ code: 'daemonStarted' });
  const interrupted = audit.closeInterruptedSessions();
  if (interrupted > 0) logger.warn({ event: 'sessionsInterrupted', count: interrupted }, 'sessions cut by a crash closed in the audit trail');
  const outbox = new ReturnDataOutbox(db, Buffer.from(credentials.outboxKey, 'hex'), clock);
  await startDelivery(config, { sim, outbox, audit, credentials, clock, logger, closers, deactivated });
  closers.unshift(startReturnDataRetention({ outbox, retentionDays: config.returnData?.retentionDays ?? DEFAULT_RETENTION_DAYS, logger: logger.child({ component: 'returnData' }) }));
  const staffAuth = new StaffPinVerifier(credentials.staff, pinLockout, permittedOperator);
  const operatorSignIn = new OperatorSignIn({ staff: credentials.staff, permitted: permittedOperator, lockout: new SignInLockout(db, clock) });
  // Device events reach the flow once the runtime exists (below).
  let toFlow: (e: FlowEvent) => void = () => undefined;
  const tamper = new TamperLock({
    gpio,
    flags,
    staffAuth,
    audit,
    logger: logger.child({ component: 'gpio' }),
    onOpened: () => toFlow({ type: 'TAMPER' }),
    onChanged: () => toFlow({ type: 'READINESS_CHANGED' }),
  });
  const ledger = new SqliteQuotaLedger(db, { dailyLimit: config.uplink.dailyQuota, clock });
  const alerts = new AlertLog(db, clock);
  const validator =
    !endpoint || !credentials.dukcapil
      ? detachedValidator(config.uplink.dailyQuota, () => wibDate(clock.now()))
      : createValidator({
          endpoint,
          credentials: credentials.dukcapil,
          ledger,
          clock,
          logger: logger.child({ component: 'uplink' }),
          onQuotaAlert: (level, used, limit) => {
            logger.warn({ event: 'quotaAlert', level, used, limit }, 'staff alert: daily quota');
            alerts.raise(quotaAlertKind(level));
          },
        });
  closers.unshift(() => validator.close());

  // The data partition: out of service below its reserve, staff alerted when it runs low.
  const disk = new DiskWatch({
    dir: config.stateDir,
    thresholds: diskThresholds(config),
    onChange: (level, free) => {
      logger[level === 'ok' ? 'info' : 'warn']({ event: 'disk', level, freeMb: Math.floor(free / 1048576) }, 'data partition free space');
      if (level !== 'ok') raiseAlert('diskLow');
      toFlow({ type: 'READINESS_CHANGED' });
    },
  });
  disk.start();
  closers.unshift(() => disk.stop());
  const raiseAlert = (kind: AlertKind) => {
    try {
      alerts.raise(kind);
    } catch (err) {
      logger.error({ event: 'staffAlertFailed', kind, err: { name: (err as Error).name } }, 'a staff alert could not be stored');
    }
  };
  if (disk.level() !== 'ok') raiseAlert('diskLow');
  // anjungan-crash-alert.service left this when the unit hit its start limit (systemd/).
  if (existsSync(join(config.stateDir, CRASH_LOOP_MARKER))) {
    raiseAlert('crashLoop');
    rmSync(join(config.stateDir, CRASH_LOOP_MARKER), { force: true });
  }

  const settings: FlowSettings = {
    maxFingerAttempts: 4,
    idleTimeoutMs: config.session.idleTimeoutS * 1000,
    idleWarningMs: config.session.idleWarningS * 1000,
    failureDisplayMs: config.session.failureDisplayS * 1000,
    outOfServiceRecheckMs: 30_000,
    npwpdPattern: new RegExp(config.npwpdPattern),
  };
  const machine = createKioskMachine({
    card,
    sensor: fingerSensor,
    matcher: createMatcher(),
    validator,
    readiness: notProvisioned
      ? notProvisionedReadiness({ missing: () => (missingNow = stillMissing(logger)), onProvisioned: () => process.kill(process.pid, 'SIGTERM') })
      : deactivated
        ? deactivatedReadiness
        : createReadiness({
            agreement: config.agreement,
            clock,
            tamper,
            card,
            validator,
            flags,
            logger,
            disk,
            ...(simulated ? {} : { clockSynchronised: () => clockSynchronised(config.clock?.synchronisedFlag) }),
          }),
    staffAuth,
    audit,
    returnData: outbox,
    clock,
    settings,
    newSessionId: randomUUID,
  });
  const runtime = new KioskRuntime(machine, {
    demo: demo !== undefined,
    clock,
    logger,
    maxFingerAttempts: settings.maxFingerAttempts,
    staffPinLockedUntil: () => pinLockout.state().lockedUntil,
    staffPinAttemptsLeft: () => PinLockout.MAX_FAILURES - pinLockout.state().failures,
    provisioningMissing: () => missingNow,
  });
  closers.unshift(() => runtime.stop());

  card.subscribe((e) => {
    if (e.type === 'cardInserted') runtime.send({ type: 'CARD_INSERTED' });
    else if (e.type === 'cardRemoved') runtime.send({ type: 'CARD_REMOVED' });
    else if (e.type === 'readerRemoved') runtime.send({ type: 'READER_REMOVED' });
    else runtime.send({ type: 'READINESS_CHANGED' });
  });
  toFlow = (e) => runtime.send(e);
  // Before the runtime starts, so an enclosure found open at boot is audited and locks at once.
  tamper.start();
  closers.unshift(() => tamper.stop());
  attachPanel(runtime, gpio);
  // A kiosk without a panel (gpio driver "none") has no relay to cycle: no cycle is pretended.
  const hasReaderRelay = !(config.mode === 'production' && config.gpio?.driver === 'none');
  const readerPower = new ReaderPowerPolicy({
    gpio,
    reader: card,
    clock,
    audit,
    logger: logger.child({ component: 'gpio' }),
    settings: { ...DEFAULT_READER_POWER, afterFailures: config.gpio?.readerFailuresBeforePowerCycle ?? DEFAULT_READER_POWER.afterFailures },
    onCycled: () => runtime.send({ type: 'READINESS_CHANGED' }),
  });
  let previousView: KioskView | null = null;
  runtime.onView((view) => {
    const signal = hasReaderRelay ? readerSignal(previousView, view) : null;
    if (signal === 'failed') readerPower.readerFailed();
    else if (signal === 'worked') readerPower.readerWorked();
    previousView = view;
  });
  let lastScreen = '';
  runtime.onView((view) => {
    if (view.screen !== lastScreen) logger.info({ event: 'screen', screen: view.screen }, 'screen changed');
    lastScreen = view.screen;
  });
  runtime.start();
  // Staff alerts (staff/alerts.ts) from what the kiosk shows, the quota and the tamper switch.
  closers.unshift(attachAlerts({ runtime, alerts, quota: () => ledger.usage(), gpio, logger: logger.child({ component: 'staff' }) }));

  // A page that stopped pinging is frozen: under systemd the daemon writes the flag file that
  // anjungan-kiosk-restart.path turns into a restart of the browser unit (it may not do that itself).
  const runtimeDir = process.env.RUNTIME_DIRECTORY?.split(':')[0];
  const uiWatch = new UiWatch({
    timeoutMs: UI_FROZEN_AFTER_MS,
    armedAtStart: runtimeDir !== undefined,
    onFrozen: (silentMs) => {
      logger.warn({ event: 'uiFrozen', silentMs }, 'the kiosk page stopped pinging');
      if (runtimeDir) writeFileSync(join(runtimeDir, 'kiosk-frozen'), `${new Date().toISOString()}\n`);
    },
  });
  uiWatch.start();
  closers.unshift(() => uiWatch.stop());

  const uiDir = resolve(dirname(fileURLToPath(import.meta.url)), '../ui');
  // Every staff feature's route plugin; both listeners mount them in their staff scope.
  // One instance of each, shared by both listeners (an export in progress is one lock, its files one list).
  const staffRoutes: StaffRoutes[] = [
    dashboardRoutes({ runtime, card, sensor: fingerSensor, validator, gpio, tamper, flags, ledger, alerts, audit, db,
      agreement: config.agreement, stateDir: config.stateDir, clock, logger: logger.child({ component: 'staff' }) }),
    returnDataRoutes({ outbox, targets: exportTargetsFor(config), audit, clock, kiosk: config.kiosk ?? null, logger: logger.child({ component: 'return-data' }) }),
    reportRoutes({ db, ...reportHeaderFromConfig(config), now: () => clock.now(), audit, pdf: pdfPrinterFromConfig(config) }),
  ];
  // Each listener has its own sessions: a cookie from one is no session on the other.
  const staffScope = (atKiosk: boolean) => ({ signIn: operatorSignIn, sessions: new StaffSessions(clock), audit, routes: staffRoutes, atKiosk });
  let kioskStaffScope: StaffScope | null = null;
  const server = await buildServer({
    staff: staffScope(true),
    onStaffScope: (scope) => (kioskStaffScope = scope),
    runtime,
    logger,
    uiDir,
    http: config.http,
    ...(demo ? { demo } : {}),
    uiPing: () => uiWatch.ping(),
    clearTamper: (pin) => tamper.clear(pin),
    health: () => {
      const snapshot = runtime.snapshot();
      const state = typeof snapshot.value === 'string' ? snapshot.value : Object.keys(snapshot.value)[0]!;
      const flowRunning = runtime.actor.getSnapshot().status === 'active';
      const view = runtime.view();
      return {
        // A flow that stopped on an error serves nobody, whatever state it stopped in.
        ready: flowRunning && state !== 'booting' && state !== 'outOfService',
        state: flowRunning ? state : 'stopped',
        ...(view.screen === 'outOfService' ? { reason: view.reason, ...(view.missing ? { missing: view.missing } : {}) } : {}),
        disk: disk.level(),
        devices: {
          reader: card.health(),
          sensor: fingerSensor.health(),
          uplink: validator.health(),
          tamperOpen: gpio.tamperOpen(),
          tamperLocked: tamper.locked(),
        },
      };
    },
  });
  closers.unshift(() => server.close());
  await server.listen({ host: config.http.host, port: config.http.port });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : config.http.port;

  let staffLanPort: number | null = null;
  if (config.staffLan?.enabled) {
    // loadConfig checked the pair already; a config built in code is checked here.
    const { tls, problems } = readStaffLanTls(config.staffLan);
    if (!tls) throw new ConfigError(problems);
    const lan = await buildStaffLanServer({ host: config.staffLan.host, port: config.staffLan.port, tls, logger, uiDir, staff: staffScope(false) });
    const listening = await listenOnLan(lan.app, { host: config.staffLan.host, port: config.staffLan.port }, logger);
    closers.unshift(() => {
      listening.stop();
      return lan.app.close();
    });
    staffLanPort = config.staffLan.port;
  }

  notifySystemd('--ready');
  // The pings come from a timer on the event loop: a blocked or stopped loop misses them and
  // systemd kills and restarts the daemon.
  const pingMs = watchdogPingIntervalMs(process.env, process.pid);
  if (pingMs !== null) {
    const watchdog = setInterval(() => {
      if (runtime.actor.getSnapshot().status === 'active') notifySystemd('WATCHDOG=1');
    }, pingMs);
    watchdog.unref();
    closers.unshift(() => clearInterval(watchdog));
  }

  logger.info({ event: 'ready', mode: config.mode, host: config.http.host, port, staffLanPort }, 'ready');
  return {
    port,
    staffLanPort,
    runtime,
    staffRoutes: () => kioskStaffScope?.routes() ?? [],
    async close() {
      for (const close of closers) {
        try {
          await close();
        } catch (err) {
          logger.warn({ event: 'closeFailed', err: { name: (err as Error).name } }, 'a part did not close cleanly');
        }
      }
    },
  };
}

/**
 * Data balikan delivery by web service, when configured (many sites upload files instead): to
 * the configured endpoint in production, to the built-in simulator in the demo modes. A
 * deactivated kiosk holds no credentials and delivers nothing.
 */
async function startDelivery(
  config: KioskConfig,
  deps: {
    sim: Simulation | null;
    outbox: ReturnDataOutbox;
    audit: AuditLog;
    credentials: Credentials;
    clock: ClockPort;
    logger: Logger;
    closers: Array<() => Promise<void> | void>;
    deactivated: boolean;
  },
): Promise<void> {
  const delivery = config.returnData?.delivery;
  const credentials = deps.credentials.dukcapil;
  if (!delivery || deps.deactivated || !credentials) return;
  const timeouts = {
    connectTimeoutMs: delivery.connectTimeoutMs ?? config.uplink.connectTimeoutMs,
    totalTimeoutMs: delivery.totalTimeoutMs ?? config.uplink.totalTimeoutMs,
  };
  let endpoint: ReturnDataEndpoint;
  if (deps.sim) {
    const simulator = await deps.sim.startReturnDataSimulator({ credentials });
    deps.closers.push(() => simulator.close());
    endpoint = { url: simulator.url, caPem: simulator.caPem, ...timeouts };
  } else {
    // loadConfig refuses production without url and caFile.
    endpoint = {
      url: delivery.url!,
      caPem: readFileSync(delivery.caFile!, 'utf8'),
      ...(delivery.spkiSha256 ? { spkiSha256: delivery.spkiSha256 } : {}),
      ...timeouts,
    };
  }
  const worker = startReturnDataDelivery({
    outbox: deps.outbox,
    endpoint,
    credentials,
    clock: deps.clock,
    logger: deps.logger.child({ component: 'returnData' }),
    audit: deps.audit,
    settings: {
      batchSize: delivery.batchSize ?? DEFAULT_DELIVERY.batchSize,
      idleIntervalMs: (delivery.idleIntervalS ?? DEFAULT_DELIVERY.idleIntervalMs / 1000) * 1000,
      retryBaseMs: delivery.retryBaseMs ?? DEFAULT_DELIVERY.retryBaseMs,
      retryMaxMs: delivery.retryMaxMs ?? DEFAULT_DELIVERY.retryMaxMs,
    },
  });
  deps.closers.unshift(() => worker.stop());
}

function demoControls(sim: Simulation, slot: {
  gpio: GpioPort;
  insert(p: Persona): Promise<void>;
  remove(): Promise<void>;
  current(): Persona | null;
  sensor: SimulatedFingerSensor;
}): DemoControls {
  return {
    personas: () => sim.allPersonas().map((p) => ({ id: p.id, title: p.title })),
    async insertCard(id) {
      if (!sim.isPersonaId(id)) throw new DemoConflict('unknown persona');
      if (slot.current()) throw new DemoConflict('a card is already in the reader');
      await slot.insert(sim.persona(id));
    },
    async removeCard() {
      if (slot.current()) await slot.remove();
    },
    presentFinger(genuine) {
      const holder = slot.current();
      if (!holder) throw new DemoConflict('no card in the reader');
      slot.sensor.present(holder, genuine);
    },
    setTamper(open) {
      // Outside production the panel is always simulated.
      if (slot.gpio instanceof SimulatedGpio) slot.gpio.setTamper(open);
    },
  };
}

/**
 * After an error nothing caught, the daemon's state is unknown: it logs the error's name (never
 * its message or stack, which may hold data and whose formatting costs memory) and exits, and
 * systemd (Restart=always) starts a clean one. A limping kiosk would serve on broken state.
 */
export function installCrashPolicy(logger: Logger): void {
  const die = (event: string) => (err: unknown) => {
    const name = err instanceof Error ? err.name : typeof err;
    try {
      logger.fatal({ event, err: { name } }, 'unexpected error: exiting for a restart');
      logger.flush();
    } finally {
      process.exit(70);
    }
  };
  process.on('uncaughtException', die('uncaughtException'));
  process.on('unhandledRejection', die('unhandledRejection'));
}

async function main(): Promise<void> {
  // Whatever the daemon creates (database, journal, credentials) is the owner's only.
  process.umask(0o077);
  const { config, missing, problems } = loadStartConfig(process.env, new Date());
  const logger = createLogger({ level: config.logLevel });
  installCrashPolicy(logger);
  if (missing.length > 0) logger.warn({ event: 'notProvisioned', missing, problems }, 'provisioning is not complete: out of service until it is');
  const kiosk = await startKiosk(config, logger, { missing });
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ event: 'shutdown', signal }, 'shutting down');
    notifySystemd('--stopping');
    await kiosk.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    // Only the error's name and message: configuration and credential errors carry no secrets.
    const e = err as Error;
    process.stderr.write(`anjungan: cannot start: ${e.name}: ${e.message}\n`);
    process.exit(1);
  });
}
