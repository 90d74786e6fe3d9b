/**
 * Simulator of Disdukcapil's data balikan endpoint (the wire format of device/return-data/wire.ts):
 * HTTPS (fastify) with its own test CA, login check, per-entry checks, and a record that keeps
 * each idempotency key once, answering a repeat as "Data Sudah Ada". Fault injection for tests:
 * fail the next N requests, hang, answer 5xx, or record and then lose the answer.
 * Demo modes deliver to it; it never ships in the production bundle. Listens on 127.0.0.1.
 */
import Fastify from 'fastify';
import { X509Certificate } from 'node:crypto';
import type { Server as HttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { Static } from 'typebox';
import * as Type from 'typebox/type';
import * as Value from 'typebox/value';
import type { DukcapilCredentials } from '../../uplink/endpoint.ts';
import { spkiSha256 } from '../../uplink/transport.ts';
import type { ReturnDataEndpoint } from '../../return-data/delivery.ts';
import { RESPON, type WireAnswer, type WireEntry } from '../../return-data/wire.ts';
import { DEMO_CREDENTIALS, DEMO_INSTITUTION } from '../dukcapil/server.ts';
import { generateTestPki } from '../dukcapil/pki.ts';

export type ReturnDataFault =
  /** Answers this status without recording anything. */
  | { kind: 'status'; code: number }
  /** Takes the request and never answers (until the client gives up or the simulator closes). */
  | { kind: 'hang' }
  /** Records the batch, then drops the connection: the kiosk never hears the confirmation. */
  | { kind: 'recordThenReset' }
  /** Records the batch, then never answers. */
  | { kind: 'recordThenHang' };

export interface ReturnDataSimulator {
  url: string;
  caPem: string;
  /** The server key's pin (base64 SHA-256 of its SubjectPublicKeyInfo), for the SPKI pin setting. */
  spkiSha256: string;
  credentials: DukcapilCredentials;
  /** The next `count` requests meet `fault`; later ones are served normally. */
  failNext(count: number, fault: ReturnDataFault): void;
  /** Every request meets `fault` until cleared with null. */
  setFault(fault: ReturnDataFault | null): void;
  /**
   * How answers are written: upper-case keys and codes as text (the default), or as another
   * deployment writes them (lower-case keys, codes as JSON numbers).
   */
  setAnswerStyle(style: { keys: 'upper' | 'lower'; numericCodes: boolean }): void;
  /**
   * Entries whose key matches are neither recorded nor refused: answered with a code the kiosk
   * does not act on ('unknownCode', 99 "Sedang Diproses"), or left out of the answer ('noAnswer').
   */
  leaveUnsettled(matches: ((idempotencyKey: string) => boolean) | null, how?: 'unknownCode' | 'noAnswer'): void;
  /** How often an entry with this key was received, repeats included. */
  timesReceived(idempotencyKey: string): number;
  /** Requests that reached the endpoint (TLS handshakes alone do not count). */
  requests(): number;
  /** Entries received in all requests, repeats included. */
  entriesReceived(): number;
  /** What the registry holds: one entry per idempotency key. */
  recorded(): ReadonlyMap<string, WireEntry>;
  close(): Promise<void>;
}

const Entry = Type.Object({
  IDEMPOTENCY_KEY: Type.String({ minLength: 1, maxLength: 64 }),
  NIK: Type.String({ maxLength: 32 }),
  NOP_PBB: Type.Union([Type.String({ maxLength: 64 }), Type.Null()]),
  NPWPD: Type.Union([Type.String({ maxLength: 64 }), Type.Null()]),
  TGL_AKSES: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' }),
});
const Request = Type.Object({
  USER_ID: Type.String({ maxLength: 256 }),
  PASSWORD: Type.String({ maxLength: 256 }),
  IP_USER: Type.String({ maxLength: 64 }),
  JUMLAH: Type.Integer({ minimum: 1, maximum: 500 }),
  DATA: Type.Array(Entry, { minItems: 1, maxItems: 500 }),
});
type Request = Static<typeof Request>;

export async function startReturnDataSimulator(
  opts: { credentials?: DukcapilCredentials; institution?: string } = {},
): Promise<ReturnDataSimulator> {
  const credentials = opts.credentials ?? DEMO_CREDENTIALS;
  const institution = opts.institution ?? DEMO_INSTITUTION;
  const pki = await generateTestPki('Data balikan simulator test CA', { ips: ['127.0.0.1', '::1'], dnsNames: ['localhost'] });
  const record = new Map<string, WireEntry>();
  const sockets = new Set<Socket>();
  const queued: ReturnDataFault[] = [];
  let standing: ReturnDataFault | null = null;
  let stuck: { pick: (key: string) => boolean; code: string } | null = null;
  let requestCount = 0;
  let entryCount = 0;
  let style = { keys: 'upper' as 'upper' | 'lower', numericCodes: false };
  let unsettled: { matches: (key: string) => boolean; how: 'unknownCode' | 'noAnswer' } | null = null;
  const received = new Map<string, number>();
  const written = (answer: WireAnswer) => {
    const fields = Object.entries(answer).map(([k, v]) => [k, style.numericCodes && k === 'RESPONSE_CODE' ? Number(v) : v] as const);
    return Object.fromEntries(fields.map(([k, v]) => [style.keys === 'lower' ? k.toLowerCase() : k, v]));
  };

  // No client certificates asked: `ca: []` spares loading Node's bundled roots (device/sim/dukcapil/server.ts).
  const app = Fastify({ logger: false, bodyLimit: 256 * 1024, https: { key: pki.serverKeyPem, cert: pki.serverCertPem, ca: [] } });
  const server = app.server as unknown as HttpsServer;
  server.on('secureConnection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const path = `/dukcapil/get_json/${institution}/DATA_BALIKAN`;
  const incomplete = { content: [RESPON.incomplete] };

  app.post(path, async (request, reply) => {
    requestCount += 1;
    const fault = queued.shift() ?? standing;
    if (fault?.kind === 'status') return reply.code(fault.code).type('text/plain').send('Service Unavailable');
    if (fault?.kind === 'hang') {
      reply.hijack();
      return reply;
    }
    if (!Value.Check(Request, request.body)) return reply.code(400).send(incomplete);
    const body = request.body as Request;
    if (body.JUMLAH !== body.DATA.length) return reply.code(400).send(incomplete);
    if (body.USER_ID !== credentials.userId || body.PASSWORD !== credentials.password || body.IP_USER !== credentials.ipUser) {
      return reply.send({ content: [written(RESPON.loginFailed)], numberOfElements: 1 });
    }
    entryCount += body.DATA.length;
    const content: WireAnswer[] = body.DATA.flatMap((e): WireAnswer[] => {
      const key = e.IDEMPOTENCY_KEY;
      received.set(key, (received.get(key) ?? 0) + 1);
      if (unsettled?.matches(key))
        return unsettled.how === 'noAnswer' ? [] : [{ IDEMPOTENCY_KEY: key, RESPON: 'Sedang Diproses', RESPONSE_CODE: '99' }];
      if (!/^[0-9]{16}$/.test(e.NIK) || (e.NOP_PBB === null && e.NPWPD === null)) return [{ IDEMPOTENCY_KEY: key, ...RESPON.incomplete }];
      if (record.has(key)) return [{ IDEMPOTENCY_KEY: key, ...RESPON.duplicate }];
      record.set(key, e);
      return [{ IDEMPOTENCY_KEY: key, ...RESPON.accepted }];
    });
    if (fault?.kind === 'recordThenReset') {
      reply.hijack();
      request.raw.socket.destroy();
      return reply;
    }
    if (fault?.kind === 'recordThenHang') {
      reply.hijack();
      return reply;
    }
    return reply.send({ content: content.map(written), numberOfElements: content.length });
  });

  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('simulator did not bind a TCP port');

  return {
    url: `https://127.0.0.1:${address.port}${path}`,
    caPem: pki.caPem,
    spkiSha256: spkiSha256({ raw: new X509Certificate(pki.serverCertPem).raw }),
    credentials,
    failNext: (count, fault) => {
      for (let i = 0; i < count; i++) queued.push(fault);
    },
    setFault: (fault) => {
      standing = fault;
    },
    setAnswerStyle: (next) => {
      style = next;
    },
    leaveUnsettled: (matches, how = 'unknownCode') => {
      unsettled = matches && { matches, how };
    },
    timesReceived: (key) => received.get(key) ?? 0,
    requests: () => requestCount,
    entriesReceived: () => entryCount,
    recorded: () => record,
    close: async () => {
      for (const s of sockets) s.destroy();
      await app.close();
    },
  };
}

/** The endpoint configuration that points the real delivery worker at a running simulator. */
export function returnDataSimulatorEndpoint(sim: ReturnDataSimulator, overrides: Partial<ReturnDataEndpoint> = {}): ReturnDataEndpoint {
  return { url: sim.url, caPem: sim.caPem, connectTimeoutMs: 3000, totalTimeoutMs: 10000, ...overrides };
}
