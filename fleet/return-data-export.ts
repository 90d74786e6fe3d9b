/**
 * Data balikan export at the fleet (the agreement's Excel/CSV upload method): the pending
 * entries of every kiosk in one file with the kiosk export's columns and cell rules
 * (device/return-data/export.ts), and a manifest. The file is kept in PostgreSQL with the
 * entries marked exported in the same transaction, so a download that fails can be taken again
 * and no entry is in two files or in none. Files go with the entries after the retention period.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { inTransaction } from './postgres/pool.ts';
import {
  MAX_ENTRIES_PER_EXPORT,
  RETURN_DATA_HEADERS,
  returnDataCsv,
  returnDataRows,
  returnDataXlsx,
  type ExportFormat,
} from '../device/return-data/export.ts';
import { WIB_OFFSET_MS } from '../device/domain/wib.ts';
import type { FleetReturnData } from './return-data.ts';

export class NothingPending extends Error {
  override readonly name = 'NothingPending';
  readonly code = 'nothingPending';
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function fileStamp(at: Date): string {
  const wib = new Date(at.getTime() + WIB_OFFSET_MS).toISOString();
  return `${wib.slice(0, 10).replaceAll('-', '')}-${wib.slice(11, 16).replace(':', '')}`;
}

export interface FleetExport {
  exportId: string;
  files: string[];
  count: number;
  sha256: string;
}

export async function exportFleetReturnData(
  pool: Pool,
  returnData: FleetReturnData,
  format: ExportFormat,
  adminId: string,
  now: Date,
): Promise<FleetExport> {
  return inTransaction(pool, async (client) => {
    const batch = await returnData.pendingForExport(client, MAX_ENTRIES_PER_EXPORT);
    if (batch.length === 0) throw new NothingPending('no pending data balikan entry to export');
    const exportId = randomBytes(6).toString('hex');
    const base = `data-balikan-fleet-${fileStamp(now)}-${exportId}`;
    const rows = returnDataRows(batch);
    const data = format === 'xlsx' ? await returnDataXlsx(rows, now) : returnDataCsv(rows);
    const name = `${base}.${format}`;
    const manifest = Buffer.from(
      `${JSON.stringify(
        {
          kind: 'anjungan-data-balikan',
          version: 1,
          exportId,
          generatedAt: now.toISOString(),
          kiosk: { id: 'fleet', site: 'all kiosks', regionCode: '' },
          format,
          count: batch.length,
          counts: {
            entries: batch.length,
            withNop: batch.filter((b) => b.entry.nop).length,
            withNpwpd: batch.filter((b) => b.entry.npwpd).length,
          },
          files: [{ name, sha256: sha256(data), bytes: data.length, rows: batch.length, headers: RETURN_DATA_HEADERS }],
        },
        null,
        2,
      )}\n`,
    );
    await client.query(
      'INSERT INTO return_data_export (id, created_at, created_by, format, file_name, data, manifest, count) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
      [exportId, now, adminId, format, name, data, manifest, batch.length],
    );
    await client.query('UPDATE return_data SET exported_at = $2, export_id = $3 WHERE entry_key = ANY($1::text[])', [
      batch.map((b) => b.key),
      now,
      exportId,
    ]);
    await client.query("INSERT INTO fleet_event (at, code, admin_id, item_count) VALUES ($1, 'returnDataExported', $2, $3)", [
      now,
      adminId,
      batch.length,
    ]);
    return { exportId, files: [name, `${base}.manifest.json`], count: batch.length, sha256: sha256(data) };
  });
}

/** A file of an export by its name: the data file or its manifest. */
export async function exportFile(pool: Pool, exportId: string, file: string): Promise<{ body: Buffer; contentType: string } | null> {
  const r = await pool.query<{ file_name: string; format: string; data: Buffer; manifest: Buffer }>(
    'SELECT file_name, format, data, manifest FROM return_data_export WHERE id = $1',
    [exportId],
  );
  const x = r.rows[0];
  if (!x) return null;
  if (file === x.file_name) {
    return {
      body: x.data,
      contentType: x.format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv; charset=utf-8',
    };
  }
  if (file === x.file_name.replace(/\.(xlsx|csv)$/, '.manifest.json')) return { body: x.manifest, contentType: 'application/json' };
  return null;
}
