/**
 * The staff dashboard's line about updates: the overview route reads the last update step from
 * the audit trail (as anjungan-provision update writes it), and the dashboard shows it in words,
 * in Indonesian and English, with its tone (in Chromium, against the stand-in staff API).
 */
import t from 'tap';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLog } from '../../device/store/audit-log.ts';
import { dashboardKiosk } from '../staff/dashboard-harness.ts';
import { launchBrowser, VIEWPORTS } from '../ui/browser.ts';
import { buildDashboard, FAKE_OPERATOR, startFakeStaffApi } from '../ui/fake-staff-api.ts';

const ACTOR = 'anjungan-provision update';
const RELEASE = '0.2.0 20261206T101500Z-3f2a9c1';

t.test('the overview carries the last update step', async (t) => {
  const k = await dashboardKiosk();
  t.teardown(() => k.close());
  const audit = new AuditLog(k.db, randomBytes(32), { now: () => new Date('2026-12-01T19:40:00Z') });
  t.equal((await k.call('GET', '/overview')).body.update, null, 'no update yet');
  audit.record({ code: 'updateRefused', outcome: 'untrusted', staffId: ACTOR });
  t.equal((await k.call('GET', '/overview')).body.update, null, 'a refused bundle is no update');
  audit.record({ code: 'updateInstalled', state: 'B', outcome: RELEASE, staffId: ACTOR });
  t.same((await k.call('GET', '/overview')).body.update, {
    event: 'installed',
    release: RELEASE,
    at: '2026-12-01T19:40:00.000Z',
    reason: null,
  });
  audit.record({ code: 'updateBooted', state: 'B', outcome: RELEASE, staffId: ACTOR });
  t.match((await k.call('GET', '/overview')).body.update, { event: 'booted', release: RELEASE });
  audit.record({ code: 'updateRolledBack', state: 'B', outcome: 'checkFailed: readers, screen', staffId: ACTOR });
  t.same((await k.call('GET', '/overview')).body.update, {
    event: 'rolledBack',
    release: RELEASE,
    at: '2026-12-01T19:40:00.000Z',
    reason: 'checkFailed: readers, screen',
  });
});

t.test('the dashboard says it, in both languages', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'anj26-dashboard-'));
  await buildDashboard(dir);
  const api = await startFakeStaffApi(dir);
  const browser = await launchBrowser(VIEWPORTS.large);
  t.teardown(async () => {
    await browser.close();
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });
  const page = await browser.context.newPage();
  await page.goto(`${api.url}/staff/`);
  await page.getByTestId('user-id').fill(FAKE_OPERATOR.userId);
  await page.getByTestId('pin').fill(FAKE_OPERATOR.pin);
  await page.getByTestId('sign-in-submit').click();
  await page.getByTestId('kiosk-screen').waitFor();
  t.equal(await page.getByTestId('update-state').count(), 0, 'no line before any update');

  api.overview.update = { event: 'markedGood', release: RELEASE, at: '2026-12-01T19:40:00.000Z', reason: null };
  const line = page.getByTestId('update-state');
  await line.waitFor({ timeout: 20_000 });
  t.match((await line.innerText()).trim(), /^✓ Pembaruan perangkat lunak 0\.2\.0 berjalan baik dan dipakai sejak 2026-12-02 02[.:]40\.$/);
  api.overview.update = { event: 'rolledBack', release: RELEASE, at: '2026-12-01T19:40:00.000Z', reason: 'checkFailed: screen' };
  await page.waitForFunction(
    () =>
      document
        .querySelector('anj-dashboard')
        ?.shadowRoot?.querySelector('anj-kiosk-panel')
        ?.shadowRoot?.querySelector('[data-event="rolledBack"]'),
    null,
    { timeout: 20_000 },
  );
  t.match(await line.getAttribute('class'), /tone-bad/);
  t.match(await line.innerText(), /Pembaruan perangkat lunak 0\.2\.0 dibatalkan 2026-12-02 02[.:]40: versi sebelumnya dipakai kembali\./);
  await page.getByTestId('switch-language').click();
  await page.waitForFunction(
    () =>
      /rolled back/.test(
        document
          .querySelector('anj-dashboard')
          ?.shadowRoot?.querySelector('anj-kiosk-panel')
          ?.shadowRoot?.querySelector('[data-testid="update-state"]')?.textContent ?? '',
      ),
    null,
    { timeout: 20_000 },
  );
  t.match(await line.innerText(), /Software update 0\.2\.0 rolled back 2026-12-02 02[.:]40: the previous release runs again\./);
});
