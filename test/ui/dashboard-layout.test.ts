/**
 * The staff dashboard on the kiosk's own screen (800×480, loopback), against the stand-in staff
 * API: the short sign-in (user ID picked from the roster, PIN on a pad), then every section on its
 * own tab, fitting the screen with nothing cut (test/ui/layout.ts), touch targets ≥ 48 px, glyphs
 * from DejaVu Sans; also at 1280×800 and 1080×1920. Screenshots at 800×480 as in layout.test.ts.
 */
import t, { type Test } from 'tap';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SECTIONS } from '../../ui/dashboard/sections.ts';
import { launchBrowser, VIEWPORTS } from './browser.ts';
import { buildDashboard, FAKE_OPERATOR, startFakeStaffApi } from './fake-staff-api.ts';
import { fontsUsed, layoutProblems } from './layout.ts';

const SHOTS = 'test-artifacts/screens/layout';
const DOCS = process.env.ANJUNGAN_SCREENS_DIR;
await mkdir(SHOTS, { recursive: true });
const dir = await mkdtemp(join(tmpdir(), 'anj-dashboard-layout-'));
await buildDashboard(dir);
const api = await startFakeStaffApi(dir);
api.operators = ['petugas-01', 'petugas-02', 'petugas-loket-3'];
// The longest kiosk section: paused, its screen out of service, an update rolled back.
api.overview.kiosk = { screen: 'outOfService', reason: 'pausedByStaff', paused: true };
api.overview.update = { event: 'rolledBack', release: '0.2.0 (a1b2c3d)', at: '2026-12-01T19:40:00.000Z', reason: 'checkFailed: screen' };
const browser = await launchBrowser(VIEWPORTS.small);
const page = await browser.context.newPage();
const pageErrors: string[] = [];
page.on('pageerror', (e) => pageErrors.push(e.message));
t.teardown(async () => {
  await browser.close();
  await api.close();
  await rm(dir, { recursive: true, force: true });
});

const settle = () =>
  page.evaluate('document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))');
async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
  if (DOCS) await page.screenshot({ path: join(DOCS, `${name}.png`) });
}

t.test('on the kiosk, staff pick their user ID and type only the PIN: a tap and the digits', async (t) => {
  await page.goto(`${api.url}/staff/`);
  await page.getByTestId('operator-list').waitFor();
  await settle();
  t.same(await layoutProblems(page), [], 'the roster fits the screen');
  await shot('dashboard-sign-in');
  t.equal(await page.getByTestId('onscreen-keyboard').count(), 0, 'no keyboard to type a user ID on');
  await page.getByTestId(`operator-${FAKE_OPERATOR.userId}`).click();
  t.match(await page.getByTestId('picked-operator').innerText(), /PIN untuk petugas-01/);
  await settle();
  t.same(await layoutProblems(page), [], 'the PIN pad fits whole');
  await shot('dashboard-sign-in-pin');
  let taps = 1;
  for (const d of '000000') await page.getByTestId(`pin-key-${d}`).click();
  await page.getByTestId('pin-submit').click();
  await page.getByTestId('sign-in-notice').waitFor();
  t.match(await page.getByTestId('sign-in-notice').innerText(), /PIN salah/, 'a wrong PIN is told, the ID stays picked');
  for (const d of FAKE_OPERATOR.pin) {
    await page.getByTestId(`pin-key-${d}`).click();
    taps++;
  }
  await page.getByTestId('pin-submit').click();
  taps++;
  await page.getByTestId('operator').waitFor();
  t.equal(taps, FAKE_OPERATOR.pin.length + 2, `${taps} taps to sign in (was 22 and more with the keyboard)`);
  t.same(api.calls.filter((c) => c.method === 'POST' && c.path === '/api/staff/session').at(-1)?.body, {
    userId: FAKE_OPERATOR.userId,
    pin: FAKE_OPERATOR.pin,
  });
});

t.test('at 800×480 each section has its tab and fits the screen', async (t) => {
  await page.getByTestId('sections').waitFor();
  for (const section of SECTIONS) {
    if (section === 'assist') continue;
    await page.getByTestId(`section-${section}`).click();
    await page.locator(`[data-section="${section}"][data-active]`).waitFor();
    await panelsFit(t, section, `dashboard-${section}`);
  }
  t.equal(
    await page
      .locator('[data-section]:not([data-active])')
      .evaluateAll((els) => els.filter((e) => getComputedStyle(e).display !== 'none').length),
    0,
    'one section at a time',
  );
});

t.test('a taxpayer waiting brings the help tab forward; the face check shows the card photo beside the answers', async (t) => {
  await page.getByTestId('section-kiosk').click();
  api.overview.assist = { step: 'callStaff', atKiosk: true };
  await page.locator('[data-section="assist"][data-active]').waitFor();
  await settle();
  t.same(await layoutProblems(page), [], 'the call');
  await shot('dashboard-assist');
  await page.getByTestId('assist-unlock').click();
  await page.getByTestId('assist-photo').waitFor();
  await page.waitForFunction(
    `(() => { const img = document.querySelector('anj-dashboard').shadowRoot.querySelector('anj-assist-panel').shadowRoot.querySelector('img'); return img && img.complete && img.naturalWidth > 0; })()`,
  );
  await settle();
  t.same(await layoutProblems(page), [], 'photo, question and both answers in view');
  await shot('dashboard-assist-compare-face');
  await page.getByTestId('assist-face-matches').click();
  await page.locator('[data-testid="assist"][data-step="none"]').waitFor();
});

t.test('every glyph of the dashboard comes from DejaVu Sans (no missing "⏸")', async (t) => {
  const families = new Map<string, number>();
  for (const section of ['kiosk', 'alerts', 'sessions']) {
    await page.getByTestId(`section-${section}`).click();
    await settle();
    for (const [family, glyphs] of await fontsUsed(page)) families.set(family, (families.get(family) ?? 0) + glyphs);
  }
  t.match(
    await page.evaluate(
      `document.querySelector('anj-dashboard').shadowRoot.querySelector('anj-kiosk-panel').shadowRoot.querySelector('[data-testid="kiosk-paused"]').textContent`,
    ),
    /❚❚/,
  );
  t.same(
    [...families.keys()].filter((f) => !f.startsWith('DejaVu Sans')),
    [],
    'no glyph fell back to another font',
  );
});

for (const viewport of [VIEWPORTS.large, VIEWPORTS.portrait]) {
  t.test(`at ${viewport.width}×${viewport.height} the panels fit side by side or stacked`, async (t) => {
    await page.setViewportSize(viewport);
    await settle();
    t.same(await layoutProblems(page), []);
    await page.setViewportSize(VIEWPORTS.small);
  });
}

/** The panels' text size now (a panel's own font size, which its text inherits). */
const panelTextSize = () =>
  page
    .locator('[data-section="kiosk"] anj-kiosk-panel')
    .first()
    .evaluate((el) => parseFloat(getComputedStyle(el).fontSize));

/** layoutProblems() on every page of a list (alerts, sessions) shown now, or on the page as it is. */
async function listFits(t: Test, label: string): Promise<void> {
  await settle();
  if (!(await page.getByTestId('list-pager').isVisible())) {
    t.same(await layoutProblems(page), [], label);
    return;
  }
  while (await page.getByTestId('list-previous').isEnabled()) await page.getByTestId('list-previous').click();
  const pages = Number((await page.getByTestId('list-at').innerText()).split('/')[1]);
  for (let at = 1; at <= pages; at++) {
    if (at > 1) await page.getByTestId('list-next').click();
    await settle();
    t.same(await layoutProblems(page), [], `${label}, list page ${at} of ${pages}`);
  }
  while (await page.getByTestId('list-previous').isEnabled()) await page.getByTestId('list-previous').click();
}

/** listFits() on each of the active section's panels, when large text shows them one at a time. */
async function panelsFit(t: Test, label: string, shotName?: string): Promise<void> {
  await settle();
  if (!(await page.getByTestId('panel-pager').isVisible())) {
    await listFits(t, label);
    if (shotName) await shot(shotName);
    return;
  }
  while (await page.getByTestId('panel-previous').isEnabled()) await page.getByTestId('panel-previous').click();
  const parts = Number((await page.getByTestId('panel-at').innerText()).split('/')[1]);
  for (let at = 1; at <= parts; at++) {
    if (at > 1) await page.getByTestId('panel-next').click();
    await listFits(t, `${label}, part ${at} of ${parts}`);
    if (shotName) await shot(at === 1 ? shotName : `${shotName}-${at}`);
  }
}

t.test("in large text the panels' text grows 1.3× and every tab, the face check and the sign-in still fit at 800×480", async (t) => {
  await page.setViewportSize(VIEWPORTS.small);
  await page.getByTestId('section-kiosk').click();
  const normal = await panelTextSize();
  await page.getByTestId('large-text').click();
  t.equal(await page.getByTestId('large-text').getAttribute('aria-pressed'), 'true');
  t.ok((await panelTextSize()) >= normal * 1.3 - 0.5, `panel text ${normal} px → ${await panelTextSize()} px`);
  for (const section of SECTIONS) {
    if (section === 'assist') continue;
    await page.getByTestId(`section-${section}`).click();
    await page.locator(`[data-section="${section}"][data-active]`).waitFor();
    await panelsFit(t, `${section}, large text`, `dashboard-${section}-large`);
  }
  api.overview.assist = { step: 'callStaff', atKiosk: true };
  await page.locator('[data-section="assist"][data-active]').waitFor();
  await settle();
  t.same(await layoutProblems(page), [], 'the call, large text');
  await page.getByTestId('assist-unlock').click();
  await page.getByTestId('assist-photo').waitFor();
  await settle();
  t.same(await layoutProblems(page), [], 'photo, question and both answers in view, large text');
  await shot('dashboard-assist-compare-face-large');
  await page.getByTestId('assist-face-matches').click();
  await page.locator('[data-testid="assist"][data-step="none"]').waitFor();
  for (const viewport of [VIEWPORTS.large, VIEWPORTS.portrait]) {
    await page.setViewportSize(viewport);
    await settle();
    t.same(await layoutProblems(page), [], `${viewport.width}×${viewport.height}, large text`);
  }
  await page.setViewportSize(VIEWPORTS.small);
  await page.getByTestId('sign-out').click();
  await page.getByTestId('operator-list').waitFor();
  t.equal(await page.getByTestId('large-text').getAttribute('aria-pressed'), 'false', 'signing out resets large text for the next person');
  await page.getByTestId('large-text').click();
  await settle();
  t.same(await layoutProblems(page), [], 'the roster, large text');
  await shot('dashboard-sign-in-large');
  await page.getByTestId(`operator-${FAKE_OPERATOR.userId}`).click();
  await settle();
  t.same(await layoutProblems(page), [], 'the PIN pad, large text');
  await shot('dashboard-sign-in-pin-large');
});

t.test('no script errors', async (t) => {
  t.same(pageErrors, []);
});
