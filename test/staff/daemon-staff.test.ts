/**
 * The real daemon (demo mode, as `npm start` runs it) with the staff LAN listener: it refuses to
 * start when the listener is enabled without a readable certificate and key; with them it serves
 * the staff scope over HTTPS beside the kiosk's loopback listener, each with its own sessions.
 */
import t, { type Test } from 'tap';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildKiosk, spawnKiosk } from '../support/kiosk-process.ts';
import { httpsRequest, makeTestTls } from '../support/test-tls.ts';
import { DEMO_STAFF_PIN } from '../support/kiosk-client.ts';

await buildKiosk();

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function configWith(t: Test, staffLan: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'anj14a-config-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'config.json');
  writeFileSync(path, JSON.stringify({ staffLan }));
  return path;
}

t.test('enabled without a readable certificate, the daemon does not start', async (t) => {
  const tls = makeTestTls(t);
  const config = configWith(t, {
    enabled: true,
    host: '127.0.0.1',
    port: await freePort(),
    certFile: join(tls.dir, 'absent.pem'),
    keyFile: tls.keyFile,
  });
  const started = await spawnKiosk({ ANJUNGAN_CONFIG: config }).then(
    async (k) => (await k.stop(), null),
    (e: Error) => e,
  );
  t.ok(started instanceof Error, 'no ready kiosk');
  t.match(started?.message, /cannot start: ConfigError: .*\/staffLan\/certFile .* cannot be read/);
});

t.test(
  'enabled with its certificate, staff sign in over HTTPS on the LAN port; the loopback listener keeps its own sessions',
  async (t) => {
    const tls = makeTestTls(t);
    const lanPort = await freePort();
    const config = configWith(t, { enabled: true, host: '127.0.0.1', port: lanPort, certFile: tls.certFile, keyFile: tls.keyFile });
    const kiosk = await spawnKiosk({ ANJUNGAN_CONFIG: config });
    t.teardown(() => kiosk.stop());
    const lanOrigin = `https://127.0.0.1:${lanPort}`;
    const signIn = await httpsRequest(lanPort, tls.caPem, {
      method: 'POST',
      path: '/api/staff/session',
      headers: { origin: lanOrigin },
      body: { userId: 'petugas-demo', pin: DEMO_STAFF_PIN },
    });
    t.equal(signIn.status, 200, signIn.body);
    const cookie = String([signIn.headers['set-cookie']].flat()[0]).split(';')[0]!;
    t.equal((await httpsRequest(lanPort, tls.caPem, { path: '/api/staff/session', headers: { cookie } })).status, 200);
    t.equal((await httpsRequest(lanPort, tls.caPem, { path: '/api/view' })).status, 404, 'the kiosk screen is not on the LAN listener');
    t.equal(
      (await httpsRequest(lanPort, tls.caPem, { path: '/api/staff/operators', headers: { origin: lanOrigin } })).status,
      404,
      'no roster of user IDs over the LAN',
    );
    const roster = await fetch(`${kiosk.url}/api/staff/operators`);
    t.same(await roster.json(), { operators: ['petugas-demo'] }, 'on the kiosk screen staff pick their user ID: only the PIN is typed');

    const onKiosk = await fetch(`${kiosk.url}/api/staff/session`, { headers: { cookie } });
    t.equal(onKiosk.status, 401, "the LAN listener's cookie is no session on the kiosk listener");
    const kioskSignIn = await fetch(`${kiosk.url}/api/staff/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: kiosk.url },
      body: JSON.stringify({ userId: 'petugas-demo', pin: DEMO_STAFF_PIN }),
    });
    t.equal(kioskSignIn.status, 200, 'staff sign in on the kiosk screen too');
    const refused = await fetch(`${kiosk.url}/api/staff/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://attacker.example' },
      body: JSON.stringify({ userId: 'petugas-demo', pin: DEMO_STAFF_PIN }),
    });
    t.equal(refused.status, 403, 'a foreign page cannot sign in through the kiosk listener');
    await kiosk.halt();
    t.notMatch(kiosk.output(), DEMO_STAFF_PIN, 'the PIN is not in the log');
  },
);
