/**
 * The kiosk screen as it ships (no demo panel), in Debian's Chromium with the image's font: every
 * state of every screen at 800×480 (the kiosk's panel), in normal and in large text (the other
 * sizes and English: layout-sizes.test.ts): nothing outside the screen or clipped by a box that clips
 * (bounding boxes against the viewport and every clipping ancestor, each element's scroll size
 * against its box), on every page of a paged result table, touch targets ≥ 48 px, no
 * word of the verdict split across lines. Screenshots at 800×480 go to test-artifacts/screens/layout
 * (and to docs/screens when ANJUNGAN_SCREENS_DIR names it: see docs/screens/README.md).
 */
import t from 'tap';
import { VIEWPORTS } from './browser.ts';
import { startFitCheck } from './fit-check.ts';
import { fontsUsed } from './layout.ts';

const { ui, checkAll, setPressed, showAs, VIEWS } = await startFitCheck();
t.teardown(() => ui.close());
const { page } = ui;

t.test('without the demo panel the screen has the whole width', async (t) => {
  await page.setViewportSize(VIEWPORTS.small);
  await ui.show({ screen: 'validating' });
  t.equal(await page.getByTestId('demo-panel').count(), 0, 'no demo panel');
  const main = (await page.locator('main').boundingBox())!;
  t.equal(Math.round(main.width), VIEWPORTS.small.width, 'the screen spans all 800 px');
});

for (const largeText of [false, true]) {
  t.test(`800×480${largeText ? ', large text' : ''}: every screen fits with nothing cut`, async (t) => {
    await checkAll(t, VIEWPORTS.small, largeText, 'id', true, !largeText);
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
