/**
 * Data balikan export over a real SQLite outbox and real files: what the files hold, read back the
 * way Disdukcapil's operators would (exceljs, a CSV reader), equals the outbox; nothing in them
 * can become a formula; the manifest's hashes are the files'; and an entry is marked exported
 * only once its file is durably in place.
 */
import t from 'tap';
import ExcelJS from 'exceljs';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { open, readdir, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import {
  exportReturnData,
  neutraliseCsvCell,
  RETURN_DATA_HEADERS,
  ReturnDataExportError,
  type ExportFileSystem,
} from '../../device/return-data/export.ts';
import type { ReturnDataEntry } from '../../device/flow/ports.ts';
import { ReturnDataOutbox } from '../../device/store/return-data-outbox.ts';
import { exportFolder, FORMULA_LIKE, outboxWith, parseCsv, syntheticEntry } from '../support/return-data-fixtures.ts';

const now = new Date('2026-12-01T02:30:00.000Z');
const kiosk = { id: 'KRA-01', site: 'BKD Karanganyar, ruang pelayanan', regionCode: '33.13' };
const expectedRow = (e: ReturnDataEntry, i: number) => [String(i + 1), e.nik, e.nop ?? '', e.npwpd ?? '', '2026-11-30 10:15'];
// A sheet is XML, whose readers (Excel and LibreOffice too) turn a CR into a line feed. The flow
// only queues NOPs and NPWPDs of the configured formats, so a CR reaches here only in this test.
const asXmlText = (row: string[]) => row.map((c) => c.replace(/\r\n?/g, '\n'));
const expectedXlsxRow = (e: ReturnDataEntry, i: number) => asXmlText(expectedRow(e, i));

async function xlsxRows(path: string) {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(path);
  const sheet = book.getWorksheet('Data Balikan');
  if (!sheet) throw new Error('no Data Balikan sheet');
  const rows: string[][] = [];
  const types = new Set<number>();
  let formulas = 0;
  sheet.eachRow({ includeEmpty: true }, (row) => {
    const cells: string[] = [];
    for (let c = 1; c <= RETURN_DATA_HEADERS.length; c++) {
      const cell = row.getCell(c);
      if (cell.formula !== undefined) formulas += 1;
      if (cell.value !== null) types.add(cell.type);
      cells.push(cell.value === null ? '' : String(cell.value));
    }
    rows.push(cells);
  });
  return { rows, types, formulas };
}

t.test('an XLSX export read back with exceljs equals the outbox, and the entries are then exported', async (t) => {
  const entries = [...Array.from({ length: 25 }, (_, i) => syntheticEntry(i)), ...FORMULA_LIKE];
  const { outbox } = outboxWith(t, entries);
  const dir = exportFolder(t);
  const result = await exportReturnData({ source: outbox, dir, format: 'xlsx', now, kiosk });
  t.equal(result.count, entries.length);
  t.equal(result.remaining, 0);
  t.match(result.data.name, /^data-balikan-KRA-01-20261201-0930-[0-9a-f]{12}\.xlsx$/, 'named by kiosk and WIB time');

  const { rows, types, formulas } = await xlsxRows(join(dir, result.data.name));
  t.same(rows[0], [...RETURN_DATA_HEADERS], 'Indonesian headers');
  t.same(rows.slice(1), entries.map(expectedXlsxRow), 'every entry, exactly, in order');
  t.equal(formulas, 0, 'no formula cell');
  t.same([...types], [ExcelJS.ValueType.String], 'every cell is a string: a NIK keeps all 16 digits');

  // Below exceljs: the sheet's XML has no formula element and every cell is a shared string.
  const xml = execFileSync('unzip', ['-p', join(dir, result.data.name), 'xl/worksheets/sheet1.xml'], { encoding: 'utf8' });
  t.notMatch(xml, /<f[ >]/, 'no <f> in the sheet');
  t.equal((xml.match(/<c /g) ?? []).length, (xml.match(/<c [^>]*t="s"/g) ?? []).length, 'every cell t="s"');

  t.equal(outbox.pendingCount(), 0, 'nothing left pending');
  t.equal(outbox.exportedCount(), entries.length);
  await t.rejects(
    exportReturnData({ source: outbox, dir, format: 'xlsx', now, kiosk }),
    { code: 'nothingPending' },
    'written once: a second export finds nothing',
  );
  t.same(readdirSync(dir).sort(), [result.data.name, result.manifest.name].sort(), 'the data file and its manifest, nothing else');
});

t.test('a CSV export parsed back equals the outbox, with formula-like cells neutralised', async (t) => {
  const entries = [...Array.from({ length: 10 }, (_, i) => syntheticEntry(i)), ...FORMULA_LIKE];
  const { outbox } = outboxWith(t, entries);
  const dir = exportFolder(t);
  const result = await exportReturnData({ source: outbox, dir, format: 'csv', now, kiosk: null });
  t.match(result.data.name, /^data-balikan-anjungan-.*\.csv$/);
  const rows = parseCsv(readFileSync(join(dir, result.data.name), 'utf8'));
  t.same(rows[0], [...RETURN_DATA_HEADERS]);
  t.same(
    rows.slice(1),
    entries.map((e, i) => expectedRow(e, i).map(neutraliseCsvCell)),
    'every entry, neutralised where needed',
  );
  // No cell a spreadsheet would start as a formula; removing the apostrophe gives the value back.
  for (const cell of rows.flat()) t.notMatch(cell, /^[=+\-@\t\r]/, `cell ${JSON.stringify(cell)} starts no formula`);
  const unneutralised = rows.slice(1).map((r) => r.map((c) => (/^'[=+\-@\t\r\n]/.test(c) ? c.slice(1) : c)));
  t.same(unneutralised, entries.map(expectedRow), 'the apostrophe is the only change');
  t.equal(outbox.pendingCount(), 0);
});

t.test('formula-like values stay text in XLSX: read back byte for byte, as strings', async (t) => {
  const { outbox } = outboxWith(t, FORMULA_LIKE);
  const dir = exportFolder(t);
  const result = await exportReturnData({ source: outbox, dir, format: 'xlsx', now, kiosk });
  const { rows, formulas } = await xlsxRows(join(dir, result.data.name));
  t.equal(formulas, 0);
  t.same(
    rows.slice(1).map((r) => [r[2], r[3]]),
    FORMULA_LIKE.map((e) => asXmlText([e.nop ?? '', e.npwpd ?? ''])),
  );
});

t.test('the manifest counts the entries and holds the SHA-256 of the file beside it', async (t) => {
  const entries = Array.from({ length: 12 }, (_, i) => syntheticEntry(i));
  const { outbox } = outboxWith(t, entries);
  const dir = exportFolder(t);
  const result = await exportReturnData({ source: outbox, dir, format: 'csv', now, kiosk });
  const { data, manifest: manifestFile } = result;
  const manifest = JSON.parse(readFileSync(join(dir, manifestFile.name), 'utf8'));
  const hashOf = (name: string) =>
    createHash('sha256')
      .update(readFileSync(join(dir, name)))
      .digest('hex');
  t.equal(manifest.files[0].name, data.name);
  t.equal(manifest.files[0].sha256, hashOf(data.name), 'manifest hash = file hash');
  t.equal(data.sha256, hashOf(data.name), 'reported hash = file hash');
  t.equal(manifestFile.sha256, hashOf(manifestFile.name));
  t.equal(manifest.files[0].bytes, statSync(join(dir, data.name)).size);
  t.same(manifest.counts, {
    entries: 12,
    withNop: entries.filter((e) => e.nop).length,
    withNpwpd: entries.filter((e) => e.npwpd).length,
  });
  t.same(manifest.kiosk, kiosk);
  t.same(manifest.queued, { first: '2026-11-30T03:15:00.000Z', last: '2026-11-30T03:15:00.000Z', from: null, until: null });
  t.equal(manifest.generatedAt, now.toISOString());
  t.equal(manifest.exportId, result.exportId);
  for (const f of [data, manifestFile]) t.equal(statSync(join(dir, f.name)).mode & 0o777, 0o600, `${f.name} is 0600`);
  const text = readFileSync(join(dir, manifestFile.name), 'utf8');
  for (const e of entries) t.notOk(text.includes(e.nik), 'the manifest holds no NIK');
});

t.test('only the entries staff chose are exported; the others stay pending', async (t) => {
  const entries = Array.from({ length: 6 }, (_, i) => syntheticEntry(i));
  const { outbox } = outboxWith(t, entries);
  const dir = exportFolder(t);
  const ids = outbox.pending().map((p) => p.id);
  const [, second, , , fifth] = ids as [number, number, number, number, number];
  const result = await exportReturnData({ source: outbox, dir, format: 'csv', now, kiosk, ids: [second, fifth] });
  t.equal(result.count, 2);
  const rows = parseCsv(readFileSync(join(dir, result.data.name), 'utf8'));
  t.same(
    rows.slice(1).map((r) => r[1]),
    [entries[1]!.nik, entries[4]!.nik],
  );
  t.same(
    outbox.pending().map((p) => p.entry.nik),
    [0, 2, 3, 5].map((i) => entries[i]!.nik),
  );
  await t.rejects(
    exportReturnData({ source: outbox, dir, format: 'csv', now, kiosk, ids: [second] }),
    { code: 'nothingPending' },
    'an exported entry is not exported again',
  );
});

const failing = (step: 'rename' | 'manifestRename' | 'folderSync' | 'write'): ExportFileSystem => {
  let renames = 0;
  return {
    rename: (async (from, to) => {
      renames += 1;
      if (step === 'rename' || (step === 'manifestRename' && renames === 2)) throw Object.assign(new Error('injected'), { code: 'EIO' });
      return rename(from, to);
    }) as typeof rename,
    unlink,
    readdir,
    open: (async (path, flags, mode) => {
      const handle = await open(path, flags, mode);
      if (step === 'folderSync' && flags === 'r')
        handle.sync = async () => Promise.reject(Object.assign(new Error('injected'), { code: 'EIO' }));
      if (step === 'write' && flags === 'wx')
        handle.sync = async () => Promise.reject(Object.assign(new Error('injected'), { code: 'ENOSPC' }));
      return handle;
    }) as typeof open,
  };
};

for (const step of ['write', 'rename', 'manifestRename', 'folderSync'] as const) {
  t.test(`a failure at ${step} leaves every entry pending and no file behind; the next export has them all`, async (t) => {
    const entries = Array.from({ length: 8 }, (_, i) => syntheticEntry(i));
    const { outbox } = outboxWith(t, entries);
    const dir = exportFolder(t);
    await t.rejects(exportReturnData({ source: outbox, dir, format: 'xlsx', now, kiosk, fs: failing(step) }), ReturnDataExportError);
    t.equal(outbox.pendingCount(), entries.length, 'still pending');
    t.equal(outbox.exportedCount(), 0);
    t.same(readdirSync(dir), [], 'no partial or unconfirmed file left');
    const again = await exportReturnData({ source: outbox, dir, format: 'xlsx', now, kiosk });
    t.equal(again.count, entries.length);
    const { rows } = await xlsxRows(join(dir, again.data.name));
    t.same(rows.slice(1), entries.map(expectedXlsxRow));
  });
}

t.test('a target that cannot be written is a typed error and changes nothing', async (t) => {
  const { outbox } = outboxWith(t, [syntheticEntry(0)]);
  await t.rejects(exportReturnData({ source: outbox, dir: join(exportFolder(t), 'unplugged'), format: 'csv', now, kiosk }), {
    code: 'targetUnavailable',
  });
  t.equal(outbox.pendingCount(), 1);
});

t.test('a range of WIB days chooses the entries queued in it, at the day boundaries of WIB not UTC', async (t) => {
  const { outbox, db, key } = outboxWith(t, []);
  const queued = [
    ['2026-10-31T16:59:00Z', syntheticEntry(0)], // 31 Oct 23:59 WIB
    ['2026-10-31T17:00:00Z', syntheticEntry(1)], // 1 Nov 00:00 WIB
    ['2026-11-30T16:59:00Z', syntheticEntry(2)], // 30 Nov 23:59 WIB
    ['2026-11-30T17:00:00Z', syntheticEntry(3)], // 1 Dec 00:00 WIB
  ] as const;
  for (const [at, entry] of queued) new ReturnDataOutbox(db, key, { now: () => new Date(at) }).enqueue(entry, at);
  const dir = exportFolder(t);
  const november = await exportReturnData({
    source: outbox,
    dir,
    format: 'csv',
    now,
    kiosk,
    queuedFrom: '2026-11-01',
    queuedUntil: '2026-11-30',
  });
  const rows = parseCsv(readFileSync(join(dir, november.data.name), 'utf8'));
  t.same(
    rows.slice(1).map((r) => [r[1], r[4]]),
    [
      [queued[1][1].nik, '2026-11-01 00:00'],
      [queued[2][1].nik, '2026-11-30 23:59'],
    ],
  );
  t.same(
    outbox.pending().map((p) => p.entry.nik),
    [queued[0][1].nik, queued[3][1].nik],
    'October and December stay pending',
  );
  await t.rejects(
    exportReturnData({ source: outbox, dir, format: 'csv', now, kiosk, queuedFrom: '2026-11-01', queuedUntil: '2026-11-30' }),
    { code: 'nothingPending' },
  );
});
