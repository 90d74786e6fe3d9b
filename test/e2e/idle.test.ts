/**
 * End to end: the idle timeout. A kiosk with the shortest quiet period the config allows (5 s)
 * and the standard 20 s warning: the warning appears over the screen with a countdown,
 * "Lanjutkan" keeps the session, and when nobody answers the session ends on "Waktu habis".
 */
import t from 'tap';
import { launchBrowser, VIEWPORTS } from '../ui/browser.ts';
import { buildKiosk, spawnKiosk } from '../support/kiosk-process.ts';
import { KioskDriver } from './driver.ts';

const QUIET_S = 5;
const WARNING_S = 20;
const PATIENCE_MS = (QUIET_S + WARNING_S + 15) * 1000;

await buildKiosk();
const kiosk = await spawnKiosk({ ANJUNGAN_IDLE_TIMEOUT_S: String(QUIET_S) });
const browser = await launchBrowser(VIEWPORTS.small);
const page = await browser.context.newPage();
const ui = new KioskDriver(page);
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
  t.match(await warning.innerText(), /Apakah Anda masih di sini\?[\s\S]*Sesi akan berakhir dalam \d+ detik/);
  const shown = Number(await ui.testId('idle-seconds').innerText());
  t.ok(shown > 0 && shown <= WARNING_S, `counts down from at most ${WARNING_S} s (showed ${shown})`);
  t.equal(await page.locator('[data-screen="awaitingFinger"]').count(), 1, 'the session screen stays underneath');
  await ui.shotAllSizes('valid-idleWarning');

  await ui.tap('idle-continue');
  await warning.waitFor({ state: 'detached' });
  t.equal(await page.locator('[data-screen="awaitingFinger"]').count(), 1, '"Lanjutkan" keeps the session');

  await warning.waitFor({ timeout: PATIENCE_MS });
  t.pass('the warning comes back after another quiet period');
  await ui.waitFor('failed', PATIENCE_MS);
  t.equal(await ui.testId('failure-title').getAttribute('data-reason'), 'sessionTimeout');
  t.match(await ui.text('failed'), /Waktu habis[\s\S]*Coba lagi/, 'a timed-out session may be tried again');
  t.equal(await ui.testId('idle-warning').count(), 0);
  await ui.shot('valid-sessionTimeout');
  await ui.removeCard();
  await ui.waitFor('welcome');
});
