/** The data balikan outbox over a real SQLite file: one entry per session, however often it is submitted. */
import t from 'tap';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { openDatabase } from '../../device/store/db.ts';
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
  t.same(outbox.pending().map((p) => p.entry.npwpd), [null, 'P.2.0001234.33.13'], 'another session is another entry');
  db.close();
});
