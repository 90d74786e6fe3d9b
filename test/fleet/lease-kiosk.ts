/**
 * One kiosk's side of the fleet for tests that drive it by hand: its own SQLite store, a mutual-TLS
 * client, the lease ledger and keeper (device/fleet/), on a clock the test moves. The keeper
 * never ticks by itself (tickMs of an hour): the test calls it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../device/log.ts';
import { openDatabase } from '../../device/store/db.ts';
import { FleetClient } from '../../device/fleet/client.ts';
import { LeaseLedger } from '../../device/fleet/lease-ledger.ts';
import { LeaseKeeper } from '../../device/fleet/lease-keeper.ts';
import type { LocalFleet } from '../../fleet/demo/cluster.ts';

export function leaseKiosk(
  t: { teardown(f: () => void): void },
  link: Awaited<ReturnType<LocalFleet['enrolKiosk']>>,
  clock: { now(): Date },
  settings: { leaseSize: number; lowWater: number; retryMs: number },
) {
  const dir = mkdtempSync(join(tmpdir(), 'anjungan-lease-'));
  const db = openDatabase(dir);
  const client = new FleetClient({ ...link, timeoutMs: 5_000 });
  const ledger = new LeaseLedger(db, { clock, dailyLimit: 1000, fleetViewFreshMs: 60_000 });
  /** When the keeper told the kiosk its availability changed. */
  const woken: number[] = [];
  const keeper = new LeaseKeeper({
    db,
    ledger,
    client,
    clock,
    logger: createLogger({ level: 'silent' }),
    settings: { ...settings, tickMs: 3_600_000 },
    onAvailabilityChanged: () => woken.push(clock.now().getTime()),
  });
  t.teardown(() => {
    client.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  /** One NIK request: reserve, and mark sent when granted. */
  const hit = async () => {
    const r = await ledger.reserve();
    if (r.granted) await ledger.markSent(r.id);
    return r.granted;
  };
  return { db, client, ledger, keeper, hit, woken };
}
