/**
 * End to end (the real kiosk and Debian's Chromium): a staff member signed in on the kiosk's own
 * screen leaves it, and a stranger at the kiosk (a card in, "cannot give a finger", "Petugas")
 * finds a sign-in form, never the operator's dashboard: whether staff left by "Kembali ke kiosk"
 * or by any other way back to the kiosk screen, and when a taxpayer's session started while the
 * dashboard stood open. Staff who come to help that taxpayer sign in during the session.
 */
import t from 'tap';
import { DEMO_STAFF_PIN } from '../../device/sim/kit.ts';
import { launchBrowser, VIEWPORTS } from '../ui/browser.ts';
import { buildKiosk, spawnKiosk } from '../support/kiosk-process.ts';
import { KioskDriver } from './driver.ts';

const OPERATOR = 'petugas-demo';

await buildKiosk();
const kiosk = await spawnKiosk();
const browser = await launchBrowser(VIEWPORTS.large);
const page = await browser.context.newPage();
const pageErrors: string[] = [];
page.on('pageerror', (e) => pageErrors.push(e.message));
const ui = new KioskDriver(page);
t.teardown(async () => {
  await browser.close();
  await kiosk.stop();
});
await ui.open(kiosk.url);

const demo = (method: string, path: string, body?: unknown) =>
  fetch(`${kiosk.url}${path}`, {
    method,
    ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
  });

async function openDashboard(): Promise<void> {
  await ui.tap('staff-entry');
  await page.waitForURL(/\/staff\/$/);
}

/** What the dashboard opened from the kiosk shows: the sign-in form or a signed-in operator. */
async function dashboardShows(): Promise<'signInForm' | 'signedIn'> {
  await page.locator('[data-testid="operator-list"], [data-testid="operator"]').first().waitFor();
  return (await ui.testId('operator').count()) > 0 ? 'signedIn' : 'signInForm';
}

/** The kiosk's sign-in: the user ID picked from the roster, the PIN on the pad. */
async function signIn(): Promise<void> {
  await ui.tap(`operator-${OPERATOR}`);
  for (const d of DEMO_STAFF_PIN) await ui.tap(`pin-key-${d}`);
  await ui.tap('pin-submit');
  await ui.testId('operator').waitFor();
}

/** The stranger's way to the dashboard: a card in, no finger, the Petugas entry of staff assist. */
async function strangerOpensDashboard(): Promise<'signInForm' | 'signedIn'> {
  await ui.waitFor('welcome');
  await ui.insertCard('valid');
  await ui.waitFor('awaitingFinger');
  await ui.tap('cannot-give-finger');
  await ui.waitFor('staffAssist');
  await openDashboard();
  return dashboardShows();
}

/** Card out and back to the welcome screen, for the next case. */
async function reset(): Promise<void> {
  await page.goto(kiosk.url);
  await demo('DELETE', '/api/demo/card');
  await ui.waitFor('welcome', 60_000);
}

t.test('"Kembali ke kiosk" signs the operator out', async (t) => {
  await ui.waitFor('welcome');
  await openDashboard();
  await signIn();
  await ui.tap('back-to-kiosk');
  await page.waitForURL((u) => u.pathname === '/');
  t.equal(await strangerOpensDashboard(), 'signInForm', 'the stranger finds the sign-in form');
  await reset();
});

t.test('leaving the dashboard any other way ends the session too: the kiosk screen loading is enough', async (t) => {
  await ui.waitFor('welcome');
  await openDashboard();
  await signIn();
  // Not the button: the kiosk's browser is sent back to the kiosk screen (a reload, a restart of the page).
  await page.goto(kiosk.url);
  t.equal(await strangerOpensDashboard(), 'signInForm', 'the stranger finds the sign-in form');
  await reset();
});

t.test('a taxpayer session starting ends a session left open on the dashboard; staff helping that taxpayer sign in again', async (t) => {
  await ui.waitFor('welcome');
  await openDashboard();
  await signIn();
  // The dashboard stands open while someone puts a card in (the demo panel stands for the reader).
  t.equal((await demo('POST', '/api/demo/card', { persona: 'valid' })).status, 200);
  await ui.testId('operator-list').waitFor({ timeout: 15_000 });
  t.pass('the open dashboard falls back to the sign-in form');

  await signIn();
  // Two refreshes of the panels after the sign-in: each would have found the session gone.
  for (let i = 0; i < 2; i++) await page.waitForResponse((r) => r.url().endsWith('/api/staff/overview'));
  t.equal(await ui.testId('operator').count(), 1, 'a sign-in during the taxpayer session holds');
  await reset();
});

t.test('no script errors', async (t) => {
  t.same(pageErrors, []);
});
