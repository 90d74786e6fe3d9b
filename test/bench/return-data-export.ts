/**
 * Data balikan export figures: a full file (10,000 entries, the most one export writes) as XLSX and
 * CSV into a temporary folder through the real outbox, and the longest the event loop the kiosk
 * shares was held during the XLSX export.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { openDatabase } from '../../device/store/db.ts';
import { ReturnDataOutbox } from '../../device/store/return-data-outbox.ts';
import { exportReturnData, MAX_ENTRIES_PER_EXPORT, type ExportFormat } from '../../device/return-data/export.ts';
import { syntheticEntry } from '../support/return-data-fixtures.ts';

async function timedExport(format: ExportFormat): Promise<{ ms: number; maxBlockMs: number }> {
  const base = mkdtempSync(join(tmpdir(), 'anj14e-bench-'));
  try {
    const db = openDatabase(join(base, 'state'));
    const outbox = new ReturnDataOutbox(db, randomBytes(32), { now: () => new Date() });
    db.transaction(() => {
      for (let i = 0; i < MAX_ENTRIES_PER_EXPORT; i++) outbox.enqueue(syntheticEntry(i), `s-${i}`);
    })();
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const t0 = performance.now();
    await exportReturnData({ source: outbox, dir: base, format, now: new Date(), kiosk: null });
    const ms = performance.now() - t0;
    loop.disable();
    db.close();
    return { ms: Math.round(ms), maxBlockMs: Math.round(loop.max / 1e6) };
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

export async function bench(): Promise<Record<string, number>> {
  const xlsx = await timedExport('xlsx');
  const csv = await timedExport('csv');
  return {
    returndata_export_xlsx_10k_ms: xlsx.ms,
    returndata_export_xlsx_10k_max_loop_block_ms: xlsx.maxBlockMs,
    returndata_export_csv_10k_ms: csv.ms,
  };
}
