/**
 * Numbered schema migrations, append-only. Versions 1-99: audit, outbox, credentials, staff;
 * 100-199: the quota ledger (device/uplink). No table holds personal data in clear.
 * Additive only (new tables, indexes, columns with a default, back-fills): after an update is
 * rolled back, the old release runs on the database the new one migrated
 * (test/update/schema-compat.test.ts).
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
    // Staff sign-in lockout (store/sign-in-lockout.ts): one row per operator ID on the roster
    // and one kiosk-wide row ('*'); no PIN, and never an ID that is not on the roster.
    version: 6,
    sql: `
      CREATE TABLE staff_sign_in_lockout (
        key TEXT PRIMARY KEY,
        failures INTEGER NOT NULL,
        window_started INTEGER NOT NULL,
        locked_until INTEGER
      );
    `,
  },
  {
    // Staff alerts (device/staff/alerts.ts): a kind, when, and who acknowledged it; nothing
    // personal. One open alert per kind per WIB day: the partial unique index makes a second
    // raise of an open kind a no-op even across processes.
    version: 10,
    sql: `
      CREATE TABLE staff_alert (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('quota80', 'quota95', 'quota100', 'accessRefused', 'tamper', 'helpNeeded')),
        day TEXT NOT NULL,
        raised_at TEXT NOT NULL,
        acknowledged_at TEXT,
        acknowledged_by TEXT
      );
      CREATE UNIQUE INDEX staff_alert_open ON staff_alert (kind, day) WHERE acknowledged_at IS NULL;
      CREATE INDEX staff_alert_raised ON staff_alert (raised_at);
    `,
  },
  {
    // Data balikan delivery by web service (device/return-data/): when Disdukcapil confirmed an
    // entry, or refused it for good (it then waits for a file export). Entries from before
    // version 5 get a random key so every entry can be delivered idempotently.
    version: 20,
    sql: `
      ALTER TABLE return_data_outbox ADD COLUMN delivered_at TEXT;
      ALTER TABLE return_data_outbox ADD COLUMN delivery_refused_at TEXT;
      UPDATE return_data_outbox SET idempotency_key = lower(hex(randomblob(16))) WHERE idempotency_key IS NULL;
      CREATE INDEX return_data_outbox_delivered ON return_data_outbox (delivered_at);
    `,
  },
  {
    // How many items a staff action covered (data balikan entries in one export), for the report.
    version: 30,
    sql: `ALTER TABLE audit_event ADD COLUMN item_count INTEGER;`,
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
