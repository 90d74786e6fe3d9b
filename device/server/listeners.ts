/**
 * The daemon's two listeners: the kiosk's own (its screen, the demo strip, the staff scope for
 * the dashboard opened on the kiosk) and, when enabled, the staff LAN listener (HTTPS, the staff
 * scope only). Both mount the same staff features; each has its own staff sessions.
 */
import { ConfigError, readStaffLanTls, type KioskConfig } from '../config.ts';
import type { AuditPort, ClockPort } from '../flow/ports.ts';
import type { Lifecycle } from '../lifecycle.ts';
import type { Logger } from '../log.ts';
import type { RegisteredStaffRoute, StaffScope, StaffScopeDeps } from '../staff/auth.ts';
import type { StaffRoutes } from '../staff/scope.ts';
import { endStaffSessionsWhenTaxpayerArrives } from '../staff/at-kiosk.ts';
import { KIOSK_STAFF_SESSION_POLICY, StaffSessions } from '../staff/sessions.ts';
import { buildServer, type ServerDeps } from './app.ts';
import { buildStaffLanServer, listenOnLan } from './staff-lan.ts';

export interface Listeners {
  /** The kiosk listener's port (the configured one, or the one the system chose for port 0). */
  port: number;
  /** The staff LAN listener's configured port; null when it is off. */
  staffLanPort: number | null;
  /** Every route of the kiosk listener's staff scope: sign-in and each staff feature. */
  staffRoutes(): RegisteredStaffRoute[];
}

export interface ListenerDeps extends Omit<ServerDeps, 'http' | 'staff' | 'onStaffScope'> {
  staff: {
    signIn: StaffScopeDeps['signIn'];
    audit: AuditPort;
    routes: StaffRoutes[];
    clock: ClockPort;
    /** The user IDs that may sign in now, offered on the kiosk's own screen only. */
    operators: () => string[];
  };
}

export async function openListeners(
  config: Pick<KioskConfig, 'http' | 'staffLan'>,
  deps: ListenerDeps,
  lifecycle: Lifecycle,
): Promise<Listeners> {
  // One instance of each staff feature serves both listeners (an export in progress is one lock,
  // its files one list); a cookie of one listener is no session on the other.
  const { clock, operators, ...staff } = deps.staff;
  // The kiosk's own screen is in the public hall: its sessions are short and end when a taxpayer
  // arrives. Staff signed in there pause the taxpayer's idle clock; a session that expired
  // unnoticed is swept within half a minute. There staff pick their user ID from the roster.
  const kioskStaffSessions = new StaffSessions(clock, KIOSK_STAFF_SESSION_POLICY, (present) =>
    deps.runtime.send({ type: 'STAFF_AT_KIOSK', present }),
  );
  const staffSweep = setInterval(() => kioskStaffSessions.size(), 30_000).unref();
  lifecycle.defer(() => clearInterval(staffSweep));
  lifecycle.defer(endStaffSessionsWhenTaxpayerArrives({ runtime: deps.runtime, sessions: kioskStaffSessions, audit: staff.audit }));
  const staffScope = (atKiosk: boolean) => ({
    ...staff,
    sessions: atKiosk ? kioskStaffSessions : new StaffSessions(clock),
    atKiosk,
    ...(atKiosk ? { operators } : {}),
  });
  let kioskStaffScope: StaffScope | null = null;
  const server = await buildServer({
    ...deps,
    http: config.http,
    staff: staffScope(true),
    onStaffScope: (scope) => (kioskStaffScope = scope),
  });
  lifecycle.defer(() => server.close());
  await server.listen({ host: config.http.host, port: config.http.port });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : config.http.port;

  let staffLanPort: number | null = null;
  const lanConfig = config.staffLan;
  if (lanConfig?.enabled) {
    // loadConfig checked the pair already; a config built in code is checked here.
    const { tls, problems } = readStaffLanTls(lanConfig);
    if (!tls) throw new ConfigError(problems);
    const lan = await buildStaffLanServer({
      host: lanConfig.host,
      port: lanConfig.port,
      tls,
      logger: deps.logger,
      uiDir: deps.uiDir,
      staff: staffScope(false),
    });
    const listening = await listenOnLan(lan.app, { host: lanConfig.host, port: lanConfig.port }, deps.logger);
    lifecycle.defer(() => {
      listening.stop();
      return lan.app.close();
    });
    staffLanPort = lanConfig.port;
  }
  return { port, staffLanPort, staffRoutes: () => kioskStaffScope?.routes() ?? [] };
}
