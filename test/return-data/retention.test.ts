/**
 * The real daemon purges settled data balikan at start, on a site that delivers nothing by web
 * service (no `returnData.delivery`): an entry exported to a file more than `retentionDays` ago
 * is deleted, a pending one of the same age is kept.
 */
import t from 'tap';
import { join } from 'node:path';
import { readCredentials } from '../../device/store/credentials.ts';
import { openDatabase } from '../../device/store/db.ts';
import { ReturnDataOutbox } from '../../device/store/return-data-outbox.ts';
import { buildKiosk, spawnKiosk } from '../support/kiosk-process.ts';
import { until } from '../support/until.ts';
import { syntheticEntry } from './support.ts';

await buildKiosk();

t.test('a daemon without web-service delivery still deletes exported entries after retention', async (t) => {
  const first = await spawnKiosk();
  t.teardown(() => first.stop());
  await first.halt();

  const fortyDaysAgo = new Date(Date.now() - 40 * 86_400_000);
  const db = openDatabase(first.stateDir);
  const outbox = new ReturnDataOutbox(db, Buffer.from(readCredentials(join(first.stateDir, 'credentials.json')).outboxKey, 'hex'), {
    now: () => fortyDaysAgo,
  });
  outbox.enqueue(syntheticEntry(1), 'retention-exported');
  outbox.markExported(outbox.pending().map((p) => p.id));
  outbox.enqueue(syntheticEntry(2), 'retention-pending');
  t.same(outbox.counts(), { pending: 1, delivered: 0, exported: 1, deliveryRefused: 0, deadLettered: 0 });
  db.close();

  const second = await spawnKiosk({ ANJUNGAN_STATE_DIR: first.stateDir });
  t.teardown(() => second.halt());
  await until(() => second.output().includes('"returnDataPurged"'), 'the purge at start', 10_000);
  const after = openDatabase(first.stateDir);
  t.teardown(() => after.close());
  const keys = after.prepare('SELECT idempotency_key AS k FROM return_data_outbox').all() as Array<{ k: string }>;
  t.same(keys, [{ k: 'retention-pending' }], 'the exported entry is gone, the pending one is kept');
});
