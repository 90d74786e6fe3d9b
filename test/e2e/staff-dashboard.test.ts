/**
 * End to end: the real kiosk (`node dist/device/main.js`, demo mode) and Debian's Chromium. A
 * staff member uses the kiosk's own browser: the "Petugas" entry opens the dashboard, they sign
 * in with the on-screen keyboard, see today's quota chart fed by a real verification, approve an
 * assisted verification, export the data balikan to a (stand-in) USB stick and download the
 * semester report. Files are checked for what they hold; the logs for what they must not hold.
 */
import t from 'tap';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { persona } from '../../device/sim/personas.ts';
import { DEMO_STAFF_PIN } from '../../device/sim/kit.ts';
import { launchBrowser, VIEWPORTS } from '../ui/browser.ts';
import { buildKiosk, spawnKiosk } from '../support/kiosk-process.ts';
import { KioskDriver } from './driver.ts';

const OPERATOR = 'petugas-demo';
const NOP = '331301000100100010';

// A folder standing for /media, with one "USB stick" mounted in it.
const media = await mkdtemp(join(tmpdir(), 'anj14d-media-'));
const stick = join(media, 'KINGSTON');
await mkdir(stick);
const configFile = join(media, 'config.json');
await writeFile(configFile, JSON.stringify({ returnDataExport: { roots: [media] } }));

await buildKiosk();
const kiosk = await spawnKiosk({ ANJUNGAN_CONFIG: configFile });
const browser = await launchBrowser(VIEWPORTS.large);
const page = await browser.context.newPage();
const pageErrors: string[] = [];
page.on('pageerror', (e) => pageErrors.push(e.message));
const ui = new KioskDriver(page);
t.teardown(async () => {
  await browser.close();
  await kiosk.stop();
  await rm(media, { recursive: true, force: true });
});
await ui.open(kiosk.url);

/** The WIB hour now: the bar a hit made now lands in. */
const wibHour = () => Number(new Intl.DateTimeFormat('en-GB', { hour: '2-digit', hourCycle: 'h23', timeZone: 'Asia/Jakarta' }).format(new Date()));

async function openDashboard(): Promise<void> {
  await ui.tap('staff-entry');
  await page.waitForURL(/\/staff\/$/);
}

/** Back on the kiosk, every dashboard visit starts at the sign-in form (test/e2e/staff-at-kiosk.test.ts). */
async function signIn(): Promise<void> {
  await ui.testId('user-id').focus();
  for (const k of OPERATOR) await ui.tap(`osk-${k}`);
  await ui.testId('pin').focus();
  for (const k of DEMO_STAFF_PIN) await ui.tap(`osk-${k}`);
  await ui.tap('sign-in-submit');
  await ui.testId('operator').waitFor();
}

async function backToKiosk(): Promise<void> {
  await ui.tap('back-to-kiosk');
  await page.waitForURL((u) => u.pathname === '/');
}

t.test('a taxpayer is verified and links a NOP: one NIK hit, one data balikan entry', async (t) => {
  await ui.waitFor('welcome');
  await ui.insertCard('valid');
  await ui.waitFor('awaitingFinger');
  await ui.presentFinger(true);
  await ui.waitFor('result');
  await ui.tap('link-return-data');
  await ui.waitFor('returnData');
  await ui.tap('nop-input');
  await ui.typeOnKeypad(NOP);
  await ui.tap('submit-return-data');
  await ui.waitFor('finished');
  await ui.removeCard();
  await ui.waitFor('welcome');
  t.pass('served');
});

t.test('staff open the dashboard from the kiosk, sign in on the on-screen keyboard and see the quota chart', async (t) => {
  await openDashboard();
  await ui.testId('user-id').focus();
  for (const k of OPERATOR) await ui.tap(`osk-${k}`);
  await ui.testId('pin').focus();
  for (const k of '000000') await ui.tap(`osk-${k}`);
  await ui.tap('sign-in-submit');
  await ui.testId('sign-in-notice').waitFor();
  t.match(await ui.testId('sign-in-notice').innerText(), /ID pengguna atau PIN salah/, 'a wrong PIN is refused');

  await ui.testId('pin').focus();
  for (const k of DEMO_STAFF_PIN) await ui.tap(`osk-${k}`);
  await ui.tap('sign-in-submit');
  await ui.testId('operator').waitFor();
  t.match(await ui.testId('operator').innerText(), new RegExp(OPERATOR));

  await ui.testId('quota-chart').waitFor();
  const bars = await page.locator('[data-testid="quota-chart"] rect.bar').evaluateAll((rects) =>
    rects.map((r) => ({ hour: Number(r.getAttribute('data-hour')), count: Number(r.getAttribute('data-count')), height: (r as SVGRectElement).getBBox().height })),
  );
  t.equal(bars.length, 24, '24 bars');
  const hour = wibHour();
  const busy = bars.filter((b) => b.count > 0);
  t.equal(busy.length, 1, 'one busy hour');
  t.equal(busy[0]?.count, 1, 'exactly the one hit made today');
  // The hour may have turned between the verification and now.
  t.ok([hour, (hour + 23) % 24].includes(busy[0]!.hour), `the hit is in the bar of ${busy[0]!.hour}.00 WIB (now ${hour}.00)`);
  t.ok(busy[0]!.height > 100, 'the only busy hour fills the plot');
  t.ok(bars.filter((b) => b.count === 0).every((b) => b.height === 0), 'the other hours are empty');
  t.match(await ui.testId('quota-used').innerText(), /^1 dari \d+ akses NIK terpakai$/);
  t.equal(await ui.testId('health-idReader').getAttribute('data-tone'), 'ok');
  t.match(await ui.testId('agreement-state').innerText(), /Berlaku/);
  const sessions = ui.testId('session');
  t.ok((await sessions.count()) >= 1, 'the session is listed');
  t.match(await sessions.first().innerText(), /^[0-9A-F]{8}\b/, 'by its reference code');
  await ui.shot('staff-dashboard', VIEWPORTS.large);
});

t.test('staff approve an assisted verification from the dashboard', async (t) => {
  await backToKiosk();
  await ui.waitFor('welcome');
  await ui.insertCard('valid');
  await ui.waitFor('awaitingFinger');
  await ui.tap('cannot-give-finger');
  await ui.waitFor('staffAssist');
  await openDashboard();
  await ui.testId('user-id').waitFor();
  t.pass('going back to the kiosk signed the operator out: the dashboard asks for a sign-in');
  await signIn();
  await ui.tap('assist-unlock');
  await page.locator('[data-testid="assist"][data-step="compareFace"]').waitFor({ timeout: 30_000 });
  t.pass('the card record was read after the signed-in unlock, no PIN typed on the kiosk');
  await ui.tap('assist-face-matches');
  await page.locator('[data-testid="assist"][data-step="none"]').waitFor({ timeout: 30_000 });
  await backToKiosk();
  await ui.waitFor('result');
  t.equal(await ui.testId('outcome').getAttribute('data-outcome'), 'verified', 'the assisted verification went on to the registry');
  await ui.tap('finish');
  await ui.waitFor('finished');
  await ui.removeCard();
  await ui.waitFor('welcome');
});

t.test('staff acknowledge the help-needed alert, and pause and resume the kiosk', async (t) => {
  await openDashboard();
  await signIn();
  const alert = page.locator('[data-testid="alert"][data-kind="helpNeeded"]');
  await alert.waitFor();
  t.equal(await alert.getAttribute('data-acknowledged'), 'false', 'the taxpayer waiting for staff raised an alert');
  await alert.getByTestId('alert-ack').click();
  await page.locator('[data-testid="alert"][data-kind="helpNeeded"][data-acknowledged="true"]').waitFor();
  t.match(await alert.innerText(), new RegExp(`Ditangani oleh ${OPERATOR}`), 'handled, by whom');

  await ui.tap('kiosk-pause');
  await page.locator('[data-testid="kiosk-paused"][data-paused="true"]').waitFor();
  await page.locator('[data-testid="kiosk-screen"][data-screen-code="outOfService"]').waitFor();
  t.match(await ui.testId('kiosk-screen').innerText(), /dihentikan sementara oleh petugas/, 'the kiosk stopped serving');
  await backToKiosk();
  await ui.waitFor('outOfService');
  t.equal(await ui.testId('out-of-service-reason').getAttribute('data-reason'), 'pausedByStaff');
  await openDashboard();
  await signIn();
  await ui.tap('kiosk-resume');
  await page.locator('[data-testid="kiosk-screen"][data-screen-code="welcome"]').waitFor();
  await backToKiosk();
  await ui.waitFor('welcome');
  t.pass('serving again');
});

t.test('staff export the data balikan to the stick and download the file written', async (t) => {
  await openDashboard();
  await signIn();
  await ui.testId('return-data-pending').waitFor();
  t.equal(await ui.testId('return-data-pending').innerText(), '1', 'the NOP linked above waits');
  const targets = await ui.testId('export-target').locator('option').allInnerTexts();
  t.ok(targets.includes('KINGSTON'), 'the stick is offered by its label');
  await ui.testId('export-target').selectOption({ label: 'KINGSTON' });
  await ui.testId('export-format-xlsx').check();
  await ui.tap('export-start');
  await ui.testId('export-result').waitFor();
  t.match(await ui.testId('export-result').innerText(), /1 entri diekspor/);
  await page.locator('[data-testid="return-data-pending"]', { hasText: /^0$/ }).waitFor();

  const written = (await readdir(stick, { recursive: true })).map(String);
  const xlsxName = written.find((f) => f.endsWith('.xlsx'));
  t.ok(xlsxName, `an XLSX file is on the stick (${written.join(', ')})`);
  const downloadButton = page.locator('[data-testid="export-download"]').filter({ hasText: '.xlsx' });
  const [download] = await Promise.all([page.waitForEvent('download'), downloadButton.click()]);
  const downloaded = await readFile((await download.path())!);
  t.same(downloaded, await readFile(join(stick, xlsxName!)), 'the download is the file on the stick');
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(downloaded as unknown as ArrayBuffer);
  const cells = book.worksheets.flatMap((ws) => ws.getSheetValues().flat().map(String));
  t.ok(cells.some((c) => c.replace(/\D/g, '') === NOP), 'it holds the NOP linked at the kiosk');
  t.ok(cells.includes(persona('valid').card.nik), 'and the NIK it belongs to (data balikan is the one export that may)');
});

t.test('staff download the semester report as PDF and XLSX', async (t) => {
  const semester = await ui.testId('report-semester').inputValue();
  t.match(semester, /^\d{4}-[12]$/, 'the current semester is chosen');
  const [pdf] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), ui.tap('report-pdf')]);
  const pdfBytes = await readFile((await pdf.path())!);
  t.equal(pdfBytes.subarray(0, 5).toString('latin1'), '%PDF-', 'a PDF');
  t.ok(pdfBytes.length > 2000, 'with content');
  const [xlsx] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), ui.tap('report-xlsx')]);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load((await readFile((await xlsx.path())!)) as unknown as ArrayBuffer);
  t.ok(book.worksheets.length >= 1, 'an XLSX workbook');
  const text = book.worksheets.flatMap((ws) => ws.getSheetValues().flat().map(String)).join('\n');
  t.notOk(text.includes(persona('valid').card.nik), 'the report holds no NIK');
  t.notOk(text.includes(persona('valid').card.namaLengkap), 'nor a name');
});

t.test('staff sign out; nothing personal reached the logs; no script errors', async (t) => {
  await ui.tap('sign-out');
  await ui.testId('user-id').waitFor();
  const out = kiosk.output();
  const p = persona('valid');
  for (const secret of [p.card.nik, p.card.namaLengkap, p.card.alamat.jalan, DEMO_STAFF_PIN, NOP]) t.notOk(out.includes(secret), 'the log holds no personal data, PIN or NOP');
  t.same(pageErrors, []);
});
