/**
 * The fleet's one HTTPS listener. Three kinds of caller reach it, and each is told apart before
 * a body is read:
 * - kiosks, under /api/kiosk/: mutual TLS. The handshake asks for a client certificate signed
 *   by the fleet CA; a request without one, or whose certificate is not the one on file for a
 *   kiosk that is not revoked, gets 401 and nothing else.
 * - a kiosk being enrolled, /api/enrol: the one-time token is the credential (no certificate yet).
 * - administrators in a browser, /api/admin/ and the dashboard: a session cookie and a CSRF
 *   token; Host must name the fleet's address and a state-changing request's Origin its page.
 * Every body is checked against its schema (400, never 500), every size and time is bounded.
 * The instance keeps nothing between requests: PostgreSQL holds all state, so any instance
 * behind the address answers any request.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import type { Pool } from 'pg';
import type { Static, TSchema } from 'typebox';
import * as Type from 'typebox/type';
import * as Value from 'typebox/value';
import type { Logger } from '../device/log.ts';
import { refuseAtEdge } from '../device/server/edge.ts';
import { parseSemester } from '../device/report/semester.ts';
import { printPdf, PdfPrintError, type PdfPrinterOptions } from '../device/report/pdf.ts';
import {
  EnrolAnswer,
  EnrolRequest,
  ErrorBody,
  FiguresRequest,
  ForwardAnswer,
  ForwardRequest,
  HeartbeatRequest,
  KIOSK_ID_PATTERN,
  LeaseAnswerSchema,
  LeaseIdParams,
  LeaseRequest,
  SettleAnswerSchema,
  SettleRequest,
} from '../device/fleet/protocol.ts';
import { AdminAuth, ADMIN_SESSION, cookieToken, CSRF_HEADER, sessionCookie } from './admin/auth.ts';
import { Enrolment, EnrolmentRefused } from './enrolment.ts';
import { fleetOverview } from './overview.ts';
import type { QuotaLeases } from './quota/leases.ts';
import { computeFleetReport, fleetReportHtml, fleetReportXlsx, storeKioskFigures, type FleetReportHeader } from './report.ts';
import type { FleetReturnData } from './return-data.ts';
import { exportFile, exportFleetReturnData, NothingPending } from './return-data-export.ts';

export const FLEET_LIMITS = {
  /** The largest legitimate body: 200 data balikan entries (about 40 KiB) or a semester of figures. */
  bodyBytes: 256 * 1024,
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  keepAliveTimeoutMs: 30_000,
  connectionIdleTimeoutMs: 120_000,
  /** A kiosk keeps one or two connections; the rest is room for administrators and a burst. */
  maxConnections: 1024,
} as const;

export interface FleetTls {
  certPem: string;
  keyPem: string;
  caPem: string;
}

export interface FleetAppDeps {
  pool: Pool;
  leases: QuotaLeases;
  enrolment: Enrolment;
  returnData: FleetReturnData;
  auth: AdminAuth;
  tls: FleetTls;
  /** The address kiosks and browsers use (a host name or IP and the port): Host must name it. */
  publicAddress: { host: string; port: number };
  report: FleetReportHeader & { pdf: PdfPrinterOptions };
  /** The built fleet dashboard (dist/fleet-ui): index.html and main.js. */
  uiDir: string;
  /** Heartbeats older than this mark a kiosk silent on the dashboard. */
  silentAfterMs: number;
  instance: string;
  now: () => Date;
  logger: Logger;
}

declare module 'fastify' {
  interface FastifyRequest {
    kioskId?: string;
    adminId?: string;
  }
}

const refusal = (error: string, message: string) => ({ error, message });

/** The server certificate (and any intermediates it came with), then the fleet CA unless it is there already. */
export function presentedChain(certPem: string, caPem: string): string {
  const ca = new X509Certificate(caPem);
  const present = (certPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).some((c) => {
    try {
      return new X509Certificate(c).fingerprint256 === ca.fingerprint256;
    } catch {
      return false;
    }
  });
  return present ? certPem : `${certPem.trimEnd()}\n${caPem.trim()}\n`;
}

function serverOptions(deps: FleetAppDeps): FastifyServerOptions {
  return {
    loggerInstance: deps.logger.child({ component: 'http' }, { level: 'warn' }),
    bodyLimit: FLEET_LIMITS.bodyBytes,
    requestTimeout: FLEET_LIMITS.requestTimeoutMs,
    keepAliveTimeout: FLEET_LIMITS.keepAliveTimeoutMs,
    connectionTimeout: FLEET_LIMITS.connectionIdleTimeoutMs,
    https: {
      headersTimeout: FLEET_LIMITS.headersTimeoutMs,
      connectionsCheckingInterval: 1_000,
      // The chain up to the fleet CA: an enrolling kiosk checks it against its token's pin in the
      // handshake, before it sends anything (device/fleet/enrolment.ts).
      cert: presentedChain(deps.tls.certPem, deps.tls.caPem),
      key: deps.tls.keyPem,
      // Asked of every client, required on /api/kiosk/ (checked per request below): browsers
      // and the enrolling kiosk have none.
      ca: [deps.tls.caPem],
      requestCert: true,
      rejectUnauthorized: false,
      minVersion: 'TLSv1.2',
    },
  } as FastifyServerOptions;
}

export async function buildFleetApp(deps: FleetAppDeps): Promise<FastifyInstance> {
  const app = Fastify(serverOptions(deps));
  app.server.maxConnections = FLEET_LIMITS.maxConnections;
  // Input exactly as declared: no coercion, nothing dropped or added.
  app.setValidatorCompiler(
    ({ schema }) =>
      (data: unknown) =>
        Value.Check(schema as TSchema, data) ? { value: data } : { error: new Error('request is not valid') },
  );
  app.setErrorHandler((err: { validation?: unknown; statusCode?: number; name?: string }, _req, reply) => {
    if (err.validation || (err.statusCode && err.statusCode >= 400 && err.statusCode < 500)) {
      return reply
        .code(err.statusCode && err.statusCode !== 500 ? err.statusCode : 400)
        .send(refusal('badRequest', 'request is not valid'));
    }
    deps.logger.error({ event: 'fleetHttpError', err: { name: err.name } }, 'request failed');
    return reply.code(500).send(refusal('internal', 'internal error'));
  });
  app.setNotFoundHandler((_req, reply) => reply.code(404).send(refusal('notFound', 'no such route')));

  const address = { host: deps.publicAddress.host, port: deps.publicAddress.port, tls: true };
  app.addHook('onRequest', async (req, reply) => {
    // The Host names the fleet everywhere (DNS rebinding); the Origin check is for the browser's calls only.
    const browserWrite = req.url.startsWith('/api/admin/') && req.method !== 'GET' && req.method !== 'HEAD';
    const refused = refuseAtEdge(req.headers, req.socket?.remoteAddress, address, browserWrite);
    if (refused) {
      deps.logger.warn({ event: 'fleetEdgeRefused', refusal: refused, method: req.method }, 'request refused at the edge');
      return reply.code(refused === 'foreignHost' ? 421 : 403).send(refusal(refused, 'request refused'));
    }
    return undefined;
  });
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('cache-control', 'no-store');
    reply.header('x-content-type-options', 'nosniff');
    reply.header('strict-transport-security', 'max-age=31536000');
    reply.header('x-anjungan-fleet-instance', deps.instance);
    reply.header(
      'content-security-policy',
      "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'",
    );
    return payload;
  });

  app.get('/healthz', async (_req, reply) => {
    try {
      await deps.pool.query('SELECT 1');
      return { ok: true, instance: deps.instance };
    } catch {
      return reply.code(503).send({ ok: false, instance: deps.instance });
    }
  });

  await app.register(async (s) => enrolRoutes(s, deps), { prefix: '/api/enrol' });
  await app.register(async (s) => kioskRoutes(s, deps), { prefix: '/api/kiosk' });
  await app.register(async (s) => adminRoutes(s, deps), { prefix: '/api/admin' });
  dashboardFiles(app, deps.uiDir);
  return app;
}

function enrolRoutes(app: FastifyInstance, deps: FleetAppDeps): void {
  // The fleet CA, for an administrator to read (kiosks find it in the handshake and check it against their token's pin).
  app.get('/ca', async (_req, reply) => reply.header('content-type', 'application/x-pem-file').send(deps.tls.caPem));
  app.post<{ Body: Static<typeof EnrolRequest> }>(
    '/',
    { schema: { body: EnrolRequest, response: { 200: EnrolAnswer, 400: ErrorBody, 401: ErrorBody } } },
    async (req, reply) => {
      try {
        return await deps.enrolment.enrol(req.body.token, req.body.csr);
      } catch (e) {
        if (e instanceof EnrolmentRefused && e.code === 'csrRefused')
          return reply.code(400).send(refusal('csrRefused', 'the certificate request is not a P-256 request with a valid signature'));
        if (e instanceof EnrolmentRefused) {
          deps.logger.warn({ event: 'enrolmentRefused', code: e.code }, 'enrolment refused');
          return reply
            .code(401)
            .send(refusal('tokenRefused', 'the enrolment token is unknown, used or expired: ask the fleet administrator for a new one'));
        }
        throw e;
      }
    },
  );
}

function kioskRoutes(app: FastifyInstance, deps: FleetAppDeps): void {
  app.addHook('onRequest', async (req, reply) => {
    const socket = req.raw.socket as TLSSocket;
    const certificate = socket.authorized ? socket.getPeerCertificate() : null;
    const kioskId = certificate?.raw ? await deps.enrolment.kioskOf(certificate.raw) : null;
    if (!kioskId) {
      deps.logger.warn(
        { event: 'kioskRefused', authorized: socket.authorized === true },
        'kiosk request without a valid client certificate',
      );
      return reply.code(401).send(refusal('clientCertificate', 'a kiosk must present the client certificate the fleet issued to it'));
    }
    req.kioskId = kioskId;
    return undefined;
  });

  app.post<{ Body: Static<typeof LeaseRequest> }>(
    '/leases',
    { schema: { body: LeaseRequest, response: { 200: LeaseAnswerSchema } } },
    async (req) => deps.leases.reserve(req.kioskId!, req.body.requestId, req.body.size),
  );
  app.post<{ Params: Static<typeof LeaseIdParams>; Body: Static<typeof SettleRequest> }>(
    '/leases/:id/settle',
    { schema: { params: LeaseIdParams, body: SettleRequest, response: { 200: SettleAnswerSchema, 404: ErrorBody, 409: ErrorBody } } },
    async (req, reply) => {
      const answer = await deps.leases.settle(req.kioskId!, req.params.id, req.body.used);
      if (answer.settled) return { lease: answer.lease, day: answer.day };
      if (answer.refusal === 'unknownLease') return reply.code(404).send(refusal('unknownLease', 'no such lease of this kiosk'));
      return reply.code(409).send(refusal(answer.refusal, 'the lease cannot be settled with that figure'));
    },
  );
  app.post<{ Body: Static<typeof HeartbeatRequest> }>('/heartbeat', { schema: { body: HeartbeatRequest } }, async (req) => {
    const { health, kiosk, agreement, leases, returnData, quota } = req.body;
    await deps.pool.query(
      `INSERT INTO kiosk_status (kiosk_id, heartbeat_at, health, quota) VALUES ($1, $2, $3, $4)
       ON CONFLICT (kiosk_id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at, health = excluded.health, quota = excluded.quota`,
      [req.kioskId, deps.now(), JSON.stringify({ health, kiosk, agreement, leases, returnData }), JSON.stringify(quota)],
    );
    return { day: await deps.leases.today() };
  });
  app.post<{ Body: Static<typeof ForwardRequest> }>(
    '/return-data',
    { schema: { body: ForwardRequest, response: { 200: ForwardAnswer } } },
    async (req) => deps.returnData.receive(req.kioskId!, req.body.entries),
  );
  app.put<{ Body: Static<typeof FiguresRequest> }>('/figures', { schema: { body: FiguresRequest } }, async (req) => {
    await storeKioskFigures(deps.pool, req.kioskId!, req.body, deps.now());
    return { stored: req.body.months.length };
  });
}

const SignInBody = Type.Object(
  { adminId: Type.String({ minLength: 1, maxLength: 32 }), password: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
const NewKioskBody = Type.Object(
  {
    id: Type.String({ pattern: KIOSK_ID_PATTERN }),
    site: Type.String({ minLength: 1, maxLength: 120, pattern: '^[^\\u0000-\\u001f<>]+$' }),
  },
  { additionalProperties: false },
);
const KioskParams = Type.Object({ id: Type.String({ pattern: KIOSK_ID_PATTERN }) }, { additionalProperties: false });
const NoBody = Type.Union([Type.Undefined(), Type.Null(), Type.Object({}, { additionalProperties: false })]);
const ExportBody = Type.Object({ format: Type.Enum(['xlsx', 'csv']) }, { additionalProperties: false });
const ExportFileParams = Type.Object(
  { id: Type.String({ pattern: '^[0-9a-f]{12}$' }), file: Type.String({ maxLength: 120, pattern: '^[A-Za-z0-9._-]+$' }) },
  { additionalProperties: false },
);
const ReportParams = Type.Object(
  { file: Type.String({ maxLength: 16, pattern: '^[0-9]{4}-[12]\\.(xlsx|pdf)$' }) },
  { additionalProperties: false },
);

async function adminRoutes(app: FastifyInstance, deps: FleetAppDeps): Promise<void> {
  const { auth } = deps;
  const audit = (code: string, adminId: string | null, kioskId: string | null = null, outcome: string | null = null) =>
    deps.pool.query('INSERT INTO fleet_event (at, code, admin_id, kiosk_id, outcome) VALUES ($1, $2, $3, $4, $5)', [
      deps.now(),
      code,
      adminId,
      kioskId,
      outcome,
    ]);

  app.post<{ Body: Static<typeof SignInBody> }>('/session', { schema: { body: SignInBody } }, async (req, reply) => {
    const result = await auth.signIn(req.body.adminId, req.body.password);
    if (!result.ok) {
      await audit('adminSignInRefused', null, null, result.reason);
      return reply
        .code(result.reason === 'locked' ? 423 : 401)
        .send(refusal(result.reason, result.reason === 'locked' ? 'too many wrong passwords: try again later' : 'wrong ID or password'));
    }
    await audit('adminSignedIn', req.body.adminId);
    reply.header('set-cookie', sessionCookie(result.token, ADMIN_SESSION.absoluteMs / 1000));
    return { adminId: req.body.adminId, csrf: result.csrf };
  });

  // Every other admin route: a live session, and for a change its CSRF token.
  const signedIn = async (req: FastifyRequest, reply: FastifyReply) => {
    const session = await auth.session(cookieToken(req.headers.cookie), req.headers['x-anjungan-refresh'] === undefined);
    if (!session) return reply.code(401).send(refusal('signedOut', 'sign in first'));
    if (req.method !== 'GET' && req.headers[CSRF_HEADER] !== session.csrf) return reply.code(403).send(refusal('csrf', 'request refused'));
    req.adminId = session.adminId;
    return undefined;
  };
  app.get('/session', async (req, reply) => {
    const session = await auth.session(cookieToken(req.headers.cookie));
    if (!session) return reply.code(401).send(refusal('signedOut', 'sign in first'));
    return { adminId: session.adminId, csrf: session.csrf };
  });
  app.delete('/session', { preHandler: signedIn }, async (req, reply) => {
    await auth.signOut(cookieToken(req.headers.cookie));
    reply.header('set-cookie', sessionCookie('', 0));
    return { signedOut: true };
  });

  app.get('/overview', { preHandler: signedIn }, async () =>
    fleetOverview(deps.pool, deps.leases, deps.returnData, { now: deps.now(), silentAfterMs: deps.silentAfterMs }),
  );

  app.post<{ Body: Static<typeof NewKioskBody> }>(
    '/kiosks',
    { schema: { body: NewKioskBody }, preHandler: signedIn },
    async (req, reply) => {
      try {
        const issued = await deps.enrolment.issueToken(req.body.id, req.body.site);
        await audit('kioskRegistered', req.adminId!, req.body.id);
        return { kioskId: req.body.id, ...issued };
      } catch (e) {
        if (e instanceof EnrolmentRefused)
          return reply.code(409).send(refusal('kioskExists', 'a kiosk with that ID is registered: issue it a new token instead'));
        throw e;
      }
    },
  );
  app.post<{ Params: Static<typeof KioskParams> }>(
    '/kiosks/:id/token',
    { schema: { params: KioskParams, body: NoBody }, preHandler: signedIn },
    async (req, reply) => {
      const site = (await deps.pool.query<{ site: string }>('SELECT site FROM kiosk WHERE id = $1', [req.params.id])).rows[0]?.site;
      if (site === undefined) return reply.code(404).send(refusal('unknownKiosk', 'no such kiosk'));
      return { kioskId: req.params.id, ...(await deps.enrolment.issueToken(req.params.id, site, true)) };
    },
  );
  app.post<{ Params: Static<typeof KioskParams> }>(
    '/kiosks/:id/revoke',
    { schema: { params: KioskParams, body: NoBody }, preHandler: signedIn },
    async (req, reply) => {
      try {
        await deps.enrolment.revoke(req.params.id);
      } catch (e) {
        if (e instanceof EnrolmentRefused) return reply.code(404).send(refusal('unknownKiosk', 'no such kiosk, or revoked already'));
        throw e;
      }
      await audit('kioskRevokedBy', req.adminId!, req.params.id);
      return { revoked: req.params.id };
    },
  );

  let reportBusy = false;
  app.get<{ Params: Static<typeof ReportParams> }>(
    '/report/semester/:file',
    { schema: { params: ReportParams }, preHandler: signedIn },
    async (req, reply) => {
      const [label, format] = req.params.file.split('.') as [string, 'xlsx' | 'pdf'];
      let semester;
      try {
        semester = parseSemester(label);
      } catch {
        return reply.code(400).send(refusal('badSemester', 'ask for YYYY-1 or YYYY-2'));
      }
      if (reportBusy) return reply.code(429).send(refusal('busy', 'a report is being made; try again shortly'));
      reportBusy = true;
      try {
        const report = await computeFleetReport(deps.pool, deps.report, semester, deps.now());
        const body = format === 'xlsx' ? await fleetReportXlsx(report) : await printPdf(fleetReportHtml(report), deps.report.pdf);
        await audit('fleetSemesterReport', req.adminId!, null, `${semester.label}.${format}`);
        return reply
          .header(
            'content-type',
            format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'application/pdf',
          )
          .header('content-disposition', `attachment; filename="laporan-semester-fleet-${semester.label}.${format}"`)
          .send(body);
      } catch (e) {
        if (e instanceof PdfPrintError) return reply.code(503).send(refusal('pdfUnavailable', e.message));
        throw e;
      } finally {
        reportBusy = false;
      }
    },
  );
  app.get<{ Params: { file: string } }>(
    '/report/semester/:file/figures',
    { schema: { params: ReportParams }, preHandler: signedIn },
    async (req, reply) => {
      try {
        return await computeFleetReport(deps.pool, deps.report, parseSemester(req.params.file.split('.')[0]!), deps.now());
      } catch {
        return reply.code(400).send(refusal('badSemester', 'ask for YYYY-1 or YYYY-2'));
      }
    },
  );

  app.post<{ Body: Static<typeof ExportBody> }>(
    '/return-data/export',
    { schema: { body: ExportBody }, preHandler: signedIn },
    async (req, reply) => {
      try {
        return await exportFleetReturnData(deps.pool, deps.returnData, req.body.format, req.adminId!, deps.now());
      } catch (e) {
        if (e instanceof NothingPending) return reply.code(409).send(refusal('nothingPending', e.message));
        throw e;
      }
    },
  );
  app.get<{ Params: Static<typeof ExportFileParams> }>(
    '/return-data/exports/:id/:file',
    { schema: { params: ExportFileParams }, preHandler: signedIn },
    async (req, reply) => {
      const file = await exportFile(deps.pool, req.params.id, req.params.file);
      if (!file) return reply.code(404).send(refusal('notFound', 'no such export file'));
      await audit('returnDataExportDownloaded', req.adminId!, null, req.params.id);
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', `attachment; filename="${req.params.file}"`)
        .send(file.body);
    },
  );
}

/** The dashboard page and its bundle, read once at start (absent in a test that needs no page). */
function dashboardFiles(app: FastifyInstance, uiDir: string): void {
  const read = (name: string) => {
    try {
      return readFileSync(join(uiDir, name));
    } catch {
      return null;
    }
  };
  const files: Record<string, { body: Buffer | null; type: string }> = {
    '/': { body: read('index.html'), type: 'text/html; charset=utf-8' },
    '/main.js': { body: read('main.js'), type: 'text/javascript; charset=utf-8' },
  };
  for (const [path, f] of Object.entries(files)) {
    app.get(path, async (_req, reply) =>
      f.body ? reply.header('content-type', f.type).send(f.body) : reply.code(404).send(refusal('notFound', 'the dashboard is not built')),
    );
  }
}
