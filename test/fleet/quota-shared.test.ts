/**
 * The shared quota through the real path: kiosks with their client certificates, a balancer, two
 * fleet instances (child processes) and one PostgreSQL. Five kiosks ask for 300 one-hit leases
 * each, all at once, against a day of 1,000: exactly 1,000 are granted, never one more.
 */
import t from 'tap';
import { randomUUID } from 'node:crypto';
import { FleetClient } from '../../device/fleet/client.ts';
import { startLocalFleet } from '../../fleet/demo/cluster.ts';

t.test('5 kiosks x 300 concurrent reservations, two instances, a limit of 1,000: exactly 1,000 granted', async (t) => {
  const fleet = await startLocalFleet({ instances: 2, quota: { dailyLimit: 1000, maxLeaseSize: 25, maxOutstandingPerKiosk: 1000 } });
  t.teardown(() => fleet.close());
  const kiosks = await Promise.all(['K1', 'K2', 'K3', 'K4', 'K5'].map((id) => fleet.enrolKiosk(id)));
  // Three hundred requests queue on each kiosk's few connections: a deadline for the whole burst, not one request.
  const clients = kiosks.map((k) => new FleetClient({ ...k, timeoutMs: 240_000 }));
  t.teardown(() => clients.forEach((c) => c.close()));

  const started = Date.now();
  const replies = await Promise.all(
    clients.flatMap((c) => Array.from({ length: 300 }, () => c.request('POST', '/api/kiosk/leases', { requestId: randomUUID(), size: 1 }))),
  );
  t.comment(`1,500 requests answered in ${Date.now() - started} ms`);
  let granted = 0;
  let refused = 0;
  let unanswered = 0;
  let maxCommitted = 0;
  const refusals = new Set<string | undefined>();
  for (const r of replies) {
    if (!r.ok || r.status !== 200) {
      unanswered += 1;
      if (unanswered < 5) t.comment(JSON.stringify(r));
      continue;
    }
    const body = r.body as { lease: { size: number } | null; day: { committed: number; limit: number }; refusal?: string };
    maxCommitted = Math.max(maxCommitted, body.day.committed);
    if (body.lease) granted += body.lease.size;
    else {
      refused += 1;
      refusals.add(body.refusal);
    }
  }
  t.equal(unanswered, 0, 'every request is answered');
  t.equal(maxCommitted, 1000, 'no answer ever shows more committed than the limit');
  t.same([...refusals], ['dayExhausted'], 'refusals say the day is spent');
  t.equal(granted, 1000, 'the whole day is handed out, exactly');
  t.equal(refused, 500, 'the other 500 requests are refused');
  const db = await fleet.pool.query<{ committed: number; leased: string }>(
    'SELECT committed, (SELECT sum(size) FROM lease) AS leased FROM quota_day',
  );
  t.same(db.rows, [{ committed: 1000, leased: '1000' }], 'the database agrees: 1,000 committed in 1,000 one-hit leases');
  const byInstance = await fleet.pool.query<{ n: string }>(
    "SELECT count(DISTINCT application_name) AS n FROM pg_stat_activity WHERE application_name = 'anjungan-fleet'",
  );
  t.ok(Number(byInstance.rows[0]!.n) >= 1, 'the fleet instances hold connections');
});
