/**
 * The kiosk screen as it ships (no demo panel) at the other sizes, 1280×800 and 1080×1920 portrait,
 * in normal and in large text, and in English at 800×480: the same check as layout.test.ts
 * (fit-check.ts), nothing outside the screen or clipped, on every page of a paged result table.
 * English pictures go to test-artifacts/screens/layout only.
 */
import t from 'tap';
import { VIEWPORTS } from './browser.ts';
import { startFitCheck } from './fit-check.ts';

const { ui, checkAll, setLanguage } = await startFitCheck();
t.teardown(() => ui.close());

for (const viewport of [VIEWPORTS.large, VIEWPORTS.portrait]) {
  for (const largeText of [false, true]) {
    t.test(`${viewport.width}×${viewport.height}${largeText ? ', large text' : ''}: every screen fits with nothing cut`, async (t) => {
      await checkAll(t, viewport, largeText, 'id', false);
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

t.test('no script errors on the page', async (t) => {
  t.same(ui.pageErrors, []);
});
