/**
 * The daemon, as a list: configuration → logger → crash policy → devices → store → flow and
 * policies → listeners → systemd. Each part registers its own close as it opens; shutdown runs
 * them in reverse (lifecycle.ts). What runs where is chosen once, by the device set.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync, rmSync } from 'node:fs';
import { clockSynchronised } from './clock-sync.ts';
import type { KioskConfig } from './config.ts';
import { DEFAULT_DISK, type DiskThresholds } from './disk.ts';
import type { ProvisioningItem } from './domain/provisioning.ts';
import { loadStartConfig } from './provisioning-state.ts';
import { detachedDevices, detachedValidator, notProvisionedDevices } from './devices/detached.ts';
import type { Devices, DeviceSet } from './devices/device-set.ts';
import { joinedFleet, type FleetMembership } from './fleet/membership.ts';
import { productionDevices } from './devices/production.ts';
import { wibDate } from './domain/wib.ts';
import { KioskEvents } from './flow/events.ts';
import type { ClockPort } from './flow/ports.ts';
import { healthReport } from './health.ts';
import { assembleKiosk, flowSettings } from './kiosk.ts';
import { Lifecycle } from './lifecycle.ts';
import { installCrashPolicy } from './crash-policy.ts';
import { createLogger, type Logger } from './log.ts';
import { loadSimulators } from './simulation.ts';
import { startReturnDataWork } from './return-data/from-config.ts';
import { openListeners, type Listeners } from './server/listeners.ts';
import { watchKioskPage } from './server/ui-watch.ts';
import { staffAccess } from './staff/access.ts';
import { AlertLog, quotaAlertKind, raiseAlert } from './staff/alerts.ts';
import { staffFeatures } from './staff/features.ts';
import { reportHeaderFromConfig } from './report/from-config.ts';
import { newKey, readCredentials, stateFiles, type Credentials } from './store/credentials.ts';
import type { Db } from './store/db.ts';
import { openKioskStore, recordDaemonStart } from './store/kiosk-store.ts';
import { notifySystemd, startWatchdog } from './systemd.ts';
import { SqliteQuotaLedger, type QuotaLedger } from './uplink/quota-ledger.ts';
import { createValidator, type Validator } from './uplink/validator.ts';
import type { KioskRuntime } from './view/runtime.ts';

const UI_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../ui');

export interface Kiosk extends Listeners {
  runtime: KioskRuntime;
  close(): Promise<void>;
}

/**
 * Starts the kiosk. `provisioning.missing` (production, device/provisioning-state.ts): what the
 * technician has yet to provide; the kiosk then opens no device and its screen says what is missing.
 */
export async function startKiosk(
  config: KioskConfig,
  logger: Logger,
  provisioning: { missing: ProvisioningItem[] } = { missing: [] },
): Promise<Kiosk> {
  const clock: ClockPort = { now: () => new Date() };
  const lifecycle = new Lifecycle(logger);
  try {
    // ---- devices, chosen once
    const notProvisioned = provisioning.missing.length > 0;
    const deviceSet = await chooseDeviceSet(config, notProvisioned, logger);
    const files = stateFiles(config.stateDir, process.env);
    await deviceSet.prepareState?.(files, clock);
    const readFile = () => readCredentials(files.credentials, { groupReadable: files.fromSystemd });
    // Not provisioned and no credential file yet: keys for this run only (its audit rows name no person).
    const credentials: Credentials = notProvisioned
      ? (readOrNull(readFile) ?? { auditKey: newKey(), outboxKey: newKey(), staff: [] })
      : readFile();
    const devices = await deviceSet.openDevices(config, { credentials, clock, logger, env: process.env });
    lifecycle.defer(() => devices.close());

    // ---- the store and what keeps its state there: registry access, data balikan, staff access
    const store = openKioskStore(config.stateDir, credentials, clock);
    lifecycle.defer(() => store.close());
    recordDaemonStart(store.audit, logger);
    // From here on, what is recorded also reaches the policies that subscribe (flow/events.ts).
    const events = new KioskEvents(store.audit, logger);
    const alerts = new AlertLog(store.db, clock);
    alertOfCrashLoop(config.stateDir, alerts, logger);
    // A kiosk in a fleet spends the shared quota from its leases (device/fleet/).
    const fleet = joinFleet(config, { db: store.db, clock, logger });
    const ledger = fleet?.ledger ?? new SqliteQuotaLedger(store.db, { dailyLimit: config.uplink.dailyQuota, clock });
    const validator = openValidator(devices, { ledger, alerts, clock, logger, dailyQuota: config.uplink.dailyQuota });
    lifecycle.defer(() => validator.close());
    lifecycle.defer(
      startReturnDataWork(config, {
        // In a fleet, data balikan goes to the fleet, which delivers it.
        service: fleet ? null : devices.returnData,
        outbox: store.outbox,
        audit: events,
        clock,
        logger,
        onDeadLettered: () => alerts.raise('returnDataDeadLetter'),
      }),
    );
    const { staffAuth, signIn, attempts } = staffAccess({
      rosterFile: files.roster,
      staff: credentials.staff,
      store,
      alerts,
      clock,
      logger,
    });

    // ---- the flow and its policies
    const settings = flowSettings(config);
    const kiosk = assembleKiosk({
      devices,
      validator,
      store,
      events,
      ledger,
      alerts,
      staffAuth,
      attempts,
      config,
      settings,
      clock,
      logger,
      demo: devices.demo !== undefined,
      disk: diskThresholds(config),
      ...(config.mode === 'production' ? { clockSynchronised: () => clockSynchronised(config.clock?.synchronisedFlag) } : {}),
    });
    lifecycle.defer(() => kiosk.close());
    if (fleet) {
      lifecycle.defer(
        fleet.start({
          outbox: store.outbox,
          overview: () => kiosk.overview(),
          report: { db: store.db, ...reportHeaderFromConfig(config), now: () => clock.now() },
          onMoreAvailable: () => kiosk.runtime.send({ type: 'READINESS_CHANGED' }),
        }),
      );
    }

    // ---- listeners
    const page = watchKioskPage(logger, process.env);
    lifecycle.defer(() => page.stop());
    const listeners = await openListeners(
      config,
      {
        runtime: kiosk.runtime,
        logger,
        uiDir: UI_DIR,
        health: () =>
          healthReport(
            {
              snapshot: kiosk.runtime.snapshot(),
              running: kiosk.runtime.actor.getSnapshot().status === 'active',
              view: kiosk.runtime.view(),
            },
            kiosk.health(),
            { ui: { lastPingAgoMs: page.sinceLastPingMs() }, disk: kiosk.diskLevel() },
          ),
        clearTamper: (pin) => kiosk.tamper.clear(pin),
        uiPing: () => page.ping(),
        ...(devices.demo ? { demo: devices.demo } : {}),
        staff: {
          signIn,
          audit: events,
          clock,
          routes: staffFeatures(config, { dashboard: kiosk.dashboard, store, audit: events, clock, logger }),
        },
      },
      lifecycle,
    );

    // ---- systemd: ready, and the watchdog while the flow is alive
    notifySystemd('--ready');
    lifecycle.defer(startWatchdog(() => kiosk.runtime.actor.getSnapshot().status === 'active'));
    logger.info(
      { event: 'ready', mode: config.mode, host: config.http.host, port: listeners.port, staffLanPort: listeners.staffLanPort },
      'ready',
    );
    return { ...listeners, runtime: kiosk.runtime, close: () => lifecycle.close() };
  } catch (err) {
    await lifecycle.close();
    throw err;
  }
}

/** What the kiosk runs on: production drivers, the detached parts of a deactivated kiosk, or simulators. */
function chooseDeviceSet(config: KioskConfig, notProvisioned: boolean, logger: Logger): Promise<DeviceSet> {
  // A deactivated kiosk (anjungan-provision deactivate) keeps no secrets and touches no device.
  if (config.deactivated !== undefined) return Promise.resolve(detachedDevices);
  // Neither does one whose provisioning is not complete; once it is, the daemon restarts into service.
  if (notProvisioned) {
    return Promise.resolve(
      notProvisionedDevices({ stillMissing: () => stillMissing(logger), onProvisioned: () => process.kill(process.pid, 'SIGTERM') }),
    );
  }
  if (config.mode === 'production') return Promise.resolve(productionDevices);
  return loadSimulators();
}

/** The fleet this kiosk joined (anjungan-provision fleet join), if any; a deactivated kiosk has left it. */
function joinFleet(config: KioskConfig, deps: { db: Db; clock: ClockPort; logger: Logger }): FleetMembership | null {
  if (!config.fleet || config.deactivated !== undefined) return null;
  return joinedFleet(config.fleet, { ...deps, dailyLimit: config.uplink.dailyQuota });
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

function readOrNull<T>(read: () => T): T | null {
  try {
    return read();
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

/** Written into the state folder by anjungan-crash-alert.service when the unit gave up restarting. */
export const CRASH_LOOP_MARKER = 'crash-loop';

/** The unit's crash loop, left as a marker while the daemon could not run, becomes a staff alert. */
function alertOfCrashLoop(stateDir: string, alerts: AlertLog, logger: Logger): void {
  const marker = join(stateDir, CRASH_LOOP_MARKER);
  if (!existsSync(marker)) return;
  raiseAlert(alerts, 'crashLoop', logger);
  rmSync(marker, { force: true });
}

/** The registry client on the device set's endpoint; a kiosk with none (deactivated) asks nobody. */
function openValidator(
  devices: Pick<Devices, 'uplink'>,
  deps: { ledger: QuotaLedger; alerts: AlertLog; clock: ClockPort; logger: Logger; dailyQuota: number },
): Validator {
  if (!devices.uplink) return detachedValidator(deps.dailyQuota, () => wibDate(deps.clock.now()));
  return createValidator({
    ...devices.uplink,
    ledger: deps.ledger,
    clock: deps.clock,
    logger: deps.logger.child({ component: 'uplink' }),
    onQuotaAlert: (level, used, limit) => {
      deps.logger.warn({ event: 'quotaAlert', level, used, limit }, 'staff alert: daily quota');
      deps.alerts.raise(quotaAlertKind(level));
    },
  });
}

async function main(): Promise<void> {
  // Whatever the daemon creates (database, journal, credentials) is the owner's only.
  process.umask(0o077);
  const { config, missing, problems } = loadStartConfig(process.env, new Date());
  const logger = createLogger({ level: config.logLevel });
  installCrashPolicy(logger);
  if (missing.length > 0)
    logger.warn({ event: 'notProvisioned', missing, problems }, 'provisioning is not complete: out of service until it is');
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
  // `anjungan-provision update` pauses the kiosk through its flag in the store, then sends SIGHUP
  // so that an idle kiosk goes out of service at once (a session finishes first).
  process.on('SIGHUP', () => kiosk.runtime.send({ type: 'READINESS_CHANGED' }));
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
