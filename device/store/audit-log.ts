/**
 * The audit trail: one row per step, with codes, timings and outcomes. The NIK is stored only as
 * an HMAC-SHA-256 under the kiosk's audit key, so rows of one person can be linked for an
 * evaluation without the table holding the number.
 */
import { createHmac } from 'node:crypto';
import type { AuditPort, ClockPort } from '../flow/ports.ts';
import type { AuditEvent } from '../domain/audit.ts';
import type { Db } from './db.ts';

export class AuditLog implements AuditPort {
  private readonly insert;

  constructor(
    private readonly db: Db,
    private readonly auditKey: Uint8Array,
    private readonly clock: ClockPort,
  ) {
    this.insert = db.prepare(
      'INSERT INTO audit_event (at, code, session_id, state, outcome, duration_ms, nik_hmac, staff_id, item_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
  }

  record(e: AuditEvent): void {
    this.insert.run(
      this.clock.now().toISOString(),
      e.code,
      e.sessionId ?? null,
      e.state ?? null,
      e.outcome ?? null,
      e.durationMs === undefined ? null : Math.round(e.durationMs),
      e.nik ? this.nikHmac(e.nik) : null,
      e.staffId ?? null,
      e.count ?? null,
    );
  }

  /**
   * Closes, at boot, every session a crash or power cut left open: a `sessionEnd` row with
   * outcome `interrupted` (nothing else is known, and nothing personal is written). Returns how
   * many were closed.
   */
  closeInterruptedSessions(): number {
    const open = this.db
      .prepare(
        `SELECT s.session_id AS sessionId, s.at AS startedAt FROM audit_event s
         WHERE s.code = 'sessionStart' AND s.session_id IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM audit_event e WHERE e.session_id = s.session_id AND e.code = 'sessionEnd')`,
      )
      .all() as Array<{ sessionId: string; startedAt: string }>;
    const now = this.clock.now();
    this.db.transaction(() => {
      for (const o of open) {
        this.insert.run(
          now.toISOString(),
          'sessionEnd',
          o.sessionId,
          null,
          'interrupted',
          Math.max(0, now.getTime() - Date.parse(o.startedAt)),
          null,
          null,
          null,
        );
      }
    })();
    return open.length;
  }

  nikHmac(nik: string): string {
    return createHmac('sha256', this.auditKey).update(nik).digest('hex');
  }
}
