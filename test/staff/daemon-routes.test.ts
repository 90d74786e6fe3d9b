/**
 * The daemon as composed in device/main.ts (demo mode, in process): every route its staff scope
 * registered (the sign-in itself is the one way in) — session, dashboard, data balikan, semester report — refuses a call without a
 * session, and every state-changing one refuses a signed-in call without the CSRF token. The
 * route list comes from the running daemon, so a feature added later is covered without
 * touching this test.
 */
import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../device/config.ts';
import { capturingLogger } from '../support/logger.ts';
import { startKiosk } from '../../device/main.ts';
import { DEMO_STAFF_PIN } from '../../device/sim/kit.ts';

const stateDir = mkdtempSync(join(tmpdir(), 'anj14-routes-'));
t.teardown(() => rmSync(stateDir, { recursive: true, force: true }));
const { logger, text: logged } = capturingLogger();
const config = loadConfig(
  { ANJUNGAN_MODE: 'demo', ANJUNGAN_STATE_DIR: stateDir, ANJUNGAN_PORT: '0', ANJUNGAN_SIM_FINGER_SEED: 'anj14' },
  new Date(),
);
const kiosk = await startKiosk(config, logger);
t.teardown(() => kiosk.close());
const origin = `http://127.0.0.1:${kiosk.port}`;

const call = (method: string, path: string, o: { cookie?: string; csrf?: string; body?: unknown } = {}) =>
  fetch(origin + path, {
    method,
    headers: {
      origin,
      ...(o.cookie ? { cookie: o.cookie } : {}),
      ...(o.csrf ? { 'x-anjungan-csrf': o.csrf } : {}),
      ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}),
  });
const errorOf = async (res: Response) => ((await res.json()) as { error: string }).error;
const concrete = (url: string) => url.replace(/:semester\.(xlsx|pdf)$/, '2026-2.$1').replace(/:[A-Za-z]+/g, '1');

const routes = kiosk.staffRoutes();
const listed = new Set(routes.map((r) => `${r.method} ${r.url}`));
for (const expected of [
  'GET /api/staff/overview',
  'POST /api/staff/kiosk/pause',
  'POST /api/staff/assist/unlock',
  'POST /api/staff/alerts/:id/ack',
  'GET /api/staff/return-data',
  'POST /api/staff/return-data/export',
]) {
  t.ok(listed.has(expected), `the daemon's staff scope has ${expected}`);
}
t.ok(
  routes.some((r) => r.method === 'GET' && r.url.startsWith('/api/staff/report/semester/')),
  'the daemon serves the semester report to staff',
);

t.test('every staff route refuses a call without a session', async (t) => {
  for (const r of routes) {
    const res = await call(r.method, concrete(r.url), r.method === 'GET' || r.method === 'DELETE' ? {} : { body: {} });
    t.equal(res.status, 401, `${r.method} ${r.url}`);
    t.equal(await errorOf(res), 'signInRequired');
  }
});

t.test('every state-changing staff route refuses a signed-in call without the CSRF token', async (t) => {
  const signIn = await call('POST', '/api/staff/session', { body: { userId: 'petugas-demo', pin: DEMO_STAFF_PIN } });
  t.equal(signIn.status, 200, 'the demo operator signs in');
  const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
  const changing = routes.filter((r) => r.method !== 'GET' && r.method !== 'HEAD');
  t.ok(changing.length >= 6, `${changing.length} state-changing staff routes`);
  for (const r of changing) {
    const res = await call(r.method, concrete(r.url), { cookie, body: {} });
    t.equal(res.status, 403, `${r.method} ${r.url}`);
    t.equal(await errorOf(res), 'csrfRefused');
  }
  const paused = await call('GET', '/api/staff/overview', { cookie });
  t.equal(((await paused.json()) as { kiosk: { paused: boolean } }).kiosk.paused, false, 'no refused call paused the kiosk');
  t.notMatch(logged(), DEMO_STAFF_PIN, 'the PIN is not in the log');
});
