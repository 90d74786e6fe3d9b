/**
 * Debian's Chromium through playwright-core, with a fresh profile in a temp folder per launch.
 * Shared by the UI screen tests and the end-to-end tests.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // As on the kiosk: spoken prompts start without a tap.
  '--autoplay-policy=no-user-gesture-required',
  '--mute-audio',
];

export interface Viewport {
  width: number;
  height: number;
}

export const VIEWPORTS = {
  small: { width: 800, height: 480 },
  large: { width: 1280, height: 800 },
  portrait: { width: 1080, height: 1920 },
} satisfies Record<string, Viewport>;

/** An office desk's screen: the staff dashboard over the LAN shows every panel at once there. */
export const DESK: Viewport = { width: 1440, height: 1000 };

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** extraArgs: more Chromium switches, e.g. a host-resolver rule to reach the loopback server by another name. */
export async function launchBrowser(viewport: Viewport = VIEWPORTS.small, extraArgs: string[] = []): Promise<Browser> {
  const profile = await mkdtemp(join(tmpdir(), 'anjungan-chromium-'));
  // headless: true makes playwright pass --headless itself; the profile folder is the user-data-dir.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...FLAGS, ...extraArgs],
    viewport,
    locale: 'id-ID',
  });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
