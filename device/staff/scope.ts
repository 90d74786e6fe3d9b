/**
 * The contract between staff sign-in and the staff features. Every staff feature is a plugin of
 * type StaffRoutes; the sign-in code registers them inside one scope in which each request was
 * authenticated by its session cookie and, for any method but GET and HEAD, CSRF-checked. In
 * that scope `req.staff` is set, and the operator's ID goes into every audit row of an action.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type TSchema } from 'typebox';
import * as Value from 'typebox/value';
import type { Logger } from '../log.ts';

export interface StaffActor {
  /** The operator's local user ID (provisioning/operators.ts), never a name or NIP. */
  operatorId: string;
  /** Signed in on the kiosk's own listener (its screen), not over the office LAN. */
  atKiosk: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the staff sign-in hook inside the staff scope; null everywhere else. */
    staff: StaffActor | null;
  }
}

/** Routes for signed-in staff, registered under /api/staff by the sign-in code. */
export type StaffRoutes = (scope: FastifyInstance) => void | Promise<void>;

/** Who made a request in the staff scope, and where from. */
export function staffOf(req: FastifyRequest): StaffActor {
  if (!req.staff) throw new Error('a staff route was reached outside the authenticated scope');
  return req.staff;
}

/** The signed-in operator of a request in the staff scope. */
export function operatorOf(req: FastifyRequest): string {
  return staffOf(req).operatorId;
}

/**
 * For a feature's own context in the staff scope: input is checked exactly as declared on any
 * server (no coercion, no property dropped or added), and a bad request is the same typed 400
 * that never echoes it; anything else is a 500 logged by the error's name under `event`.
 */
export function checkInputAsDeclared(scope: FastifyInstance, logger: Pick<Logger, 'error'>, event: string): void {
  scope.setValidatorCompiler(
    ({ schema }) =>
      (data: unknown) =>
        Value.Check(schema as TSchema, data) ? { value: data } : { error: new Error('request is not valid') },
  );
  scope.setErrorHandler((err: { validation?: unknown; statusCode?: number; name?: string }, _req, reply) => {
    if (err.validation || (err.statusCode && err.statusCode >= 400 && err.statusCode < 500)) {
      return reply
        .code(err.statusCode && err.statusCode !== 500 ? err.statusCode : 400)
        .send({ error: 'badRequest', message: 'request is not valid' });
    }
    logger.error({ event, err: { name: err.name } }, 'a staff request failed');
    return reply.code(500).send({ error: 'internal', message: 'internal error' });
  });
}
