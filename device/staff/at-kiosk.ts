/**
 * Staff sessions of the kiosk's own listener end when a taxpayer's session starts: whoever stands
 * at the screen now is not known to be the operator who signed in before. Staff who come to help
 * that taxpayer sign in during the session, as the assisted verification asks them to.
 */
import type { KioskRuntime } from '../view/runtime.ts';
import type { AuditPort } from '../flow/ports.ts';
import type { StaffSessions } from './sessions.ts';

/** Returns the unsubscriber. */
export function endStaffSessionsWhenTaxpayerArrives(deps: {
  runtime: Pick<KioskRuntime, 'onView' | 'snapshot'>;
  sessions: Pick<StaffSessions, 'endAll'>;
  audit: AuditPort;
}): () => void {
  let current = deps.runtime.snapshot().context.sessionId;
  return deps.runtime.onView(() => {
    const sessionId = deps.runtime.snapshot().context.sessionId;
    if (sessionId !== null && sessionId !== current) {
      for (const staffId of deps.sessions.endAll()) deps.audit.record({ code: 'staffSignOut', staffId, outcome: 'taxpayerSession' });
    }
    current = sessionId;
  });
}
