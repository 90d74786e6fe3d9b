/** The data balikan outbox over a real SQLite file: one entry per session, however often it is submitted. */
import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { migrate, openDatabase } from '../../device/store/db.ts';
import { MIGRATIONS } from '../../device/store/migrations.ts';
import { ReturnDataOutbox } from '../../device/store/return-data-outbox.ts';

t.test('a submission retried under the same session key is stored once', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'anj8-outbox-'));
  const key = randomBytes(32);
  const clock = { now: () => new Date('2026-03-10T03:00:00Z') };
  const entry = { nik: '3313000000000001', nop: '33.13.010.001.001-0001.0', npwpd: null };
  let db = openDatabase(dir);
  new ReturnDataOutbox(db, key, clock).enqueue(entry, 'session-a');
  db.close();
  // The retry comes after a restart, as it would after a crash before the reply.
  db = openDatabase(dir);
  const outbox = new ReturnDataOutbox(db, key, clock);
  outbox.enqueue(entry, 'session-a');
  t.equal(outbox.pendingCount(), 1, 'stored once');
  outbox.enqueue({ ...entry, nop: null, npwpd: 'P.2.0001234.33.13' }, 'session-b');
  t.same(
    outbox.pending().map((p) => p.entry.npwpd),
    [null, 'P.2.0001234.33.13'],
    'another session is another entry',
  );
  db.close();
});

t.test('an entry stored before idempotency keys existed gets one, so it can be delivered idempotently', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'anj14d-outbox-'));
  const db = new Database(join(dir, 'old.sqlite'));
  t.teardown(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
  for (const m of MIGRATIONS.filter((m) => m.version < 5)) {
    db.exec(m.sql);
    db.prepare('INSERT INTO schema_migrations VALUES (?, ?)').run(m.version, 'then');
  }
  const key = randomBytes(32);
  const clock = { now: () => new Date('2026-03-10T03:00:00Z') };
  // An entry as version 2-4 stored it: no key column yet.
  const sealer = openDatabase(join(dir, 'sealer'));
  t.teardown(() => sealer.close());
  new ReturnDataOutbox(sealer, key, clock).enqueue({ nik: '3313990000000001', nop: null, npwpd: 'P.2.0000001.33.13' }, 'x');
  const sealed = (sealer.prepare('SELECT sealed FROM return_data_outbox').get() as { sealed: Buffer }).sealed;
  db.prepare('INSERT INTO return_data_outbox (queued_at, sealed) VALUES (?, ?)').run('2026-01-01T00:00:00.000Z', sealed);
  migrate(db);
  const outbox = new ReturnDataOutbox(db, key, clock);
  const [item] = outbox.deliveryBatch(10);
  t.match(item, { idempotencyKey: /^[0-9a-f]{32}$/, entry: { npwpd: 'P.2.0000001.33.13' } });
  t.same(outbox.counts(), { pending: 1, delivered: 0, exported: 0, deliveryRefused: 0, deadLettered: 0 });
});
