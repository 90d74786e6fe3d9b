/**
 * The staff scope under /api/staff, the same on every listener (the kiosk's loopback one and the
 * staff LAN one): sign-in by user ID + PIN (staff/sign-in.ts), a session cookie, and one
 * authenticated scope in which every StaffRoutes plugin is registered. In that scope a request
 * without a live session gets 401 before its body is even parsed, and any method but GET and
 * HEAD must carry the session's CSRF token in `x-anjungan-csrf` (on top of the Origin check of
 * server/edge.ts, which runs before everything). Sign-in, refusals, sign-out and every
 * state-changing request are audited with the operator's ID; a PIN is never logged or stored.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import * as Type from 'typebox/type';
import type { AuditPort } from '../flow/ports.ts';
import type { Logger } from '../log.ts';
import { Pin } from '../view/protocol.ts';
import type { StaffRoutes } from './scope.ts';
import type { OperatorSignIn } from './sign-in.ts';
import type { StaffSessions } from './sessions.ts';
import { KIOSK_SCREEN, lanSource } from '../store/attempt-throttle.ts';

export const STAFF_COOKIE = 'anjungan_staff';
export const CSRF_HEADER = 'x-anjungan-csrf';
/** Set ("1") on the dashboard's own periodic reads: they do not count as someone at the desk. */
export const REFRESH_HEADER = 'x-anjungan-refresh';
export const STAFF_PREFIX = '/api/staff';

export interface StaffScopeDeps {
  signIn: Pick<OperatorSignIn, 'signIn'>;
  /** One store per listener: a cookie of one listener is no session on the other. */
  sessions: StaffSessions;
  audit: AuditPort;
  logger: Logger;
  /** Every staff feature (paths relative to /api/staff). */
  routes: StaffRoutes[];
  /** This is the kiosk's own listener (its screen); false for the office-LAN listener. */
  atKiosk: boolean;
  /** The listener's rate-limited warn lines (server/refusal-log.ts): refusals a stranger can repeat at will. */
  refusals: { refused(fields: Record<string, string | number> & { event: string }, msg: string): void };
  /**
   * On the kiosk's own screen only: the user IDs that may sign in now, so staff pick theirs and
   * type just the PIN (GET /api/staff/operators). Not offered over the LAN.
   */
  operators?: () => string[];
}

export interface RegisteredStaffRoute {
  method: string;
  /** The full path pattern, e.g. /api/staff/alerts/:id/ack. */
  url: string;
}

/** Why a session ended without its operator signing out. */
export type SessionEndCause = 'kioskScreen' | 'taxpayerSession';

export interface StaffScope {
  /** Every route of the authenticated scope (known once the server is ready). */
  routes(): RegisteredStaffRoute[];
  /**
   * Ends the session a request's cookie names, if any, and clears the cookie (the kiosk's browser
   * loaded the kiosk screen: the dashboard was left, however it was left).
   */
  endSessionOf(req: FastifyRequest, reply: FastifyReply, cause: SessionEndCause): void;
}

const ErrorReply = Type.Object({ error: Type.String(), message: Type.String() });
export const LockedReply = Type.Object({ error: Type.Literal('locked'), message: Type.String(), lockedUntil: Type.String() });
export const SessionReply = Type.Object({ operatorId: Type.String(), csrf: Type.String() });
const OperatorsReply = Type.Object({ operators: Type.Array(Type.String()) });
export const SignInBody = Type.Object({ userId: Type.String({ minLength: 1, maxLength: 64 }), pin: Pin }, { additionalProperties: false });
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

function cookieToken(req: FastifyRequest): string | null {
  const header = req.headers.cookie;
  if (typeof header !== 'string') return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === STAFF_COOKIE) {
      const value = part.slice(eq + 1).trim();
      return TOKEN.test(value) ? value : null;
    }
  }
  return null;
}

function cookie(token: string, maxAgeS: number): string {
  return `${STAFF_COOKIE}=${token}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=${maxAgeS}`;
}

function sameToken(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const signInRequired = (reply: FastifyReply) => reply.code(401).send({ error: 'signInRequired', message: 'sign in first' });

export async function registerStaffScope(app: FastifyInstance, deps: StaffScopeDeps): Promise<StaffScope> {
  const { sessions, audit, logger } = deps;
  const registered: RegisteredStaffRoute[] = [];
  if (!app.hasRequestDecorator('staff')) app.decorateRequest('staff', null);

  await app.register(
    async (outer) => {
      const operators = deps.operators;
      if (operators) outer.get('/operators', { schema: { response: { 200: OperatorsReply } } }, async () => ({ operators: operators() }));
      outer.post<{ Body: { userId: string; pin: string } }>(
        '/session',
        { schema: { body: SignInBody, response: { 200: SessionReply, 400: ErrorReply, 401: ErrorReply, 429: LockedReply } } },
        async (req, reply) => {
          // Tries are throttled per source: the kiosk's screen is one, each LAN peer another.
          const source = deps.atKiosk ? KIOSK_SCREEN : lanSource(req.socket?.remoteAddress);
          const outcome = await deps.signIn.signIn(req.body.userId, req.body.pin, source);
          if (outcome.ok) {
            const previous = cookieToken(req);
            if (previous) sessions.end(previous);
            const { token, session } = sessions.create(outcome.operatorId);
            audit.record({ code: 'staffSignIn', staffId: outcome.operatorId });
            logger.info({ event: 'staffSignIn' }, 'staff signed in');
            reply.header('set-cookie', cookie(token, Math.floor(sessions.policy.absoluteMs / 1000)));
            return { operatorId: session.operatorId, csrf: session.csrf };
          }
          if (outcome.refusal === 'throttled') {
            deps.refusals.refused(
              { event: 'staffSignInThrottled', listener: deps.atKiosk ? 'kiosk' : 'staffLan' },
              'staff sign-in refused: too many wrong PINs from this source',
            );
            reply.header('retry-after', String(Math.ceil(outcome.retryInMs / 1000)));
            return reply.code(429).send({
              error: 'locked',
              message: 'too many wrong PINs from here: wait',
              lockedUntil: new Date(outcome.retryAt).toISOString(),
            });
          }
          audit.record({
            code: 'staffSignInRefused',
            outcome: outcome.refusal,
            ...(outcome.operatorId ? { staffId: outcome.operatorId } : {}),
          });
          deps.refusals.refused({ event: 'staffSignInRefused', refusal: outcome.refusal }, 'staff sign-in refused');
          return reply.code(401).send({ error: 'signInRefused', message: 'user ID or PIN not accepted' });
        },
      );

      await outer.register(async (authenticated) => {
        authenticated.addHook('onRoute', (route) => {
          for (const method of [route.method].flat()) if (method !== 'HEAD') registered.push({ method, url: route.url });
        });
        authenticated.addHook('onRequest', async (req, reply) => {
          const token = cookieToken(req);
          // The dashboard marks its own periodic refreshes: they keep a session alive no longer
          // than the idle limit, so a dashboard left open on a desk signs itself out.
          const refresh = req.method === 'GET' && req.headers[REFRESH_HEADER] === '1';
          const session = token ? (refresh ? sessions.peek(token) : sessions.touch(token)) : null;
          if (!session) return signInRequired(reply);
          if (req.method !== 'GET' && req.method !== 'HEAD' && !sameToken(req.headers[CSRF_HEADER], session.csrf)) {
            audit.record({ code: 'staffCsrfRefused', staffId: session.operatorId, state: req.method });
            deps.refusals.refused({ event: 'staffCsrfRefused', method: req.method }, 'staff request refused: CSRF token missing or wrong');
            return reply.code(403).send({ error: 'csrfRefused', message: 'request refused' });
          }
          req.staff = { operatorId: session.operatorId, atKiosk: deps.atKiosk };
          return undefined;
        });

        authenticated.get('/session', { schema: { response: { 200: SessionReply, 401: ErrorReply } } }, async (req, reply) => {
          const session = sessions.touch(cookieToken(req)!);
          if (!session) return signInRequired(reply);
          return { operatorId: session.operatorId, csrf: session.csrf };
        });
        authenticated.delete('/session', { schema: { response: { 200: Type.Object({ ok: Type.Literal(true) }) } } }, async (req, reply) => {
          sessions.end(cookieToken(req)!);
          audit.record({ code: 'staffSignOut', staffId: req.staff!.operatorId });
          reply.header('set-cookie', cookie('', 0));
          return { ok: true as const };
        });

        await authenticated.register(async (features) => {
          // The features audit their own actions in detail; this row makes sure none goes unrecorded.
          features.addHook('onResponse', async (req, reply) => {
            if (req.staff && req.method !== 'GET' && req.method !== 'HEAD') {
              audit.record({
                code: 'staffAction',
                staffId: req.staff.operatorId,
                state: `${req.method} ${req.routeOptions.url ?? ''}`,
                outcome: String(reply.statusCode),
              });
            }
          });
          for (const routes of deps.routes) await routes(features);
        });
      });
    },
    { prefix: STAFF_PREFIX },
  );

  return {
    routes: () => [...registered],
    endSessionOf(req, reply, cause) {
      const token = cookieToken(req);
      const session = token ? sessions.end(token) : null;
      if (!session) return;
      audit.record({ code: 'staffSignOut', staffId: session.operatorId, outcome: cause });
      reply.header('set-cookie', cookie('', 0));
    },
  };
}
