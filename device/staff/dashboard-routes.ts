/**
 * The staff dashboard's data and actions (paths under /api/staff): the kiosk's overview, alerts
 * with acknowledgement, recent sessions, pause and resume, and the staff-assist decisions an
 * operator signed in to the dashboard may take instead of typing the PIN on the kiosk.
 * Every answer is codes, counts and times: no personal data crosses these routes (the response
 * schemas drop anything not declared), with one exception: while staff compare a face at the
 * kiosk, the card photo, to the dashboard on the kiosk's own screen only, never stored or cached.
 * Every action is audited with the operator's ID.
 */
import { statfs } from 'node:fs/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Static, TSchema } from 'typebox';
import * as Type from 'typebox/type';
import { agreementInForce, daysInForceLeft, type AgreementPeriod } from '../domain/agreement.ts';
import type { FlowEvent, KioskSnapshot } from '../flow/machine.ts';
import type { AuditPort, ClockPort } from '../flow/ports.ts';
import type { DeviceHealth } from '../health.ts';
import type { Logger } from '../log.ts';
import type { Db } from '../store/db.ts';
import type { KioskFlags } from '../store/kiosk-flags.ts';
import type { QuotaLedger } from '../uplink/quota-ledger.ts';
import { lastUpdateEvent } from '../update/last-event.ts';
import type { KioskView } from '../view/protocol.ts';
import { ALERT_KINDS, type AlertLog } from './alerts.ts';
import { quotaOutlook } from './quota-outlook.ts';
import { recentSessions } from './recent-sessions.ts';
import { checkInputAsDeclared, operatorOf, staffOf, type StaffRoutes } from './scope.ts';

export interface DashboardDeps {
  runtime: { view(): KioskView; snapshot(): KioskSnapshot; send(event: FlowEvent): void };
  /** The devices' health, as /healthz reports it (device/health.ts). */
  health(): DeviceHealth;
  flags: KioskFlags;
  ledger: Pick<QuotaLedger, 'usage'>;
  alerts: AlertLog;
  audit: AuditPort;
  db: Db;
  agreement: AgreementPeriod;
  /** The state folder: its file system's free space is the disk figure. */
  stateDir: string;
  clock: ClockPort;
  logger: Pick<Logger, 'error'>;
}

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const OverviewSchema = Type.Object({
  health: Type.Object({
    idReader: Type.Enum(['ready', 'noReader', 'error']),
    sam: Type.Enum(['ready', 'missing', 'refused', 'unknown']),
    sensor: Type.Enum(['ready', 'missing', 'error']),
    /** ready: breaker closed; down: breaker open; recovering: half open; accessRefused: the registry refused our access. */
    uplink: Type.Enum(['ready', 'down', 'recovering', 'accessRefused']),
    /** open: the switch is open now; locked: it was opened and staff have not cleared it. */
    tamper: Type.Enum(['closed', 'open', 'locked']),
    disk: Type.Object({ freeBytes: Type.Number(), totalBytes: Type.Number() }),
  }),
  kiosk: Type.Object({
    screen: Type.String(),
    /** The out-of-service reason code while the kiosk is out of service. */
    reason: Nullable(Type.String()),
    paused: Type.Boolean(),
  }),
  quota: Type.Object({
    day: Type.String(),
    used: Type.Integer(),
    limit: Type.Integer(),
    perHour: Type.Array(Type.Integer(), { minItems: 24, maxItems: 24 }),
    projectedLimitAt: Nullable(Type.String()),
  }),
  agreement: Type.Object({
    start: Type.String(),
    end: Type.String(),
    /** Days in force counting today; null before it starts. */
    daysLeft: Nullable(Type.Integer()),
    inForce: Type.Boolean(),
  }),
  assist: Type.Object({
    step: Nullable(Type.Enum(['callStaff', 'verifyingPin', 'readingRecord', 'compareFace'])),
    /** Whether this dashboard may decide it: only on the kiosk's own screen, in front of the taxpayer. */
    atKiosk: Type.Boolean(),
  }),
  /** The last software update step (device/update/last-event.ts); null before any update. */
  update: Nullable(
    Type.Object({
      event: Type.Enum(['installed', 'booted', 'markedGood', 'rolledBack']),
      release: Nullable(Type.String()),
      at: Type.String(),
      reason: Nullable(Type.String()),
    }),
  ),
});
export type Overview = Static<typeof OverviewSchema>;

export const AlertSchema = Type.Object({
  id: Type.Integer(),
  at: Type.String(),
  kind: Type.Enum(ALERT_KINDS),
  acknowledgedAt: Nullable(Type.String()),
  acknowledgedBy: Nullable(Type.String()),
});
const ErrorSchema = Type.Object({ error: Type.String(), message: Type.String() });
const AlertIdParams = Type.Object({ id: Type.String({ pattern: '^[0-9]{1,12}$' }) }, { additionalProperties: false });
// Query strings are text: the real server does not coerce types (server/app.ts).
const SessionsQuery = Type.Object({ limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })) }, { additionalProperties: false });
export const SessionSchema = Type.Object({
  reference: Type.String(),
  startedAt: Type.String(),
  outcome: Nullable(Type.String()),
  durationMs: Nullable(Type.Integer()),
  hint: Nullable(Type.Object({ id: Type.String(), en: Type.String() })),
});
export const PauseSchema = Type.Object({ paused: Type.Boolean(), sessionRunning: Type.Boolean() });
export const FaceBody = Type.Object({ matches: Type.Boolean() }, { additionalProperties: false });
export const AssistSchema = Type.Object({ step: Type.String() });
/** Actions that take nothing: no body, or an empty JSON object. */
const NoBody = Type.Union([Type.Undefined(), Type.Null(), Type.Object({}, { additionalProperties: false })]);

/** Photo types a card may carry (JPEG, JPEG 2000 as ICAO photos use, PNG). */
const PHOTO_TYPES = new Set(['image/jpeg', 'image/jp2', 'image/png']);

export const SESSIONS_DEFAULT = 20;
export const SESSIONS_MAX = 200;

const refusal = (error: string, message: string) => ({ error, message });

export function dashboardRoutes(deps: DashboardDeps): StaffRoutes {
  return async (scope) => {
    // Its own context, so its bad-input answers are the same typed 400 on any server.
    await scope.register(async (app) => routes(app, deps));
  };
}

async function routes(app: FastifyInstance, deps: DashboardDeps): Promise<void> {
  checkInputAsDeclared(app, deps.logger, 'staffRouteFailed');

  app.get('/overview', { schema: { response: { 200: OverviewSchema } } }, async (req): Promise<Overview> =>
    overview(deps, staffOf(req).atKiosk),
  );

  app.get('/alerts', { schema: { response: { 200: Type.Object({ alerts: Type.Array(AlertSchema) }) } } }, async () => ({
    alerts: deps.alerts.list(),
  }));

  app.post<{ Params: Static<typeof AlertIdParams> }>(
    '/alerts/:id/ack',
    {
      schema: {
        params: AlertIdParams,
        body: NoBody,
        response: { 200: Type.Object({ alert: AlertSchema }), 404: ErrorSchema, 409: ErrorSchema },
      },
    },
    async (req, reply) => {
      const operatorId = operatorOf(req);
      const result = deps.alerts.acknowledge(Number(req.params.id), operatorId);
      if ('refused' in result) {
        return reply
          .code(result.refused === 'alertNotFound' ? 404 : 409)
          .send(refusal(result.refused, result.refused === 'alertNotFound' ? 'no such alert' : 'the alert was already acknowledged'));
      }
      deps.audit.record({ code: 'alertAcknowledged', outcome: result.acknowledged.kind, staffId: operatorId });
      return { alert: result.acknowledged };
    },
  );

  app.get<{ Querystring: Static<typeof SessionsQuery> }>(
    '/sessions',
    { schema: { querystring: SessionsQuery, response: { 200: Type.Object({ sessions: Type.Array(SessionSchema) }), 400: ErrorSchema } } },
    async (req, reply) => {
      const limit = req.query.limit === undefined ? SESSIONS_DEFAULT : Number(req.query.limit);
      if (limit < 1 || limit > SESSIONS_MAX) return reply.code(400).send(refusal('badRequest', `limit must be 1 to ${SESSIONS_MAX}`));
      return { sessions: recentSessions(deps.db, limit) };
    },
  );

  // Pausing never cuts a session: readiness is re-checked when the session ends (the flow takes
  // READINESS_CHANGED only between sessions), and the kiosk then goes out of service.
  const setPaused = (paused: boolean, operatorId: string) => {
    if (paused !== deps.flags.isSet('pausedByStaff')) {
      if (paused) deps.flags.set('pausedByStaff', operatorId);
      else deps.flags.clear('pausedByStaff');
      deps.audit.record({ code: paused ? 'kioskPaused' : 'kioskResumed', staffId: operatorId });
    }
    deps.runtime.send({ type: 'READINESS_CHANGED' });
    return { paused, sessionRunning: deps.runtime.snapshot().matches('session') };
  };
  const pauseSchema = { schema: { body: NoBody, response: { 200: PauseSchema } } };
  app.post('/kiosk/pause', pauseSchema, async (req) => setPaused(true, operatorOf(req)));
  app.post('/kiosk/resume', pauseSchema, async (req) => setPaused(false, operatorOf(req)));

  const notInStaffAssist = refusal('notInStaffAssist', 'the kiosk is not waiting for this staff-assist step');
  const assistAtKioskOnly = refusal(
    'assistAtKioskOnly',
    "the assisted verification is decided on the kiosk's own screen, in front of the taxpayer",
  );
  // Unlocking the card's record and judging a face against its photo need someone standing at the
  // kiosk: from the office LAN they are refused (audited as every staff action, with its status).
  const atKioskOnly = async (req: FastifyRequest, reply: FastifyReply) =>
    staffOf(req).atKiosk ? undefined : reply.code(403).send(assistAtKioskOnly);
  // The flow audits both decisions with the operator's ID (flow/steps/staff-assist.ts).
  const assist = (event: FlowEvent) => {
    if (!deps.runtime.snapshot().can(event)) return null;
    deps.runtime.send(event);
    deps.runtime.send({ type: 'ACTIVITY' });
    return { step: deps.runtime.snapshot().context.staffStep ?? deps.runtime.view().screen };
  };
  app.post(
    '/assist/unlock',
    { schema: { body: NoBody, response: { 200: AssistSchema, 403: ErrorSchema, 409: ErrorSchema } }, preHandler: atKioskOnly },
    async (req, reply) => assist({ type: 'STAFF_UNLOCK_SIGNED_IN', staffId: operatorOf(req) }) ?? reply.code(409).send(notInStaffAssist),
  );
  // The photo the operator compares the face with, on the dashboard that covers the kiosk screen:
  // read from the session in memory, sent uncached, refused from the LAN and outside that step.
  app.get(
    '/assist/photo',
    { preHandler: atKioskOnly, schema: { response: { 403: ErrorSchema, 409: ErrorSchema } } },
    async (_req, reply) => {
      const context = deps.runtime.snapshot().context;
      const photo = context.step === 'staffAssist' && context.staffStep === 'compareFace' ? context.record?.photo : undefined;
      if (!photo) return reply.code(409).send(notInStaffAssist);
      // The type comes from the card: only an image type is passed on, and never sniffed.
      const type = PHOTO_TYPES.has(photo.mime) ? photo.mime : 'application/octet-stream';
      return reply
        .header('content-type', type)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'no-store')
        .send(Buffer.from(photo.bytes));
    },
  );
  app.post<{ Body: Static<typeof FaceBody> }>(
    '/assist/face',
    { schema: { body: FaceBody, response: { 200: AssistSchema, 403: ErrorSchema, 409: ErrorSchema } }, preHandler: atKioskOnly },
    async (req, reply) =>
      assist({ type: 'STAFF_CONFIRM_FACE', matches: req.body.matches, staffId: operatorOf(req) }) ?? reply.code(409).send(notInStaffAssist),
  );
}

/** What the dashboard shows (also sent to the fleet in heartbeats, device/fleet/). */
export async function overview(deps: DashboardDeps, atKiosk: boolean): Promise<Overview> {
  const now = deps.clock.now();
  const { reader, sensor, uplink, tamper } = deps.health();
  const fs = await statfs(deps.stateDir);
  const view = deps.runtime.view();
  const context = deps.runtime.snapshot().context;
  return {
    health: {
      idReader: reader.idReader,
      sam: reader.sam,
      sensor,
      uplink: deps.flags.isSet('uplinkRejected')
        ? 'accessRefused'
        : uplink.breaker === 'closed'
          ? 'ready'
          : uplink.breaker === 'open'
            ? 'down'
            : 'recovering',
      tamper: tamper.open ? 'open' : tamper.locked ? 'locked' : 'closed',
      disk: { freeBytes: fs.bavail * fs.bsize, totalBytes: fs.blocks * fs.bsize },
    },
    kiosk: { screen: view.screen, reason: view.screen === 'outOfService' ? view.reason : null, paused: deps.flags.isSet('pausedByStaff') },
    quota: quotaOutlook(deps.db, deps.ledger.usage(), now),
    agreement: {
      start: deps.agreement.start,
      end: deps.agreement.end,
      daysLeft: daysInForceLeft(deps.agreement, now),
      inForce: agreementInForce(deps.agreement, now),
    },
    assist: { step: context.step === 'staffAssist' ? context.staffStep : null, atKiosk },
    update: lastUpdateEvent(deps.db),
  };
}
