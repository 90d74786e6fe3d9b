/**
 * The database across an update and its rollback. The data partition is shared by both slots, so
 * the rule is: a schema migration runs once, on the slot that brings it, and only adds (tables,
 * columns with defaults, indexes, back-fills); the old slot, booted again after a rollback, still
 * reads and writes what the new one left. No snapshot is restored: nothing a new release wrote
 * during its trial (audit rows, quota hits, data balikan) is thrown away.
 */
import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MIGRATIONS } from '../../device/store/migrations.ts';
import { migrate, openDatabase } from '../../device/store/db.ts';
import { AuditLog } from '../../device/store/audit-log.ts';
import { ReturnDataOutbox } from '../../device/store/return-data-outbox.ts';
import { KioskFlags } from '../../device/store/kiosk-flags.ts';
import { AttemptThrottle, KIOSK_SCREEN } from '../../device/store/attempt-throttle.ts';
import { SqliteQuotaLedger } from '../../device/uplink/quota-ledger.ts';
import { AlertLog } from '../../device/staff/alerts.ts';

const statements = (sql: string) =>
  sql
    .split(';')
    .map((s) => s.replace(/--.*$/gm, '').replace(/\s+/g, ' ').trim())
    .filter(Boolean);

/** What a migration may do so that the release before it still runs on the result. */
const ADDITIVE = [
  /^CREATE TABLE (IF NOT EXISTS )?\w+ \(/i,
  /^CREATE (UNIQUE )?INDEX (IF NOT EXISTS )?\w+ ON \w+ /i,
  /^ALTER TABLE \w+ ADD COLUMN \w+ /i,
  /^UPDATE \w+ SET /i,
  /^INSERT INTO \w+ /i,
];

t.test('every migration only adds', async (t) => {
  for (const m of MIGRATIONS) {
    for (const s of statements(m.sql)) {
      t.ok(
        ADDITIVE.some((p) => p.test(s)),
        `migration ${m.version}: ${s.slice(0, 60)}`,
      );
      t.notMatch(s, /\b(DROP|RENAME)\b/i, `migration ${m.version} neither drops nor renames`);
      // A NOT NULL column added without a default breaks the old release's INSERTs.
      if (/^ALTER TABLE/i.test(s) && /NOT NULL/i.test(s)) t.match(s, /DEFAULT/i, `migration ${m.version}: NOT NULL with a default`);
    }
  }
  t.same(
    MIGRATIONS.map((m) => m.version),
    [...new Set(MIGRATIONS.map((m) => m.version))].sort((a, b) => a - b),
    'versions unique and in order',
  );
});

t.test('the release before an update runs on the database the update migrated', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'anj26-schema-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const key = Buffer.alloc(32, 9);
  const clock = { now: () => new Date('2026-03-02T03:00:00Z') };

  // The new release: today's schema plus a migration of its own (every kind of addition).
  const next = openDatabase(dir);
  const future = `
    CREATE TABLE update_note (id INTEGER PRIMARY KEY, text TEXT NOT NULL);
    ALTER TABLE audit_event ADD COLUMN release TEXT;
    ALTER TABLE return_data_outbox ADD COLUMN batch INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE quota_hit ADD COLUMN endpoint TEXT NOT NULL DEFAULT 'dukcapil';
    ALTER TABLE kiosk_flag ADD COLUMN reason TEXT;
    CREATE INDEX audit_event_release ON audit_event (release);
  `;
  next.transaction(() => {
    next.exec(future);
    next.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(9999, clock.now().toISOString());
  })();
  // ...and what it wrote on trial, with its new columns.
  next.prepare("INSERT INTO audit_event (at, code, release) VALUES (?, 'daemonStarted', '0.2.0')").run(clock.now().toISOString());
  next
    .prepare("INSERT INTO quota_hit (day, state, reserved_at, endpoint) VALUES ('2026-03-02', 'sent', ?, 'dukcapil')")
    .run(clock.now().toISOString());
  new ReturnDataOutbox(next, key, clock).enqueue({ nik: '3313000000000001', nop: null, npwpd: null }, 'session-on-trial');
  next.close();

  // The old release boots again (rollback): its migrate() leaves the unknown migration alone.
  const old = openDatabase(dir);
  t.teardown(() => old.close());
  const versions = (old.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as Array<{ version: number }>).map(
    (r) => r.version,
  );
  t.same(versions, [...MIGRATIONS.map((m) => m.version), 9999], 'each migration recorded once, the newer one kept');
  migrate(old);
  t.equal(
    (old.prepare('SELECT count(*) AS n FROM schema_migrations').get() as { n: number }).n,
    MIGRATIONS.length + 1,
    'running migrate again adds nothing',
  );

  const audit = new AuditLog(old, key, clock);
  audit.record({ code: 'daemonStarted' });
  t.equal(audit.closeInterruptedSessions(), 0);
  const outbox = new ReturnDataOutbox(old, key, clock);
  outbox.enqueue({ nik: '3313000000000002', nop: 'NOP-1', npwpd: null }, 'session-after-rollback');
  t.same(
    outbox.pending().map((p) => p.entry.nik),
    ['3313000000000001', '3313000000000002'],
    'the data balikan the new release queued is still owed, and readable by the old one',
  );
  const ledger = new SqliteQuotaLedger(old, { dailyLimit: 5, clock });
  t.equal(ledger.usage().used, 1, "the quota hit spent on trial still counts against the day's quota");
  const r = await ledger.reserve();
  t.ok(r.granted);
  t.equal(ledger.usage().used, 2);
  const flags = new KioskFlags(old, clock);
  flags.set('pausedByStaff', 'anjungan-provision update');
  t.equal(flags.value('pausedByStaff'), 'anjungan-provision update');
  flags.clear('pausedByStaff');
  new AttemptThrottle(old, clock).beginAttempt(KIOSK_SCREEN);
  new AlertLog(old, clock).raise('quota80');

  // Back on the new release (the update installed again): its migration is not run twice.
  const again = openDatabase(dir);
  t.teardown(() => again.close());
  t.equal((again.prepare("SELECT count(*) AS n FROM pragma_table_info('audit_event') WHERE name = 'release'").get() as { n: number }).n, 1);
  t.equal(
    (again.prepare('SELECT count(*) AS n FROM return_data_outbox WHERE batch = 0').get() as { n: number }).n,
    2,
    "the old release's rows got the new column's default",
  );
});
