/**
 * `anjungan-provision report semester`: the files it writes from the kiosk's database, and its
 * typed refusals (bad semester, no database, a folder it cannot write, a kiosk not initialised),
 * each with its exit code and nothing written.
 */
import t, { type Test } from 'tap';
import ExcelJS from 'exceljs';
import { chownSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPORT_SHEET } from '../../device/report/xlsx.ts';
import { openDatabase } from '../../device/store/db.ts';
import { layout } from '../../provisioning/layout.ts';
import { writeSemesterLog } from '../report/semester-log.ts';
import { cli, INIT, tempRoot } from './cli-harness.ts';

const NOW = new Date('2027-01-04T03:00:00Z');

async function kioskWithHistory(t: Test) {
  const root = tempRoot(t, 'report');
  t.equal((await cli([...INIT, '--root', root])).code, 0, 'init');
  const db = openDatabase(layout(root).stateDir);
  const generated = writeSemesterLog(db, { semester: '2026-2', sessionsPerDay: 15, dailyQuota: 15, seed: 3 });
  db.close();
  return { root, generated };
}

t.test('writes the XLSX and the PDF of the semester into the folder', async (t) => {
  const { root, generated } = await kioskWithHistory(t);
  const out = join(root, 'usb', 'laporan');
  const run = await cli(['report', 'semester', '2026-2', '--out', out, '--root', root, '--json'], { now: NOW });
  t.equal(run.code, 0, run.stderr);
  const expectedSessions = [...generated.expected.values()].reduce((s, m) => s + m.sessions, 0);
  t.match(run.json, { ok: true, semester: '2026-2', sessions: expectedSessions });
  t.same(readdirSync(out).sort(), ['laporan-semester-KRA-01-2026-2.pdf', 'laporan-semester-KRA-01-2026-2.xlsx']);
  t.equal(readFileSync(join(out, 'laporan-semester-KRA-01-2026-2.pdf')).subarray(0, 5).toString('latin1'), '%PDF-');
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(join(out, 'laporan-semester-KRA-01-2026-2.xlsx'));
  const sheet = book.getWorksheet(REPORT_SHEET)!;
  t.equal(sheet.getRow(3).getCell(2).value, 'BKD Kabupaten Karanganyar (KRA-01, 33.13)', 'the site from the kiosk configuration');
  t.equal(sheet.getRow(10).getCell(10).value, expectedSessions, 'sessions of the semester');
  const xlsxOnly = await cli(['report', 'semester', '2026-1', '--out', join(root, 'only'), '--format', 'xlsx', '--root', root], {
    now: NOW,
  });
  t.equal(xlsxOnly.code, 0);
  t.same(readdirSync(join(root, 'only')), ['laporan-semester-KRA-01-2026-1.xlsx']);
  t.match(xlsxOnly.stdout, 'semester 2026-1: 20 sessions', 'the evening before semester 2 belongs to semester 1');
});

t.test('refusals are typed, with their exit codes, and write nothing', async (t) => {
  const { root } = await kioskWithHistory(t);
  const out = join(root, 'out');
  const badSemester = await cli(['report', 'semester', '2026-3', '--out', out, '--root', root], { now: NOW });
  t.equal(badSemester.code, 2);
  t.match(badSemester.stderr, 'YYYY-1 (January-June) or YYYY-2');
  const badFormat = await cli(['report', 'semester', '2026-2', '--out', out, '--format', 'docx', '--root', root], { now: NOW });
  t.equal(badFormat.code, 2);
  const missingArgument = await cli(['report', 'semester', '--out', out, '--root', root], { now: NOW });
  t.equal(missingArgument.code, 2);
  t.notOk(existsSync(out), 'no folder made for a refused command');

  const aFile = join(root, 'a-file');
  writeFileSync(aFile, 'not a folder');
  const unwritable = await cli(['report', 'semester', '2026-2', '--out', join(aFile, 'laporan'), '--root', root], { now: NOW });
  t.equal(unwritable.code, 2);
  t.match(unwritable.stderr, /cannot write the report into .*ENOTDIR/);

  const noDatabase = tempRoot(t, 'report-nodb');
  t.equal((await cli([...INIT, '--root', noDatabase])).code, 0);
  const missing = await cli(['report', 'semester', '2026-2', '--out', out, '--root', noDatabase], { now: NOW });
  t.equal(missing.code, 6);
  t.match(missing.stderr, 'there is no kiosk database');

  const notInitialised = await cli(['report', 'semester', '2026-2', '--out', out, '--root', tempRoot(t, 'report-empty')], { now: NOW });
  t.equal(notInitialised.code, 6);
  t.match(notInitialised.stderr, 'not initialised');
  t.notOk(existsSync(out));
});

t.test(
  'run as root on a stopped kiosk, the database files it leaves belong to the daemon user',
  { skip: process.getuid?.() !== 0 && 'needs root' },
  async (t) => {
    const { root } = await kioskWithHistory(t);
    const state = layout(root).stateDir;
    const daemonUser = 4242;
    for (const name of readdirSync(state)) chownSync(join(state, name), daemonUser, daemonUser);
    chownSync(state, daemonUser, daemonUser);
    t.notOk(existsSync(join(state, 'anjungan.sqlite-shm')), 'the daemon is stopped: no shared-memory file');
    const run = await cli(['report', 'semester', '2026-2', '--out', join(root, 'out'), '--format', 'xlsx', '--root', root], { now: NOW });
    t.equal(run.code, 0, run.stderr);
    for (const name of readdirSync(state)) t.equal(statSync(join(state, name)).uid, daemonUser, `${name} belongs to the daemon user`);
  },
);
