/**
 * Migration 50 on a store written before it: "the quota is gone" under its old names (the
 * out-of-service reason quotaExhausted, the alert quota100) reads as quotaReached afterwards, and
 * the alert table takes the new kind readerMissing; nothing else in those rows changes.
 */
import t from 'tap';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate } from '../../device/store/db.ts';
import { MIGRATIONS } from '../../device/store/migrations.ts';

t.test('old names become quotaReached; the alert table accepts readerMissing', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'anj24-migrate-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const db = new Database(join(dir, 'old.sqlite'));
  t.teardown(() => db.close());
  // The store as a kiosk left it before version 50.
  db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
  for (const m of MIGRATIONS.filter((m) => m.version < 50)) {
    db.exec(m.sql);
    db.prepare('INSERT INTO schema_migrations VALUES (?, ?)').run(m.version, '2026-01-01T00:00:00.000Z');
  }
  const row = db.prepare('INSERT INTO audit_event (at, code, outcome) VALUES (?, ?, ?)');
  row.run('2026-08-10T05:00:00.000Z', 'outOfService', 'quotaExhausted');
  row.run('2026-08-11T00:00:10.000Z', 'inService', 'quotaExhausted');
  row.run('2026-08-10T04:59:00.000Z', 'validated', 'quotaReached');
  row.run('2026-08-10T04:58:00.000Z', 'sessionFailed', 'quotaReached');
  row.run('2026-08-12T01:00:00.000Z', 'outOfService', 'tamper');
  const alert = db.prepare('INSERT INTO staff_alert (kind, day, raised_at, acknowledged_at, acknowledged_by) VALUES (?, ?, ?, ?, ?)');
  alert.run('quota100', '2026-08-10', '2026-08-10T05:00:00.000Z', '2026-08-10T06:00:00.000Z', 'petugas-01');
  alert.run('quota100', '2026-08-11', '2026-08-11T05:00:00.000Z', null, null);
  alert.run('tamper', '2026-08-12', '2026-08-12T01:00:00.000Z', null, null);
  t.throws(() => alert.run('readerMissing', '2026-08-12', '2026-08-12T02:00:00.000Z', null, null), /CHECK constraint/, 'not a kind before');

  migrate(db);

  t.same(db.prepare('SELECT code, outcome FROM audit_event ORDER BY id').all(), [
    { code: 'outOfService', outcome: 'quotaReached' },
    { code: 'inService', outcome: 'quotaReached' },
    { code: 'validated', outcome: 'quotaReached' },
    { code: 'sessionFailed', outcome: 'quotaReached' },
    { code: 'outOfService', outcome: 'tamper' },
  ]);
  t.same(db.prepare('SELECT id, kind, day, acknowledged_by AS by FROM staff_alerts ORDER BY id').all(), [
    { id: 1, kind: 'quotaReached', day: '2026-08-10', by: 'petugas-01' },
    { id: 2, kind: 'quotaReached', day: '2026-08-11', by: null },
    { id: 3, kind: 'tamper', day: '2026-08-12', by: null },
  ]);
  const alerts = db.prepare('INSERT INTO staff_alerts (kind, day, raised_at, acknowledged_at, acknowledged_by) VALUES (?, ?, ?, ?, ?)');
  alerts.run('readerMissing', '2026-08-12', '2026-08-12T02:00:00.000Z', null, null);
  t.throws(
    () => alerts.run('tamper', '2026-08-12', '2026-08-12T03:00:00.000Z', null, null),
    /UNIQUE/,
    'still one open alert per kind and day',
  );
});
