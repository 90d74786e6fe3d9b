/**
 * Dukcapil web-service simulator: HTTPS with its own test CA, both endpoints served from the demo
 * personas, login and IP checks, its own daily quota, access hours, and fault injection. Demo mode
 * and the uplink tests talk to it through the real client over real TLS. Listens on 127.0.0.1,
 * port 0 (any free port) unless told otherwise.
 *
 * A plain node:https server: two POST endpoints need no framework, and a second Fastify in the
 * demo daemon cost its start ~3 % of its CPU (its router compiles some 270 functions; #25).
 */
import { createServer, type Server as HttpsServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { DukcapilCredentials, UplinkEndpoint } from '../../uplink/endpoint.ts';
import type { ClockPort } from '../../flow/ports.ts';
import { foreignCertificate, generateTestPki, type TestPki } from './pki.ts';
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
/** The two endpoints, under the institution's path. */
const ENDPOINT = /^\/dukcapil\/get_json\/([^/?#]+)\/(CALL_NIK|CALL_VERIFY_BY_ELEMEN)(?:\?.*)?$/;
/** A request body larger than this is refused (413), as by a web server's default limit (1 MiB). */
const BODY_LIMIT_BYTES = 1 << 20;
/** A request (headers and body) not received within this is cut; the answer's own faults are not bounded by it. */
const REQUEST_TIMEOUT_MS = 10_000;
/** More clients at once than any test or demo makes: the rest are refused at connect. */
const MAX_CONNECTIONS = 64;

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
  const pki = await generateTestPki('Dukcapil simulator test CA', hostNames);
  // Made the first time the fault asks for it: most runs never do.
  let foreign: TestPki | undefined;
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
    const p: TestPki = f?.kind === 'foreignCertificate' ? (foreign ??= foreignCertificate('Unrelated test CA', hostNames)) : pki;
    return { key: p.serverKeyPem, cert: p.serverCertPem, ca: [] };
  };
  const server: HttpsServer = createServer(
    { ...tlsFor(fault), headersTimeout: REQUEST_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
    (req, res) => void serve(req, res),
  );
  server.maxConnections = MAX_CONNECTIONS;
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
  async function injectFault(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const f = fault;
    if (!f || f.kind === 'foreignCertificate') return false;
    switch (f.kind) {
      case 'latency':
        await sleep(f.ms);
        return false;
      case 'status':
        answer(res, f.code, 'text/plain; charset=utf-8', 'Service Unavailable');
        return true;
      case 'malformedJson':
        answer(res, 200, JSON_TYPE, '{"content":[{"RESPON":"Data Ditemukan","NIK":33');
        return true;
      case 'oversizedBody':
        answer(res, 200, JSON_TYPE, JSON.stringify({ content: [{ RESPON: 'x'.repeat(100 * 1024) }] }));
        return true;
      case 'redirect':
        res.writeHead(307, { location: f.location }).end();
        return true;
      case 'reset':
        req.socket.destroy();
        return true;
      case 'slowBody': {
        res.writeHead(200, { 'content-type': JSON_TYPE });
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

  /** One request: the endpoint, its JSON body, then the fault or the registry's answer. */
  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const endpoint = ENDPOINT.exec(req.url ?? '');
      if (!endpoint || req.method !== 'POST') return answerJson(res, 404, { error: 'Not Found', message: 'no such endpoint' });
      const body = await readJsonBody(req);
      if ('refused' in body) {
        // The rest of a body too large was not read: the connection ends with the answer.
        if (body.refused === 413) res.setHeader('connection', 'close');
        return answerJson(res, body.refused, { error: STATUS_TEXT[body.refused], message: STATUS_TEXT[body.refused] });
      }
      const institutionInPath = decodePathSegment(endpoint[1]!);
      if (institutionInPath === null) return answerJson(res, 400, { error: STATUS_TEXT[400], message: 'bad path' });
      await handle(endpoint[2] as 'CALL_NIK' | 'CALL_VERIFY_BY_ELEMEN', institutionInPath, body.json, req, res);
    } catch {
      if (!res.headersSent) answerJson(res, 500, { error: 'Internal Server Error', message: 'simulator error' });
      else res.destroy();
    }
  }

  async function handle(
    method: 'CALL_NIK' | 'CALL_VERIFY_BY_ELEMEN',
    institutionInPath: string,
    requestBody: unknown,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    hitCount += 1;
    if (await injectFault(req, res)) return;
    const style = conditions.style;
    const send = (payload: Record<string, unknown>) => answerJson(res, 200, payload);
    const refuse = (name: RefusalName) => send(refusal(name, style));
    const body = new Map(Object.entries(isRecord(requestBody) ? requestBody : {}).map(([k, v]) => [k.toUpperCase(), v] as const));
    const userId = body.get('USER_ID');
    const password = body.get('PASSWORD');
    const ipUser = body.get('IP_USER');
    if (institutionInPath !== institution || !conditions.institutionActive) return refuse('institutionInactive');
    if (!userId || !password) return refuse('emptyCredentials');
    if (userId !== credentials.userId || password !== credentials.password) return refuse('loginFailed');
    if (!conditions.userActive) return refuse('userInactive');
    if (!LOCAL_SOURCES.has(req.socket.remoteAddress ?? '')) return refuse('invalidSourceIp');
    if (ipUser !== credentials.ipUser) return refuse('ipMismatch');
    if (!withinAccessHours()) return refuse('outsideHours');
    const nik = body.get('NIK');
    if (nik === undefined || nik === null || nik === '') return refuse('incompleteParameters');
    const q = todaysQuota();
    if (q.used >= dailyQuota) return refuse('quotaReached');
    q.used += 1;
    const found = await lookup(String(nik));
    if (found.kind === 'refused') return refuse(found.name);
    if (method === 'CALL_NIK') return send(callNikAnswer(found, style, conditions.duplicateNiks.includes(found.person.nik)));
    const threshold = Number(body.get('TRESHOLD'));
    const judged = conditions.judgesNikOnly ? new Map([...body].filter(([k]) => k === 'NIK')) : body;
    return send(verifyAnswer(found, judged, Number.isFinite(threshold) ? threshold : 80, style));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
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
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const JSON_TYPE = 'application/json; charset=utf-8';
const STATUS_TEXT: Record<400 | 413 | 415, string> = { 400: 'Bad Request', 413: 'Payload Too Large', 415: 'Unsupported Media Type' };

function answer(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) }).end(body);
}

function answerJson(res: ServerResponse, status: number, payload: Record<string, unknown>): void {
  answer(res, status, JSON_TYPE, JSON.stringify(payload));
}

function decodePathSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/**
 * The request's JSON body (none when empty), or the status that refuses it: 413 too large (the rest
 * is not read, and the connection closes after the answer), 415 not JSON, 400 not parseable.
 */
function readJsonBody(req: IncomingMessage): Promise<{ json: unknown } | { refused: 400 | 413 | 415 }> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= BODY_LIMIT_BYTES) return void chunks.push(chunk);
      req.off('data', onData).pause();
      resolve({ refused: 413 });
    };
    req.on('data', onData).once('error', reject);
    req.once('end', () => {
      if (size === 0) return resolve({ json: undefined });
      if (type !== 'application/json') return resolve({ refused: 415 });
      try {
        resolve({ json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown });
      } catch {
        resolve({ refused: 400 });
      }
    });
  });
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
