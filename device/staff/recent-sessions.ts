/**
 * The latest sessions for the staff dashboard, from the audit trail: when, how it ended, how
 * long, the reference the taxpayer saw on the screen, and for a failure what staff should check
 * (the taxpayer's screen says none of that). Never the NIK's keyed hash or other personal data.
 */
import { SESSION_FAILURES, type Bilingual } from '../domain/failure.ts';
import { sessionReference } from '../domain/session-reference.ts';
import type { Db } from '../store/db.ts';

export interface RecentSession {
  reference: string;
  startedAt: string;
  /** The sessionEnd outcome (a finish or failure code); null while the session runs. */
  outcome: string | null;
  durationMs: number | null;
  /** For a failure: what happened and what to check, for staff, in both languages. */
  hint: Bilingual | null;
}

export function recentSessions(db: Db, limit: number): RecentSession[] {
  const rows = db
    .prepare<[number], { sessionId: string; startedAt: string; outcome: string | null; durationMs: number | null }>(
      `SELECT s.session_id AS sessionId, s.at AS startedAt, e.outcome AS outcome, e.duration_ms AS durationMs
       FROM audit_event s LEFT JOIN audit_event e ON e.session_id = s.session_id AND e.code = 'sessionEnd'
       WHERE s.code = 'sessionStart' AND s.session_id IS NOT NULL
       ORDER BY s.id DESC LIMIT ?`,
    )
    .all(limit);
  return rows.map((r) => ({
    reference: sessionReference(r.sessionId),
    startedAt: r.startedAt,
    outcome: r.outcome,
    durationMs: r.durationMs,
    hint:
      r.outcome !== null && Object.hasOwn(SESSION_FAILURES, r.outcome)
        ? SESSION_FAILURES[r.outcome as keyof typeof SESSION_FAILURES].staff
        : null,
  }));
}
