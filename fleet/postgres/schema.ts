/**
 * The fleet's schema: numbered migrations, append-only, applied at start under a PostgreSQL
 * advisory lock so two instances starting together never apply one twice. PostgreSQL is the
 * fleet's only state: a fleet instance keeps nothing of its own between requests.
 *
 * No table holds personal data in clear: data balikan entries are sealed (AES-256-GCM) under
 * the fleet's outbox key, as on the kiosk; everything else is codes, counts and times.
 */
import type { Pool, PoolClient } from 'pg';

interface Migration {
  version: number;
  sql: string;
}

export const FLEET_MIGRATIONS: Migration[] = [
  {
    // Kiosks, their enrolment and their client certificate (by SHA-256 of its DER). A kiosk
    // whose certificate is not on file, or that was revoked, is refused at every request.
    version: 1,
    sql: `
      CREATE TABLE kiosk (
        id text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$'),
        site text NOT NULL CHECK (length(site) BETWEEN 1 AND 120),
        created_at timestamptz NOT NULL,
        cert_sha256 text UNIQUE,
        enrolled_at timestamptz,
        revoked_at timestamptz
      );
      CREATE TABLE enrolment_token (
        token_sha256 text PRIMARY KEY,
        kiosk_id text NOT NULL REFERENCES kiosk (id),
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      );
      CREATE TABLE kiosk_status (
        kiosk_id text PRIMARY KEY REFERENCES kiosk (id),
        heartbeat_at timestamptz NOT NULL,
        health jsonb NOT NULL,
        quota jsonb NOT NULL
      );
    `,
  },
  {
    // The shared daily quota. quota_day.committed is every hit a lease holds or held: the unused
    // part of a lease comes back only when its kiosk settles it (says how many it spent). The
    // CHECK makes overspending impossible whatever the code above it does.
    version: 2,
    sql: `
      CREATE TABLE quota_day (
        day date PRIMARY KEY,
        daily_limit integer NOT NULL CHECK (daily_limit > 0),
        committed integer NOT NULL DEFAULT 0 CHECK (committed >= 0 AND committed <= daily_limit)
      );
      CREATE TABLE lease (
        id bigserial PRIMARY KEY,
        kiosk_id text NOT NULL REFERENCES kiosk (id),
        request_id uuid NOT NULL,
        day date NOT NULL REFERENCES quota_day (day),
        size integer NOT NULL CHECK (size > 0),
        granted_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        used integer CHECK (used >= 0 AND used <= size),
        settled_at timestamptz,
        CHECK ((used IS NULL) = (settled_at IS NULL)),
        UNIQUE (kiosk_id, request_id)
      );
      CREATE INDEX lease_open ON lease (day, kiosk_id) WHERE settled_at IS NULL;
      CREATE INDEX lease_kiosk_day ON lease (kiosk_id, day);
    `,
  },
  {
    // Data balikan forwarded by the kiosks, one row per entry key, delivered to Disdukcapil by
    // whichever instance claims it (FOR UPDATE SKIP LOCKED) or exported to a file. Each entry
    // has its own retry time, so one the service keeps not answering never holds up the rest.
    version: 3,
    sql: `
      CREATE TABLE return_data (
        entry_key text PRIMARY KEY,
        kiosk_id text NOT NULL REFERENCES kiosk (id),
        queued_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL,
        sealed bytea NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        last_failure text,
        delivered_at timestamptz,
        refused_at timestamptz,
        refused_code text,
        exported_at timestamptz,
        export_id text
      );
      CREATE INDEX return_data_due ON return_data (next_attempt_at)
        WHERE delivered_at IS NULL AND exported_at IS NULL AND refused_at IS NULL;
      CREATE INDEX return_data_queued ON return_data (queued_at);
      CREATE TABLE return_data_export (
        id text PRIMARY KEY,
        created_at timestamptz NOT NULL,
        created_by text NOT NULL,
        format text NOT NULL CHECK (format IN ('xlsx', 'csv')),
        file_name text NOT NULL,
        data bytea NOT NULL,
        manifest bytea NOT NULL,
        count integer NOT NULL
      );
    `,
  },
  {
    // The kiosks' own semester figures (device/report/semester.ts MonthFigures), one row per
    // kiosk and WIB month, replaced each time the kiosk sends them: the fleet report adds them up.
    version: 4,
    sql: `
      CREATE TABLE kiosk_month_figures (
        kiosk_id text NOT NULL REFERENCES kiosk (id),
        month text NOT NULL CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
        figures jsonb NOT NULL,
        quota_exhausted_dates jsonb NOT NULL,
        computed_at timestamptz NOT NULL,
        PRIMARY KEY (kiosk_id, month)
      );
    `,
  },
  {
    // Fleet administrators (scrypt password hashes), their sessions, and the fleet's audit trail.
    version: 5,
    sql: `
      CREATE TABLE admin (
        id text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9._-]{0,31}$'),
        password_hash text NOT NULL,
        created_at timestamptz NOT NULL,
        failures integer NOT NULL DEFAULT 0,
        locked_until timestamptz
      );
      CREATE TABLE admin_session (
        token_sha256 text PRIMARY KEY,
        admin_id text NOT NULL REFERENCES admin (id),
        csrf text NOT NULL,
        created_at timestamptz NOT NULL,
        last_seen_at timestamptz NOT NULL
      );
      CREATE TABLE fleet_event (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL,
        code text NOT NULL,
        kiosk_id text,
        admin_id text,
        outcome text,
        item_count integer
      );
      CREATE INDEX fleet_event_at ON fleet_event (at);
    `,
  },
];

/** One key for the migration lock (pg_advisory_xact_lock takes a bigint). */
const MIGRATION_LOCK = 0x616e6a66; // 'anjf'

export async function migrate(pool: Pool): Promise<void> {
  const client: PoolClient = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migration (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const done = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migration')).rows.map((r) => r.version));
    for (const m of FLEET_MIGRATIONS) {
      if (done.has(m.version)) continue;
      await client.query(m.sql);
      await client.query('INSERT INTO schema_migration (version) VALUES ($1)', [m.version]);
    }
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}
