/**
 * The daemon, as a list: configuration → logger → crash policy → devices → store → flow and
 * policies → listeners → systemd. Each part registers its own close as it opens; shutdown runs
 * them in reverse (lifecycle.ts). What runs where is chosen once, by the device set.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clockSynchronised } from './clock-sync.ts';
import type { KioskConfig } from './config.ts';
import { installCrashPolicy } from './crash-policy.ts';
import { detachedDevices, notProvisionedDevices } from './devices/detached.ts';
import type { Devices, DeviceSet } from './devices/device-set.ts';
import { productionDevices } from './devices/production.ts';
import { openValidator } from './devices/validator.ts';
import { diskThresholdsFromConfig } from './disk.ts';
import type { ProvisioningItem } from './domain/provisioning.ts';
import { fleetFromConfig } from './fleet/membership.ts';
import { KioskEvents } from './flow/events.ts';
import type { ClockPort } from './flow/ports.ts';
import { healthReport } from './health.ts';
import { assembleKiosk, flowSettings, type AssembledKiosk } from './kiosk.ts';
import { Lifecycle } from './lifecycle.ts';
import { createLogger, type Logger } from './log.ts';
import { loadStartConfig } from './provisioning-state.ts';
import { loadSimulators } from './simulation.ts';
import { reportHeaderFromConfig } from './report/from-config.ts';
import { startReturnDataWork } from './return-data/from-config.ts';
import { openListeners, type ListenerDeps, type Listeners } from './server/listeners.ts';
import { watchKioskPage } from './server/ui-watch.ts';
import { staffAccess } from './staff/access.ts';
import { AlertLog, alertOfCrashLoop } from './staff/alerts.ts';
import { staffFeatures } from './staff/features.ts';
import { readStartCredentials, stateFiles } from './store/credentials.ts';
import { openKioskStore, recordDaemonStart } from './store/kiosk-store.ts';
import { notifySystemd, startWatchdog } from './systemd.ts';
import { SqliteQuotaLedger } from './uplink/quota-ledger.ts';
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
    const credentials = readStartCredentials(files, notProvisioned);
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
    const fleet = fleetFromConfig(config, { db: store.db, clock, logger });
    const ledger = fleet?.ledger ?? new SqliteQuotaLedger(store.db, { dailyLimit: config.uplink.dailyQuota, clock });
    const validator = openValidator(devices, { ledger, alerts, clock, logger, dailyQuota: config.uplink.dailyQuota });
    lifecycle.defer(() => validator.close());
    // In a fleet, data balikan goes to the fleet, which delivers it.
    const service = fleet ? null : devices.returnData;
    const onDeadLettered = () => alerts.raise('returnDataDeadLetter');
    lifecycle.defer(startReturnDataWork(config, { service, outbox: store.outbox, audit: events, clock, logger, onDeadLettered }));
    const staff = staffAccess({ rosterFile: files.roster, staff: credentials.staff, store, alerts, clock, logger });

    // ---- the flow and its policies
    const kiosk = assembleKiosk({
      ...{ devices, validator, store, events, ledger, alerts, staffAuth: staff.staffAuth, attempts: staff.attempts },
      ...{ config, settings: flowSettings(config), clock, logger, demo: devices.demo !== undefined },
      disk: diskThresholdsFromConfig(config),
      ...(config.mode === 'production' ? { clockSynchronised: () => clockSynchronised(config.clock?.synchronisedFlag) } : {}),
    });
    lifecycle.defer(() => kiosk.close());
    if (fleet) {
      const report = { db: store.db, ...reportHeaderFromConfig(config), now: () => clock.now() };
      const onAvailabilityChanged = () => kiosk.runtime.send({ type: 'READINESS_CHANGED' });
      lifecycle.defer(fleet.start({ outbox: store.outbox, overview: () => kiosk.overview(), report, onAvailabilityChanged }));
    }

    // ---- listeners
    const routes = staffFeatures(config, { dashboard: kiosk.dashboard, store, audit: events, clock, logger });
    const listeners = await openKioskListeners(config, kiosk, {
      demo: devices.demo,
      staff: { signIn: staff.signIn, operators: staff.operators, audit: events, clock, routes },
      logger,
      lifecycle,
    });

    // ---- systemd: ready, and the watchdog while the flow is alive
    notifySystemd('--ready');
    lifecycle.defer(startWatchdog(() => kiosk.runtime.actor.getSnapshot().status === 'active'));
    const { port, staffLanPort } = listeners;
    logger.info({ event: 'ready', mode: config.mode, host: config.http.host, port, staffLanPort }, 'ready');
    return { ...listeners, runtime: kiosk.runtime, close: () => lifecycle.close() };
  } catch (err) {
    await lifecycle.close();
    throw err;
  }
}

/** The kiosk's listeners, with the page's keep-alive watch and /healthz over the assembled kiosk. */
async function openKioskListeners(
  config: KioskConfig,
  kiosk: AssembledKiosk,
  parts: { demo: Devices['demo']; staff: ListenerDeps['staff']; logger: Logger; lifecycle: Lifecycle },
): Promise<Listeners> {
  const page = watchKioskPage(parts.logger, process.env);
  parts.lifecycle.defer(() => page.stop());
  const health = () => {
    const running = kiosk.runtime.actor.getSnapshot().status === 'active';
    const flow = { snapshot: kiosk.runtime.snapshot(), running, view: kiosk.runtime.view() };
    return healthReport(flow, kiosk.health(), { ui: { lastPingAgoMs: page.sinceLastPingMs() }, disk: kiosk.diskLevel() });
  };
  const deps: ListenerDeps = {
    runtime: kiosk.runtime,
    logger: parts.logger,
    uiDir: UI_DIR,
    health,
    clearTamper: (pin) => kiosk.tamper.clear(pin),
    uiPing: () => page.ping(),
    ...(parts.demo ? { demo: parts.demo } : {}),
    staff: parts.staff,
  };
  return openListeners(config, deps, parts.lifecycle);
}

/** What the kiosk runs on: production drivers, the detached parts of a deactivated kiosk, or simulators. */
function chooseDeviceSet(config: KioskConfig, notProvisioned: boolean, logger: Logger): Promise<DeviceSet> {
  // A deactivated kiosk (anjungan-provision deactivate) keeps no secrets and touches no device;
  // neither does one whose provisioning is not complete.
  if (config.deactivated !== undefined) return Promise.resolve(detachedDevices);
  if (notProvisioned) return Promise.resolve(notProvisionedDevices(logger));
  if (config.mode === 'production') return Promise.resolve(productionDevices);
  return loadSimulators();
}

async function main(): Promise<Logger> {
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
  return logger;
}

/**
 * The daemon as a command: resolves once it is ready, with its logger, or exits with a message.
 * The bundle's entry (device/boot.ts) calls it, then saves its code cache.
 */
export async function runDaemon(): Promise<Logger> {
  try {
    return await main();
  } catch (err: unknown) {
    // Only the error's name and message: configuration and credential errors carry no secrets.
    const e = err as Error;
    process.stderr.write(`anjungan: cannot start: ${e.name}: ${e.message}\n`);
    process.exit(1);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) void runDaemon();
