/**
 * Dukcapil web-service simulator: HTTPS (fastify) with its own test CA, both endpoints served
 * from the demo personas, login and IP checks, its own daily quota, access hours, and fault
 * injection. Demo mode and the uplink tests talk to it through the real client over real TLS.
 * Listens on 127.0.0.1, port 0 (any free port) unless told otherwise.
 */
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import type { Server as HttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { DukcapilCredentials, UplinkEndpoint } from '../../uplink/endpoint.ts';
import type { ClockPort } from '../../flow/ports.ts';
import { generateTestPkiAndForeignCertificate, type TestPki } from './pki.ts';
import { DEFAULT_STYLE, callNikAnswer, lookup, refusal, verifyAnswer, type RefusalName, type ResponseStyle } from './registry.ts';

/** Synthetic, test-only credentials. They open nothing but this simulator. */
export const DEMO_CREDENTIALS: DukcapilCredentials = {
  userId: 'SIMULATOR-ONLY-USER',
  password: 'simulator-only-password',
  // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never a real kiosk address.
  ipUser: '192.0.2.10',
};

export const DEMO_INSTITUTION = 'BKD_KRA_SIM';

/** Access hours in WIB, `HH:MM`, `from` inclusive and `to` exclusive. */
export interface AccessHours {
  from: string;
  to: string;
}

export type DukcapilFault =
  | { kind: 'latency'; ms: number }
  | { kind: 'status'; code: number }
  | { kind: 'malformedJson' }
  | { kind: 'slowBody'; intervalMs: number }
  | { kind: 'oversizedBody' }
  | { kind: 'reset' }
  | { kind: 'foreignCertificate' }
  | { kind: 'redirect'; location: string };

/** Registry-side conditions that are not faults: account states and duplicate records. */
export interface SimulatorConditions {
  userActive: boolean;
  institutionActive: boolean;
  /** NIKs for which the registry holds two records. */
  duplicateNiks: string[];
  style: ResponseStyle;
  /** A deployment that ignores the element names and judges the NIK only (CALL_VERIFY_BY_ELEMEN). */
  judgesNikOnly: boolean;
}

export interface DukcapilSimulator {
  baseUrl: string;
  caPem: string;
  credentials: DukcapilCredentials;
  institution: string;
  setFault(fault: DukcapilFault | null): void;
  setConditions(patch: Partial<SimulatorConditions>): void;
  /** HTTP requests that reached an endpoint (TLS handshakes alone are not counted). */
  hits(): number;
  /** Queries counted against the simulator's own daily quota today. */
  quotaUsed(): number;
  close(): Promise<void>;
}

const WIB_OFFSET_MS = 7 * 60 * 60 * 1000;
const LOCAL_SOURCES = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

export async function startDukcapilSimulator(
  opts: {
    host?: string;
    port?: number;
    institution?: string;
    credentials?: DukcapilCredentials;
    dailyQuota?: number;
    accessHours?: AccessHours;
    faults?: DukcapilFault | null;
    conditions?: Partial<SimulatorConditions>;
    clock?: ClockPort;
  } = {},
): Promise<DukcapilSimulator> {
  const host = opts.host ?? '127.0.0.1';
  const institution = opts.institution ?? DEMO_INSTITUTION;
  const credentials = opts.credentials ?? DEMO_CREDENTIALS;
  const dailyQuota = opts.dailyQuota ?? 1000;
  const accessHours = opts.accessHours ?? { from: '00:00', to: '24:00' };
  const clock = opts.clock ?? { now: () => new Date() };
  const hostNames = { ips: ['127.0.0.1', '::1'], dnsNames: ['localhost'] };
  const { pki, foreign } = await generateTestPkiAndForeignCertificate('Dukcapil simulator test CA', 'Unrelated test CA', hostNames);
  let fault: DukcapilFault | null = opts.faults ?? null;
  let conditions: SimulatorConditions = {
    userActive: true,
    institutionActive: true,
    duplicateNiks: [],
    judgesNikOnly: false,
    style: DEFAULT_STYLE,
    ...opts.conditions,
  };
  let hitCount = 0;
  const quota = { day: '', used: 0 };
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();

  // `ca: []`: the server asks for no client certificate, and without a CA list Node would load
  // its ~140 bundled root certificates for nothing (~15 ms of a demo start's CPU).
  const tlsFor = (f: DukcapilFault | null) => {
    const p: TestPki = f?.kind === 'foreignCertificate' ? foreign : pki;
    return { key: p.serverKeyPem, cert: p.serverCertPem, ca: [] };
  };
  const app = Fastify({ logger: false, https: tlsFor(fault) });
  const server = app.server as unknown as HttpsServer;
  server.on('secureConnection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  const applyFault = (f: DukcapilFault | null) => {
    fault = f;
    server.setSecureContext(tlsFor(f));
  };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  function todaysQuota(): { day: string; used: number } {
    const day = new Date(clock.now().getTime() + WIB_OFFSET_MS).toISOString().slice(0, 10);
    if (quota.day !== day) {
      quota.day = day;
      quota.used = 0;
    }
    return quota;
  }

  function withinAccessHours(): boolean {
    const wib = new Date(clock.now().getTime() + WIB_OFFSET_MS);
    const minutes = wib.getUTCHours() * 60 + wib.getUTCMinutes();
    const toMinutes = (hhmm: string) => {
      const [h, m] = hhmm.split(':').map(Number);
      return (h ?? 0) * 60 + (m ?? 0);
    };
    return minutes >= toMinutes(accessHours.from) && minutes < toMinutes(accessHours.to);
  }

  /** Answers with a fault when one is set; true when the request has been dealt with. */
  async function injectFault(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    const f = fault;
    if (!f || f.kind === 'foreignCertificate') return false;
    switch (f.kind) {
      case 'latency':
        await sleep(f.ms);
        return false;
      case 'status':
        await reply.code(f.code).type('text/plain').send('Service Unavailable');
        return true;
      case 'malformedJson':
        await reply.type('application/json').send('{"content":[{"RESPON":"Data Ditemukan","NIK":33');
        return true;
      case 'oversizedBody':
        await reply.type('application/json').send(JSON.stringify({ content: [{ RESPON: 'x'.repeat(100 * 1024) }] }));
        return true;
      case 'redirect':
        await reply.redirect(f.location, 307);
        return true;
      case 'reset':
        reply.hijack();
        request.raw.socket.destroy();
        return true;
      case 'slowBody': {
        reply.hijack();
        const res = reply.raw;
        res.writeHead(200, { 'content-type': 'application/json' });
        const body = JSON.stringify(refusal('notFound', conditions.style));
        for (const ch of body) {
          if (res.destroyed) return true;
          res.write(ch);
          await sleep(f.intervalMs);
        }
        res.end();
        return true;
      }
    }
  }

  async function handle(
    method: 'CALL_NIK' | 'CALL_VERIFY_BY_ELEMEN',
    request: FastifyRequest<{ Params: { institution: string } }>,
    reply: FastifyReply,
  ) {
    hitCount += 1;
    if (await injectFault(request, reply)) return reply;
    const style = conditions.style;
    const send = (payload: Record<string, unknown>) => reply.type('application/json').send(payload);
    const refuse = (name: RefusalName) => send(refusal(name, style));
    const body = new Map(Object.entries(isRecord(request.body) ? request.body : {}).map(([k, v]) => [k.toUpperCase(), v] as const));
    const userId = body.get('USER_ID');
    const password = body.get('PASSWORD');
    const ipUser = body.get('IP_USER');
    if (!request.params.institution || request.params.institution !== institution || !conditions.institutionActive) {
      return refuse('institutionInactive');
    }
    if (!userId || !password) return refuse('emptyCredentials');
    if (userId !== credentials.userId || password !== credentials.password) return refuse('loginFailed');
    if (!conditions.userActive) return refuse('userInactive');
    if (!LOCAL_SOURCES.has(request.socket.remoteAddress ?? '')) return refuse('invalidSourceIp');
    if (ipUser !== credentials.ipUser) return refuse('ipMismatch');
    if (!withinAccessHours()) return refuse('outsideHours');
    const nik = body.get('NIK');
    if (nik === undefined || nik === null || nik === '') return refuse('incompleteParameters');
    const q = todaysQuota();
    if (q.used >= dailyQuota) return refuse('quotaReached');
    q.used += 1;
    const found = lookup(String(nik));
    if (found.kind === 'refused') return refuse(found.name);
    if (method === 'CALL_NIK') return send(callNikAnswer(found, style, conditions.duplicateNiks.includes(found.person.nik)));
    const threshold = Number(body.get('TRESHOLD'));
    const judged = conditions.judgesNikOnly ? new Map([...body].filter(([k]) => k === 'NIK')) : body;
    return send(verifyAnswer(found, judged, Number.isFinite(threshold) ? threshold : 80, style));
  }

  app.post<{ Params: { institution: string } }>('/dukcapil/get_json/:institution/CALL_NIK', (req, reply) => handle('CALL_NIK', req, reply));
  app.post<{ Params: { institution: string } }>('/dukcapil/get_json/:institution/CALL_VERIFY_BY_ELEMEN', (req, reply) =>
    handle('CALL_VERIFY_BY_ELEMEN', req, reply),
  );

  await app.listen({ host, port: opts.port ?? 0 });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('simulator did not bind a TCP port');
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    baseUrl: `https://${urlHost}:${address.port}`,
    caPem: pki.caPem,
    credentials,
    institution,
    setFault: applyFault,
    setConditions: (patch) => {
      conditions = { ...conditions, ...patch };
    },
    hits: () => hitCount,
    quotaUsed: () => todaysQuota().used,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const s of sockets) s.destroy();
      await app.close();
    },
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The endpoint configuration that points the real client at a running simulator (demo mode). */
export function simulatorEndpoint(sim: DukcapilSimulator, overrides: Partial<UplinkEndpoint> = {}): UplinkEndpoint {
  return {
    baseUrl: sim.baseUrl,
    institution: sim.institution,
    keyCasing: 'upper',
    method: 'CALL_NIK',
    verifyThreshold: 80,
    caPem: sim.caPem,
    connectTimeoutMs: 3000,
    totalTimeoutMs: 10000,
    ...overrides,
  };
}
