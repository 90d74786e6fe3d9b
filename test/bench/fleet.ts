/**
 * The fleet (fleet/): two instances (child processes) behind one address, one PostgreSQL, and
 * kiosk clients over mutual TLS, all on this machine.
 * - fleet_reservations_per_s, fleet_reserve_ms_p95: 5 kiosks, each with 8 lease requests in
 *   flight, 1,000 requests in all against a limit they never reach.
 * - fleet_overshoot_under_chaos: 5 kiosks x 300 concurrent requests of 1-5 hits against a day of
 *   500 while one instance is killed (kill -9) and another started: hits granted beyond the limit
 *   (must be 0), by the answers the kiosks got and by the database.
 * - fleet_return_data_delivered_per_s: 2,000 entries forwarded by a kiosk and delivered by the
 *   fleet to the data balikan simulator, from the first forward to the last confirmation.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../device/log.ts';
import { openDatabase } from '../../device/store/db.ts';
import { ReturnDataOutbox } from '../../device/store/return-data-outbox.ts';
import { FleetClient } from '../../device/fleet/client.ts';
import { forwardReturnData } from '../../device/fleet/link.ts';
import { startReturnDataSimulator } from '../../device/sim/return-data/server.ts';
import { startLocalFleet } from '../../fleet/demo/cluster.ts';

const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)] ?? 0;

async function throughput(): Promise<Record<string, number>> {
  const fleet = await startLocalFleet({
    instances: 2,
    quota: { dailyLimit: 1_000_000, maxLeaseSize: 25, maxOutstandingPerKiosk: 1_000_000 },
  });
  try {
    const clients = await Promise.all(
      ['B1', 'B2', 'B3', 'B4', 'B5'].map(async (id) => new FleetClient({ ...(await fleet.enrolKiosk(id)), timeoutMs: 60_000 })),
    );
    const latencies: number[] = [];
    const perKiosk = 200;
    const started = performance.now();
    await Promise.all(
      clients.map(async (c) => {
        let next = 0;
        await Promise.all(
          Array.from({ length: 8 }, async () => {
            while (next < perKiosk) {
              next += 1;
              const t0 = performance.now();
              const r = await c.request('POST', '/api/kiosk/leases', { requestId: randomUUID(), size: 1 });
              if (!r.ok || r.status !== 200) throw new Error('lease request failed');
              latencies.push(performance.now() - t0);
            }
          }),
        );
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    clients.forEach((c) => c.close());
    return {
      fleet_reservations_per_s: Math.round((clients.length * perKiosk) / seconds),
      fleet_reserve_ms_p95: Math.round(p95(latencies) * 10) / 10,
    };
  } finally {
    await fleet.close();
  }
}

async function chaos(): Promise<Record<string, number>> {
  const limit = 500;
  const fleet = await startLocalFleet({ instances: 2, quota: { dailyLimit: limit, maxLeaseSize: 5, maxOutstandingPerKiosk: limit } });
  try {
    const clients = await Promise.all(
      ['X1', 'X2', 'X3', 'X4', 'X5'].map(async (id) => new FleetClient({ ...(await fleet.enrolKiosk(id)), timeoutMs: 120_000 })),
    );
    let granted = 0;
    let answered = 0;
    const burst = Promise.all(
      clients.flatMap((c) =>
        Array.from({ length: 300 }, async (_, i) => {
          const requestId = randomUUID();
          // A request whose instance died is asked again under the same id, as the kiosk's keeper does.
          for (let attempt = 0; attempt < 20; attempt++) {
            const r = await c.request('POST', '/api/kiosk/leases', { requestId, size: 1 + (i % 5) });
            if (r.ok && r.status === 200) {
              answered += 1;
              granted += (r.body as { lease: { size: number } | null }).lease?.size ?? 0;
              return;
            }
            await new Promise((res) => setTimeout(res, 100));
          }
        }),
      ),
    );
    while (answered < 200) await new Promise((r) => setTimeout(r, 5));
    const victim = fleet.instances.shift()!;
    process.kill(victim.pid!, 'SIGKILL');
    fleet.balancer.setBackends(fleet.instances.map((i) => i.port));
    await fleet.startInstance();
    await burst;
    clients.forEach((c) => c.close());
    const db = (
      await fleet.pool.query<{ committed: number; leased: string }>(
        'SELECT committed, (SELECT coalesce(sum(size), 0) FROM lease) AS leased FROM quota_day',
      )
    ).rows[0]!;
    return { fleet_overshoot_under_chaos: Math.max(0, granted - limit, db.committed - limit, Number(db.leased) - limit) };
  } finally {
    await fleet.close();
  }
}

async function delivery(): Promise<Record<string, number>> {
  const simulator = await startReturnDataSimulator();
  const fleet = await startLocalFleet({
    instances: 2,
    files: { 'sim-ca.pem': simulator.caPem, 'sim.json': JSON.stringify(simulator.credentials) },
    returnData: { delivery: { url: simulator.url, caFile: 'sim-ca.pem', credentialsFile: 'sim.json', batchSize: 100, idleIntervalMs: 50 } },
  });
  const dir = mkdtempSync(join(tmpdir(), 'anjungan-bench-fleet-'));
  const db = openDatabase(dir);
  try {
    const client = new FleetClient(await fleet.enrolKiosk('D1'));
    const outbox = new ReturnDataOutbox(db, Buffer.alloc(32, 9), { now: () => new Date() });
    const count = 2000;
    for (let i = 0; i < count; i++)
      outbox.enqueue({ nik: `33130101019${String(10000 + i).slice(-5)}`, nop: '331301000100100010', npwpd: null }, randomUUID());
    const started = performance.now();
    await forwardReturnData(outbox, client, createLogger({ level: 'silent' }));
    while (simulator.recorded().size < count) await new Promise((r) => setTimeout(r, 20));
    const seconds = (performance.now() - started) / 1000;
    client.close();
    return { fleet_return_data_delivered_per_s: Math.round(count / seconds) };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
    await fleet.close();
    await simulator.close();
  }
}

export async function bench(): Promise<Record<string, number>> {
  return { ...(await throughput()), ...(await chaos()), ...(await delivery()) };
}
