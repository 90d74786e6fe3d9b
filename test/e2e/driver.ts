/**
 * Drives the kiosk UI the way a person at the kiosk would: by tapping what is on the screen
 * and the demo panel (which stands for the card and the finger). Reads what the screen shows
 * through the stable handles: data-screen on each screen, data-testid on controls.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { Screen } from '../../device/view/protocol.ts';
import { VIEWPORTS, type Viewport } from '../ui/browser.ts';

export const SHOTS = 'test-artifacts/screens';
/** Generous: a demo card read imitates a real reader's pace. */
const STEP_TIMEOUT_MS = 30_000;

export class KioskDriver {
  private url = '';
  constructor(readonly page: Page) {}

  async open(url: string): Promise<void> {
    this.url = url;
    await mkdir(SHOTS, { recursive: true });
    await this.page.goto(url);
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
      const view = await fetch(`${this.url}/api/view`).then((r) => r.text(), () => 'unreachable');
      const notice = await this.page.getByTestId('demo-notice').allInnerTexts();
      throw new Error(`waiting for ${what}: ${(e as Error).message.split('\n')[0]}; kiosk view ${view}; demo notice ${JSON.stringify(notice)}`);
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
    await this.page.getByTestId('demo-persona').selectOption(persona);
    await this.tap('demo-insert');
  }

  async presentFinger(genuine: boolean): Promise<void> {
    await this.tap(genuine ? 'demo-finger-genuine' : 'demo-finger-stranger');
  }

  async removeCard(): Promise<void> {
    await this.tap('demo-remove');
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
