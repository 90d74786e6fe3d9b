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
    // "The day's quota is gone" has one name, quotaReached (device/domain/quota.ts), where it was
    // also called quotaExhausted (out of service) and quota100 (the staff alert). Staff alerts move
    // to a table whose kinds the code checks (staff/alerts.ts ALERT_KINDS), not a CHECK: a new kind
    // then needs no rebuild. Only additions (test/update/schema-compat.test.ts): the release before
    // this one, booted again after a rollback, keeps its own staff_alert table.
    version: 50,
    sql: `
      UPDATE audit_event SET outcome = 'quotaReached' WHERE code IN ('outOfService', 'inService') AND outcome = 'quotaExhausted';
      CREATE TABLE staff_alerts (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        day TEXT NOT NULL,
        raised_at TEXT NOT NULL,
        acknowledged_at TEXT,
        acknowledged_by TEXT
      );
      INSERT INTO staff_alerts (id, kind, day, raised_at, acknowledged_at, acknowledged_by)
        SELECT id, CASE kind WHEN 'quota100' THEN 'quotaReached' ELSE kind END, day, raised_at, acknowledged_at, acknowledged_by FROM staff_alert;
      CREATE UNIQUE INDEX staff_alerts_open ON staff_alerts (kind, day) WHERE acknowledged_at IS NULL;
      CREATE INDEX staff_alerts_raised ON staff_alerts (raised_at);
    `,
  },
  {
    // Staff PIN tries throttled per source with backoff (store/attempt-throttle.ts) replace the
    // kiosk-wide and per-operator locks, which a stranger could turn against every staff member.
    // A source is 'kioskScreen' or a LAN peer address; no PIN, no user ID. The old lock tables
    // stay for the release before this one.
    version: 61,
    sql: `
      CREATE TABLE staff_attempt_throttle (
        source TEXT PRIMARY KEY,
        failures INTEGER NOT NULL,
        last_failure INTEGER NOT NULL,
        wait_until INTEGER
      );
      CREATE TABLE staff_attempt_failure (id INTEGER PRIMARY KEY, source TEXT NOT NULL, at INTEGER NOT NULL);
      CREATE INDEX staff_attempt_failure_at ON staff_attempt_failure (at);
    `,
  },
  {
    // Data balikan delivery per entry (return-data/delivery.ts): how often the web service left an
    // entry unsettled, when it is due again, and when it was given up on after the last try (a
    // dead letter: it waits for a file export, shown on the staff dashboard).
    version: 63,
    sql: `
      ALTER TABLE return_data_outbox ADD COLUMN delivery_attempts INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE return_data_outbox ADD COLUMN delivery_due_at TEXT;
      ALTER TABLE return_data_outbox ADD COLUMN dead_lettered_at TEXT;
    `,
  },
  {
    // Data balikan forwarded to the fleet service (device/fleet/): from then on the fleet delivers
    // or exports it, and the kiosk's copy is only kept until retention purges it.
    version: 64,
    sql: `ALTER TABLE return_data_outbox ADD COLUMN forwarded_at TEXT;`,
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
  {
    // Leases of the shared quota from the fleet (device/fleet/lease-ledger.ts): a hit is spent
    // from one lease; a lease is closed (its spent count fixed) before it is settled with the
    // fleet. A lease request is written before it is sent, so an answer lost in a crash is asked
    // for again under the same request id and never becomes a second lease.
    version: 110,
    sql: `
      CREATE TABLE quota_lease (
        id TEXT PRIMARY KEY,
        request_id TEXT NOT NULL,
        day TEXT NOT NULL,
        size INTEGER NOT NULL CHECK (size > 0),
        spend_until TEXT NOT NULL,
        closed_at TEXT,
        used INTEGER,
        settled_at TEXT
      );
      CREATE TABLE quota_lease_request (request_id TEXT PRIMARY KEY, size INTEGER NOT NULL, asked_at TEXT NOT NULL);
      ALTER TABLE quota_hit ADD COLUMN lease_id TEXT;
      CREATE INDEX quota_hit_lease ON quota_hit (lease_id, state);
    `,
  },
];
