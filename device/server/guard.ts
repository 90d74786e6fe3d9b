/**
 * What every listener of the daemon puts in front of its routes (the kiosk's loopback one and
 * the staff LAN one): the limits of limits.ts, the Host/Origin check of edge.ts before anything
 * else runs, typed 400s that never echo input, a 404 for unknown routes, and headers that keep
 * responses out of caches and frames.
 */
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { Logger } from '../log.ts';
import { EDGE_LIMITS } from './limits.ts';
import { refuseAtEdge, type EdgeAddress } from './edge.ts';

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

/** `tls`: serve HTTPS with this certificate and key (the staff LAN listener). */
export function edgeServerOptions(logger: Logger, tls?: { cert: string; key: string }): FastifyServerOptions {
  // Node checks the header and request deadlines on this tick; its default (30 s) would let a
  // slow client hold a connection far past them.
  const deadlines = { headersTimeout: EDGE_LIMITS.headersTimeoutMs, connectionsCheckingInterval: 1_000 };
  return {
    // Request lines are not worth a log entry on a kiosk; warnings and errors are.
    loggerInstance: logger.child({ component: 'http' }, { level: 'warn' }),
    bodyLimit: EDGE_LIMITS.bodyBytes,
    requestTimeout: EDGE_LIMITS.requestTimeoutMs,
    keepAliveTimeout: EDGE_LIMITS.keepAliveTimeoutMs,
    connectionTimeout: EDGE_LIMITS.connectionIdleTimeoutMs,
    ...(tls ? { https: { ...deadlines, cert: tls.cert, key: tls.key, minVersion: 'TLSv1.2' } } : { http: deadlines }),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
  } as FastifyServerOptions;
}

export interface GuardOptions {
  logger: Logger;
  /** The configured listen address; a Host or Origin must name it (or loopback) and its port. */
  address: EdgeAddress;
  /** Errors of the listener's own kinds, mapped to a reply before the generic ones. */
  mapError?: (err: unknown) => { statusCode: number; error: string; message: string } | null;
}

export function guardEdge(app: FastifyInstance, opts: GuardOptions): void {
  // Validation errors become typed 400s whose text never echoes the input.
  app.setErrorHandler((err: { validation?: unknown; statusCode?: number; name?: string; message?: string }, _req, reply) => {
    if (err instanceof RouteRefusal) return reply.code(err.statusCode).send({ error: err.error, message: err.message });
    const mapped = opts.mapError?.(err);
    if (mapped) return reply.code(mapped.statusCode).send({ error: mapped.error, message: mapped.message });
    if (err.validation || (err.statusCode && err.statusCode >= 400 && err.statusCode < 500)) {
      return reply.code(err.statusCode && err.statusCode !== 500 ? err.statusCode : 400).send({ error: 'badRequest', message: 'request is not valid' });
    }
    opts.logger.error({ event: 'httpError', err: { name: err.name } }, 'request failed');
    return reply.code(500).send({ error: 'internal', message: 'internal error' });
  });
  app.setNotFoundHandler((_req, reply) => reply.code(404).send({ error: 'notFound', message: 'no such route' }));

  app.server.maxConnections = EDGE_LIMITS.maxConnections;

  // Host and Origin before anything else runs, a WebSocket upgrade included (see edge.ts).
  app.addHook('onRequest', async (req, reply) => {
    const upgrade = req.headers.upgrade !== undefined;
    const changesState = upgrade || (req.method !== 'GET' && req.method !== 'HEAD');
    // inject() and injectWS() build requests without a real socket: the configured port stands in.
    const address = { ...opts.address, port: req.socket?.localPort ?? opts.address.port };
    const refusal = refuseAtEdge(req.headers, req.socket?.remoteAddress, address, changesState);
    if (refusal) {
      opts.logger.warn({ event: 'edgeRefused', refusal, method: req.method }, 'request refused at the edge');
      return reply.code(refusal === 'foreignHost' ? 421 : 403).send({ error: refusal, message: 'request refused' });
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
    reply.header(
      'content-security-policy',
      "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'",
    );
    return payload;
  });
}
