/**
 * Three real kiosk daemons (demo devices, as `npm start` runs them) in one fleet: two fleet
 * instances behind one address, one PostgreSQL, the data balikan simulator behind the fleet.
 * Taxpayers keep coming to all three until the day's quota (15 here) is gone: exactly 15 NIK
 * requests leave, whichever kiosk made them; every data balikan entry reaches Disdukcapil once;
 * the fleet's semester report holds each kiosk's own figures and their sum. Midway the fleet is
 * stopped: the kiosks serve from their leases and no more.
 */
import t from 'tap';
import { writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import { openDatabase } from '../../device/store/db.ts';
import { computeSemesterReport, parseSemester, type MonthFigures } from '../../device/report/semester.ts';
import { startReturnDataSimulator } from '../../device/sim/return-data/server.ts';
import { startLocalFleet } from '../../fleet/demo/cluster.ts';
import { buildKiosk, spawnKiosk, type KioskProcess } from '../support/kiosk-process.ts';
import { KioskClient } from '../support/kiosk-client.ts';
import { signInAdmin } from './admin-client.ts';
import { WIB_OFFSET_MS } from '../../device/domain/wib.ts';

/**
 * Above the 12 the three kiosks can hold when the fleet stops (two leases of 2 each, asked at the
 * low-water mark of 1): some of the day is always left at the fleet, so the kiosks must come back
 * for it once the fleet does, and the day is exact only if every lease they are given is spent.
 */
const LIMIT = 15;

function currentSemester(now = new Date()): string {
  const wib = new Date(now.getTime() + WIB_OFFSET_MS);
  return `${wib.getUTCFullYear()}-${wib.getUTCMonth() < 6 ? 1 : 2}`;
}

/**
 * One taxpayer with a valid card from insert to removal, linking data balikan when verified;
 * the kiosk may then be out of service (its quota spent). Returns the verdict or the screen.
 */
async function serveTaxpayer(k: KioskClient): Promise<string> {
  if ((await k.call('POST', '/api/demo/card', { persona: 'valid' })) !== 200) throw new Error('card refused');
  await k.until((v) => v.screen === 'awaitingFinger', 'finger prompt');
  await k.call('POST', '/api/demo/finger', { genuine: true });
  const end = await k.until((n) => n.screen === 'result' || n.screen === 'failed', 'result', 60_000);
  if (end.screen === 'result' && end.canLinkReturnData) {
    await k.intent({ type: 'linkReturnData' });
    await k.until((n) => n.screen === 'returnData', 'return data form');
    await k.intent({ type: 'submitReturnData', nop: '33.13.010.001.001-0001.0', npwpd: 'P.2.0001234.33.13' });
    await k.until((n) => n.screen === 'finished', 'take your card');
  }
  await k.call('DELETE', '/api/demo/card');
  await k.until((n) => n.screen === 'welcome' || n.screen === 'outOfService', 'welcome or out of service');
  return end.screen === 'result' ? end.outcome : end.screen === 'failed' ? `failed:${end.reason}` : end.screen;
}

async function eventually<T>(what: string, run: () => Promise<T | null>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const r = await run();
    if (r !== null) return r;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((res) => setTimeout(res, 250));
  }
}

t.test('three kiosks share one day exactly, deliver data balikan once, and add up to one report', async (t) => {
  await buildKiosk();
  const simulator = await startReturnDataSimulator();
  t.teardown(() => simulator.close());
  const fleet = await startLocalFleet({
    instances: 2,
    quota: { dailyLimit: LIMIT, maxLeaseSize: 3, leaseTtlS: 600 },
    files: { 'dukcapil-ca.pem': simulator.caPem, 'dukcapil.json': JSON.stringify(simulator.credentials) },
    returnData: {
      delivery: { url: simulator.url, caFile: 'dukcapil-ca.pem', credentialsFile: 'dukcapil.json', idleIntervalMs: 200, retryBaseMs: 200 },
    },
  });
  t.teardown(() => fleet.close());

  const kiosks: Array<{ id: string; process: KioskProcess; client: KioskClient }> = [];
  t.teardown(async () => {
    for (const k of kiosks) await k.process.stop();
  });
  for (const id of ['KRA-01', 'KRA-02', 'KRA-03']) {
    const link = await fleet.enrolKiosk(id);
    const file = (name: string, content: string) => {
      const path = join(fleet.dir, `${id}-${name}`);
      writeFileSync(path, content, { mode: 0o600 });
      return path;
    };
    const config = file(
      'config.json',
      JSON.stringify({
        kiosk: { id, site: `Site ${id}`, regionCode: '33.13' },
        fleet: {
          url: fleet.url,
          kioskId: id,
          caFile: file('ca.pem', link.caPem),
          certFile: file('cert.pem', link.certPem!),
          keyFile: file('key.pem', link.keyPem!),
          leaseSize: 2,
          lowWater: 1,
          heartbeatEveryS: 1,
          figuresEveryS: 1,
        },
      }),
    );
    const process = await spawnKiosk({ ANJUNGAN_CONFIG: config });
    kiosks.push({ id, process, client: new KioskClient(process.url) });
  }

  // Every kiosk serves a first taxpayer with the fleet up.
  const results: Array<{ kiosk: string; screen: string; phase: 'up' | 'down' | 'back' }> = [];
  const serve = async (k: (typeof kiosks)[number], phase: 'up' | 'down' | 'back') => {
    const end = await serveTaxpayer(k.client);
    results.push({ kiosk: k.id, screen: end, phase });
  };
  await Promise.all(kiosks.map((k) => serve(k, 'up')));
  t.same(
    results.map((r) => r.screen),
    ['verified', 'verified', 'verified'],
    'each kiosk verified its first taxpayer',
  );

  // The fleet goes down: each kiosk spends what its leases hold, then stops serving. What they
  // hold is read once the fleet is down: a kiosk below its low-water mark may still have been
  // granted a lease a moment before (one whose answer was lost is held by nobody).
  for (const i of fleet.instances.splice(0)) await i.stop();
  fleet.balancer.setBackends([]);
  const held = await fleet.pool.query<{ kiosk_id: string; held: string }>(
    'SELECT kiosk_id, sum(size) AS held FROM lease WHERE settled_at IS NULL GROUP BY kiosk_id',
  );
  const servedWhileDown = new Map<string, number>();
  await Promise.all(
    kiosks.map(async (k) => {
      for (let n = 0; n < 10; n++) {
        const v = await k.client.until((x) => x.screen === 'welcome' || x.screen === 'outOfService', 'welcome or out of service');
        if (v.screen === 'outOfService') break;
        await serve(k, 'down');
        if (results[results.length - 1]!.screen === 'verified') servedWhileDown.set(k.id, (servedWhileDown.get(k.id) ?? 0) + 1);
      }
    }),
  );
  for (const k of kiosks) {
    const leaseHits = Number(held.rows.find((r) => r.kiosk_id === k.id)?.held ?? 0);
    const served = servedWhileDown.get(k.id) ?? 0;
    t.ok(served >= 1, `${k.id} served from its leases while the fleet was down (${served})`);
    t.ok(served + 1 <= leaseHits, `${k.id} spent no more than its leases held (${served + 1} of ${leaseHits})`);
    t.equal((await k.client.view()).screen, 'outOfService', `${k.id} stopped serving once its leases were spent`);
  }

  // The fleet comes back; the kiosks take the rest of the day and no more. Each serves whenever it
  // shows the welcome screen, until the day's taxpayers are all verified: a kiosk that is out of
  // service may still be given the last lease (so "the fleet has handed out the day" is no reason to stop).
  await fleet.startInstance();
  await fleet.startInstance();
  const verifiedSoFar = () => results.filter((r) => r.screen === 'verified').length;
  const dayDeadline = Date.now() + 180_000;
  await Promise.all(
    kiosks.map(async (k) => {
      while (verifiedSoFar() < LIMIT && Date.now() < dayDeadline) {
        if ((await k.client.view()).screen === 'welcome') await serve(k, 'back');
        else await new Promise((r) => setTimeout(r, 200));
      }
    }),
  );
  // Every hit of the day is spent: a kiosk whose lease ran out under a taxpayer (the fleet away,
  // or the last hits gone to another kiosk) is out of service only until its next lease, never
  // for the rest of the day with a lease it will not spend.
  const verified = results.filter((r) => r.screen === 'verified').length;
  t.equal(verified, LIMIT, `exactly ${LIMIT} taxpayers were verified across the three kiosks`);
  if (verified !== LIMIT) {
    // What to look at when it fails: each taxpayer's end, and each kiosk's fleet and service lines.
    t.comment(JSON.stringify(results));
    const lines = /fleetUnreachable|fleetLease|quotaReachedAtRegistry|"code":"(outOfService|inService)"/;
    for (const k of kiosks)
      t.comment(
        `${k.id}\n${k.process
          .output()
          .split('\n')
          .filter((l) => lines.test(l))
          .join('\n')}`,
      );
  }
  for (const k of kiosks) {
    await k.client.until((v) => v.screen === 'outOfService', `${k.id} out of service once the day is spent`, 60_000);
    t.pass(`${k.id} serves nobody more once the day is spent`);
  }
  const day = (await fleet.pool.query<{ committed: number; daily_limit: number }>('SELECT committed, daily_limit FROM quota_day')).rows;
  t.same(day, [{ committed: LIMIT, daily_limit: LIMIT }], 'the fleet handed out the whole day, not one hit more');

  // Data balikan: every entry the kiosks queued reaches the registry once.
  // One query: with two, an entry forwarded between them (kiosks forward every 15 s) passed as delivered.
  await eventually('every entry delivered', async () => {
    const r = await fleet.pool.query<{ delivered: string; total: string }>(
      'SELECT count(*) FILTER (WHERE delivered_at IS NOT NULL) AS delivered, count(*) AS total FROM return_data',
    );
    return Number(r.rows[0]!.delivered) === LIMIT && Number(r.rows[0]!.total) === LIMIT ? true : null;
  });
  t.equal(simulator.recorded().size, LIMIT, `Disdukcapil recorded each of the ${LIMIT} entries once`);

  // The report: each kiosk's figures as its own report has them (the kiosks send theirs every second), and their sum.
  const admin = await signInAdmin(fleet);
  const semester = currentSemester();
  const ownTotal = async (k: (typeof kiosks)[number]) => {
    const db = openDatabase(k.process.stateDir);
    try {
      return (
        await computeSemesterReport(
          { db, kiosk: null, agreementNumbers: [], dailyQuota: LIMIT, now: () => new Date() },
          parseSemester(semester),
        )
      ).total;
    } finally {
      db.close();
    }
  };
  type FleetReport = { kiosks: Array<{ kiosk: { id: string }; total: MonthFigures }>; total: { total: MonthFigures } };
  const report = await eventually("the fleet report to hold every kiosk's latest figures", async () => {
    const r = (await admin.get(`/api/admin/report/semester/${semester}.xlsx/figures`)).json() as FleetReport;
    for (const k of kiosks) {
      const fleetSide = r.kiosks.find((x) => x.kiosk.id === k.id)?.total;
      const own = await ownTotal(k);
      // Every figure, not only the counts: data balikan moves from pending to exported after the
      // day is spent, and the kiosk's next report carries that.
      if (!fleetSide || !isDeepStrictEqual({ ...fleetSide, outOfServiceHours: null }, { ...own, outOfServiceHours: null })) return null;
    }
    return r;
  });
  for (const k of kiosks) {
    const own = await ownTotal(k);
    const fleetSide = report.kiosks.find((x) => x.kiosk.id === k.id)!.total;
    t.same(
      { ...fleetSide, outOfServiceHours: null },
      { ...own, outOfServiceHours: null },
      `${k.id}: the fleet report has the kiosk's own figures`,
    );
  }
  t.equal(report.total.total.quotaHits, LIMIT, `the fleet report counts the day's ${LIMIT} hits`);
  t.equal(report.total.total.uplink.verified, LIMIT, `and the ${LIMIT} verified taxpayers`);
  t.equal(report.total.total.returnData.queued, LIMIT, `and the ${LIMIT} data balikan entries`);
});
