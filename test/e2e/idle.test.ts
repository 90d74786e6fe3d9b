/**
 * End to end: the idle timeout. A kiosk with the shortest quiet period the config allows (5 s)
 * and the standard 20 s warning: the warning appears over the screen with a countdown,
 * "Lanjutkan" keeps the session, and when nobody answers the session ends on "Waktu habis".
 * While staff are signed in on the kiosk's own screen the clock waits for them.
 */
import t from 'tap';
import { launchBrowser, VIEWPORTS } from '../ui/browser.ts';
import { buildKiosk, spawnKiosk } from '../support/kiosk-process.ts';
import { DEMO_STAFF_PIN } from '../../device/sim/kit.ts';
import { KioskDriver } from './driver.ts';

const QUIET_S = 5;
const WARNING_S = 20;
const PATIENCE_MS = (QUIET_S + WARNING_S + 15) * 1000;

await buildKiosk();
const kiosk = await spawnKiosk({ ANJUNGAN_IDLE_TIMEOUT_S: String(QUIET_S) });
const browser = await launchBrowser(VIEWPORTS.small);
const page = await browser.context.newPage();
const ui = new KioskDriver(page, false);
t.teardown(async () => {
  await browser.close();
  await kiosk.stop();
});
await ui.open(kiosk.url);

t.test('an idle taxpayer is warned with a countdown, can continue, and is timed out when gone', async (t) => {
  await ui.waitFor('welcome');
  await ui.insertCard('valid');
  await ui.waitFor('awaitingFinger');

  const warning = ui.testId('idle-warning');
  await warning.waitFor({ timeout: PATIENCE_MS });
  t.match(await warning.innerText(), /Apakah Anda masih di sini\?[\s\S]*Pemeriksaan akan berhenti dalam \d+ detik/);
  const shown = Number(await ui.testId('idle-seconds').innerText());
  t.ok(shown > 0 && shown <= WARNING_S, `counts down from at most ${WARNING_S} s (showed ${shown})`);
  t.equal(await page.locator('[data-screen="awaitingFinger"]').count(), 1, 'the session screen stays underneath');
  await ui.fitsAllSizes(t, 'valid-idleWarning');

  await ui.tap('idle-continue');
  await warning.waitFor({ state: 'detached' });
  t.equal(await page.locator('[data-screen="awaitingFinger"]').count(), 1, '"Lanjutkan" keeps the session');

  await warning.waitFor({ timeout: PATIENCE_MS });
  t.pass('the warning comes back after another quiet period');
  await ui.waitFor('failed', PATIENCE_MS);
  t.equal(await ui.testId('failure-title').getAttribute('data-reason'), 'sessionTimeout');
  t.match(await ui.text('failed'), /Waktu habis[\s\S]*Untuk mencoba lagi/, 'a timed-out session may be tried again');
  t.equal(await ui.testId('idle-warning').count(), 0);
  await ui.fits(t, 'valid-sessionTimeout');
  await ui.removeCard();
  await ui.waitFor('welcome');
});

t.test('while staff work on the kiosk screen the taxpayer is not timed out; signed out, the clock runs again', async (t) => {
  await ui.waitFor('welcome');
  await ui.insertCard('valid');
  await ui.waitFor('awaitingFinger');
  await ui.tap('cannot-give-finger');
  await ui.waitFor('staffAssist');
  await ui.tap('staff-entry');
  await page.waitForURL(/\/staff\/$/);
  await ui.testId('operator-petugas-demo').click();
  for (const d of DEMO_STAFF_PIN) await ui.tap(`pin-key-${d}`);
  await ui.tap('pin-submit');
  await ui.tap('assist-unlock');
  await page.locator('[data-testid="assist"][data-step="compareFace"]').waitFor({ timeout: 30_000 });
  // A quiet period and a whole warning, with nobody touching anything: a taxpayer alone would be timed out.
  await page.waitForTimeout((QUIET_S + WARNING_S + 5) * 1000);
  const view = (await (await fetch(`${kiosk.url}/api/view`)).json()) as { screen: string; step?: string; idleWarning: unknown };
  t.match(
    view,
    { screen: 'staffAssist', step: 'compareFace', idleWarning: null },
    'no warning and no timeout under the signed-in dashboard',
  );
  await ui.tap('assist-face-matches');
  await page.locator('[data-testid="assist"][data-step="none"]').waitFor({ timeout: 30_000 });
  await ui.tap('back-to-kiosk');
  await ui.waitFor('result');
  await ui.testId('idle-warning').waitFor({ timeout: PATIENCE_MS });
  t.pass('back with the taxpayer and signed out, the warning comes after a quiet period');
  await ui.tap('idle-continue');
  await ui.tap('finish');
  await ui.waitFor('finished');
  await ui.removeCard();
  await ui.waitFor('welcome');
});
