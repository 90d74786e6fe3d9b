/**
 * `anjungan-provision return-data export`: the data balikan file for Disdukcapil written by the
 * technician on the device, for a kiosk whose staff dashboard is not in use. The same export as
 * the staff route (device/return-data/export.ts): the pending entries, a manifest, marked
 * exported only once the files are durably in the folder, and an audit row.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { openDatabase } from '../device/store/db.ts';
import { AuditLog } from '../device/store/audit-log.ts';
import { ReturnDataOutbox } from '../device/store/return-data-outbox.ts';
import { exportReturnData, ReturnDataExportError, type ExportFormat } from '../device/return-data/export.ts';
import { isCalendarDay } from '../device/domain/agreement.ts';
import type { CommandContext, Outcome } from './context.ts';
import { badInput, EXIT, ProvisionError } from './errors.ts';
import { loadConfigFile, loadCredentials } from './state.ts';

/** Who the audit row names: the technician's tool, not an operator. */
const AUDIT_ACTOR = 'anjungan-provision';

export interface ReturnDataExportOptions {
  format: string;
  out: string;
  from?: string;
  until?: string;
}

export async function exportReturnDataFile(ctx: CommandContext, o: ReturnDataExportOptions): Promise<Outcome> {
  if (o.format !== 'xlsx' && o.format !== 'csv') throw badInput('--format must be xlsx or csv');
  for (const [flag, day] of [
    ['--from', o.from],
    ['--until', o.until],
  ] as const) {
    if (day !== undefined && !isCalendarDay(day)) throw badInput(`${flag} must be a day, YYYY-MM-DD`);
  }
  if (o.from && o.until && o.from > o.until) throw badInput('--from is after --until');
  const format: ExportFormat = o.format;
  const dir = resolve(o.out);
  let isFolder = false;
  try {
    isFolder = statSync(dir).isDirectory();
  } catch {
    isFolder = false;
  }
  if (!isFolder) throw badInput(`--out ${dir} is not an existing folder (mount the stick first)`);
  const config = loadConfigFile(ctx.layout);
  const credentials = loadCredentials(ctx.layout);
  const db = openDatabase(ctx.layout.stateDir);
  try {
    const clock = { now: () => ctx.now };
    const outbox = new ReturnDataOutbox(db, Buffer.from(credentials.outboxKey, 'hex'), clock);
    const audit = new AuditLog(db, Buffer.from(credentials.auditKey, 'hex'), clock);
    const kiosk = config.kiosk ? { id: config.kiosk.id, site: config.kiosk.site, regionCode: config.kiosk.regionCode } : null;
    try {
      const result = await exportReturnData({ source: outbox, dir, format, queuedFrom: o.from, queuedUntil: o.until, now: ctx.now, kiosk });
      audit.record({ code: 'returnDataExported', staffId: AUDIT_ACTOR, outcome: format, count: result.count });
      return {
        data: {
          exportId: result.exportId,
          folder: dir,
          files: [result.data.name, result.manifest.name],
          count: result.count,
          sha256: result.data.sha256,
          remaining: result.remaining,
        },
        lines: [
          `${result.count} data balikan entries written to ${dir}:`,
          `  ${result.data.name}  sha256 ${result.data.sha256}`,
          `  ${result.manifest.name}`,
          ...(result.remaining > 0 ? [`${result.remaining} entries are still pending: run the export again`] : []),
        ],
      };
    } catch (e) {
      if (!(e instanceof ReturnDataExportError)) throw e;
      audit.record({ code: 'returnDataExportFailed', staffId: AUDIT_ACTOR, outcome: e.code });
      if (e.code === 'nothingPending') throw new ProvisionError(EXIT.wrongState, 'no data balikan entry is pending: nothing was written');
      throw new ProvisionError(EXIT.failure, `${dir} could not be written (full, read-only or removed?): nothing was marked exported`);
    }
  } finally {
    db.close();
  }
}
