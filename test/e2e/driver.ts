/**
 * Drives the kiosk UI the way a person at the kiosk would: by tapping what is on the screen,
 * with the card and the finger played by the demo panel, or, for the screen as it ships (no demo
 * panel: `panel: false`), by the demo API behind it. Reads what the screen shows through the
 * stable handles: data-screen on each screen, data-testid on controls.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { Test } from 'tap';
import type { Screen } from '../../device/view/protocol.ts';
import { VIEWPORTS, type Viewport } from '../ui/browser.ts';
import { layoutProblemsOnEveryPage } from '../ui/layout.ts';

export const SHOTS = 'test-artifacts/screens';
/** Generous: a demo card read imitates a real reader's pace. */
const STEP_TIMEOUT_MS = 30_000;

export class KioskDriver {
  private url = '';
  constructor(
    readonly page: Page,
    /** false: the screen as it ships, without the demo panel; card and finger go through the demo API. */
    private readonly panel = true,
  ) {}

  async open(url: string): Promise<void> {
    this.url = url;
    await mkdir(SHOTS, { recursive: true });
    await this.page.goto(this.panel ? url : `${url}/?demoPanel=off`);
  }

  /** A demo action through the API the panel uses (the world outside the screen). */
  private async demo(method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<void> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`demo ${method} ${path}: ${res.status}`);
  }

  async waitFor(screen: Screen, timeout = STEP_TIMEOUT_MS): Promise<void> {
    await this.until(this.page.locator(`[data-screen="${screen}"]`).waitFor({ timeout }), `screen ${screen}`);
  }

  async waitForText(text: string, timeout = STEP_TIMEOUT_MS): Promise<void> {
    await this.until(this.page.getByText(text).waitFor({ timeout }), `text "${text}"`);
  }

  /** A wait that, when it times out, says what the kiosk showed instead. */
  private async until(wait: Promise<void>, what: string): Promise<void> {
    try {
      await wait;
    } catch (e) {
      const view = await fetch(`${this.url}/api/view`).then(
        (r) => r.text(),
        () => 'unreachable',
      );
      const notice = await this.page.getByTestId('demo-notice').allInnerTexts();
      throw new Error(
        `waiting for ${what}: ${(e as Error).message.split('\n')[0]}; kiosk view ${view}; demo notice ${JSON.stringify(notice)}`,
      );
    }
  }

  async current(): Promise<string | null> {
    return this.page.locator('[data-screen]').first().getAttribute('data-screen', { timeout: 2000 });
  }

  /** The visible text of a screen (its content lives in shadow roots). */
  async text(screen: Screen): Promise<string> {
    return (await this.page.locator(`[data-screen="${screen}"] :is(h1, h2, p, td, th, button, span)`).allInnerTexts()).join('\n');
  }

  testId(id: string) {
    return this.page.getByTestId(id);
  }

  async tap(id: string): Promise<void> {
    await this.page.getByTestId(id).click();
  }

  async insertCard(persona: string): Promise<void> {
    if (!this.panel) return this.demo('POST', '/api/demo/card', { persona });
    await this.page.getByTestId('demo-persona').selectOption(persona);
    await this.tap('demo-insert');
  }

  async presentFinger(genuine: boolean): Promise<void> {
    if (!this.panel) return this.demo('POST', '/api/demo/finger', { genuine });
    await this.tap(genuine ? 'demo-finger-genuine' : 'demo-finger-stranger');
  }

  async removeCard(): Promise<void> {
    if (!this.panel) return this.demo('DELETE', '/api/demo/card');
    await this.tap('demo-remove');
  }

  /**
   * The screen now fits with nothing cut (test/ui/layout.ts), at 800×480 or the size given, and
   * its picture is kept. The screen must have settled (fonts, two frames) first.
   */
  async fits(t: Test, name: string, viewport?: Viewport): Promise<void> {
    if (viewport) await this.page.setViewportSize(viewport);
    await this.page.evaluate('document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))');
    const size = viewport ?? VIEWPORTS.small;
    t.same(await layoutProblemsOnEveryPage(this.page), [], `${name} fits ${size.width}×${size.height} with nothing cut`);
    await this.shot(name);
    if (viewport) await this.page.setViewportSize(VIEWPORTS.small);
  }

  /** fits() at 800×480, 1280×800 and 1080×1920. */
  async fitsAllSizes(t: Test, name: string): Promise<void> {
    await this.fits(t, name);
    await this.fits(t, `${name}-1280x800`, VIEWPORTS.large);
    await this.fits(t, `${name}-1080x1920`, VIEWPORTS.portrait);
  }

  /** Types on the on-screen keypad; letters switch the keypad to its letter page and back. */
  async typeOnKeypad(value: string): Promise<void> {
    for (const ch of value) {
      const letter = /[A-Z]/.test(ch);
      const onLetters = (await this.testId('key-A').count()) > 0;
      if (letter !== onLetters) await this.tap('key-mode');
      await this.tap(`key-${ch}`);
    }
  }

  async shot(name: string, viewport?: Viewport): Promise<void> {
    if (viewport) await this.page.setViewportSize(viewport);
    const suffix = viewport ? `-${viewport.width}x${viewport.height}` : '';
    await this.page.screenshot({ path: join(SHOTS, `${name}${suffix}.png`) });
    if (viewport) await this.page.setViewportSize(VIEWPORTS.small);
  }

  /** The same screen at the large landscape and the portrait size as well. */
  async shotAllSizes(name: string): Promise<void> {
    await this.shot(name);
    await this.shot(name, VIEWPORTS.large);
    await this.shot(name, VIEWPORTS.portrait);
  }
}
