/**
 * The fit check of every taxpayer screen, shared by layout.test.ts (the kiosk's 800×480 panel) and
 * layout-sizes.test.ts (1280×800, 1080×1920 and English), two files so that each stays well inside
 * tap's per-file time on a loaded machine: the UI as it ships (no demo panel), each view shown as
 * the taxpayer meets it, checked on every page of a paged result table.
 */
import type { Test } from 'tap';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Viewport } from './browser.ts';
import { startUi, type UiHarness } from './harness.ts';
import { layoutProblemsOnEveryPage } from './layout.ts';
import { allViews, type NamedView } from './views.ts';

export interface FitCheck {
  ui: UiHarness;
  settle(): Promise<unknown>;
  setPressed(testId: string, pressed: boolean): Promise<void>;
  setLanguage(locale: 'id' | 'en'): Promise<void>;
  showAs(v: NamedView, largeText: boolean, locale: 'id' | 'en'): Promise<void>;
  checkAll(t: Test, viewport: Viewport, largeText: boolean, locale: 'id' | 'en', shots: boolean, axe?: boolean): Promise<void>;
  VIEWS: NamedView[];
}

export async function startFitCheck(): Promise<FitCheck> {
  const SHOTS = 'test-artifacts/screens/layout';
  const DOCS = process.env.ANJUNGAN_SCREENS_DIR;
  await mkdir(SHOTS, { recursive: true });
  if (DOCS) await mkdir(DOCS, { recursive: true });
  const ui = await startUi({ demo: false });
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

  async function checkAll(
    t: Test,
    viewport: Viewport,
    largeText: boolean,
    locale: 'id' | 'en',
    shots: boolean,
    axe = false,
  ): Promise<void> {
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

  return { ui, settle, setPressed, setLanguage, showAs, checkAll, VIEWS };
}
