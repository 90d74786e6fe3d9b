/**
 * The kiosk's HTTP side, built by a function so tests call inject() without a port (as in
 * fastify/demo). Every route has schemas: a bad body is a 400 at the edge, never a 500.
 */
import Fastify from 'fastify';
import websocket from '@fastify/websocket';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as Type from 'typebox/type';
import type { Logger } from '../log.ts';
import type { KioskRuntime } from '../view/runtime.ts';
import { IntentSchema, Pin, type DemoPersonaSummary, type Intent } from '../view/protocol.ts';
import { EDGE_LIMITS } from './limits.ts';
import type { EdgeAddress } from './edge.ts';
import { edgeServerOptions, guardEdge } from './guard.ts';
import { registerStaffScope, type StaffScope, type StaffScopeDeps } from '../staff/auth.ts';
import { registerDashboardFiles } from '../staff/dashboard-files.ts';
import type { TamperClearResult } from '../gpio/tamper-lock.ts';

export interface DemoControls {
  /** What the demo strip may insert: the personas' names only (their people are loaded on first use). */
  personaIds: readonly string[];
  personas(): Promise<DemoPersonaSummary[]>;
  /** Rejects with DemoConflict when a card is already in the reader. */
  insertCard(personaId: string): Promise<void>;
  removeCard(): Promise<void>;
  /** Rejects with DemoConflict when no card is in the reader. */
  presentFinger(genuine: boolean): void;
  /** Opens or closes the enclosure's (simulated) tamper switch. */
  setTamper(open: boolean): void;
}

export class DemoConflict extends Error {
  override readonly name = 'DemoConflict';
}

export interface HealthReport {
  ready: boolean;
  state: string;
  devices: Record<string, unknown>;
  /** The kiosk page's keep-alive: how long since its last ping (null: none since the start). */
  ui?: { lastPingAgoMs: number | null };
}

export interface ServerDeps {
  runtime: KioskRuntime;
  logger: Logger;
  uiDir: string;
  health(): HealthReport;
  /** Clears the tamper lock with a staff PIN (device/gpio/tamper-lock.ts). */
  clearTamper(pin: string): Promise<TamperClearResult>;
  demo?: DemoControls;
  /** The page's keep-alive (server/ui-watch.ts). */
  uiPing?: () => void;
  /** The configured listen address; a Host or Origin must name it (or loopback) and its port. */
  http: EdgeAddress;
  /** The staff scope under /api/staff (staff/auth.ts): sign-in and every staff feature. */
  staff?: Omit<StaffScopeDeps, 'logger' | 'refusals'>;
  /** Told the staff scope once it is registered (its routes are listed once the server is ready). */
  onStaffScope?: (scope: StaffScope) => void;
}

const ErrorReply = Type.Object({ error: Type.String(), message: Type.String() });
const OkReply = Type.Object({ ok: Type.Literal(true) });
const ViewReply = Type.Object({ screen: Type.String(), seq: Type.Integer() }, { additionalProperties: true });

const UI_FILES: Record<string, string> = {
  '/': 'index.html',
  '/index.html': 'index.html',
  '/main.js': 'main.js',
  '/main.js.map': 'main.js.map',
};
const MIME: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  map: 'application/json',
  json: 'application/json',
  opus: 'audio/ogg',
  wav: 'audio/wav',
};
/** Files of the spoken-prompt pack (see build-prompts.mjs); the pattern keeps requests inside its folder. */
const PromptFileParams = Type.Object({ file: Type.String({ pattern: '^[A-Za-z0-9-]+(\\.(id|en))?\\.(opus|wav|json)$', maxLength: 80 }) });

export async function buildServer(deps: ServerDeps) {
  const app = Fastify(edgeServerOptions(deps.logger));
  // A demo action the current slot state does not allow: the demo user can wait it out.
  const mapError = (err: unknown) => (err instanceof DemoConflict ? { statusCode: 409, error: 'conflict', message: err.message } : null);
  const { refusals } = guardEdge(app, { logger: deps.logger, address: deps.http, mapError });

  app.addHook('onRequest', async (req, reply) => {
    if (req.headers.upgrade !== undefined && app.websocketServer.clients.size >= EDGE_LIMITS.maxStreamClients) {
      refusals.refused({ event: 'edgeRefused', refusal: 'tooManyStreams', method: req.method }, 'stream refused: too many clients');
      return reply.code(503).send({ error: 'tooManyStreams', message: 'too many streams' });
    }
    return undefined;
  });

  await app.register(websocket, {
    options: { maxPayload: EDGE_LIMITS.streamMessageBytes },
    // On shutdown a stream is cut, not closed by handshake: a client that never answers the close
    // frame would hold server.close() for ws's 30 s, and the page reconnects either way.
    preClose: (done) => {
      for (const client of app.websocketServer.clients) client.terminate();
      done();
    },
    // A bad frame (oversize, bad opcode, bad UTF-8, unmasked) or a reset ends that stream only.
    // Only the error's name is logged (rate-limited): formatting a stack is work a stranger should not cause.
    errorHandler: (err, socket) => {
      refusals.refused({ event: 'streamError', error: err.name }, 'stream closed after an error');
      socket.terminate();
    },
  });

  app.get(
    '/healthz',
    {
      exposeHeadRoute: true,
      schema: { response: { 200: Type.Object({}, { additionalProperties: true }), 503: Type.Object({}, { additionalProperties: true }) } },
    },
    async (_req, reply) => {
      const h = deps.health();
      return reply.code(h.ready ? 200 : 503).send(h);
    },
  );

  app.post('/api/ui-ping', { schema: { response: { 204: Type.Null() } } }, async (_req, reply) => {
    deps.uiPing?.();
    return reply.code(204).send();
  });

  app.get('/api/view', { schema: { response: { 200: ViewReply } } }, async () => deps.runtime.view());

  app.get('/api/stream', { websocket: true }, (socket) => {
    socket.send(JSON.stringify(deps.runtime.view()));
    const off = deps.runtime.onView((view) => socket.send(JSON.stringify(view)));
    // A client that stops answering pings is dropped, so a vanished page does not hold a slot.
    let alive = true;
    socket.on('pong', () => (alive = true));
    const ping = setInterval(() => {
      if (!alive) return socket.terminate();
      alive = false;
      socket.ping();
    }, EDGE_LIMITS.streamPingMs);
    socket.on('close', () => {
      clearInterval(ping);
      off();
    });
    // The stream is one-way: intents go through POST /api/intent where they are validated.
    socket.on('message', () => socket.close(1003, 'read-only stream'));
  });

  app.post<{ Body: Intent }>(
    '/api/intent',
    { schema: { body: IntentSchema, response: { 200: OkReply, 400: ErrorReply } } },
    async (req, reply) => {
      if (!deps.runtime.sendIntent(req.body)) {
        return reply.code(400).send({ error: 'intentNotAllowed', message: `intent ${req.body.type} is not allowed on this screen` });
      }
      return { ok: true as const };
    },
  );

  // Staff only: the PIN is the authentication (rate-limited by the verifier) and is never logged.
  app.post<{ Body: { pin: string } }>(
    '/api/staff/tamper/clear',
    {
      schema: {
        body: Type.Object({ pin: Pin }, { additionalProperties: false }),
        response: { 200: OkReply, 400: ErrorReply, 403: ErrorReply, 409: ErrorReply },
      },
    },
    async (req, reply) => {
      const result = await deps.clearTamper(req.body.pin);
      if (result === 'cleared') return { ok: true as const };
      if (result === 'pinRejected') return reply.code(403).send({ error: 'pinRejected', message: 'staff PIN not accepted' });
      if (result === 'switchOpen') return reply.code(409).send({ error: 'switchOpen', message: 'close the enclosure first' });
      return reply.code(409).send({ error: 'notLocked', message: 'the kiosk is not locked by the tamper switch' });
    },
  );

  const staffScope = deps.staff ? await registerStaffScope(app, { ...deps.staff, logger: deps.logger, refusals }) : null;
  if (staffScope) deps.onStaffScope?.(staffScope);

  const demo = deps.demo;
  if (demo) {
    app.post<{ Body: { open: boolean } }>(
      '/api/demo/tamper',
      {
        schema: {
          body: Type.Object({ open: Type.Boolean() }, { additionalProperties: false }),
          response: { 200: OkReply, 400: ErrorReply },
        },
      },
      async (req) => {
        demo.setTamper(req.body.open);
        return { ok: true as const };
      },
    );
    app.get(
      '/api/demo/personas',
      {
        schema: {
          response: { 200: Type.Array(Type.Object({ id: Type.String(), title: Type.Object({ id: Type.String(), en: Type.String() }) })) },
        },
      },
      async () => demo.personas(),
    );
    app.post<{ Body: { persona: string } }>(
      '/api/demo/card',
      {
        schema: {
          body: Type.Object({ persona: Type.String({ enum: [...demo.personaIds] }) }, { additionalProperties: false }),
          response: { 200: OkReply, 400: ErrorReply, 409: ErrorReply },
        },
      },
      async (req) => {
        await demo.insertCard(req.body.persona);
        return { ok: true as const };
      },
    );
    app.delete('/api/demo/card', { schema: { response: { 200: OkReply } } }, async () => {
      await demo.removeCard();
      return { ok: true as const };
    });
    app.post<{ Body: { genuine: boolean } }>(
      '/api/demo/finger',
      {
        schema: {
          body: Type.Object({ genuine: Type.Boolean() }, { additionalProperties: false }),
          response: { 200: OkReply, 400: ErrorReply, 409: ErrorReply },
        },
      },
      async (req) => {
        demo.presentFinger(req.body.genuine);
        return { ok: true as const };
      },
    );
  }

  app.get<{ Params: { file: string } }>('/prompts/:file', { schema: { params: PromptFileParams } }, async (req, reply) => {
    try {
      const body = await readFile(join(deps.uiDir, 'prompts', req.params.file));
      return reply.type(MIME[req.params.file.split('.').pop()!]!).send(body);
    } catch {
      return reply.code(404).send({ error: 'notFound', message: 'no such prompt: run make build' });
    }
  });

  // The staff dashboard, opened from the kiosk's "Petugas" entry; the LAN listener serves the same files.
  registerDashboardFiles(app, deps.uiDir);

  for (const [route, file] of Object.entries(UI_FILES)) {
    app.get(route, async (req, reply) => {
      // The kiosk's browser shows the kiosk screen again: a staff session it held is over.
      if (file === 'index.html') staffScope?.endSessionOf(req, reply, 'kioskScreen');
      try {
        const body = await readFile(join(deps.uiDir, file));
        return reply.type(MIME[file.split('.').pop()!]!).send(body);
      } catch {
        return reply.code(404).send({ error: 'notFound', message: 'UI not built: run make build' });
      }
    });
  }

  return app;
}
export type KioskServer = Awaited<ReturnType<typeof buildServer>>;
