/**
 * kill -9 of a fleet instance and of PostgreSQL while three kiosks spend and forward: nothing a
 * kiosk was told is lost. Every lease a kiosk spends from is on record at the fleet (or the fleet
 * would hand its hits out again), every settled figure is the kiosk's own count, and every data
 * balikan entry a kiosk marked forwarded is in the fleet's queue.
 */
import t from 'tap';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../device/log.ts';
import { openDatabase } from '../../device/store/db.ts';
import { ReturnDataOutbox } from '../../device/store/return-data-outbox.ts';
import { FleetClient } from '../../device/fleet/client.ts';
import { LeaseLedger } from '../../device/fleet/lease-ledger.ts';
import { LeaseKeeper } from '../../device/fleet/lease-keeper.ts';
import { forwardReturnData } from '../../device/fleet/link.ts';
import { startLocalFleet } from '../../fleet/demo/cluster.ts';

const silent = createLogger({ level: 'silent' });
const clock = { now: () => new Date() };

t.test('kill -9 of a fleet instance and of PostgreSQL loses no settled hit and no forwarded entry', async (t) => {
  const fleet = await startLocalFleet({
    instances: 2,
    quota: { dailyLimit: 100_000, maxLeaseSize: 5, leaseTtlS: 10, maxOutstandingPerKiosk: 100_000 },
  });
  t.teardown(() => fleet.close());
  const kiosks = await Promise.all(
    ['C1', 'C2', 'C3'].map(async (id) => {
      const link = await fleet.enrolKiosk(id);
      const dir = mkdtempSync(join(tmpdir(), 'anjungan-crash-'));
      const db = openDatabase(dir);
      const client = new FleetClient({ ...link, timeoutMs: 5_000 });
      const ledger = new LeaseLedger(db, { clock, dailyLimit: 1000, fleetViewFreshMs: 60_000 });
      const keeper = new LeaseKeeper({
        db,
        ledger,
        client,
        clock,
        logger: silent,
        settings: { leaseSize: 5, lowWater: 1, tickMs: 3_600_000, retryMs: 50 },
      });
      const outbox = new ReturnDataOutbox(db, Buffer.alloc(32, 7), clock);
      t.teardown(() => {
        client.close();
        db.close();
        rmSync(dir, { recursive: true, force: true });
      });
      return { id, db, client, ledger, keeper, outbox };
    }),
  );

  let spent = 0;
  let stop = false;
  t.teardown(() => {
    stop = true;
  });
  const work = kiosks.map(async (k) => {
    let n = 0;
    while (!stop) {
      const r = await k.ledger.reserve();
      if (r.granted) {
        await k.ledger.markSent(r.id);
        spent += 1;
        k.outbox.enqueue(
          { nik: `33130101019${String(10000 + (n++ % 90000)).slice(-5)}`, nop: '331301000100100010', npwpd: null },
          randomUUID(),
        );
      }
      if (n % 7 === 0) await forwardReturnData(k.outbox, k.client, silent);
      await new Promise((resolve) => setTimeout(resolve, r.granted ? 5 : 50));
    }
  });
  const until = async (what: string, cond: () => boolean) => {
    const deadline = Date.now() + 120_000;
    while (!cond()) {
      if (Date.now() > deadline) {
        const probe = await kiosks[0]!.client.request('GET', '/healthz');
        throw new Error(
          `timed out: ${what} (spent ${spent}; probe ${JSON.stringify(probe).slice(0, 200)}; instances: ${fleet.instances.map((i) => i.stderr().slice(0, 300)).join(' | ')})`,
        );
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  await until('traffic', () => spent >= 40);
  const victim = fleet.instances.shift()!;
  process.kill(victim.pid!, 'SIGKILL');
  fleet.balancer.setBackends(fleet.instances.map((i) => i.port));
  const afterInstanceKill = spent;
  await until('traffic after an instance died', () => spent >= afterInstanceKill + 40);
  await fleet.startInstance();

  await fleet.cluster.kill();
  const afterDatabaseKill = spent;
  await fleet.cluster.start();
  await until('traffic after PostgreSQL came back', () => spent >= afterDatabaseKill + 40);
  stop = true;
  await Promise.all(work);

  // Every kiosk closes its leases and settles them, and forwards what is left.
  for (const k of kiosks) {
    k.keeper.closeAll();
    for (let i = 0; i < 50; i++) {
      await k.keeper.runOnce(false);
      k.keeper.closeAll();
      const open = k.db.prepare('SELECT count(*) AS n FROM quota_lease WHERE settled_at IS NULL').get() as { n: number };
      const asked = k.db.prepare('SELECT count(*) AS n FROM quota_lease_request').get() as { n: number };
      if (open.n === 0 && asked.n === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    for (let i = 0; i < 50 && k.outbox.pendingCount() > 0; i++) await forwardReturnData(k.outbox, k.client, silent);
  }

  const fleetLeases = (
    await fleet.pool.query<{ id: string; kiosk_id: string; size: number; used: number | null }>(
      'SELECT id, kiosk_id, size, used FROM lease',
    )
  ).rows;
  let kioskHits = 0;
  for (const k of kiosks) {
    const mine = k.db.prepare('SELECT id, size, used, settled_at FROM quota_lease').all() as Array<{
      id: string;
      size: number;
      used: number;
      settled_at: string | null;
    }>;
    const missing = mine.filter((l) => !fleetLeases.some((f) => f.id === l.id && f.kiosk_id === k.id && f.size === l.size));
    t.same(missing, [], `${k.id}: every lease it spent from is on record at the fleet`);
    const differing = mine.filter((l) => fleetLeases.find((f) => f.id === l.id)?.used !== l.used);
    t.same(differing, [], `${k.id}: every settled lease has the kiosk's own count at the fleet`);
    t.equal(mine.filter((l) => l.settled_at === null).length, 0, `${k.id}: all settled`);
    kioskHits += (k.db.prepare("SELECT count(*) AS n FROM quota_hit WHERE state <> 'released'").get() as { n: number }).n;
    const forwarded = (
      k.db.prepare('SELECT idempotency_key AS key FROM return_data_outbox WHERE forwarded_at IS NOT NULL').all() as Array<{ key: string }>
    ).map((r) => r.key);
    const held = new Set(
      (await fleet.pool.query<{ entry_key: string }>('SELECT entry_key FROM return_data WHERE kiosk_id = $1', [k.id])).rows.map(
        (r) => r.entry_key,
      ),
    );
    t.same(
      forwarded.filter((key) => !held.has(key)),
      [],
      `${k.id}: every entry marked forwarded is in the fleet's queue (${forwarded.length})`,
    );
    t.equal(k.outbox.pendingCount(), 0, `${k.id}: nothing left to forward`);
  }
  const granted = fleetLeases.filter((l) => kiosks.some((k) => k.db.prepare('SELECT 1 FROM quota_lease WHERE id = ?').get(l.id)));
  t.equal(granted.length, fleetLeases.length, 'the fleet granted no lease that no kiosk holds (a lost answer was asked for again)');
  const day = (await fleet.pool.query<{ committed: number }>('SELECT sum(committed)::int AS committed FROM quota_day')).rows[0]!.committed;
  t.equal(day, kioskHits, 'the fleet counts exactly the hits the kiosks spent');
  t.equal(kioskHits, spent, 'and the kiosks spent what the test saw granted');
});
