/**
 * What every listener of the daemon puts in front of its routes (the kiosk's loopback one and
 * the staff LAN one): the limits of limits.ts, the Host/Origin check of edge.ts before anything
 * else runs, typed 400s that never echo input, a 404 for unknown routes, and headers that keep
 * responses out of caches and frames.
 */
import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { Logger } from '../log.ts';
import { EDGE_LIMITS } from './limits.ts';
import { refuseAtEdge, type EdgeAddress, type EdgeRefusal } from './edge.ts';
import { lazySchemaCompilers } from './lazy-schemas.ts';
import { RefusalLog } from './refusal-log.ts';

/** Thrown by a route for a refusal the caller can act on; becomes a typed reply, never a 500. */
export class RouteRefusal extends Error {
  override readonly name = 'RouteRefusal';
  constructor(
    readonly statusCode: number,
    readonly error: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * TLS 1.2 suites of the staff LAN listener: ECDHE key exchange only (forward secrecy: a key
 * taken from the board later does not open recorded sessions) with AEAD ciphers. TLS 1.3 suites
 * are all forward-secret.
 */
export const LAN_TLS12_CIPHERS = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

/** `tls`: serve HTTPS with this certificate and key (the staff LAN listener). */
export function edgeServerOptions(logger: Logger, tls?: { cert: string; key: string }): FastifyServerOptions {
  // Node checks the header and request deadlines on this tick; its default (30 s) would let a
  // slow client hold a connection far past them.
  const deadlines = { headersTimeout: EDGE_LIMITS.headersTimeoutMs, connectionsCheckingInterval: 1_000 };
  const https = tls && {
    ...deadlines,
    cert: tls.cert,
    key: tls.key,
    minVersion: 'TLSv1.2',
    ciphers: LAN_TLS12_CIPHERS,
    honorCipherOrder: true,
    // Before the handshake no HTTP deadline runs: a connection that never starts TLS is cut here.
    handshakeTimeout: EDGE_LIMITS.tlsHandshakeTimeoutMs,
  };
  return {
    // Request lines are not worth a log entry on a kiosk; warnings and errors are.
    loggerInstance: logger.child({ component: 'http' }, { level: 'warn' }),
    bodyLimit: EDGE_LIMITS.bodyBytes,
    requestTimeout: EDGE_LIMITS.requestTimeoutMs,
    keepAliveTimeout: EDGE_LIMITS.keepAliveTimeoutMs,
    connectionTimeout: EDGE_LIMITS.connectionIdleTimeoutMs,
    ...(https ? { https } : { http: deadlines }),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
    schemaController: { compilersFactory: lazySchemaCompilers() },
    // No HEAD twin for every GET: no page or screen sends HEAD, and the twins were a quarter of the
    // routes a start registers (~3.5 % of a demo start's instructions, #25). A route that wants
    // HEAD says so (/healthz, for probes).
    exposeHeadRoutes: false,
  } as FastifyServerOptions;
}

export interface GuardOptions {
  logger: Logger;
  /** The configured listen address; a Host or Origin must name it (or loopback) and its port. */
  address: EdgeAddress;
  /** Errors of the listener's own kinds, mapped to a reply before the generic ones. */
  mapError?: (err: unknown) => { statusCode: number; error: string; message: string } | null;
  /**
   * Open connections one peer address may hold (the staff LAN listener: many addresses share it).
   * Unset on the kiosk's loopback listener, where every client has the same address.
   */
  connectionsPerAddress?: number;
}

/** What the guard leaves for the listener's other parts. */
export interface Guarded {
  /** Rate-limited warn lines for refusals (refusal-log.ts), flushed when the server closes. */
  refusals: RefusalLog;
}

const REFUSAL_STATUS: Record<EdgeRefusal, number> = { foreignHost: 421, foreignOrigin: 403, missingOrigin: 403, duplicateHost: 400 };

export function guardEdge(app: FastifyInstance, opts: GuardOptions): Guarded {
  const refusals = new RefusalLog(opts.logger);
  app.addHook('onClose', async () => refusals.close());

  // Validation errors become typed 400s whose text never echoes the input.
  app.setErrorHandler((err: { validation?: unknown; statusCode?: number; name?: string; message?: string }, _req, reply) => {
    if (err instanceof RouteRefusal) return reply.code(err.statusCode).send({ error: err.error, message: err.message });
    const mapped = opts.mapError?.(err);
    if (mapped) return reply.code(mapped.statusCode).send({ error: mapped.error, message: mapped.message });
    if (err.validation || (err.statusCode && err.statusCode >= 400 && err.statusCode < 500)) {
      return reply
        .code(err.statusCode && err.statusCode !== 500 ? err.statusCode : 400)
        .send({ error: 'badRequest', message: 'request is not valid' });
    }
    opts.logger.error({ event: 'httpError', err: { name: err.name } }, 'request failed');
    return reply.code(500).send({ error: 'internal', message: 'internal error' });
  });
  app.setNotFoundHandler((_req, reply) => reply.code(404).send({ error: 'notFound', message: 'no such route' }));

  app.server.maxConnections = EDGE_LIMITS.maxConnections;
  app.server.on('drop', () =>
    refusals.refused({ event: 'connectionRefused', refusal: 'maxConnections' }, 'connection refused: too many open'),
  );
  const perAddress = opts.connectionsPerAddress;
  if (perAddress !== undefined) {
    // Counted on the TCP connection, before TLS: a peer that never starts a handshake counts too.
    const open = new Map<string, number>();
    app.server.on('connection', (socket: Socket) => {
      const address = socket.remoteAddress ?? '';
      const count = open.get(address) ?? 0;
      if (count >= perAddress) {
        refusals.refused({ event: 'connectionRefused', refusal: 'perAddress' }, 'connection refused: too many from one address');
        socket.destroy();
        return;
      }
      open.set(address, count + 1);
      socket.once('close', () => {
        const left = (open.get(address) ?? 1) - 1;
        if (left > 0) open.set(address, left);
        else open.delete(address);
      });
    });
  }

  // Host and Origin before anything else runs, a WebSocket upgrade included (see edge.ts).
  app.addHook('onRequest', async (req, reply) => {
    const upgrade = req.headers.upgrade !== undefined;
    const changesState = upgrade || (req.method !== 'GET' && req.method !== 'HEAD');
    // inject() and injectWS() build requests without a real socket: the configured port stands in.
    const address = { ...opts.address, port: req.socket?.localPort ?? opts.address.port };
    const refusal = refuseAtEdge(req.headers, req.socket?.remoteAddress, address, changesState, hostHeaders(req.raw.rawHeaders));
    if (refusal) {
      refusals.refused({ event: 'edgeRefused', refusal, method: req.method }, 'request refused at the edge');
      return reply.code(REFUSAL_STATUS[refusal]).send({ error: refusal, message: 'request refused' });
    }
    return undefined;
  });

  // An upgrade request is handed over by Node without its HTTP parser or timeouts: when it is
  // answered with anything but 101 (refused here, by the stream limit, a 404), nobody else would
  // ever close its socket. Closed once the answer is flushed, without waiting for the client.
  app.addHook('onResponse', async (req) => {
    // Node marks such a request `upgrade` (untyped in @types/node).
    if ((req.raw as { upgrade?: boolean }).upgrade === true) req.raw.socket.destroySoon();
  });

  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('cache-control', 'no-store');
    reply.header('x-content-type-options', 'nosniff');
    // blob: images are the page's own: the card photo of a staff face check is held as a Blob in
    // memory (never a URL another page could load), and shown from it.
    reply.header(
      'content-security-policy',
      "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'",
    );
    return payload;
  });
  return { refusals };
}

/** How many Host header lines the request carried (Node keeps the first of several). */
function hostHeaders(raw: string[] | undefined): number {
  let n = 0;
  for (let i = 0; raw && i < raw.length; i += 2) if (raw[i]!.toLowerCase() === 'host') n += 1;
  return n;
}
