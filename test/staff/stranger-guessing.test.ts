/**
 * The real daemon, both listeners, against strangers guessing staff PINs: from three addresses
 * of the office LAN and at the kiosk's own screen (its sign-in form and its PIN pad). They slow
 * themselves only: staff on another LAN address sign in at once, staff at the kiosk wait seconds
 * at most, and the dashboard shows alerts for the slowed source and for the burst.
 */
import t from 'tap';
import { buildKiosk } from '../support/kiosk-process.ts';
import { startLanKiosk } from '../support/lan-kiosk.ts';
import { httpsRequest } from '../support/test-tls.ts';
import { DEMO_STAFF_PIN } from '../support/kiosk-client.ts';
import { KIOSK_SCREEN_THROTTLE } from '../../device/store/attempt-throttle.ts';

await buildKiosk();
const { kiosk, lanPort, caPem } = await startLanKiosk(t);
const lanOrigin = `https://127.0.0.1:${lanPort}`;
const OPERATOR = 'petugas-demo';

const lanSignIn = (pin: string, from: string, userId = OPERATOR) =>
  httpsRequest(lanPort, caPem, {
    method: 'POST',
    path: '/api/staff/session',
    headers: { origin: lanOrigin },
    body: { userId, pin },
    localAddress: from,
  });

const kioskPost = (path: string, body: unknown) =>
  fetch(`${kiosk.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: kiosk.url },
    body: JSON.stringify(body),
  });

/** Retries `attempt` until it answers `status` or `deadlineMs` passes; the last status. */
async function answeredWithin(attempt: () => Promise<number>, status: number, deadlineMs: number): Promise<number> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const got = await attempt();
    if (got === status || Date.now() > deadline) return got;
    await new Promise((r) => setTimeout(r, 250));
  }
}

t.test('strangers on three LAN addresses and at the kiosk screen do not keep staff out', async (t) => {
  const strangers = ['127.0.0.2', '127.0.0.3', '127.0.0.4'];
  const lanAnswers = await Promise.all(
    strangers.map(async (from) => {
      const statuses = [];
      for (let i = 0; i < 10; i++) statuses.push((await lanSignIn(`00000${i}`, from, i % 2 ? OPERATOR : 'tidak-ada')).status);
      return statuses;
    }),
  );
  for (const statuses of lanAnswers) t.ok(statuses.includes(429), `a guessing address is made to wait (${statuses.join(' ')})`);
  const atKiosk = [];
  for (let i = 0; i < 25; i++) atKiosk.push((await kioskPost('/api/staff/session', { userId: OPERATOR, pin: `11111${i % 10}` })).status);
  t.ok(atKiosk.includes(429), 'the kiosk screen is made to wait');

  const staffPc = await lanSignIn(DEMO_STAFF_PIN, '127.0.0.1');
  t.equal(staffPc.status, 200, 'staff on their own PC sign in at once, the targeted operator included');
  const kioskStatus = await answeredWithin(
    async () => (await kioskPost('/api/staff/session', { userId: OPERATOR, pin: DEMO_STAFF_PIN })).status,
    200,
    KIOSK_SCREEN_THROTTLE.maxWaitMs + 10_000,
  );
  t.equal(kioskStatus, 200, 'staff at the kiosk sign in once its short wait is over');

  const cookie = String([staffPc.headers['set-cookie']].flat()[0]).split(';')[0]!;
  const alerts = (await httpsRequest(lanPort, caPem, { path: '/api/staff/alerts', headers: { cookie } })).json() as {
    alerts: Array<{ kind: string }>;
  };
  const kinds = alerts.alerts.map((a) => a.kind);
  t.ok(kinds.includes('signInThrottled'), 'the dashboard shows an alert for a source made to wait');
  t.ok(kinds.includes('signInBurst'), 'and one for the burst');
});

t.test('wrong PINs on the PIN pad slow it for seconds, not minutes', async (t) => {
  t.equal((await kioskPost('/api/demo/tamper', { open: true })).status, 200);
  t.equal((await kioskPost('/api/demo/tamper', { open: false })).status, 200);
  const wrong = [];
  for (let i = 0; i < 8; i++) wrong.push((await kioskPost('/api/staff/tamper/clear', { pin: `22222${i}` })).status);
  t.same(wrong, Array(8).fill(403), 'wrong PINs refused');
  const cleared = await answeredWithin(
    async () => (await kioskPost('/api/staff/tamper/clear', { pin: DEMO_STAFF_PIN })).status,
    200,
    KIOSK_SCREEN_THROTTLE.maxWaitMs + 10_000,
  );
  t.equal(cleared, 200, 'the right PIN clears the tamper lock once the short wait is over');
});
