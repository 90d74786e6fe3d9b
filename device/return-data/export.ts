/**
 * Data balikan export for the upload and removable-media methods (agreement: Excel/CSV upload,
 * removable media as fallback): the pending entries of the sealed outbox written as an XLSX or
 * CSV file plus a JSON manifest (counts, SHA-256 of the file), into a folder staff chose.
 *
 * The outbox is opened only to build the file, and entries are marked exported only once the
 * file and its manifest are fsynced, renamed into place and the folder fsynced: a crash or a
 * pulled stick before that leaves every entry pending, to be exported again. The manifest is
 * renamed last, so a data file without its manifest is an interrupted export.
 */
import { createHash, randomBytes } from 'node:crypto';
import { open, readdir, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { ReturnDataEntry } from '../flow/ports.ts';
import { WIB_OFFSET_MS } from '../domain/wib.ts';

export type ExportFormat = 'xlsx' | 'csv';

/** What the export needs of the outbox (store/return-data-outbox.ts). */
export interface ReturnDataExportSource {
  pending(): Array<{ id: number; queuedAt: string; entry: ReturnDataEntry }>;
  markExported(ids: number[]): void;
}

/** The kiosk named in the manifest (config `kiosk`), so Disdukcapil knows which office sent it. */
export interface ExportingKiosk {
  id: string;
  site: string;
  regionCode: string;
}

export interface ExportedFile {
  name: string;
  sha256: string;
  bytes: number;
}

export interface ExportResult {
  exportId: string;
  data: ExportedFile;
  manifest: ExportedFile;
  count: number;
  /** Pending entries left for a next export (beyond MAX_ENTRIES_PER_EXPORT). */
  remaining: number;
}

/** The file operations whose order makes an export durable; tests inject a failing one. */
export interface ExportFileSystem {
  open: typeof open;
  readdir: typeof readdir;
  rename: typeof rename;
  unlink: typeof unlink;
}

const NODE_FS: ExportFileSystem = { open, readdir, rename, unlink };

/** Temporary names of a file being exported: hidden, and never taken for a finished export. */
const PARTIAL = /^\.data-balikan-[A-Za-z0-9-]+\.(xlsx|csv|manifest\.json)\.partial$/;

/** Removes what an export cut by a crash or power loss left in the folder (its entries stayed pending). */
async function removeLeftovers(fs: ExportFileSystem, dir: string): Promise<void> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  for (const name of names) if (PARTIAL.test(name)) await fs.unlink(join(dir, name)).catch(() => undefined);
}

export type ExportErrorCode = 'nothingPending' | 'targetUnavailable';

export class ReturnDataExportError extends Error {
  override readonly name = 'ReturnDataExportError';
  constructor(
    readonly code: ExportErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * One file stays small enough to build in the daemon's memory (48 MB heap) and to open in a
 * spreadsheet; ten days of a full quota fit. The rest stays pending for the next export.
 */
export const MAX_ENTRIES_PER_EXPORT = 10_000;

/** The columns of a data balikan file, as Disdukcapil's operators read them. */
export const RETURN_DATA_HEADERS = ['No', 'NIK', 'NOP PBB-P2', 'NPWPD', 'Tanggal Akses (WIB)'] as const;

/** WIB (UTC+7), the office's time: the day the taxpayer's data was accessed. */
function wibMinute(iso: string): string {
  const wib = new Date(Date.parse(iso) + WIB_OFFSET_MS).toISOString();
  return `${wib.slice(0, 10)} ${wib.slice(11, 16)}`;
}

/** One row per entry, every cell a string (a NIK as a number would lose its last digits). */
export function returnDataRows(entries: Array<{ queuedAt: string; entry: ReturnDataEntry }>): string[][] {
  return entries.map((e, i) => [String(i + 1), e.entry.nik, e.entry.nop ?? '', e.entry.npwpd ?? '', wibMinute(e.queuedAt)]);
}

/**
 * A CSV cell a spreadsheet would start as a formula (=, +, -, @, or a tab/CR/LF before one) gets
 * a leading apostrophe, which Excel and LibreOffice show as text (OWASP's CSV injection advice).
 */
export function neutraliseCsvCell(value: string): string {
  return /^[=+\-@\t\r\n]/.test(value) ? `'${value}` : value;
}

function csvField(value: string): string {
  const safe = neutraliseCsvCell(value);
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** RFC 4180: comma-separated, CRLF line ends, quoted where needed. */
export function returnDataCsv(rows: string[][]): Buffer {
  const lines = [[...RETURN_DATA_HEADERS], ...rows].map((r) => r.map(csvField).join(','));
  return Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
}

/**
 * The workbook, streamed (exceljs loaded only when staff export, so the kiosk's heap never holds
 * it). Every cell is a shared string with the text format `@`, never a formula: a value that
 * begins with `=` stays that text in Excel and LibreOffice.
 */
export async function returnDataXlsx(rows: string[][], generatedAt: Date): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (c: Buffer) => chunks.push(c));
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useSharedStrings: true, useStyles: true });
  book.creator = 'anjungan';
  book.created = generatedAt;
  const sheet = book.addWorksheet('Data Balikan', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = [
    { key: 'no', width: 7 },
    { key: 'nik', width: 20 },
    { key: 'nop', width: 28 },
    { key: 'npwpd', width: 24 },
    { key: 'accessed', width: 20 },
  ].map((c) => ({ ...c, style: { numFmt: '@' } }));
  const header = sheet.addRow([...RETURN_DATA_HEADERS]);
  header.font = { bold: true };
  header.commit();
  for (const [i, r] of rows.entries()) {
    sheet.addRow(r).commit();
    // The kiosk shares this event loop (views, the watchdog): let it run between slices.
    if (i % 250 === 249) await new Promise((resolve) => setImmediate(resolve));
  }
  sheet.commit();
  await book.commit();
  return Buffer.concat(chunks);
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** `20261201-0430` in WIB: names sort by time on the stick. */
function fileStamp(at: Date): string {
  const wib = new Date(at.getTime() + WIB_OFFSET_MS).toISOString();
  return `${wib.slice(0, 10).replaceAll('-', '')}-${wib.slice(11, 16).replace(':', '')}`;
}

/** Writes a new file and fsyncs it; `created` learns of it as soon as it exists, to remove it on failure. */
async function writeSynced(fs: ExportFileSystem, path: string, data: Buffer, created: string[]): Promise<void> {
  // 0600: the file holds NIKs; a stick's FAT ignores modes, a local folder keeps them.
  const handle = await fs.open(path, 'wx', 0o600);
  created.push(path);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function syncFolder(fs: ExportFileSystem, dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export interface ExportRequest {
  source: ReturnDataExportSource;
  /** A folder resolved through ExportTargets. */
  dir: string;
  format: ExportFormat;
  /** Only these pending entries (staff chose them); all pending ones if absent. */
  ids?: number[];
  /** Only entries queued on these WIB days, both included (YYYY-MM-DD); open-ended if absent. */
  queuedFrom?: string;
  queuedUntil?: string;
  now: Date;
  kiosk: ExportingKiosk | null;
  fs?: ExportFileSystem;
}

export async function exportReturnData(req: ExportRequest): Promise<ExportResult> {
  const fs = req.fs ?? NODE_FS;
  const chosen = req.ids ? new Set(req.ids) : null;
  const inRange = (queuedAt: string) => {
    const day = wibMinute(queuedAt).slice(0, 10);
    return (!req.queuedFrom || day >= req.queuedFrom) && (!req.queuedUntil || day <= req.queuedUntil);
  };
  const pending = req.source.pending().filter((p) => (!chosen || chosen.has(p.id)) && inRange(p.queuedAt));
  if (pending.length === 0) throw new ReturnDataExportError('nothingPending', 'no pending data balikan entry to export');
  const batch = pending.slice(0, MAX_ENTRIES_PER_EXPORT);

  const exportId = randomBytes(6).toString('hex');
  const base = `data-balikan-${req.kiosk?.id ?? 'anjungan'}-${fileStamp(req.now)}-${exportId}`;
  const rows = returnDataRows(batch);
  const data = req.format === 'xlsx' ? await returnDataXlsx(rows, req.now) : returnDataCsv(rows);
  const dataFile: ExportedFile = { name: `${base}.${req.format}`, sha256: sha256(data), bytes: data.length };
  const manifest = Buffer.from(
    `${JSON.stringify(
      {
        kind: 'anjungan-data-balikan',
        version: 1,
        exportId,
        generatedAt: req.now.toISOString(),
        kiosk: req.kiosk && { id: req.kiosk.id, site: req.kiosk.site, regionCode: req.kiosk.regionCode },
        format: req.format,
        count: batch.length,
        /** When the entries in the file were queued (UTC), and the WIB days asked for, if any. */
        queued: {
          first: batch.reduce((min, b) => (b.queuedAt < min ? b.queuedAt : min), batch[0]!.queuedAt),
          last: batch.reduce((max, b) => (b.queuedAt > max ? b.queuedAt : max), batch[0]!.queuedAt),
          from: req.queuedFrom ?? null,
          until: req.queuedUntil ?? null,
        },
        counts: {
          entries: batch.length,
          withNop: batch.filter((b) => b.entry.nop).length,
          withNpwpd: batch.filter((b) => b.entry.npwpd).length,
        },
        files: [{ ...dataFile, rows: batch.length, headers: RETURN_DATA_HEADERS }],
      },
      null,
      2,
    )}\n`,
    'utf8',
  );
  const manifestFile: ExportedFile = { name: `${base}.manifest.json`, sha256: sha256(manifest), bytes: manifest.length };

  const temporary = (f: ExportedFile) => join(req.dir, `.${f.name}.partial`);
  const written: string[] = [];
  try {
    await removeLeftovers(fs, req.dir);
    for (const [file, content] of [
      [dataFile, data],
      [manifestFile, manifest],
    ] as const) {
      await writeSynced(fs, temporary(file), content, written);
    }
    await fs.rename(temporary(dataFile), join(req.dir, dataFile.name));
    written[0] = join(req.dir, dataFile.name);
    await fs.rename(temporary(manifestFile), join(req.dir, manifestFile.name));
    written[1] = join(req.dir, manifestFile.name);
    await syncFolder(fs, req.dir);
  } catch {
    // Nothing marked: the entries stay pending; no half export is left to be taken for a whole one.
    for (const path of written) await fs.unlink(path).catch(() => undefined);
    throw new ReturnDataExportError('targetUnavailable', 'the export target could not be written');
  }
  req.source.markExported(batch.map((b) => b.id));
  return { exportId, data: dataFile, manifest: manifestFile, count: batch.length, remaining: pending.length - batch.length };
}
