/**
 * End to end over the office LAN: the real daemon (`node dist/device/main.cjs`, demo mode) with
 * its staff LAN listener on, and Debian's Chromium trusting only that listener's key (as a
 * browser on the office LAN trusts the certificate the technician installed). Staff sign in over
 * HTTPS, the session cookie is Secure, HttpOnly and SameSite=Strict, the panels load, and a
 * taxpayer waiting for help at the kiosk is shown as something to do at the kiosk, with no
 * button to decide it from a desk.
 */
import t from 'tap';
import { X509Certificate, createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { DEMO_STAFF_PIN } from '../../device/sim/kit.ts';
import { DESK, launchBrowser } from '../ui/browser.ts';
import { buildKiosk, spawnKiosk } from '../support/kiosk-process.ts';
import { KioskClient } from '../support/kiosk-client.ts';
import { makeTestTls } from '../support/test-tls.ts';

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

await buildKiosk();

t.test('staff use the dashboard over the LAN listener in Chromium', async (t) => {
  const tls = makeTestTls(t, 'anj14-lan-e2e');
  const port = await freePort();
  const configFile = join(tls.dir, 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({ staffLan: { enabled: true, host: '127.0.0.1', port, certFile: tls.certFile, keyFile: tls.keyFile } }),
  );
  const kiosk = await spawnKiosk({ ANJUNGAN_CONFIG: configFile });
  t.teardown(() => kiosk.stop());

  // A taxpayer whose fingers all fail waits at the kiosk for staff.
  const k = new KioskClient(kiosk.url);
  await k.until((v) => v.screen === 'welcome', 'welcome');
  t.equal(await k.call('POST', '/api/demo/card', { persona: 'finger-unreadable' }), 200);
  let v = await k.until((v) => v.screen === 'awaitingFinger', 'finger prompt');
  while (v.screen === 'awaitingFinger') {
    const attempt = v.attempt;
    await k.call('POST', '/api/demo/finger', { genuine: true });
    v = await k.until((n) => n.screen !== 'awaitingFinger' || n.attempt > attempt, 'next attempt');
  }
  t.match(v, { screen: 'staffAssist', step: 'callStaff' });

  // Chromium trusts exactly the listener's key, as an office browser trusts the installed certificate.
  const spki = new X509Certificate(readFileSync(tls.certFile)).publicKey.export({ type: 'spki', format: 'der' });
  const browser = await launchBrowser(DESK, [
    `--ignore-certificate-errors-spki-list=${createHash('sha256').update(spki).digest('base64')}`,
  ]);
  t.teardown(() => browser.close());
  const page = await browser.context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  const lan = `https://127.0.0.1:${port}`;
  // The listener comes up beside the kiosk's own; it may need a moment.
  for (let i = 0; ; i++) {
    const res = await page.goto(`${lan}/staff/`).catch(() => null);
    if (res?.status() === 200) break;
    if (i > 50) throw new Error('the LAN listener did not answer');
    await new Promise((r) => setTimeout(r, 200));
  }
  await page.getByTestId('user-id').fill('petugas-demo');
  await page.getByTestId('pin').fill(DEMO_STAFF_PIN);
  await page.getByTestId('sign-in-submit').click();
  await page.getByTestId('quota-chart').waitFor();
  t.pass('signed in over HTTPS; the quota chart is drawn');

  const cookie = (await browser.context.cookies(lan)).find((c) => c.name === 'anjungan_staff');
  t.match(
    cookie,
    { secure: true, httpOnly: true, sameSite: 'Strict', path: '/' },
    'the session cookie is Secure, HttpOnly, SameSite=Strict',
  );

  await page.getByTestId('assist-at-kiosk-only').waitFor();
  t.equal(await page.getByTestId('assist-unlock').count(), 0, 'no unlock button on a desk');
  t.match(await page.getByTestId('assist-at-kiosk-only').innerText(), /di layar anjungan/);
  t.match(await k.view(), { screen: 'staffAssist', step: 'callStaff' }, 'the taxpayer still waits for staff at the kiosk');

  await page.getByTestId('sign-out').click();
  await page.getByTestId('user-id').waitFor();
  t.same(pageErrors, []);
});
