/**
 * The daemon, as a list: configuration → logger → crash policy → devices → store → flow and
 * policies → listeners → systemd. Each part registers its own close as it opens; shutdown runs
 * them in reverse (lifecycle.ts). What runs where is chosen once, by the device set.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, type KioskConfig } from './config.ts';
import { detachedDevices, detachedValidator } from './devices/detached.ts';
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
import { AlertLog, quotaAlertKind } from './staff/alerts.ts';
import { staffFeatures } from './staff/features.ts';
import { reportHeaderFromConfig } from './report/from-config.ts';
import { readCredentials, stateFiles } from './store/credentials.ts';
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

export async function startKiosk(config: KioskConfig, logger: Logger): Promise<Kiosk> {
  const clock: ClockPort = { now: () => new Date() };
  const lifecycle = new Lifecycle(logger);
  try {
    // ---- devices, chosen once
    const deviceSet = await chooseDeviceSet(config);
    const files = stateFiles(config.stateDir, process.env);
    await deviceSet.prepareState?.(files, clock);
    const credentials = readCredentials(files.credentials, { groupReadable: files.fromSystemd });
    const devices = await deviceSet.openDevices(config, { credentials, clock, logger, env: process.env });
    lifecycle.defer(() => devices.close());

    // ---- the store and what keeps its state there: registry access, data balikan, staff access
    const store = openKioskStore(config.stateDir, credentials, clock);
    lifecycle.defer(() => store.close());
    recordDaemonStart(store.audit, logger);
    // From here on, what is recorded also reaches the policies that subscribe (flow/events.ts).
    const events = new KioskEvents(store.audit, logger);
    const alerts = new AlertLog(store.db, clock);
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
    const { staffAuth, signIn, attempts, operators } = staffAccess({
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
        health: () => healthReport(kiosk.runtime.snapshot(), kiosk.health(), { lastPingAgoMs: page.sinceLastPingMs() }),
        clearTamper: (pin) => kiosk.tamper.clear(pin),
        uiPing: () => page.ping(),
        ...(devices.demo ? { demo: devices.demo } : {}),
        staff: {
          signIn,
          operators,
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
function chooseDeviceSet(config: KioskConfig): Promise<DeviceSet> {
  // A deactivated kiosk (anjungan-provision deactivate) keeps no secrets and touches no device.
  if (config.deactivated !== undefined) return Promise.resolve(detachedDevices);
  if (config.mode === 'production') return Promise.resolve(productionDevices);
  return loadSimulators();
}

/** The fleet this kiosk joined (anjungan-provision fleet join), if any; a deactivated kiosk has left it. */
function joinFleet(config: KioskConfig, deps: { db: Db; clock: ClockPort; logger: Logger }): FleetMembership | null {
  if (!config.fleet || config.deactivated !== undefined) return null;
  return joinedFleet(config.fleet, { ...deps, dailyLimit: config.uplink.dailyQuota });
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
  const config = loadConfig(process.env, new Date());
  const logger = createLogger({ level: config.logLevel });
  installCrashPolicy(logger);
  const kiosk = await startKiosk(config, logger);
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
