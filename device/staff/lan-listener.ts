/**
 * The staff dashboard's listener on the office LAN: a second fastify server, HTTPS only with the
 * certificate the technician installed, serving nothing but the staff scope (/api/staff/*) and
 * the dashboard's files at /staff/. It has the kiosk listener's limits and Host/Origin checks,
 * for its own address; the kiosk's screen, stream and demo routes do not exist on it.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StaffLanTls } from '../config.ts';
import type { Logger } from '../log.ts';
import { edgeServerOptions, guardEdge } from '../server/guard.ts';
import { registerStaffScope, type StaffScope, type StaffScopeDeps } from './auth.ts';

export interface StaffLanServerDeps {
  /** The configured LAN address: Host and Origin must name it. */
  host: string;
  port: number;
  tls: StaffLanTls;
  logger: Logger;
  /** The built UI (dist/ui); the dashboard is its dashboard/ folder. */
  uiDir: string;
  staff: Omit<StaffScopeDeps, 'logger'>;
}

/** The dashboard's files (built into <uiDir>/dashboard/ by build.mjs); 404 until it is built. */
const DASHBOARD_FILES: Record<string, { file: string; type: string }> = {
  '/staff/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/staff/main.js': { file: 'main.js', type: 'text/javascript; charset=utf-8' },
};

export async function buildStaffLanServer(deps: StaffLanServerDeps): Promise<{ app: FastifyInstance; scope: StaffScope }> {
  const logger = deps.logger.child({ listener: 'staffLan' });
  const app = Fastify(edgeServerOptions(logger, deps.tls));
  guardEdge(app, { logger, address: { host: deps.host, port: deps.port, tls: true } });
  // Cookies are Secure; a page reached any other way than https is not ours.
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('strict-transport-security', 'max-age=31536000');
    return payload;
  });
  const scope = await registerStaffScope(app, { ...deps.staff, logger });

  app.get('/staff', async (_req, reply) => reply.redirect('/staff/', 308));
  for (const [route, { file, type }] of Object.entries(DASHBOARD_FILES)) {
    app.get(route, async (_req, reply) => {
      let body: Buffer;
      try {
        body = await readFile(join(deps.uiDir, 'dashboard', file));
      } catch {
        return reply.code(404).send({ error: 'notFound', message: 'dashboard not built: run make build' });
      }
      return reply.type(type).send(body);
    });
  }
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
      if (!warned) logger.warn({ event: 'staffLanUnavailable', err: { code: (err as NodeJS.ErrnoException).code } }, 'staff LAN listener cannot bind; retrying');
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
