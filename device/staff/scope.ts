/**
 * The contract between staff sign-in and the staff features. Every staff feature is a plugin of
 * type StaffRoutes; the sign-in code registers them inside one scope in which each request was
 * authenticated by its session cookie and, for any method but GET and HEAD, CSRF-checked. In
 * that scope `req.staff` is set, and the operator's ID goes into every audit row of an action.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';

export interface StaffActor {
  /** The operator's local user ID (provisioning/operators.ts), never a name or NIP. */
  operatorId: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the staff sign-in hook inside the staff scope; null everywhere else. */
    staff: StaffActor | null;
  }
}

/** Routes for signed-in staff, registered under /api/staff by the sign-in code. */
export type StaffRoutes = (scope: FastifyInstance) => void | Promise<void>;

/** The signed-in operator of a request in the staff scope. */
export function operatorOf(req: FastifyRequest): string {
  if (!req.staff) throw new Error('a staff route was reached outside the authenticated scope');
  return req.staff.operatorId;
}
