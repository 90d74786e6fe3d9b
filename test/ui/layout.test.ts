/**
 * The kiosk screen as it ships (no demo panel), in Debian's Chromium with the image's font: every
 * state of every screen at 800×480 (the kiosk's panel), 1280×800 and 1080×1920, in normal and in
 * large text, and in English at 800×480: nothing outside the screen or clipped by a box that clips
 * (bounding boxes against the viewport and every clipping ancestor, each element's scroll size
 * against its box), on every page of a paged result table, touch targets ≥ 48 px, no
 * word of the verdict split across lines. Screenshots at 800×480 go to test-artifacts/screens/layout
 * (and to docs/screens when ANJUNGAN_SCREENS_DIR names it: see docs/screens/README.md).
 */
import t, { type Test } from 'tap';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { VIEWPORTS, type Viewport } from './browser.ts';
import { startUi } from './harness.ts';
import { fontsUsed, layoutProblemsOnEveryPage } from './layout.ts';
import { allViews, type NamedView } from './views.ts';

const SHOTS = 'test-artifacts/screens/layout';
const DOCS = process.env.ANJUNGAN_SCREENS_DIR;
await mkdir(SHOTS, { recursive: true });
if (DOCS) await mkdir(DOCS, { recursive: true });
const ui = await startUi({ demo: false });
t.teardown(() => ui.close());
const { page } = ui;
const VIEWS = allViews();

/** Layout settles after a render: fonts, two frames (resize observers), then measure. */
const settle = () =>
  page.evaluate('document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))');

async function setPressed(testId: string, pressed: boolean): Promise<void> {
  if ((await page.getByTestId(testId).getAttribute('aria-pressed')) !== String(pressed)) await page.getByTestId(testId).click();
}

async function setLanguage(locale: 'id' | 'en'): Promise<void> {
  if ((await page.evaluate('document.documentElement.lang')) !== locale) await page.getByTestId('language').click();
}

/** Shows a view as the taxpayer would meet it with these settings (a view that ends a session resets them). */
async function showAs(v: NamedView, largeText: boolean, locale: 'id' | 'en'): Promise<void> {
  await ui.show(v.view);
  await setPressed('large-text', largeText);
  await setLanguage(locale);
  // The idle warning covers the whole page, settings included: it comes over the screen as set.
  if (v.idleWarning) await ui.show(v.view, { idleWarning: v.idleWarning });
  // A control that is already open (the same screen again) stays open.
  for (const id of v.open ?? []) if ((await page.getByTestId(id).count()) > 0) await page.getByTestId(id).click();
  await settle();
}

async function checkAll(t: Test, viewport: Viewport, largeText: boolean, locale: 'id' | 'en', shots: boolean, axe = false): Promise<void> {
  await page.setViewportSize(viewport);
  for (const v of VIEWS) {
    await showAs(v, largeText, locale);
    // A paged table (the result's rows): every page fits whole, from the first to the last.
    t.same(await layoutProblemsOnEveryPage(page), [], v.name);
    if (axe) t.same(await ui.axeViolations(), [], `${v.name}: axe-core finds no serious or critical violation`);
    if (shots) {
      const file = `${v.name}${largeText ? '-large' : ''}${locale === 'en' ? '-en' : ''}.png`;
      await page.screenshot({ path: join(SHOTS, file) });
      if (DOCS) await page.screenshot({ path: join(DOCS, file) });
    }
  }
}

t.test('without the demo panel the screen has the whole width', async (t) => {
  await page.setViewportSize(VIEWPORTS.small);
  await ui.show({ screen: 'validating' });
  t.equal(await page.getByTestId('demo-panel').count(), 0, 'no demo panel');
  const main = (await page.locator('main').boundingBox())!;
  t.equal(Math.round(main.width), VIEWPORTS.small.width, 'the screen spans all 800 px');
});

for (const [size, viewport] of Object.entries(VIEWPORTS)) {
  for (const largeText of [false, true]) {
    t.test(`${viewport.width}×${viewport.height}${largeText ? ', large text' : ''}: every screen fits with nothing cut`, async (t) => {
      await checkAll(t, viewport, largeText, 'id', size === 'small', size === 'small' && !largeText);
    });
  }
}

for (const largeText of [false, true]) {
  t.test(`800×480 in English${largeText ? ', large text' : ''}: every screen fits with nothing cut`, async (t) => {
    await checkAll(t, VIEWPORTS.small, largeText, 'en', !largeText);
    await ui.show({ screen: 'validating' });
    await setLanguage('id');
  });
}

t.test('large text grows the taxpayer text by at least 1.4× at 800×480', async (t) => {
  await page.setViewportSize(VIEWPORTS.small);
  await ui.show({ screen: 'validating' });
  await setPressed('large-text', false);
  const size = () =>
    page
      .locator('[data-screen="validating"] p')
      .first()
      .evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  const normal = await size();
  await setPressed('large-text', true);
  t.ok((await size()) >= normal * 1.4 - 0.5, `body text ${normal} px → ${await size()} px`);
  await setPressed('large-text', false);
});

t.test('every glyph on the screens comes from DejaVu Sans, the font the image carries', async (t) => {
  await page.setViewportSize(VIEWPORTS.small);
  const families = new Map<string, number>();
  for (const v of VIEWS.filter((v) =>
    ['welcome', 'staffAssist-pinPad', 'result-dataDiffers', 'failed-cardUnreadable', 'idleWarning'].includes(v.name),
  )) {
    await showAs(v, false, 'id');
    for (const [family, glyphs] of await fontsUsed(page)) families.set(family, (families.get(family) ?? 0) + glyphs);
  }
  t.ok((families.get('DejaVu Sans') ?? 0) > 500, 'the text is drawn in DejaVu Sans');
  t.same(
    [...families.keys()].filter((f) => !f.startsWith('DejaVu Sans')),
    [],
    'no glyph fell back to another font',
  );
});

t.test('no script errors on the page', async (t) => {
  t.same(ui.pageErrors, []);
});
