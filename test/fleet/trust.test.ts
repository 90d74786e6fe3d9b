/**
 * Who the fleet talks to: an enrolment token works once; a kiosk API call needs the client
 * certificate the fleet issued (none, one from another CA, or a revoked kiosk's: 401); a token
 * whose CA pin does not match the server is refused by the kiosk in the TLS handshake, before it
 * sends anything (a server with another CA, or one showing the real CA beside its own leaf); the
 * edge checks Host and, for the administrator's browser, Origin; bad bodies are 400s, large ones 413.
 */
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import tls from 'node:tls';
import { FleetClient } from '../../device/fleet/client.ts';
import { joinFleet } from '../../device/fleet/enrolment.ts';
import { startLocalFleet } from '../../fleet/demo/cluster.ts';
import { httpsRequest, makeTestTls } from '../support/test-tls.ts';
import { until } from '../support/until.ts';
import { signInAdmin } from './admin-client.ts';

t.test('enrolment and mutual TLS', async (t) => {
  const fleet = await startLocalFleet({ instances: 2, inProcess: true });
  t.teardown(() => fleet.close());
  const lease = (c: FleetClient) => c.request('POST', '/api/kiosk/leases', { requestId: randomUUID(), size: 1 });

  await t.test('a token works once', async (t) => {
    const token = await fleet.issueToken('K1');
    const first = await joinFleet(fleet.url, token, join(fleet.dir, 'k1.key'));
    t.equal(first.kioskId, 'K1');
    await t.rejects(
      joinFleet(fleet.url, token, join(fleet.dir, 'k1-again.key')),
      { name: 'JoinRefused', code: 'tokenRefused' },
      'the same token again is refused',
    );
    const issued = await fleet.pool.query<{ n: string }>("SELECT count(*) AS n FROM kiosk WHERE id = 'K1' AND cert_sha256 IS NOT NULL");
    t.equal(issued.rows[0]!.n, '1');
    const client = new FleetClient({
      url: fleet.url,
      caPem: first.caPem,
      certPem: first.certificatePem,
      keyPem: readFileSync(join(fleet.dir, 'k1.key'), 'utf8'),
    });
    t.teardown(() => client.close());
    const r = await lease(client);
    t.equal(r.ok && r.status, 200, 'with its certificate the kiosk is served');
  });

  await t.test('an expired or unknown token is refused', async (t) => {
    const token = await fleet.issueToken('K2');
    await fleet.pool.query("UPDATE enrolment_token SET expires_at = now() - interval '1 second' WHERE kiosk_id = 'K2'");
    await t.rejects(joinFleet(fleet.url, token, join(fleet.dir, 'k2.key')), { code: 'tokenRefused' }, 'expired');
    const forged = `${'A'.repeat(32)}.${token.split('.')[1]}`;
    await t.rejects(joinFleet(fleet.url, forged, join(fleet.dir, 'k2b.key')), { code: 'tokenRefused' }, 'unknown secret');
  });

  await t.test('a token from another fleet (CA pin mismatch) is refused before anything is sent', async (t) => {
    const token = await fleet.issueToken('K3');
    const otherPin = 'x'.repeat(43);
    await t.rejects(joinFleet(fleet.url, `${token.split('.')[0]}.${otherPin}`, join(fleet.dir, 'k3.key')), { code: 'caMismatch' });
    const used = await fleet.pool.query("SELECT 1 FROM enrolment_token WHERE kiosk_id = 'K3' AND used_at IS NULL");
    t.equal(used.rowCount, 1, 'the real token is still unused');
  });

  await t.test('a server with another CA is refused in the handshake: the token is never sent', async (t) => {
    // An impostor at some address (a laptop on the hall's LAN), with a CA of its own; the second
    // also presents the real fleet CA's certificate (it is public) beside a leaf that CA never signed.
    const other = makeTestTls(t, 'anjungan-fleet-impostor');
    const impostor = async (chain: string) => {
      const received: Buffer[] = [];
      let connections = 0;
      let closed = 0;
      const server = tls.createServer({ cert: chain, key: readFileSync(other.keyFile, 'utf8'), minVersion: 'TLSv1.2' }, (socket) => {
        // Decrypted application data: whatever the kiosk wrote after the handshake.
        socket.on('data', (d: Buffer) => received.push(d));
        socket.on('error', () => undefined);
      });
      server.on('tlsClientError', () => undefined);
      server.on('connection', (raw: Socket) => {
        connections += 1;
        raw.on('close', () => (closed += 1));
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      t.teardown(() => new Promise<void>((r) => server.close(() => r())));
      const port = (server.address() as { port: number }).port;
      return { url: `https://127.0.0.1:${port}`, received, connections: () => connections, closed: () => closed };
    };
    const token = await fleet.issueToken('K6');
    const ownCa = await impostor(readFileSync(other.certFile, 'utf8'));
    const withFleetCa = await impostor(`${readFileSync(other.certFile, 'utf8').trim()}\n${fleet.caPem.trim()}\n`);
    for (const [what, server] of [
      ['its own CA', ownCa],
      ["the fleet CA's certificate beside a leaf it did not sign", withFleetCa],
    ] as const) {
      await t.rejects(joinFleet(server.url, token, join(fleet.dir, 'k6.key')), { code: 'caMismatch' }, `${what}: refused`);
      // What the kiosk wrote has arrived once the server saw its end of the connection.
      await until(() => server.closed() === 1, `${what}: the impostor's connection to end`);
      t.equal(server.connections(), 1, `${what}: the kiosk connected once`);
      t.equal(Buffer.concat(server.received).length, 0, `${what}: and sent nothing after it (no token, no request)`);
    }
    const unused = await fleet.pool.query("SELECT 1 FROM enrolment_token WHERE kiosk_id = 'K6' AND used_at IS NULL");
    t.equal(unused.rowCount, 1, 'the token is still unused');
    const joined = await joinFleet(fleet.url, token, join(fleet.dir, 'k6.key'));
    t.equal(joined.kioskId, 'K6', 'and joins the real fleet, whose chain leads to the pinned CA');
    t.equal(joined.caPem.trim(), fleet.caPem.trim(), 'the CA kept is the pinned one, from the handshake');
  });

  await t.test("no certificate, another CA's certificate, a revoked kiosk: 401", async (t) => {
    const none = new FleetClient({ url: fleet.url, caPem: fleet.caPem });
    t.teardown(() => none.close());
    const r1 = await lease(none);
    t.same(r1.ok && [r1.status, (r1.body as { error: string }).error], [401, 'clientCertificate'], 'no client certificate');

    // A certificate for a key of its own, from a CA the fleet does not know.
    const other = makeTestTls(t, 'anjungan-fleet-foreign');
    execFileSync('openssl', ['req', '-new', '-key', 'other.key', '-subj', '/CN=K1', '-out', 'k.csr'], { cwd: other.dir });
    execFileSync(
      'openssl',
      ['x509', '-req', '-in', 'k.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1', '-out', 'k.pem'],
      { cwd: other.dir },
    );
    const foreign = new FleetClient({
      url: fleet.url,
      caPem: fleet.caPem,
      certPem: readFileSync(join(other.dir, 'k.pem'), 'utf8'),
      keyPem: readFileSync(other.otherKeyFile, 'utf8'),
    });
    t.teardown(() => foreign.close());
    const r2 = await lease(foreign);
    t.same(r2.ok && r2.status, 401, 'a certificate from another CA, even naming an enrolled kiosk');

    const k4 = await fleet.enrolKiosk('K4');
    const client = new FleetClient(k4);
    t.teardown(() => client.close());
    t.equal(((await lease(client)) as { status: number }).status, 200);
    const admin = await signInAdmin(fleet);
    t.equal((await admin.post('/api/admin/kiosks/K4/revoke')).status, 200, 'the administrator revokes K4');
    const r3 = await lease(client);
    t.same(r3.ok && r3.status, 401, 'a revoked kiosk is refused on the same connection');

    // Re-enrolled (a replaced board) with a new token: the old certificate stays refused.
    const old = k4;
    await fleet.pool.query("UPDATE kiosk SET revoked_at = NULL WHERE id = 'K4'");
    const again = await fleet.enrolKiosk('K4');
    const oldClient = new FleetClient(old);
    const newClient = new FleetClient(again);
    t.teardown(() => (oldClient.close(), newClient.close()));
    t.equal(((await lease(oldClient)) as { status: number }).status, 401, 'the replaced certificate is refused');
    t.equal(((await lease(newClient)) as { status: number }).status, 200, 'the new one is served');
  });

  await t.test('the edge: Host, Origin, schemas, sizes', async (t) => {
    const port = fleet.balancer.port;
    const foreignHost = await httpsRequest(port, fleet.caPem, { path: '/api/admin/session', headers: { host: 'attacker.example' } });
    t.equal(foreignHost.status, 421, 'a foreign Host is refused (DNS rebinding)');
    const noOrigin = await httpsRequest(port, fleet.caPem, {
      method: 'POST',
      path: '/api/admin/session',
      body: { adminId: 'admin', password: 'x' },
    });
    t.equal(noOrigin.status, 403, "an administrator call that changes something needs the page's Origin");
    const foreignOrigin = await httpsRequest(port, fleet.caPem, {
      method: 'POST',
      path: '/api/admin/session',
      headers: { origin: 'https://attacker.example' },
      body: { adminId: 'admin', password: 'x' },
    });
    t.equal(foreignOrigin.status, 403, 'a foreign Origin is refused');
    const admin = await signInAdmin(fleet, 'root', 'another long password');
    const noCsrf = await httpsRequest(port, fleet.caPem, {
      method: 'POST',
      path: '/api/admin/kiosks',
      headers: { origin: `https://127.0.0.1:${port}` },
      body: { id: 'K9', site: 'x' },
    });
    t.equal(noCsrf.status, 401, 'without a session nothing is changed');
    const bad = await admin.post('/api/admin/kiosks', { id: '../etc', site: 'x' });
    t.equal(bad.status, 400, 'a body outside the schema is a 400');
    t.notMatch(bad.body, /etc/, 'and the answer does not echo it');
    const k = await fleet.enrolKiosk('K5');
    const client = new FleetClient(k);
    t.teardown(() => client.close());
    const junk = await client.request('POST', '/api/kiosk/leases', { requestId: 'not-a-uuid', size: 1 });
    t.same(junk.ok && junk.status, 400, 'a kiosk body outside the schema is a 400');
    const huge = await client.request('POST', '/api/kiosk/return-data', { entries: [], pad: 'x'.repeat(300 * 1024) });
    t.same(huge.ok && huge.status, 413, 'a body over the limit is refused unread');
    const signInWrong = await httpsRequest(port, fleet.caPem, {
      method: 'POST',
      path: '/api/admin/session',
      headers: { origin: `https://127.0.0.1:${port}` },
      body: { adminId: 'root', password: 'wrong password' },
    });
    t.equal(signInWrong.status, 401, 'a wrong password');
  });
});
