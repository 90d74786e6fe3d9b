/**
 * The staff dashboard's listener on the office LAN: a second fastify server, HTTPS only with the
 * certificate the technician installed, serving nothing but the staff scope (/api/staff/*) and
 * the dashboard's files at /staff/. It has the kiosk listener's limits and Host/Origin checks,
 * for its own address; the kiosk's screen, stream and demo routes do not exist on it.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { StaffLanTls } from '../config.ts';
import type { Logger } from '../log.ts';
import { edgeServerOptions, guardEdge } from './guard.ts';
import { EDGE_LIMITS } from './limits.ts';
import { registerStaffScope, type StaffScope, type StaffScopeDeps } from '../staff/auth.ts';
import { registerDashboardFiles } from '../staff/dashboard-files.ts';

export interface StaffLanServerDeps {
  /** The configured LAN address: Host and Origin must name it. */
  host: string;
  port: number;
  tls: StaffLanTls;
  logger: Logger;
  /** The built UI (dist/ui); the dashboard is its dashboard/ folder. */
  uiDir: string;
  staff: Omit<StaffScopeDeps, 'logger' | 'refusals'>;
}

export async function buildStaffLanServer(deps: StaffLanServerDeps): Promise<{ app: FastifyInstance; scope: StaffScope }> {
  const logger = deps.logger.child({ listener: 'staffLan' });
  const app = Fastify(edgeServerOptions(logger, deps.tls));
  const { refusals } = guardEdge(app, {
    logger,
    address: { host: deps.host, port: deps.port, tls: true },
    connectionsPerAddress: EDGE_LIMITS.maxConnectionsPerAddress,
  });
  // A browser that once reached the dashboard never tries its address over plain HTTP again.
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('strict-transport-security', 'max-age=31536000');
    return payload;
  });
  const scope = await registerStaffScope(app, { ...deps.staff, logger, refusals });

  registerDashboardFiles(app, deps.uiDir);
  return { app, scope };
}

/** How often a LAN listener that could not bind tries again. */
export const STAFF_LAN_RETRY_MS = 10_000;

/**
 * Listens on the LAN address; when that fails (the address is not up yet, the cable is out, the
 * port is taken) it logs and tries again every `retryMs`, so the kiosk screen never waits on the
 * office LAN. The first try is awaited: on a healthy kiosk the listener is up before READY.
 */
export async function listenOnLan(
  app: FastifyInstance,
  address: { host: string; port: number },
  logger: Logger,
  retryMs = STAFF_LAN_RETRY_MS,
): Promise<{ stop(): void }> {
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let warned = false;
  const attempt = async () => {
    timer = null;
    try {
      await app.listen(address);
      logger.info({ event: 'staffLanListening', port: address.port }, 'staff LAN listener up');
    } catch (err) {
      if (stopped) return;
      // Once per outage: a cable out for a day must not fill the journal.
      if (!warned)
        logger.warn(
          { event: 'staffLanUnavailable', err: { code: (err as NodeJS.ErrnoException).code } },
          'staff LAN listener cannot bind; retrying',
        );
      warned = true;
      timer = setTimeout(() => void attempt(), retryMs);
      timer.unref();
    }
  };
  await attempt();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
