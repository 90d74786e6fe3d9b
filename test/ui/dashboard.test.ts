/**
 * The staff dashboard in Debian's Chromium against a stand-in staff API (test/ui/fake-staff-api.ts):
 * sign-in and its refusals, the quota chart drawn from the data, every action reaching its route
 * with the CSRF token, downloads, the language switch, the way back to the kiosk, and axe-core.
 */
import t from 'tap';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DESK, launchBrowser } from './browser.ts';
import { buildDashboard, FAKE_OPERATOR, startFakeStaffApi } from './fake-staff-api.ts';
import { until } from '../support/until.ts';

const SHOTS = 'test-artifacts/screens';
await mkdir(SHOTS, { recursive: true });
const dir = await mkdtemp(join(tmpdir(), 'anj14d-dashboard-'));
await buildDashboard(dir);
const api = await startFakeStaffApi(dir);
const browser = await launchBrowser(DESK);
const page = await browser.context.newPage();
const pageErrors: string[] = [];
page.on('pageerror', (e) => pageErrors.push(e.message));
t.teardown(async () => {
  await browser.close();
  await api.close();
  await rm(dir, { recursive: true, force: true });
});
const AXE = readFile('node_modules/axe-core/axe.min.js', 'utf8');
const eventually = (cond: () => boolean, what: string) => until(cond, what, 10_000);
const calls = (method: string, path: string) => api.calls.filter((c) => c.method === method && c.path === path);

async function axeViolations(): Promise<string[]> {
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.addScriptTag({ content: await AXE });
  return (await page.evaluate(
    `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .flatMap((v) => v.nodes.map((n) => v.id + ': ' + JSON.stringify(n.target))))`,
  )) as string[];
}

async function signIn(userId: string, pin: string): Promise<void> {
  await page.getByTestId('user-id').fill(userId);
  await page.getByTestId('pin').fill(pin);
  await page.getByTestId('sign-in-submit').click();
}

await page.goto(`${api.url}/staff/`);

t.test('signed out, the dashboard asks for a user ID and PIN and shows no kiosk data', async (t) => {
  await page.getByTestId('user-id').waitFor();
  t.equal(await page.getByRole('heading', { name: 'Masuk petugas' }).count(), 1);
  t.equal(await page.getByLabel('ID pengguna').count(), 1, 'the fields are labelled');
  t.equal(await page.getByLabel('PIN').count(), 1);
  t.equal(calls('GET', '/api/staff/overview').length, 0, 'nothing is asked for before sign-in');
  t.equal(await page.getByTestId('sign-in-submit').isDisabled(), true, 'no sign-in without a user ID and a PIN');
  await page.screenshot({ path: join(SHOTS, 'dashboard-sign-in.png') });
  t.same(await axeViolations(), [], 'axe-core: no serious or critical violation on the sign-in form');
});

t.test('a wrong PIN is refused clearly, and a lockout says until when', async (t) => {
  await signIn(FAKE_OPERATOR.userId, '000000');
  await page.getByTestId('sign-in-notice').waitFor();
  t.match(await page.getByTestId('sign-in-notice').innerText(), /ID pengguna atau PIN salah/);
  t.equal(await page.getByTestId('pin').inputValue(), '', 'the refused PIN is cleared');
  t.equal(await page.getByTestId('sign-in-notice').getAttribute('role'), 'alert', 'announced');
  api.signInAnswer = { status: 423, lockedUntil: '2026-12-01T04:05:00.000Z' };
  await signIn(FAKE_OPERATOR.userId, FAKE_OPERATOR.pin);
  await page.getByText('setelah pukul 11:05').waitFor();
  t.pass('told to try again after 11:05 WIB');
  api.signInAnswer = 'check';
  t.equal(calls('GET', '/api/staff/overview').length, 0, 'still signed out');
});

t.test('on the kiosk (loopback) the on-screen keyboard types the user ID and the PIN', async (t) => {
  await page.getByTestId('user-id').fill('');
  await page.getByTestId('user-id').focus();
  for (const k of FAKE_OPERATOR.userId) await page.getByTestId(`osk-${k}`).click();
  t.equal(await page.getByTestId('user-id').inputValue(), FAKE_OPERATOR.userId);
  await page.getByTestId('pin').focus();
  t.equal(await page.getByTestId('osk-q').isDisabled(), true, 'letters cannot go into the PIN');
  for (const k of `${FAKE_OPERATOR.pin}9`) await page.getByTestId(`osk-${k}`).click();
  await page.getByTestId('osk-backspace').click();
  t.equal(await page.getByTestId('pin').inputValue(), FAKE_OPERATOR.pin);
  await page.getByTestId('sign-in-submit').click();
  await page.getByTestId('operator').waitFor();
  t.match(await page.getByTestId('operator').innerText(), /petugas-01/);
  const signInCall = calls('POST', '/api/staff/session').at(-1)!;
  t.same(signInCall.body, { userId: FAKE_OPERATOR.userId, pin: FAKE_OPERATOR.pin });
});

t.test('the panels show health, quota, agreement, alerts and sessions without personal data', async (t) => {
  await page.getByTestId('quota-chart').waitFor();
  t.equal(await page.getByTestId('health-idReader').getAttribute('data-tone'), 'ok');
  t.equal(await page.getByTestId('health-sensor').getAttribute('data-tone'), 'bad', 'a missing sensor stands out');
  t.match(await page.getByTestId('health-sensor').innerText(), /Tidak ada/);
  t.equal(await page.getByTestId('health-uplink').getAttribute('data-tone'), 'warn');
  t.match(await page.getByTestId('health-uplink').innerText(), /Mencoba tersambung lagi/);
  t.match(await page.getByTestId('kiosk-screen').innerText(), /Anjungan: Siap melayani/);
  t.match(await page.getByTestId('health-disk').innerText(), /12\.5 GB kosong dari 31\.9 GB/);
  t.equal(await page.getByTestId('quota-used').innerText(), '137 dari 500 akses NIK terpakai');
  t.equal(await page.getByTestId('quota-projection').innerText(), 'Dengan laju saat ini, batas kuota tercapai sekitar pukul 13:30.');
  t.match(await page.getByTestId('agreement-days-left').innerText(), /Sisa 343 hari/);
  t.equal(await page.getByTestId('alert').count(), 2);
  t.equal(await page.getByTestId('alerts-open').innerText(), '(1 belum ditangani)');
  t.match(await page.locator('[data-testid="alert"][data-alert-id="3"]').innerText(), /Ditangani oleh petugas-02 pukul 08:05/);
  const rows = page.getByTestId('session');
  t.equal(await rows.count(), 3);
  t.match(await rows.first().innerText(), /3F9A01BC[\s\S]*2026-12-01 10:10[\s\S]*Selesai, kartu diambil[\s\S]*48 dtk/);
  t.match(
    await rows.nth(1).innerText(),
    /Wajah dinyatakan tidak sesuai[\s\S]*Petugas menyatakan wajah tidak sesuai[\s\S]*96 dtk/,
    'a failure in staff terms, with what to check',
  );
  t.match(await rows.nth(2).innerText(), /C0FFEE12[\s\S]*Sedang berjalan[\s\S]*—/);
  await page.screenshot({ path: join(SHOTS, 'dashboard.png'), fullPage: true });
});

t.test('the quota chart has 24 bars whose heights follow the hits per hour', async (t) => {
  const perHour = api.overview.quota.perHour;
  const bars = await page.locator('[data-testid="quota-chart"] rect.bar').evaluateAll((rects) =>
    rects.map((r) => ({
      hour: Number(r.getAttribute('data-hour')),
      count: Number(r.getAttribute('data-count')),
      height: (r as SVGRectElement).getBBox().height,
    })),
  );
  t.equal(bars.length, 24, '24 bars, one per hour');
  t.same(
    bars.map((b) => b.count),
    perHour,
    'each bar carries its hour’s count',
  );
  const tallest = Math.max(...bars.map((b) => b.height));
  t.ok(tallest > 100, 'the busiest hour fills the plot');
  const peak = Math.max(...perHour);
  for (const b of bars)
    t.ok(Math.abs(b.height / tallest - perHour[b.hour]! / peak) < 0.01, `hour ${b.hour}: height in proportion to ${perHour[b.hour]}`);
  t.match(
    await page.getByTestId('quota-chart').getAttribute('aria-label'),
    /137 akses, terbanyak 31 pada pukul 10\.00/,
    'the chart has a text equivalent',
  );

  // New figures arrive with the next poll and redraw the bars.
  api.overview.quota.perHour = perHour.map((n, h) => (h === 15 ? 62 : n));
  await page.locator('rect.bar[data-hour="15"][data-count="62"]').waitFor();
  const h15 = await page.locator('rect.bar[data-hour="15"]').evaluate((r) => (r as SVGRectElement).getBBox().height);
  const h10 = await page.locator('rect.bar[data-hour="10"]').evaluate((r) => (r as SVGRectElement).getBBox().height);
  t.ok(Math.abs(h10 / h15 - 31 / 62) < 0.01, 'the new busiest hour is the tallest and the others scale to it');
});

t.test('every action reaches its route with the CSRF token from sign-in', async (t) => {
  await page.getByTestId('alert-ack').click();
  await eventually(() => calls('POST', '/api/staff/alerts/7/ack').length === 1, 'the acknowledgement');
  await page.locator('[data-testid="alert"][data-alert-id="7"][data-acknowledged="true"]').waitFor();
  t.pass('alert 7 shows as handled');
  t.equal(await page.getByTestId('alerts-open').getAttribute('data-open'), '0');

  await page.getByTestId('kiosk-pause').click();
  await eventually(() => calls('POST', '/api/staff/kiosk/pause').length === 1, 'pause');
  await page.getByTestId('kiosk-resume').click();
  await eventually(() => calls('POST', '/api/staff/kiosk/resume').length === 1, 'resume');
  await page.getByTestId('kiosk-pause').waitFor();

  t.equal(await page.getByTestId('assist-unlock').count(), 0, 'no unlock while nobody waits');
  api.overview.assist.step = 'callStaff';
  await page.getByTestId('assist-unlock').click();
  await eventually(() => calls('POST', '/api/staff/assist/unlock').length === 1, 'assist unlock');
  // The face is compared with the card photo on the dashboard itself, which covers the kiosk screen.
  const photo = page.getByTestId('assist-photo');
  await photo.waitFor();
  t.match(await photo.getAttribute('src'), /^blob:/, 'the photo is a Blob in the page’s memory, not a URL to the daemon');
  t.ok(await photo.evaluate((img) => (img as HTMLImageElement).naturalWidth > 0), 'and it is drawn');
  t.equal(api.photoFetches, 1, 'fetched once for the step, not at every poll');
  await page.getByTestId('assist-face-matches').click();
  await eventually(() => calls('POST', '/api/staff/assist/face').length === 1, 'face decision');
  await photo.waitFor({ state: 'detached' });
  t.pass('the photo is gone once the face was judged');
  t.same(calls('POST', '/api/staff/assist/face')[0]!.body, { matches: true });
  await page.locator('[data-testid="assist"][data-step="none"]').waitFor();

  // The same dashboard away from the kiosk (office LAN): told where to go, offered no decision.
  api.overview.assist = { step: 'callStaff', atKiosk: false };
  await page.getByTestId('assist-at-kiosk-only').waitFor();
  t.equal(await page.getByTestId('assist-unlock').count(), 0, 'no unlock button away from the kiosk');
  t.match(await page.getByTestId('assist-at-kiosk-only').innerText(), /hanya dapat dilakukan di layar anjungan/);
  api.overview.assist = { step: null, atKiosk: true };
  await page.locator('[data-testid="assist"][data-step="none"]').waitFor();

  const changing = api.calls.filter((c) => c.method !== 'GET' && c.path !== '/api/staff/session');
  t.ok(changing.length >= 5);
  t.same(
    changing.filter((c) => c.csrf !== 'csrf-token-for-test-0123456789abcdef'),
    [],
    'every state-changing call carried the token',
  );
  t.same(
    api.calls.filter((c) => c.method === 'GET' && c.csrf !== null),
    [],
    'reads carry no token',
  );
  const panelRead = (c: { method: string; path: string }) =>
    c.method === 'GET' && /^\/api\/staff\/(overview|alerts|sessions|return-data)(\?|$)/.test(c.path);
  t.ok(api.calls.filter(panelRead).length >= 4, 'the panels were refreshed');
  t.same(
    api.calls.filter((c) => panelRead(c) !== c.refresh),
    [],
    'panel refreshes, and only they, are marked as not someone at the desk',
  );
  t.same(pageErrors, []);
});

t.test('data balikan on the kiosk: exported to the chosen stick and format; no download the kiosk browser cannot do', async (t) => {
  t.equal(await page.getByTestId('return-data-pending').innerText(), '12');
  t.match(await page.getByTestId('return-data-delivered').evaluate((td) => td.closest('tr')!.innerText), /Terkirim lewat layanan web\s+30/);
  t.match(await page.getByTestId('return-data-exported').evaluate((td) => td.closest('tr')!.innerText), /Diekspor ke berkas\s+5/);
  t.equal(await page.getByTestId('return-data-dead-lettered').count(), 0, 'no dead-letter line while there are none');
  api.returnData = { ...api.returnData, deadLettered: 3 };
  await page.getByTestId('return-data-dead-lettered').waitFor();
  t.match(
    await page.getByTestId('return-data-dead-lettered').innerText(),
    /^3 entri tidak dapat dikirim ke Dukcapil .*ekspor ke berkas/,
    'entries given up on are told, with what to do',
  );
  api.returnData = { ...api.returnData, deadLettered: 0 };
  await page.getByTestId('export-target').selectOption('usb-1');
  await page.getByTestId('export-format-csv').check();
  t.equal(await page.getByTestId('export-format-xlsx').getAttribute('aria-checked'), 'false');
  await page.getByTestId('export-start').click();
  await page.getByTestId('export-result').waitFor();
  t.same(calls('POST', '/api/staff/return-data/export')[0]!.body, { format: 'csv', target: 'usb-1' });
  t.match(await page.getByTestId('export-result').innerText(), /12 entri diekspor/);
  t.match(await page.getByTestId('export-written').innerText(), /ditulis ke USB: KINGSTON/);
  t.match(await page.getByTestId('export-result').innerText(), /data-balikan-20261201\.csv/);
  t.equal(await page.getByTestId('export-download').count(), 0, 'no download offered on the kiosk');
  t.equal(await page.getByTestId('export-sha256').innerText(), 'ab'.repeat(32));
  await page.locator('[data-testid="return-data-pending"]', { hasText: /^0$/ }).waitFor();
  t.equal(await page.getByTestId('export-start').count(), 0, 'the result stands in the form’s place (both do not fit 800×480)');
  await page.getByTestId('export-again').click();
  await page.getByTestId('export-start').click();
  await page.getByTestId('export-refused').waitFor();
  t.equal(
    await page.getByTestId('export-refused').innerText(),
    'Tidak ada data balikan yang menunggu ekspor.',
    'a refusal is told in words',
  );
  t.equal(await page.getByTestId('export-result').count(), 0, 'and no stale result stays beside it');
  api.returnData = { ...api.returnData, pending: 12 };
});

t.test('semester report on the kiosk: written to the chosen stick, not downloaded', async (t) => {
  const options = await page
    .getByTestId('report-semester')
    .locator('option')
    .evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value));
  t.equal(options.length, 4);
  t.ok(options.every((s) => /^\d{4}-[12]$/.test(s)));
  const chosen = options[1]!;
  await page.getByTestId('report-semester').selectOption(chosen);
  await page.getByTestId('report-target').selectOption('usb-1');
  t.match(await page.getByTestId('report-pdf').innerText(), /Ekspor PDF ke USB/);
  await page.getByTestId('report-pdf').click();
  await page.getByTestId('report-exported').waitFor();
  t.same(calls('POST', '/api/staff/report/semester/export')[0]!.body, { file: `${chosen}.pdf`, target: 'usb-1' });
  t.equal(await page.getByTestId('report-exported').innerText(), `Laporan ditulis ke USB: KINGSTON: laporan-semester-${chosen}.pdf`);
  const targets = api.returnData.targets;
  api.returnData = { ...api.returnData, targets: [] };
  await page.getByTestId('report-no-targets').waitFor();
  t.ok(await page.getByTestId('report-pdf').isDisabled(), 'without a stick there is nothing to press');
  api.returnData = { ...api.returnData, targets };
  await page.getByTestId('report-target').waitFor();
});

t.test('the language switch turns every panel to English and back', async (t) => {
  await page.getByTestId('switch-language').click();
  await page.getByRole('heading', { name: 'Staff dashboard' }).waitFor();
  t.equal(await page.getByTestId('quota-used').innerText(), '137 of 500 NIK hits used');
  t.match(await page.getByTestId('session').first().innerText(), /Completed, card taken/);
  t.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  t.same(await axeViolations(), [], 'axe-core: no serious or critical violation on the dashboard');
  await page.getByTestId('switch-language').click();
  await page.getByRole('heading', { name: 'Dasbor Petugas' }).waitFor();
});

t.test('on the kiosk the dashboard keeps the kiosk page alive and leads back to it, signing out on the way', async (t) => {
  const before = api.uiPings;
  await eventually(() => api.uiPings > before, 'a keep-alive ping');
  t.ok(api.uiPings > before, 'the kiosk browser is not taken for frozen');
  const signOuts = calls('DELETE', '/api/staff/session').length;
  await page.getByTestId('back-to-kiosk').click();
  await page.getByTestId('kiosk-page').waitFor();
  t.equal(new URL(page.url()).pathname, '/');
  t.equal(calls('DELETE', '/api/staff/session').length, signOuts + 1, 'signed out on the daemon on the way back');
  await page.goto(`${api.url}/staff/`);
  await page.getByTestId('user-id').waitFor();
  t.pass('coming back, the dashboard asks for a sign-in: the next person at the kiosk may be a stranger');
  await signIn(FAKE_OPERATOR.userId, FAKE_OPERATOR.pin);
  await page.getByTestId('operator').waitFor();
});

t.test('on the kiosk, a dashboard left alone signs out and hands the screen back to the kiosk', async (t) => {
  const idlePage = await browser.context.newPage();
  t.teardown(() => idlePage.close());
  await idlePage.clock.install();
  await idlePage.goto(`${api.url}/staff/`);
  await idlePage.getByTestId('operator').waitFor();
  const signOuts = calls('DELETE', '/api/staff/session').length;
  await idlePage.clock.fastForward(60_000);
  await idlePage.getByTestId('kiosk-pause').click();
  await idlePage.clock.fastForward(100_000);
  t.equal(calls('DELETE', '/api/staff/session').length, signOuts, 'a touch within the two minutes keeps the session');
  await idlePage.clock.fastForward(30_000);
  await idlePage.getByTestId('kiosk-page').waitFor();
  t.equal(calls('DELETE', '/api/staff/session').length, signOuts + 1, 'signed out on the daemon, then back to the kiosk');
  await page.getByTestId('user-id').waitFor();
  t.pass('the other tab sees the session gone too');
});

t.test('reached by another name than loopback (the office LAN), it shows no kiosk controls and pings no kiosk', async (t) => {
  const lan = await launchBrowser(DESK, ['--host-resolver-rules=MAP anjungan-staff.test 127.0.0.1']);
  t.teardown(() => lan.close());
  const lanPage = await lan.context.newPage();
  await lanPage.goto(api.url.replace('127.0.0.1', 'anjungan-staff.test') + '/staff/');
  await lanPage.getByTestId('user-id').waitFor();
  await lanPage.waitForTimeout(6000);
  t.equal(await lanPage.getByTestId('onscreen-keyboard').count(), 0, 'a PC has its own keyboard');
  t.equal(await lanPage.getByTestId('back-to-kiosk').count(), 0, 'there is no kiosk to go back to');
  t.notOk(
    api.uiPingHosts.some((h) => h.startsWith('anjungan-staff.test')),
    'no keep-alive from the LAN page',
  );
  t.ok(
    api.uiPingHosts.some((h) => h.startsWith('127.0.0.1')),
    'while the kiosk tab kept pinging',
  );

  // A desk browser downloads what the kiosk writes to a stick.
  await lanPage.getByTestId('user-id').fill(FAKE_OPERATOR.userId);
  await lanPage.getByTestId('pin').fill(FAKE_OPERATOR.pin);
  await lanPage.getByTestId('sign-in-submit').click();
  await lanPage.getByTestId('export-start').click();
  await lanPage.getByTestId('export-result').waitFor();
  const [file] = await Promise.all([
    lanPage.waitForEvent('download'),
    lanPage.locator('[data-testid="export-download"][data-file="data-balikan-20261201.xlsx"]').click(),
  ]);
  t.equal(file.suggestedFilename(), 'data-balikan-20261201.xlsx');
  t.equal(await readFile((await file.path())!, 'utf8'), 'nik,nop\n', 'the file the daemon wrote');
  const semester = await lanPage.getByTestId('report-semester').inputValue();
  api.files[`/api/staff/report/semester/${semester}.pdf`] = '%PDF-1.7 report';
  t.equal(await lanPage.getByTestId('report-target').count(), 0, 'no stick to choose at a desk');
  const [report] = await Promise.all([lanPage.waitForEvent('download'), lanPage.getByTestId('report-pdf').click()]);
  t.equal(report.suggestedFilename(), `laporan-semester-${semester}.pdf`);
  t.equal(await readFile((await report.path())!, 'utf8'), '%PDF-1.7 report');
  api.files = {};
  await lanPage.getByTestId('report-pdf').click();
  await lanPage.getByTestId('action-failed').waitFor();
  t.pass('a report the daemon cannot serve is reported, not silently dropped');
  await lanPage.getByTestId('sign-out').click();
});

t.test('a session that ends (expiry, restart) returns to the sign-in form', async (t) => {
  await signIn(FAKE_OPERATOR.userId, FAKE_OPERATOR.pin);
  await page.getByTestId('quota-chart').waitFor();
  api.expireSession();
  await page.getByTestId('user-id').waitFor();
  t.equal(await page.getByTestId('quota-chart').count(), 0, 'the panels are gone');
  await signIn(FAKE_OPERATOR.userId, FAKE_OPERATOR.pin);
  const signOuts = calls('DELETE', '/api/staff/session').length;
  await page.getByTestId('sign-out').click();
  await page.getByTestId('user-id').waitFor();
  t.equal(calls('DELETE', '/api/staff/session').length, signOuts + 1, 'sign-out ends the session on the daemon');
  t.same(pageErrors, []);
});
