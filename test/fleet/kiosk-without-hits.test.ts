/**
 * A fleet kiosk that holds no hit while the day's shared quota is not spent: before its first
 * lease (at boot), and when the fleet refuses it more for holding its maximum of unsettled hits.
 * Readiness takes it out of service for that (awaitingLease, not quotaReached), before a
 * taxpayer's card; staff get no "quota reached" alert; and the kiosk serves again by itself once
 * a lease comes (its leases settled). Against a real fleet (PostgreSQL, mutual TLS), on a clock
 * the test moves; readiness and the staff alerts are the daemon's own, over a real SQLite store.
 */
import t from 'tap';
import { createLogger } from '../../device/log.ts';
import { KioskFlags } from '../../device/store/kiosk-flags.ts';
import { KioskEvents } from '../../device/flow/events.ts';
import { createReadiness } from '../../device/readiness.ts';
import { AlertLog, attachAlerts } from '../../device/staff/alerts.ts';
import { startLocalFleet, type LocalFleet } from '../../fleet/demo/cluster.ts';
import { leaseKiosk } from './lease-kiosk.ts';

const silent = createLogger({ level: 'silent' });
/** 10:00 WIB on a Monday. */
const START = Date.parse('2026-11-30T03:00:00Z');

/** One kiosk: its lease ledger and keeper, readiness as the daemon builds it, the staff alerts. */
function kiosk(t: { teardown(f: () => void): void }, link: Awaited<ReturnType<LocalFleet['enrolKiosk']>>, clock: { now(): Date }) {
  // A retry wait of ten minutes: only a settlement or a lease may end it within the test.
  const { db, ledger, keeper, hit, woken } = leaseKiosk(t, link, clock, { leaseSize: 5, lowWater: 0, retryMs: 600_000 });
  const readiness = createReadiness({
    agreement: { numbers: ['TEST/1'], start: '2026-01-01', end: '2026-12-31' },
    clock,
    tamper: { locked: () => false },
    card: { health: () => ({ idReader: 'ready', cardPresent: false, sam: 'ready', readers: 2 }) },
    // What the validator reports (device/uplink/validator.ts health()): its ledger's usage.
    validator: {
      validate: async () => ({ kind: 'unavailable' }),
      health: () => ({ breaker: 'closed', quota: ledger.usage() }),
      probe: async () => true,
    },
    flags: new KioskFlags(db, clock),
    logger: silent,
  });
  const alerts = new AlertLog(db, clock);
  const events = new KioskEvents({ record: () => undefined }, { error: () => undefined });
  // Attached as the daemon attaches it at start: the quota thresholds are checked at once.
  const detach = attachAlerts({ events, alerts, quota: () => ledger.usage(), logger: { warn: () => undefined, error: () => undefined } });
  t.teardown(detach);
  /** Readiness as the flow checks it; its answer recorded as the flow records it (what staff alerts follow). */
  const check = async () => {
    const r = await readiness.check();
    events.record(r.ready ? { code: 'inService', outcome: 'ready' } : { code: 'outOfService', outcome: r.reason });
    return r;
  };
  const alertKinds = () => alerts.list().map((a) => a.kind);
  return { db, ledger, keeper, readiness, check, hit, woken, alertKinds };
}

t.test('a fleet kiosk without hits while the day is not spent', async (t) => {
  let now = START;
  const clock = { now: () => new Date(now) };
  const fleet = await startLocalFleet({
    instances: 1,
    inProcess: true,
    now: clock.now,
    quota: { dailyLimit: 100, maxLeaseSize: 5, leaseTtlS: 600, maxOutstandingPerKiosk: 10 },
  });
  t.teardown(() => fleet.close());

  await t.test('at boot, before its first lease: waiting for a lease, not "quota reached"; in service once it comes', async (t) => {
    const k = kiosk(t, await fleet.enrolKiosk('BOOT'), clock);
    t.same(k.alertKinds(), [], 'no quota alert at start: nothing of the day is known to be used');
    t.same(await k.check(), { ready: false, reason: 'awaitingLease' }, 'out of service until its first lease, for that reason');
    t.same(k.alertKinds(), [], 'and staff are not told the quota is reached');
    await k.keeper.runOnce(false);
    t.same(k.ledger.held(), { remaining: 5, open: 1 }, 'the first lease came');
    t.equal(k.woken.length, 1, 'the kiosk was told');
    t.same(await k.check(), { ready: true }, 'in service');
    t.same(k.alertKinds(), [], 'still no alert');
  });

  await t.test(
    'refused for holding its maximum of unsettled hits: out of service before a taxpayer comes, back once they settle',
    async (t) => {
      now = Date.parse('2026-11-30T04:00:00Z');
      const k = kiosk(t, await fleet.enrolKiosk('FULL'), clock);
      for (let i = 0; i < 9; i++) t.equal(await k.hit(), true, `hit ${i + 1} served`);
      const told = k.woken.length;
      t.equal(await k.hit(), true, 'hit 10 served');
      // The tenth hit took the last of its two leases (ten hits unsettled, the fleet's maximum for one
      // kiosk). The keeper's next pass (every 2 s in a kiosk) asks for more, the fleet refuses, and
      // the kiosk is told, before the next taxpayer comes.
      await k.keeper.runOnce(false);
      t.equal(k.woken.length, told + 1, 'the kiosk is told it has nothing to count on');
      const usage = k.ledger.usage();
      t.ok(usage.used < usage.limit, `the day is not spent (${usage.used} of ${usage.limit})`);
      t.same(await k.check(), { ready: false, reason: 'awaitingLease' }, 'out of service, waiting for a lease: no taxpayer is let in');
      t.notOk(k.alertKinds().includes('quotaReached'), 'no "quota reached" alert');
      t.same(await k.check(), { ready: false, reason: 'awaitingLease' }, 'readiness re-checks and says the same');

      // The leases end and are settled (all ten hits spent): the fleet has room for this kiosk again,
      // the keeper asks at once (not after its ten-minute wait), and the kiosk is told.
      now += 601_000;
      await k.keeper.runOnce(false);
      t.same(k.ledger.held(), { remaining: 5, open: 1 }, 'a new lease once its leases settled');
      t.equal(k.woken.length, told + 2, 'the kiosk was told there is something again');
      t.same(await k.check(), { ready: true }, 'in service again, by itself');
      t.equal(await k.hit(), true, 'the next taxpayer is served');
      t.equal(k.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM staff_alerts').get()!.n, 0, 'no staff alert at all');
    },
  );

  await t.test('the fleet saying the day is spent is "quota reached", and alerted', async (t) => {
    now = Date.parse('2026-11-30T05:00:00Z');
    const k = kiosk(t, await fleet.enrolKiosk('SPENT'), clock);
    // Holding nothing, the kiosk hears from the fleet (a heartbeat) that every hit of the day is committed.
    k.keeper.heard({ day: '2026-11-30', limit: 100, committed: 100 });
    t.same(await k.check(), { ready: false, reason: 'quotaReached' });
    t.same(k.alertKinds(), ['quotaReached'], 'staff are told the quota is reached');
  });
});
