/**
 * Data balikan delivery throughput: entries confirmed per second by the real worker (sealed
 * outbox in SQLite, batches of the default size, a fresh TLS connection per batch) against the
 * simulator endpoint on loopback, from a full outbox to an empty one.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../device/log.ts';
import { openDatabase } from '../../device/store/db.ts';
import { ReturnDataOutbox } from '../../device/store/return-data-outbox.ts';
import { DEFAULT_DELIVERY, ReturnDataDelivery, returnDataTransport } from '../../device/return-data/delivery.ts';
import { returnDataSimulatorEndpoint, startReturnDataSimulator } from '../../device/sim/return-data/server.ts';
import { syntheticEntry } from '../return-data/support.ts';

const ENTRIES = 2000;

export async function bench(): Promise<Record<string, number>> {
  const sim = await startReturnDataSimulator();
  const dir = mkdtempSync(join(tmpdir(), 'anjungan-bench-returndata-'));
  const db = openDatabase(dir);
  try {
    const clock = { now: () => new Date() };
    const outbox = new ReturnDataOutbox(db, randomBytes(32), clock);
    // One transaction for the setup only: the kiosk commits each entry on its own.
    db.transaction(() => {
      for (let i = 0; i < ENTRIES; i++) outbox.enqueue(syntheticEntry(i), `bench-${i}`);
    })();
    const delivery = new ReturnDataDelivery({
      outbox,
      ...returnDataTransport(returnDataSimulatorEndpoint(sim)),
      credentials: sim.credentials,
      clock,
      logger: createLogger({ level: 'silent' }),
      settings: DEFAULT_DELIVERY,
    });
    const signal = new AbortController().signal;
    const started = performance.now();
    for (;;) {
      const result = await delivery.deliverBatch(signal);
      if (result.kind === 'idle') break;
      if (result.kind === 'failed') throw new Error(`bench: delivery failed (${result.reason})`);
    }
    const seconds = (performance.now() - started) / 1000;
    if (sim.recorded().size !== ENTRIES || outbox.deliveredCount() !== ENTRIES)
      throw new Error('bench: not every entry was delivered once');
    return { returndata_delivery_per_s: Math.round(ENTRIES / seconds) };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
    await sim.close();
  }
}
