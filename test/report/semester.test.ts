/**
 * The semester report against a whole generated semester in a real SQLite database: every
 * figure equals the generator's own tally; the XLSX re-read with exceljs says the same; the PDF
 * printed by Chromium renders (its first page, as an image, is not blank); nothing in any
 * output links to a person or an operator.
 */
import t from 'tap';
import ExcelJS from 'exceljs';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../device/store/db.ts';
import { AuditLog } from '../../device/store/audit-log.ts';
import { semesterReportHtml } from '../../device/report/html.ts';
import { DEFAULT_PDF_PRINTER, PdfPrintError, printPdf } from '../../device/report/pdf.ts';
import { REPORT_ROWS } from '../../device/report/rows.ts';
import { computeSemesterReport, parseSemester, SemesterFormatError, type MonthFigures } from '../../device/report/semester.ts';
import { REPORT_SHEET, semesterReportXlsx } from '../../device/report/xlsx.ts';
import { writeSemesterLog } from './semester-log.ts';

const dir = mkdtempSync(join(tmpdir(), 'anj14r-report-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

const KIOSK = { id: 'KRA-01', site: 'BKD Kabupaten Karanganyar', regionCode: '33.13' };
const NUMBERS = ['473.3/2741.12/XI/2022', '473.3/215.1/XI/2022'];
// A quarter of the agreement's 1,000 a day keeps the test quick on a shared machine; the bench
// runs the full 1,000. The quota scales with it, so busy days still run it out.
const PER_DAY = 250;

/** Hours are sums of fractions: compared to the microsecond-hour. */
const rounded = (m: MonthFigures) =>
  JSON.parse(JSON.stringify(m, (_k, v: unknown) => (typeof v === 'number' ? Math.round(v * 1e6) / 1e6 : v))) as MonthFigures;

function generate(semester: string, perDay: number, seed: number, withDelivery = false) {
  const db = openDatabase(mkdtempSync(join(dir, 'state-')));
  const columns = (db.prepare('PRAGMA table_info(return_data_outbox)').all() as Array<{ name: string }>).map((c) => c.name);
  // The outbox as the delivery worker extends it (its own migration, where it is installed).
  if (withDelivery && !columns.includes('delivered_at')) db.exec('ALTER TABLE return_data_outbox ADD COLUMN delivered_at TEXT');
  const generated = writeSemesterLog(db, { semester, sessionsPerDay: perDay, dailyQuota: perDay, seed });
  return { db, generated };
}

const second = generate('2026-2', PER_DAY, 20262);
const report = await computeSemesterReport(
  { db: second.db, kiosk: KIOSK, agreementNumbers: NUMBERS, dailyQuota: PER_DAY, now: () => new Date('2027-01-05T02:00:00Z') },
  parseSemester('2026-2'),
);

t.test('every figure of every month equals the tally of the generated semester', async (t) => {
  t.ok(
    second.generated.sessions > 150 * PER_DAY,
    `a whole semester was generated (${second.generated.sessions} sessions, ${second.generated.rows} rows)`,
  );
  t.same(
    report.months.map((m) => m.month),
    ['2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12'],
  );
  for (const m of report.months) t.same(rounded(m), rounded(second.generated.expected.get(m.month)!), `figures of ${m.month}`);
  t.same(report.quotaReachedDates, second.generated.expectedExhaustedDates, 'the days the quota ran out');
  t.ok(report.quotaReachedDates.length >= 15, 'busy days and days Dukcapil refused first both count');
  const total = report.total;
  const sum = (f: (m: MonthFigures) => number) => [...second.generated.expected.values()].reduce((s, m) => s + f(m), 0);
  t.equal(
    total.sessions,
    sum((m) => m.sessions),
    'the total is the sum of the months',
  );
  t.equal(
    total.returnData.pending,
    sum((m) => m.returnData.pending),
  );
  t.ok(total.outOfServiceHours.uplinkDown > 0 && total.outOfServiceHours.tamper > 0 && total.outOfServiceHours.samMissing > 0);
  t.ok(total.cardReads.cardUnreadable > 0 && total.fingerprint.staffAssisted > 0 && total.uplink.quotaReached > 0);
});

t.test('semester 1 (January to June) counts its own months only; delivered and exported entries are both handed over', async (t) => {
  const first = generate('2027-1', 30, 20271, true);
  const r = await computeSemesterReport(
    { db: first.db, kiosk: null, agreementNumbers: [], dailyQuota: 30, now: () => new Date('2027-07-02T00:00:00Z') },
    parseSemester('2027-1'),
  );
  t.same(
    r.months.map((m) => m.month),
    ['2027-01', '2027-02', '2027-03', '2027-04', '2027-05', '2027-06'],
  );
  for (const m of r.months) t.same(rounded(m), rounded(first.generated.expected.get(m.month)!), `figures of ${m.month}`);
  const empty = await computeSemesterReport(
    { db: first.db, kiosk: null, agreementNumbers: [], dailyQuota: 30, now: () => new Date('2027-07-02T00:00:00Z') },
    parseSemester('2026-2'),
  );
  t.equal(empty.total.sessions, 20, 'the other semester sees only the sessions on its last evening');
  first.db.close();
});

t.test('a period still open is counted up to now, not to the end of the semester', async (t) => {
  const midway = await computeSemesterReport(
    { db: second.db, kiosk: null, agreementNumbers: [], dailyQuota: PER_DAY, now: () => new Date('2026-07-01T00:00:00+07:00') },
    parseSemester('2026-2'),
  );
  t.equal(midway.total.outOfServiceHours.uplinkDown, 0, 'the outage open when the semester starts has no hours before it starts');
  const oneHourIn = await computeSemesterReport(
    { db: second.db, kiosk: null, agreementNumbers: [], dailyQuota: PER_DAY, now: () => new Date('2026-07-01T00:20:00+07:00') },
    parseSemester('2026-2'),
  );
  t.equal(Math.round(oneHourIn.total.outOfServiceHours.uplinkDown * 60), 20, 'twenty minutes of the outage open at the start');
});

t.test('a kiosk switched off while out of service: the hours stop at its last recheck, not at the next start', async (t) => {
  const db = openDatabase(mkdtempSync(join(dir, 'state-')));
  t.teardown(() => db.close());
  let now = 0;
  const audit = new AuditLog(db, Buffer.alloc(32, 3), { now: () => new Date(now) });
  const at = (wib: string) => Date.parse(`${wib}+07:00`);
  const outOfService = (from: number, to: number) => {
    for (now = from; now <= to; now += 30_000) audit.record({ code: 'outOfService', outcome: 'pausedByStaff' });
  };
  now = at('2026-08-03T07:55:00');
  audit.record({ code: 'daemonStarted' });
  outOfService(at('2026-08-03T10:00:00'), at('2026-08-03T17:00:00'));
  // Switched off over two nights; at the next start the pause goes on for an hour.
  now = at('2026-08-05T07:00:00');
  audit.record({ code: 'daemonStarted' });
  outOfService(at('2026-08-05T07:00:00'), at('2026-08-05T07:59:30'));
  now = at('2026-08-05T08:00:00');
  audit.record({ code: 'inService', outcome: 'pausedByStaff' });
  const r = await computeSemesterReport(
    { db, kiosk: null, agreementNumbers: [], dailyQuota: 1000, now: () => new Date('2026-09-01T00:00:00Z') },
    parseSemester('2026-2'),
  );
  t.equal(r.total.outOfServiceHours.pausedByStaff, 8, 'seven hours before it was switched off, one after (not 46)');
});

t.test('semester names are checked', async (t) => {
  for (const bad of ['2026-3', '2026-0', '26-1', '2026-1x', '', '1999-1', '2026/2', ' 2026-2']) {
    t.throws(() => parseSemester(bad), SemesterFormatError, JSON.stringify(bad));
  }
  t.match(parseSemester('2026-1'), { from: '2025-12-31T17:00:00.000Z', until: '2026-06-30T17:00:00.000Z' }, 'WIB midnights');
});

t.test('the outputs hold counts only: no NIK hash, operator ID or session id', async (t) => {
  const html = semesterReportHtml(report);
  const xlsx = await semesterReportXlsx(report);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(xlsx as never);
  const cells: string[] = [];
  book.getWorksheet(REPORT_SHEET)!.eachRow((row) => row.eachCell((c) => cells.push(String(c.value))));
  const everything = [JSON.stringify(report), html, cells.join('\n')].join('\n');
  const { nikHmacs, staffIds, sessionIds } = second.generated.secrets;
  t.ok(nikHmacs.length > 10 && sessionIds.length > 10);
  for (const s of [...nikHmacs, ...staffIds, ...sessionIds, ...sessionIds.map((id) => id.slice(0, 8).toUpperCase())]) {
    if (everything.includes(s)) t.fail(`the report contains ${s}`);
  }
  t.notMatch(html, /<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)/, 'no script and no outside resource in the page');
});

t.test('the XLSX re-read with exceljs has the header and every figure', async (t) => {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load((await semesterReportXlsx(report)) as never);
  const sheet = book.getWorksheet(REPORT_SHEET)!;
  const rows: unknown[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => rows.push((row.values as unknown[]).slice(1)));
  const header = rows
    .slice(0, 7)
    .map((r) => r.join(' | '))
    .join('\n');
  t.match(header, 'BKD Kabupaten Karanganyar (KRA-01, 33.13)');
  t.match(header, NUMBERS.join(', '));
  t.match(header, '2026-2 (Juli 2026 - Desember 2026)');
  t.match(header, 'Dibuat / Generated | 5 Januari 2027 09.00 WIB');
  const table = rows.filter((r) => typeof r[1] === 'string' && typeof r[3] === 'number');
  t.equal(table.length, REPORT_ROWS.length, 'one row per figure');
  REPORT_ROWS.forEach((def, i) => {
    const row = table[i]!;
    t.equal(row[1], def.label.id);
    const expected = [...report.months, report.total].map((m) => (def.hours ? Math.round(def.value(m) * 10) / 10 : def.value(m)));
    if (JSON.stringify(row.slice(3, 10)) !== JSON.stringify(expected))
      t.fail(`${def.label.en}: ${JSON.stringify(row.slice(3, 10))} ≠ ${JSON.stringify(expected)}`);
  });
  t.equal(table[0]![9], second.generated.sessions - 40, 'the total of sessions is every generated session inside the semester');
  t.match(rows.at(-2)!.join(' '), report.quotaReachedDates[0]!);
});

t.test('the PDF renders: its first page, as an image, carries the report', async (t) => {
  const pdf = await printPdf(semesterReportHtml(report), { ...DEFAULT_PDF_PRINTER, timeoutMs: 120_000 });
  t.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
  const file = join(dir, 'report.pdf');
  writeFileSync(file, pdf);
  const text = execFileSync('pdftotext', ['-f', '1', '-l', '1', '-layout', file, '-'], { encoding: 'utf8' });
  t.match(text, 'Laporan Pemanfaatan Anjungan KTP-el, Semester 2 Tahun 2026', 'the title is on the first page');
  t.match(text, 'BKD Kabupaten Karanganyar');
  t.match(text, NUMBERS[0]!);
  const allText = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
  const { nikHmacs, staffIds, sessionIds } = second.generated.secrets;
  t.ok(allText.includes('Jumlah sesi'), 'the table is in the PDF');
  t.notOk(
    [...nikHmacs, ...staffIds, ...sessionIds.map((id) => id.slice(0, 8).toUpperCase())].some((x) => allText.includes(x)),
    'no NIK hash, operator or session in the PDF',
  );
  // Grey page image: pdftoppm writes PGM (P5 header, then one byte per pixel).
  const pgm = execFileSync('pdftoppm', ['-f', '1', '-l', '1', '-r', '40', '-gray', file]);
  const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.subarray(0, 40).toString('latin1'));
  t.ok(header, 'a grey image of the first page');
  const [width, height] = [Number(header![1]), Number(header![2])];
  t.ok(width > height, 'landscape');
  const pixels = pgm.subarray(pgm.length - width * height);
  let inked = 0;
  let dark = 0;
  for (const p of pixels) {
    if (p < 240) inked++;
    if (p < 100) dark++;
  }
  t.ok(inked / pixels.length > 0.03, `the first page is not blank (${((100 * inked) / pixels.length).toFixed(1)} % inked)`);
  t.ok(dark > 500, 'it has text and bars, not only a faint tint');
});

t.test('Chromium missing or too slow is a typed error, and the browser is ended', async (t) => {
  await t.rejects(
    printPdf('<p>x</p>', { chromiumPath: join(dir, 'no-such-chromium'), timeoutMs: 5_000 }),
    new PdfPrintError('chromiumMissing'),
  );
  const slow = join(dir, 'slow-chromium');
  const marker = join(dir, 'slow-still-running');
  writeFileSync(slow, `#!/bin/sh\nsleep 3\ntouch ${marker}\n`);
  chmodSync(slow, 0o700);
  await t.rejects(printPdf('<p>x</p>', { chromiumPath: slow, timeoutMs: 300 }), new PdfPrintError('timeout'));
  await new Promise((r) => setTimeout(r, 3_500));
  t.throws(() => readFileSync(marker), 'the timed-out process was killed, not left running');
  const broken = join(dir, 'broken-chromium');
  writeFileSync(broken, '#!/bin/sh\nexit 0\n');
  chmodSync(broken, 0o700);
  await t.rejects(
    printPdf('<p>x</p>', { chromiumPath: broken, timeoutMs: 5_000 }),
    new PdfPrintError('chromiumFailed'),
    'no PDF written is a failure',
  );
});

t.teardown(() => second.db.close());
