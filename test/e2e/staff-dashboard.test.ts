/**
 * End to end: the real kiosk (`node dist/device/main.cjs`, demo mode) and Debian's Chromium at the
 * kiosk's 800×480, without the demo panel. A staff member uses the kiosk's own browser: the
 * "Petugas" entry opens the dashboard, they pick their user ID and type the PIN, see each section
 * on its tab (every one fits the screen), decide an assisted verification beside the card photo
 * (idle-time pausing is in idle.test.ts), acknowledge an alert, pause and resume, write the
 * data balikan and the semester report to a (stand-in) USB stick, and go back to the kiosk
 * signed out. Files are checked for what they hold; the logs for what they must not hold.
 */
import t, { type Test } from 'tap';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { persona } from '../../device/sim/personas.ts';
import { DEMO_STAFF_PIN } from '../../device/sim/kit.ts';
import { launchBrowser, VIEWPORTS } from '../ui/browser.ts';
import { buildKiosk, spawnKiosk } from '../support/kiosk-process.ts';
import { until } from '../support/until.ts';
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
const browser = await launchBrowser(VIEWPORTS.small);
const page = await browser.context.newPage();
const pageErrors: string[] = [];
page.on('pageerror', (e) => pageErrors.push(e.message));
const ui = new KioskDriver(page, false);
t.teardown(async () => {
  await browser.close();
  await kiosk.stop();
  await rm(media, { recursive: true, force: true });
});
await ui.open(kiosk.url);

/** The WIB hour now: the bar a hit made now lands in. */
const wibHour = () =>
  Number(new Intl.DateTimeFormat('en-GB', { hour: '2-digit', hourCycle: 'h23', timeZone: 'Asia/Jakarta' }).format(new Date()));

/** From the kiosk screen to a signed-in dashboard: the entry, a tap on the user ID, the PIN. */
async function openDashboard(pin = DEMO_STAFF_PIN): Promise<void> {
  await ui.tap('staff-entry');
  await page.waitForURL(/\/staff\/$/);
  await ui.testId(`operator-${OPERATOR}`).click();
  for (const d of pin) await ui.tap(`pin-key-${d}`);
  await ui.tap('pin-submit');
}

async function section(t: Test, name: string): Promise<void> {
  await ui.tap(`section-${name}`);
  await page.locator(`[data-section="${name}"][data-active]`).waitFor();
  await ui.fits(t, `staff-dashboard-${name}`);
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

t.test('staff open the dashboard from the kiosk, pick their ID and type the PIN; every section fits 800×480', async (t) => {
  await openDashboard('000000');
  await ui.testId('sign-in-notice').waitFor();
  t.match(await ui.testId('sign-in-notice').innerText(), /ID pengguna atau PIN salah/, 'a wrong PIN is refused');
  for (const d of DEMO_STAFF_PIN) await ui.tap(`pin-key-${d}`);
  await ui.tap('pin-submit');
  await ui.testId('operator').waitFor();
  t.match(await ui.testId('operator').innerText(), new RegExp(OPERATOR));

  await section(t, 'quota');
  const bars = await page.locator('[data-testid="quota-chart"] rect.bar').evaluateAll((rects) =>
    rects.map((r) => ({
      hour: Number(r.getAttribute('data-hour')),
      count: Number(r.getAttribute('data-count')),
      height: (r as SVGRectElement).getBBox().height,
    })),
  );
  t.equal(bars.length, 24, '24 bars');
  const hour = wibHour();
  const busy = bars.filter((b) => b.count > 0);
  t.equal(busy.length, 1, 'one busy hour');
  t.equal(busy[0]?.count, 1, 'exactly the one hit made today');
  // The hour may have turned between the verification and now.
  t.ok([hour, (hour + 23) % 24].includes(busy[0]!.hour), `the hit is in the bar of ${busy[0]!.hour}.00 WIB (now ${hour}.00)`);
  t.ok(busy[0]!.height > 80, 'the only busy hour fills the plot');
  t.ok(
    bars.filter((b) => b.count === 0).every((b) => b.height === 0),
    'the other hours are empty',
  );
  t.match(await ui.testId('quota-used').innerText(), /^1 dari \d+ akses NIK terpakai$/);
  t.match(await ui.testId('agreement-state').innerText(), /Berlaku/);
  await section(t, 'kiosk');
  t.equal(await ui.testId('health-idReader').getAttribute('data-tone'), 'ok');
  await section(t, 'sessions');
  const sessions = ui.testId('session');
  t.ok((await sessions.count()) >= 1, 'the session is listed');
  t.match(await sessions.first().innerText(), /^[0-9A-F]{8}\b/, 'by its reference code');
  for (const name of ['alerts', 'returnData', 'report', 'assist']) await section(t, name);
});

t.test('staff decide an assisted verification beside the card photo', async (t) => {
  await backToKiosk();
  await ui.waitFor('welcome');
  await ui.insertCard('valid');
  await ui.waitFor('awaitingFinger');
  await ui.tap('cannot-give-finger');
  await ui.waitFor('staffAssist');
  await openDashboard();
  await page.locator('[data-section="assist"][data-active]').waitFor();
  t.pass('the help tab comes forward while a taxpayer waits');
  await ui.tap('assist-unlock');
  await page.locator('[data-testid="assist"][data-step="compareFace"]').waitFor({ timeout: 30_000 });
  const photo = ui.testId('assist-photo');
  await photo.waitFor();
  // Polled from the test: the dashboard's CSP (no eval) refuses waitForFunction's string.
  const drawn = () => photo.evaluate((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0);
  await until(drawn, 'the card photo drawn', 10_000, 100);
  t.match(await photo.getAttribute('src'), /^blob:/, 'the card photo, held in the page’s memory');
  await ui.fits(t, 'staff-dashboard-assist-compare-face');
  await ui.tap('assist-face-matches');
  await page.locator('[data-testid="assist"][data-step="none"]').waitFor({ timeout: 30_000 });
  await photo.waitFor({ state: 'detached' });
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
  await ui.tap('section-alerts');
  const alert = page.locator('[data-testid="alert"][data-kind="helpNeeded"]');
  await alert.waitFor();
  t.equal(await alert.getAttribute('data-acknowledged'), 'false', 'the taxpayer waiting for staff raised an alert');
  await alert.getByTestId('alert-ack').click();
  await page.locator('[data-testid="alert"][data-kind="helpNeeded"][data-acknowledged="true"]').waitFor();
  t.match(await alert.innerText(), new RegExp(`Ditangani oleh ${OPERATOR}`), 'handled, by whom');

  await ui.tap('section-kiosk');
  await ui.tap('kiosk-pause');
  await page.locator('[data-testid="kiosk-paused"][data-paused="true"]').waitFor();
  await page.locator('[data-testid="kiosk-screen"][data-screen-code="outOfService"]').waitFor();
  t.match(await ui.testId('kiosk-screen').innerText(), /dihentikan sementara oleh petugas/, 'the kiosk stopped serving');
  await ui.fits(t, 'staff-dashboard-kiosk-paused');
  await backToKiosk();
  await ui.waitFor('outOfService');
  t.equal(await ui.testId('out-of-service-reason').getAttribute('data-reason'), 'pausedByStaff');
  await openDashboard();
  await ui.tap('section-kiosk');
  await ui.tap('kiosk-resume');
  await page.locator('[data-testid="kiosk-screen"][data-screen-code="welcome"]').waitFor();
});

t.test('staff export the data balikan to the stick: written there, no download offered', async (t) => {
  await ui.tap('section-returnData');
  await ui.testId('return-data-pending').waitFor();
  t.equal(await ui.testId('return-data-pending').innerText(), '1', 'the NOP linked above waits');
  const targets = await ui.testId('export-target').locator('option').allInnerTexts();
  t.ok(targets.includes('KINGSTON'), 'the stick is offered by its label');
  await ui.testId('export-target').selectOption({ label: 'KINGSTON' });
  await ui.testId('export-format-xlsx').check();
  await ui.tap('export-start');
  await ui.testId('export-result').waitFor();
  t.match(await ui.testId('export-result').innerText(), /1 entri diekspor/);
  t.match(await ui.testId('export-written').innerText(), /ditulis ke KINGSTON/);
  t.equal(await ui.testId('export-download').count(), 0, 'nothing to download on the kiosk, whose browser does not');
  await page.locator('[data-testid="return-data-pending"]', { hasText: /^0$/ }).waitFor();
  await ui.fits(t, 'staff-dashboard-returnData-exported');

  const written = (await readdir(stick, { recursive: true })).map(String);
  const xlsxName = written.find((f) => f.endsWith('.xlsx'));
  t.ok(xlsxName, `an XLSX file is on the stick (${written.join(', ')})`);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load((await readFile(join(stick, xlsxName!))) as unknown as ArrayBuffer);
  const cells = book.worksheets.flatMap((ws) => ws.getSheetValues().flat().map(String));
  t.ok(
    cells.some((c) => c.replace(/\D/g, '') === NOP),
    'it holds the NOP linked at the kiosk',
  );
  t.ok(cells.includes(persona('valid').card.nik), 'and the NIK it belongs to (data balikan is the one export that may)');
});

t.test('staff write the semester report to the stick as PDF and XLSX', async (t) => {
  await ui.tap('section-report');
  const semester = await ui.testId('report-semester').inputValue();
  t.match(semester, /^\d{4}-[12]$/, 'the current semester is chosen');
  await ui.testId('report-target').selectOption({ label: 'KINGSTON' });
  for (const format of ['pdf', 'xlsx'] as const) {
    await ui.tap(`report-${format}`);
    await page.locator('[data-testid="report-exported"]', { hasText: new RegExp(`\\.${format}$`) }).waitFor({ timeout: 60_000 });
  }
  await ui.fits(t, 'staff-dashboard-report-exported');
  const files = (await readdir(stick)).filter((f) => f.startsWith('laporan-semester-'));
  const pdf = files.find((f) => f.endsWith(`${semester}.pdf`));
  const xlsx = files.find((f) => f.endsWith(`${semester}.xlsx`));
  t.ok(pdf && xlsx, `both reports are on the stick (${files.join(', ')})`);
  const pdfBytes = await readFile(join(stick, pdf!));
  t.equal(pdfBytes.subarray(0, 5).toString('latin1'), '%PDF-', 'a PDF');
  t.ok(pdfBytes.length > 2000, 'with content');
  const book = new ExcelJS.Workbook();
  await book.xlsx.load((await readFile(join(stick, xlsx!))) as unknown as ArrayBuffer);
  const text = book.worksheets.flatMap((ws) => ws.getSheetValues().flat().map(String)).join('\n');
  t.match(text, /Terkirim lewat layanan web[\s\S]*Diekspor ke berkas/, 'delivered and exported are told apart');
  t.notOk(text.includes(persona('valid').card.nik), 'the report holds no NIK');
  t.notOk(text.includes(persona('valid').card.namaLengkap), 'nor a name');
});

t.test('staff sign out; nothing personal reached the logs; no script errors', async (t) => {
  await ui.tap('sign-out');
  await ui.testId('operator-list').waitFor();
  const out = kiosk.output();
  const p = persona('valid');
  for (const secret of [p.card.nik, p.card.namaLengkap, p.card.alamat.jalan, DEMO_STAFF_PIN, NOP])
    t.notOk(out.includes(secret), 'the log holds no personal data, PIN or NOP');
  t.same(pageErrors, []);
});
