/**
 * Numbered schema migrations, append-only. Versions 1-99: audit, outbox, credentials, staff;
 * 100-199: the quota ledger (device/uplink). No table holds personal data in clear.
 */
export interface Migration {
  version: number;
  sql: string;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE audit_event (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        code TEXT NOT NULL,
        session_id TEXT,
        state TEXT,
        outcome TEXT,
        duration_ms INTEGER,
        nik_hmac TEXT,
        staff_id TEXT
      );
      CREATE INDEX audit_event_at ON audit_event (at);
    `,
  },
];
