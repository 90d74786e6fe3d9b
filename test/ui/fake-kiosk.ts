/**
 * A stand-in daemon for testing the UI alone: serves the built bundle and the view contract
 * (GET /api/view, WebSocket /api/stream, POST /api/intent, demo routes) with views the test
 * sets. Records what the UI sent, so tests can assert that a tap produced the right intent.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildKioskUi } from '../../build.mjs';
import Fastify from 'fastify';
import websocket from '@fastify/websocket';
import type { WebSocket } from 'ws';
import type { DemoPersonaSummary, Intent, KioskView } from '../../device/view/protocol.ts';

/** Bundles the UI as build.mjs does, into a folder of the test's choosing. */
export const buildUi = buildKioskUi;

type ViewBody = KioskView extends infer V ? (V extends KioskView ? Omit<V, 'seq' | 'idleWarning' | 'demo'> : never) : never;

export interface FakeKiosk {
  url: string;
  intents: Intent[];
  demoCalls: { method: string; path: string; body: unknown }[];
  /** Prompt-pack files the page fetched. */
  promptRequests: string[];
  /** Staff PINs sent to clear the tamper lock, and the answer the fake gives. */
  tamperClears: unknown[];
  tamperAnswer: { status: number; body: object };
  /** Pushes a new view to every connected UI (and serves it from GET /api/view). */
  /** Pushes a view; returns its seq. */
  show(view: ViewBody, extra?: { idleWarning?: { secondsLeft: number } | null; demo?: boolean }): number;
  /** Drops every stream connection, as a restarting daemon would. */
  dropConnections(): void;
  /** Refuse the next intents with 400 (as the real server does for an intent not valid now). */
  refuseIntents: boolean;
  close(): Promise<void>;
}

export const FAKE_PERSONAS: DemoPersonaSummary[] = [
  { id: 'valid', title: { id: 'Semua data sesuai', en: 'Everything agrees' } },
  { id: 'address-changed', title: { id: 'Alamat berbeda', en: 'Address differs' } },
];

export async function startFakeKiosk(uiDir: string, demo = true): Promise<FakeKiosk> {
  const app = Fastify({ logger: false });
  await app.register(websocket);
  const sockets = new Set<WebSocket>();
  let seq = 0;
  let current: KioskView = { screen: 'welcome', seq: 0, idleWarning: null, demo };

  const kiosk: FakeKiosk = {
    url: '',
    intents: [],
    demoCalls: [],
    promptRequests: [],
    tamperClears: [],
    tamperAnswer: { status: 200, body: { ok: true } },
    refuseIntents: false,
    show(view, extra = {}) {
      current = { ...view, seq: ++seq, idleWarning: extra.idleWarning ?? null, demo: extra.demo ?? demo } as KioskView;
      const text = JSON.stringify(current);
      for (const s of sockets) s.send(text);
      return seq;
    },
    dropConnections() {
      for (const s of sockets) s.terminate();
      sockets.clear();
    },
    close: async () => {
      kiosk.dropConnections();
      await app.close();
    },
  };

  const index = await readFile(join(uiDir, 'index.html'));
  const bundle = await readFile(join(uiDir, 'main.js'));
  app.get('/', async (_req, reply) => reply.type('text/html; charset=utf-8').send(index));
  app.get('/main.js', async (_req, reply) => reply.type('text/javascript; charset=utf-8').send(bundle));
  app.get<{ Params: { file: string } }>('/prompts/:file', async (req, reply) => {
    const file = req.params.file;
    if (!/^[A-Za-z0-9.-]+$/.test(file)) return reply.code(404).send();
    kiosk.promptRequests.push(file);
    return reply
      .type(file.endsWith('.opus') ? 'audio/ogg' : file.endsWith('.wav') ? 'audio/wav' : 'application/json')
      .send(await readFile(join(uiDir, 'prompts', file)));
  });
  app.get('/api/view', async () => current);
  app.get('/api/stream', { websocket: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.send(JSON.stringify(current));
  });
  app.post('/api/intent', async (req, reply) => {
    kiosk.intents.push(req.body as Intent);
    if (kiosk.refuseIntents) return reply.code(400).send({ error: 'intentNotAllowed', message: 'not now' });
    return { ok: true };
  });
  app.post('/api/staff/tamper/clear', async (req, reply) => {
    kiosk.tamperClears.push(req.body);
    return reply.code(kiosk.tamperAnswer.status).send(kiosk.tamperAnswer.body);
  });
  app.get('/api/demo/personas', async () => FAKE_PERSONAS);
  for (const method of ['POST', 'DELETE'] as const) {
    app.route({
      method,
      url: '/api/demo/:thing',
      handler: async (req) => {
        kiosk.demoCalls.push({ method, path: req.url, body: req.body ?? null });
        return { ok: true };
      },
    });
  }
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  kiosk.url = address;
  return kiosk;
}
