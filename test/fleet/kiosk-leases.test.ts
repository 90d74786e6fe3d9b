/**
 * A kiosk's lease ledger and keeper (device/fleet/) against a real fleet (PostgreSQL, mutual
 * TLS), on one clock the test moves: a lease is spent, expires and its unused part returns; the
 * day turns at WIB midnight; a kiosk cut off mid-day spends what it holds and no more; a lease
 * request whose answer was lost is asked again and never becomes a second lease.
 */
import t from 'tap';
import { randomUUID } from 'node:crypto';
import { startLocalFleet, type LocalFleet } from '../../fleet/demo/cluster.ts';
import { leaseKiosk } from './lease-kiosk.ts';

/** 10:00 WIB on a Monday. */
const START = Date.parse('2026-11-30T03:00:00Z');

function kioskSide(
  t: { teardown(f: () => void): void },
  link: Awaited<ReturnType<LocalFleet['enrolKiosk']>>,
  clock: { now(): Date },
  leaseSize = 5,
  retryMs = 0,
) {
  return leaseKiosk(t, link, clock, { leaseSize, lowWater: 0, retryMs });
}

t.test('leases with a clock the test moves', async (t) => {
  let now = START;
  const clock = { now: () => new Date(now) };
  const fleet = await startLocalFleet({
    instances: 2,
    inProcess: true,
    now: clock.now,
    quota: { dailyLimit: 100, maxLeaseSize: 5, leaseTtlS: 600, maxOutstandingPerKiosk: 30 },
  });
  t.teardown(() => fleet.close());
  const leases = async () =>
    (
      await fleet.pool.query<{ kiosk_id: string; size: number; used: number | null; day: string }>(
        'SELECT kiosk_id, size, used, day FROM lease ORDER BY id',
      )
    ).rows;
  const committed = async (day: string) =>
    (await fleet.pool.query<{ committed: number }>('SELECT committed FROM quota_day WHERE day = $1', [day])).rows[0]?.committed ?? 0;

  await t.test('a lease is spent, expires, and what was not spent returns to the day', async (t) => {
    const k = kioskSide(t, await fleet.enrolKiosk('A'), clock);
    t.equal(await k.hit(), true, 'the first hit waits for a lease and gets one');
    t.equal(await k.hit(), true);
    t.same(k.ledger.held(), { remaining: 3, open: 1 }, 'three hits left in the lease');
    t.equal(await committed('2026-11-30'), 5, 'the fleet counts the whole lease while it is out');
    now += 601_000;
    await k.keeper.runOnce(false);
    const mine = (await leases()).filter((l) => l.kiosk_id === 'A');
    t.same(mine[0] && [mine[0].size, mine[0].used], [5, 2], 'the expired lease is settled with the two hits spent');
    t.same(
      mine.slice(1).map((l) => [l.size, l.used]),
      [[5, null]],
      'holding nothing, the kiosk takes a fresh lease for its next taxpayer',
    );
    t.equal(await committed('2026-11-30'), 2 + 5, 'the three unspent hits went back to the day');
    t.same(k.ledger.held(), { remaining: 5, open: 1 }, 'nothing is left of the expired lease: only the fresh one counts');
    t.equal(await k.hit(), true, 'the next hit comes from the new lease');
    t.equal(await committed('2026-11-30'), 7, 'and costs the fleet nothing more');
  });

  await t.test('a released hit goes back into its lease', async (t) => {
    const k = kioskSide(t, await fleet.enrolKiosk('B'), clock);
    const r = await k.ledger.reserve();
    t.equal(r.granted, true);
    if (r.granted) await k.ledger.release(r.id);
    t.same(k.ledger.held(), { remaining: 5, open: 1 }, 'the request never left: its hit is back in the lease');
  });

  await t.test('the day turns at WIB midnight: a lease ends with its day, the next day starts afresh', async (t) => {
    now = Date.parse('2026-11-30T16:59:00Z'); // 23:59 WIB
    const k = kioskSide(t, await fleet.enrolKiosk('C'), clock);
    t.equal(await k.hit(), true);
    const lease = (await fleet.pool.query<{ expires_at: Date }>("SELECT expires_at FROM lease WHERE kiosk_id = 'C'")).rows[0]!;
    t.equal(lease.expires_at.toISOString(), '2026-11-30T17:00:00.000Z', 'a lease granted at 23:59 WIB ends at midnight WIB');
    now = Date.parse('2026-11-30T17:00:01Z'); // 00:00:01 WIB, the next day
    t.equal(k.ledger.usage().day, '2026-12-01');
    t.equal(await k.hit(), true, "the first hit of the new day comes from a new day's lease");
    const days = (await leases()).filter((l) => l.kiosk_id === 'C').map((l) => l.day);
    t.same(days, ['2026-11-30', '2026-12-01']);
    t.equal(await committed('2026-12-01'), 5, 'the new day counts only its own lease');
    await k.keeper.runOnce(false);
    t.same(
      (await leases()).filter((l) => l.kiosk_id === 'C').map((l) => l.used),
      [1, null],
      "yesterday's lease is settled with its one hit",
    );
  });

  await t.test('cut off mid-day, a kiosk spends what it holds and no more; back, it settles', async (t) => {
    now = Date.parse('2026-12-01T04:00:00Z');
    const k = kioskSide(t, await fleet.enrolKiosk('D'), clock);
    t.equal(await k.hit(), true);
    const before = await committed('2026-12-01');
    const backends = fleet.instances.map((i) => i.port);
    fleet.balancer.setBackends([]);
    fleet.balancer.cutConnections();
    let spent = 1;
    for (let i = 0; i < 10; i++) if (await k.hit()) spent += 1;
    t.equal(spent, 5, 'the four hits left in its lease, then nothing');
    t.match(
      k.ledger.usage(),
      { waitingForLease: true },
      'with the fleet away and its lease spent, the kiosk counts on nothing: it waits for a lease (and stops serving)',
    );
    t.ok(k.ledger.usage().used < k.ledger.usage().limit, 'which is not the day spent: nothing says so');
    t.equal(await committed('2026-12-01'), before, 'the fleet counted nothing more while the kiosk was cut off');
    fleet.balancer.setBackends(backends);
    now += 601_000;
    await k.keeper.runOnce(false);
    const mine = (await leases()).filter((l) => l.kiosk_id === 'D');
    t.same(mine.map((l) => [l.size, l.used]).slice(0, 1), [[5, 5]], 'back in touch, the kiosk settles its lease: all five spent');
  });

  await t.test('a lease request whose answer was lost is asked again under its id: one lease, not two', async (t) => {
    const link = await fleet.enrolKiosk('E');
    const k = kioskSide(t, link, clock);
    const requestId = randomUUID();
    // The request reached the fleet and was granted; the kiosk crashed before storing the answer.
    k.db.prepare('INSERT INTO quota_lease_request (request_id, size, asked_at) VALUES (?, 5, ?)').run(requestId, clock.now().toISOString());
    const granted = await k.client.request('POST', '/api/kiosk/leases', { requestId, size: 5 });
    t.equal(granted.ok && granted.status, 200);
    await k.keeper.runOnce(false);
    t.equal((await leases()).filter((l) => l.kiosk_id === 'E').length, 1, 'the fleet holds one lease for that request');
    t.same(k.ledger.held(), { remaining: 5, open: 1 }, 'and the kiosk now holds it');
  });

  await t.test('out of hits, a kiosk is woken by its next lease and never held back by a stale wait', async (t) => {
    now = Date.parse('2026-12-01T05:00:00Z');
    const k = kioskSide(t, await fleet.enrolKiosk('F'), clock, 2, 600_000);
    const today = async () => {
      const r = await k.client.request('GET', '/healthz');
      t.ok(r.ok, 'the fleet answers');
      return { day: '2026-12-01', limit: 100, committed: await committed('2026-12-01') };
    };
    t.equal(await k.hit(), true);
    t.equal(await k.hit(), true, 'both hits of its lease spent');
    k.keeper.heard(await today());
    t.ok(k.ledger.usage().used < k.ledger.usage().limit, 'while the fleet answers, its unallocated hits count');

    // The fleet goes away: a heartbeat finds it unreachable, and its last word stops counting.
    const backends = fleet.instances.map((i) => i.port);
    fleet.balancer.setBackends([]);
    fleet.balancer.cutConnections();
    k.keeper.lost();
    t.match(k.ledger.usage(), { waitingForLease: true }, 'cut off and holding nothing, the kiosk counts on nothing: it waits for a lease');
    t.equal(await k.hit(), false, 'a taxpayer now gets no hit (the fleet is asked once, unreachable)');
    t.same(k.woken, [], 'nobody was told there is more');

    // Back: the heartbeat's answer lifts the unreachable wait (retryMs is ten minutes here), so the
    // next pass asks at once; the lease it brings wakes the kiosk, once.
    fleet.balancer.setBackends(backends);
    k.keeper.heard(await today());
    t.equal(k.woken.length, 1, "the fleet's word that hits are free wakes the out-of-service kiosk");
    await k.keeper.runOnce(false);
    t.same(k.ledger.held(), { remaining: 2, open: 2 }, 'a lease came without waiting out the retry (beside the spent one)');
    t.equal(k.woken.length, 1, 'and the kiosk, already told, is not told twice');
    t.equal(await k.hit(), true, 'the next taxpayer is served');
  });

  await t.test('an idle kiosk is told when the last hits of the day went to other kiosks', async (t) => {
    now = Date.parse('2026-12-02T03:00:00Z');
    const k = kioskSide(t, await fleet.enrolKiosk('G'), clock, 2, 600_000);
    t.equal(await k.hit(), true);
    t.equal(await k.hit(), true, 'both hits of its lease spent');
    t.ok(k.ledger.usage().used < k.ledger.usage().limit, 'the fleet still had hits: the kiosk shows its welcome screen');
    t.same(k.woken, [], 'and has not been told anything');

    // The other kiosks take the rest of the day while this one waits for a taxpayer: the heartbeat's
    // answer says so, and the kiosk is told at once (it goes out of service before a card is put in).
    k.keeper.heard({ day: '2026-12-02', limit: 100, committed: 100 });
    t.equal(k.woken.length, 1, 'told that nothing is left for it');
    k.keeper.heard({ day: '2026-12-02', limit: 100, committed: 100 });
    t.equal(k.woken.length, 1, 'and told once, not at every heartbeat');

    // A kiosk gave hits back: the next heartbeat says so and the kiosk is told again.
    k.keeper.heard({ day: '2026-12-02', limit: 100, committed: 98 });
    t.equal(k.woken.length, 2, 'told that there is something again');
  });
});
