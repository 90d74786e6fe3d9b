/**
 * One UI under test: the bundle built into a temp folder, the stand-in daemon serving it, and
 * a Chromium page on it, with the helpers the screen tests share (push a view and wait for it,
 * tap and read the intent sent, read a screen's text, run axe-core).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { Intent } from '../../device/view/protocol.ts';
import { buildUi, startFakeKiosk, type FakeKiosk } from './fake-kiosk.ts';
import { launchBrowser, VIEWPORTS, type Browser } from './browser.ts';
import { until } from '../support/until.ts';

export type Shown = Parameters<FakeKiosk['show']>;

export interface UiHarness {
  kiosk: FakeKiosk;
  page: Page;
  pageErrors: string[];
  /** Pushes a view and waits until the app has rendered that very view (same screens repeat). */
  show(...args: Shown): Promise<void>;
  /** Waits for what the page sends; generous, since Chromium shares two cores with other tests. */
  eventually(cond: () => boolean, what: string): Promise<void>;
  /** Taps an element and returns the intent it sent (activity reports from the tap are skipped). */
  tapAndGetIntent(testId: string): Promise<Intent | undefined>;
  /** All text a screen shows (its content lives in shadow roots, which innerText of the host skips). */
  screenText(screen: string): Promise<string>;
  /** axe-core's serious and critical violations on the page as it is now, as "rule: target" lines. */
  axeViolations(): Promise<string[]>;
  close(): Promise<void>;
}

const AXE_SOURCE = readFile('node_modules/axe-core/axe.min.js', 'utf8');

/** demo: whether the views say demo mode (the demo panel shows); false is the kiosk as it ships. */
export async function startUi(opts: { demo?: boolean } = {}): Promise<UiHarness> {
  const uiDir = await mkdtemp(join(tmpdir(), 'anjungan-ui-'));
  await buildUi(uiDir);
  const kiosk = await startFakeKiosk(uiDir, opts.demo ?? true);
  const browser: Browser = await launchBrowser(VIEWPORTS.small);
  const page = await browser.context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(kiosk.url);
  const eventually = async (cond: () => boolean, what: string) => {
    await until(cond, what, 10_000);
  };
  const isUserIntent = (i: Intent) => i.type !== 'activity';
  return {
    kiosk,
    page,
    pageErrors,
    eventually,
    async show(...args) {
      const seq = kiosk.show(...args);
      await page.locator(`main[data-seq="${seq}"]`).waitFor();
      await page.locator(`[data-screen="${args[0].screen}"]`).waitFor();
    },
    async tapAndGetIntent(testId) {
      kiosk.intents.length = 0;
      await page.getByTestId(testId).click();
      await eventually(() => kiosk.intents.some(isUserIntent), 'an intent');
      return kiosk.intents.filter(isUserIntent).pop();
    },
    async screenText(screen) {
      return (await page.locator(`[data-screen="${screen}"] :is(h1, h2, p, td, th, button, span)`).allInnerTexts()).join('\n');
    },
    async axeViolations() {
      if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.addScriptTag({ content: await AXE_SOURCE });
      const found = (await page.evaluate(
        `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .flatMap((v) => v.nodes.map((n) => v.id + ': ' + JSON.stringify(n.target))))`,
      )) as string[];
      return found;
    },
    async close() {
      await browser.close();
      await kiosk.close();
      await rm(uiDir, { recursive: true, force: true });
    },
  };
}
