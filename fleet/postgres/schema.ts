/**
 * The fleet's schema: numbered migrations, append-only, applied at start under a PostgreSQL
 * advisory lock so two instances starting together never apply one twice. PostgreSQL is the
 * fleet's only state: a fleet instance keeps nothing of its own between requests.
 *
 * No table holds personal data in clear: data balikan entries are sealed (AES-256-GCM) under
 * the fleet's outbox key, as on the kiosk; everything else is codes, counts and times.
 */
import type { Pool } from 'pg';
import { inTransaction } from './pool.ts';

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

      -- A reservation in one round trip: the day's row lock is held inside the server only, for
      -- the few statements between taking it and the commit (../quota/leases.ts says why a lock).
      CREATE FUNCTION reserve_lease(p_kiosk text, p_request uuid, p_size integer, p_day date, p_limit integer,
                                    p_max_lease integer, p_max_kiosk integer, p_at timestamptz, p_expires timestamptz)
      RETURNS TABLE (lease_id bigint, lease_day date, lease_size integer, granted_at timestamptz, expires_at timestamptz,
                     day_limit integer, day_committed integer, refusal text)
      LANGUAGE plpgsql AS $$
      DECLARE
        d_limit integer;
        d_committed integer;
        d_held integer;
        n integer;
        l lease%ROWTYPE;
      BEGIN
        INSERT INTO quota_day (day, daily_limit) VALUES (p_day, p_limit) ON CONFLICT (day) DO NOTHING;
        SELECT q.daily_limit, q.committed INTO d_limit, d_committed FROM quota_day q WHERE q.day = p_day FOR UPDATE;
        SELECT * INTO l FROM lease WHERE lease.kiosk_id = p_kiosk AND lease.request_id = p_request;
        IF FOUND THEN
          RETURN QUERY SELECT l.id, l.day, l.size, l.granted_at, l.expires_at, d_limit, d_committed, NULL::text;
          RETURN;
        END IF;
        SELECT coalesce(sum(x.size), 0) INTO d_held FROM lease x WHERE x.day = p_day AND x.kiosk_id = p_kiosk AND x.settled_at IS NULL;
        n := least(p_size, p_max_lease, d_limit - d_committed, p_max_kiosk - d_held);
        IF n <= 0 THEN
          RETURN QUERY SELECT NULL::bigint, NULL::date, NULL::integer, NULL::timestamptz, NULL::timestamptz, d_limit, d_committed,
            CASE WHEN d_limit - d_committed <= 0 THEN 'dayExhausted' ELSE 'kioskLimit' END;
          RETURN;
        END IF;
        UPDATE quota_day SET committed = committed + n WHERE quota_day.day = p_day;
        INSERT INTO lease (kiosk_id, request_id, day, size, granted_at, expires_at)
          VALUES (p_kiosk, p_request, p_day, n, p_at, p_expires) RETURNING * INTO l;
        RETURN QUERY SELECT l.id, l.day, l.size, l.granted_at, l.expires_at, d_limit, d_committed + n, NULL::text;
      END $$;

      -- A settlement in one round trip, taking the day's row before the lease's (as reserve does).
      CREATE FUNCTION settle_lease(p_kiosk text, p_lease bigint, p_used integer, p_at timestamptz)
      RETURNS TABLE (lease_size integer, lease_used integer, returned integer, lease_day date, day_limit integer, day_committed integer, refusal text)
      LANGUAGE plpgsql AS $$
      DECLARE
        v_day date;
        d quota_day%ROWTYPE;
        l lease%ROWTYPE;
      BEGIN
        SELECT x.day INTO v_day FROM lease x WHERE x.id = p_lease AND x.kiosk_id = p_kiosk;
        IF NOT FOUND THEN
          RETURN QUERY SELECT NULL::integer, NULL::integer, NULL::integer, NULL::date, NULL::integer, NULL::integer, 'unknownLease'::text;
          RETURN;
        END IF;
        SELECT * INTO d FROM quota_day q WHERE q.day = v_day FOR UPDATE;
        SELECT * INTO l FROM lease x WHERE x.id = p_lease FOR UPDATE;
        IF l.settled_at IS NOT NULL THEN
          RETURN QUERY SELECT l.size, l.used, l.size - l.used, v_day, d.daily_limit, d.committed,
            CASE WHEN l.used = p_used THEN NULL ELSE 'settledDifferently' END;
          RETURN;
        END IF;
        IF p_used > l.size THEN
          RETURN QUERY SELECT l.size, NULL::integer, NULL::integer, v_day, d.daily_limit, d.committed, 'usedAboveSize'::text;
          RETURN;
        END IF;
        UPDATE lease SET used = p_used, settled_at = p_at WHERE id = p_lease;
        UPDATE quota_day SET committed = committed - (l.size - p_used) WHERE quota_day.day = v_day;
        RETURN QUERY SELECT l.size, p_used, l.size - p_used, v_day, d.daily_limit, d.committed - (l.size - p_used), NULL::text;
      END $$;
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
  await inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migration (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const done = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migration')).rows.map((r) => r.version));
    for (const m of FLEET_MIGRATIONS) {
      if (done.has(m.version)) continue;
      await client.query(m.sql);
      await client.query('INSERT INTO schema_migration (version) VALUES ($1)', [m.version]);
    }
  });
}
