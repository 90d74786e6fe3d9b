/**
 * The report's staff routes on a signed-in staff scope: downloads in both formats, audited with
 * the operator's ID; a bad semester is a typed 400 that does not echo the request; a PDF that
 * cannot be printed is a 503, never a 500.
 */
import t from 'tap';
import ExcelJS from 'exceljs';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEvent } from '../../device/domain/audit.ts';
import { DEFAULT_PDF_PRINTER } from '../../device/report/pdf.ts';
import { reportRoutes, type ReportRouteDeps } from '../../device/staff/report-routes.ts';
import { REPORT_SHEET } from '../../device/report/xlsx.ts';
import { ExportTargets } from '../../device/return-data/export-targets.ts';
import { openDatabase } from '../../device/store/db.ts';
import { signedInStaffServer } from '../support/staff-scope.ts';
import { writeSemesterLog } from '../report/semester-log.ts';

const dir = mkdtempSync(join(tmpdir(), 'anj14r-routes-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const db = openDatabase(join(dir, 'state'));
t.teardown(() => db.close());
const generated = writeSemesterLog(db, { semester: '2026-2', sessionsPerDay: 20, dailyQuota: 20, seed: 5 });
// A folder standing for /media with one stick in it.
const media = join(dir, 'media');
const stick = join(media, 'KINGSTON');
mkdirSync(stick, { recursive: true });

function server(audited: AuditEvent[], chromiumPath = DEFAULT_PDF_PRINTER.chromiumPath) {
  const deps: ReportRouteDeps = {
    db,
    kiosk: { id: 'KRA-01', site: 'BKD Kabupaten Karanganyar', regionCode: '33.13' },
    agreementNumbers: ['473.3/2741.12/XI/2022'],
    dailyQuota: 20,
    now: () => new Date('2027-01-03T00:00:00Z'),
    audit: { record: (e) => audited.push(e) },
    pdf: { chromiumPath, timeoutMs: 120_000 },
    targets: new ExportTargets({ roots: [media] }),
  };
  return signedInStaffServer([reportRoutes(deps)], 'petugas-uji');
}

t.test('the XLSX download has the semester figures and is audited with the operator', async (t) => {
  const audited: AuditEvent[] = [];
  const app = await server(audited);
  t.teardown(() => app.close());
  const res = await app.inject({ method: 'GET', url: '/api/staff/report/semester/2026-2.xlsx' });
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], 'spreadsheetml');
  t.equal(res.headers['content-disposition'], 'attachment; filename="laporan-semester-KRA-01-2026-2.xlsx"');
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(res.rawPayload as never);
  const sessions = book.getWorksheet(REPORT_SHEET)!.getRow(10).values as unknown[];
  t.equal(sessions[2], 'Jumlah sesi');
  const inSemester = [...generated.expected.values()].map((m) => m.sessions);
  t.same(sessions.slice(4, 10), inSemester, 'sessions per month as generated');
  t.same(audited, [{ code: 'semesterReport', state: '2026-2', outcome: 'xlsx', staffId: 'petugas-uji' }]);
});

t.test('the PDF download is a PDF, audited; a second request meanwhile is told to retry', async (t) => {
  const audited: AuditEvent[] = [];
  const app = await server(audited);
  t.teardown(() => app.close());
  const [res, meanwhile] = await Promise.all([
    app.inject({ method: 'GET', url: '/api/staff/report/semester/2026-2.pdf' }),
    app.inject({ method: 'GET', url: '/api/staff/report/semester/2026-2.pdf' }),
  ]);
  t.equal(meanwhile.statusCode, 429);
  t.equal((meanwhile.json() as { error: string }).error, 'busy');
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-type'], 'application/pdf');
  t.equal(res.rawPayload.subarray(0, 5).toString('latin1'), '%PDF-');
  t.same(audited, [{ code: 'semesterReport', state: '2026-2', outcome: 'pdf', staffId: 'petugas-uji' }]);
});

t.test('a bad semester or format is a typed 400 that echoes nothing and audits nothing', async (t) => {
  const audited: AuditEvent[] = [];
  const app = await server(audited);
  t.teardown(() => app.close());
  for (const file of [
    '2026-3.xlsx',
    '2026-2.csv',
    '1999-1.pdf',
    'abcd-1.pdf',
    '2026-2',
    `${'9'.repeat(40)}-1.xlsx`,
    '2026-2.xlsx.pdf',
    '%3Cb%3E-1.pdf',
  ]) {
    const res = await app.inject({ method: 'GET', url: `/api/staff/report/semester/${file}` });
    t.equal(res.statusCode, 400, file);
    const body = res.json() as { error: string; message: string };
    t.equal(body.error, 'badSemester', file);
    t.notMatch(body.message, file.split('.')[0]!, 'the message does not echo the request');
  }
  t.same(audited, []);
});

t.test('a PDF that cannot be printed is a 503 with a typed error, not a 500', async (t) => {
  const audited: AuditEvent[] = [];
  const app = await server(audited, join(dir, 'no-chromium-here'));
  t.teardown(() => app.close());
  const res = await app.inject({ method: 'GET', url: '/api/staff/report/semester/2026-2.pdf' });
  t.equal(res.statusCode, 503);
  t.equal((res.json() as { error: string }).error, 'pdfUnavailable');
  t.same(audited, [], 'nothing was handed out, nothing audited');
  const after = await app.inject({ method: 'GET', url: '/api/staff/report/semester/2026-2.xlsx' });
  t.equal(after.statusCode, 200, 'the failure does not leave the route busy');
});

t.test('the kiosk browser cannot download: the report is written to the stick instead, audited; only an offered target', async (t) => {
  const audited: AuditEvent[] = [];
  const app = await server(audited);
  t.teardown(() => app.close());
  const target = new ExportTargets({ roots: [media] }).list()[0]!;
  const res = await app.inject({
    method: 'POST',
    url: '/api/staff/report/semester/export',
    payload: { file: '2026-2.xlsx', target: target.id },
  });
  t.equal(res.statusCode, 200);
  t.same(res.json(), { file: 'laporan-semester-KRA-01-2026-2.xlsx', target: 'KINGSTON' });
  t.same(readdirSync(stick), ['laporan-semester-KRA-01-2026-2.xlsx'], 'one whole file on the stick, no temporary left');
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(readFileSync(join(stick, 'laporan-semester-KRA-01-2026-2.xlsx')) as never);
  t.ok(book.getWorksheet(REPORT_SHEET), 'the report workbook');
  t.same(audited, [{ code: 'semesterReport', state: '2026-2', outcome: 'xlsx-export', staffId: 'petugas-uji' }]);
  const elsewhere = await app.inject({
    method: 'POST',
    url: '/api/staff/report/semester/export',
    payload: { file: '2026-2.xlsx', target: dir },
  });
  t.equal(elsewhere.statusCode, 409, 'a folder that is not an offered target is refused');
  t.equal(elsewhere.json().error, 'targetRefused');
  const bad = await app.inject({
    method: 'POST',
    url: '/api/staff/report/semester/export',
    payload: { file: '../x.pdf', target: target.id },
  });
  t.equal(bad.statusCode, 400);
  t.notMatch(bad.body, /\.\.\/x/, 'the request is not echoed');
});
