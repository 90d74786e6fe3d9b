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
  {
    // Data balikan: the NIK with the NOP/NPWPD the taxpayer linked, sealed with AES-256-GCM
    // under the kiosk's outbox key; only the export for Disdukcapil opens it.
    version: 2,
    sql: `
      CREATE TABLE return_data_outbox (
        id INTEGER PRIMARY KEY,
        queued_at TEXT NOT NULL,
        sealed BLOB NOT NULL,
        exported_at TEXT
      );
    `,
  },
  {
    // Kiosk-wide flags that must survive a restart: paused by staff, uplink access refused.
    version: 3,
    sql: `CREATE TABLE kiosk_flag (name TEXT PRIMARY KEY, value TEXT NOT NULL, set_at TEXT NOT NULL);`,
  },
  {
    // The staff PIN lockout (store/pin-lockout.ts): one row per kiosk, no PIN, no staff id.
    version: 4,
    sql: `CREATE TABLE staff_pin_lockout (id INTEGER PRIMARY KEY CHECK (id = 1), failures INTEGER NOT NULL, locked_until INTEGER);`,
  },
  {
    // Finding sessions a crash left open at boot; and data balikan stored once per session key.
    version: 5,
    sql: `
      CREATE INDEX audit_event_session ON audit_event (session_id, code);
      ALTER TABLE return_data_outbox ADD COLUMN idempotency_key TEXT;
      CREATE UNIQUE INDEX return_data_outbox_idempotency ON return_data_outbox (idempotency_key);
    `,
  },
  {
    // The semester report (device/report/semester.ts) counts the audit trail by code, month and
    // outcome over a semester: an index that covers those counts, so they never touch the rows.
    version: 40,
    sql: `CREATE INDEX audit_event_code_at ON audit_event (code, at, outcome, state);`,
  },
  {
    // Quota ledger (device/uplink/quota-ledger.ts): one row per reserved hit, no personal data.
    // A row counts against its WIB day unless released (the request provably never left).
    version: 100,
    sql: `
      CREATE TABLE quota_hit (
        id INTEGER PRIMARY KEY,
        day TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('reserved', 'sent', 'released')),
        reserved_at TEXT NOT NULL,
        settled_at TEXT
      );
      CREATE INDEX quota_hit_day_state ON quota_hit (day, state);
    `,
  },
];
