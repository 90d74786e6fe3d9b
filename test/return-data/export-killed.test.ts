/**
 * A real kill -9 in the middle of an export (files written and fsynced, not yet renamed): after a
 * restart every entry is still pending, the next export removes the leftovers and holds them all.
 */
import t from 'tap';
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../device/store/db.ts';
import { ReturnDataOutbox } from '../../device/store/return-data-outbox.ts';
import { exportReturnData } from '../../device/return-data/export.ts';
import { exportFolder, outboxWith, syntheticEntry } from '../support/return-data-fixtures.ts';

t.test('kill -9 between fsync and rename: nothing marked, nothing mistaken for an export', async (t) => {
  const entries = Array.from({ length: 20 }, (_, i) => syntheticEntry(i));
  const { dir: stateDir, key } = outboxWith(t, entries);
  const target = exportFolder(t);

  const child = spawn(
    process.execPath,
    ['--import=tsx', join(import.meta.dirname, 'export-killed.child.ts'), stateDir, key.toString('hex'), target],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      if (c.toString().includes('written')) resolve();
    });
    child.on('exit', () => reject(new Error('the child ended before it wrote')));
  });
  const ended = new Promise((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  child.kill('SIGKILL');
  t.equal(await ended, 'SIGKILL');

  const left = readdirSync(target);
  t.equal(left.length, 2, 'two files were on disk when it died');
  t.ok(
    left.every((n) => n.startsWith('.') && n.endsWith('.partial')),
    'only under hidden temporary names',
  );

  // The daemon after its restart: a fresh connection to the same database.
  const db = openDatabase(stateDir);
  t.teardown(() => db.close());
  const outbox = new ReturnDataOutbox(db, key, { now: () => new Date() });
  t.equal(outbox.pendingCount(), entries.length, 'every entry still pending');
  const result = await exportReturnData({ source: outbox, dir: target, format: 'csv', now: new Date('2026-12-01T02:30:00Z'), kiosk: null });
  t.equal(result.count, entries.length);
  t.same(readdirSync(target).sort(), [result.data.name, result.manifest.name].sort(), 'the leftovers are gone');
  t.equal(outbox.pendingCount(), 0);
});
