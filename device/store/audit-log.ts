/**
 * The audit trail: one row per step, with codes, timings and outcomes. The NIK is stored only as
 * an HMAC-SHA-256 under the kiosk's audit key, so rows of one person can be linked for an
 * evaluation without the table holding the number.
 */
import { createHmac } from 'node:crypto';
import type { AuditEvent, AuditPort, ClockPort } from '../flow/ports.ts';
import type { Db } from './db.ts';

export class AuditLog implements AuditPort {
  private readonly insert;

  constructor(
    db: Db,
    private readonly auditKey: Uint8Array,
    private readonly clock: ClockPort,
  ) {
    this.insert = db.prepare(
      'INSERT INTO audit_event (at, code, session_id, state, outcome, duration_ms, nik_hmac, staff_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
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
    );
  }

  nikHmac(nik: string): string {
    return createHmac('sha256', this.auditKey).update(nik).digest('hex');
  }
}
