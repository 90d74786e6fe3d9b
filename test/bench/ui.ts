/**
 * UI figures: the size of the bundle the kiosk's Chromium loads (gzip, as served over a slow
 * link it would be; target ≤ 60 KB) and how long a fresh page takes from navigation to its
 * first screen in Debian's Chromium against the stand-in daemon.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildUi, startFakeKiosk } from '../ui/fake-kiosk.ts';
import { launchBrowser, VIEWPORTS } from '../ui/browser.ts';

const LOADS = 15;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function bench(): Promise<Record<string, number>> {
  const dir = await mkdtemp(join(tmpdir(), 'anjungan-bench-ui-'));
  try {
    await buildUi(dir);
    const bundle = await readFile(join(dir, 'main.js'));
    const kiosk = await startFakeKiosk(dir);
    const browser = await launchBrowser(VIEWPORTS.small);
    const loads: number[] = [];
    try {
      const page = await browser.context.newPage();
      for (let i = 0; i < LOADS; i++) {
        const started = performance.now();
        await page.goto(kiosk.url);
        await page.locator('[data-screen="welcome"]').waitFor();
        loads.push(performance.now() - started);
      }
    } finally {
      await browser.close();
      await kiosk.close();
    }
    loads.sort((a, b) => a - b);
    const round1 = (n: number) => Math.round(n * 10) / 10;
    return {
      ui_bundle_gzip_kb: round1(gzipSync(bundle, { level: 9 }).length / 1024),
      ui_bundle_kb: round1(bundle.length / 1024),
      ui_load_to_first_screen_ms_p50: round1(percentile(loads, 50)),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
