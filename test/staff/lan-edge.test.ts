/**
 * The staff LAN listener of the real daemon against a client on the office LAN, over raw TCP
 * and TLS sockets: connections that never start TLS, headers trickled after the handshake, a
 * suite without forward secrecy, duplicate Host headers, and a flood of refused requests in the
 * log. The stranger connects from 127.0.0.2 and the staff PC from 127.0.0.1 (two addresses of
 * the loopback network, as two PCs on the LAN).
 */
import t from 'tap';
import { Agent, request } from 'node:https';
import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect, checkServerIdentity, type TLSSocket } from 'node:tls';
import { buildKiosk } from '../support/kiosk-process.ts';
import { startLanKiosk } from '../support/lan-kiosk.ts';
import { httpsRequest } from '../support/test-tls.ts';
import { rawRequest } from '../support/raw-http.ts';
import { until } from '../support/until.ts';
import { EDGE_LIMITS } from '../../device/server/limits.ts';

await buildKiosk();
// An RSA certificate, as an office CA may issue: RSA key exchange would be possible with it.
const { kiosk, lanPort, caPem } = await startLanKiosk(t, { serverKey: 'rsa' });
const kioskPort = Number(new URL(kiosk.url).port);
const STRANGER = '127.0.0.2';
const tlsOptions = {
  host: '127.0.0.1',
  port: lanPort,
  ca: caPem,
  checkServerIdentity: (_h: string, cert: Parameters<typeof checkServerIdentity>[1]) => checkServerIdentity('127.0.0.1', cert),
};

async function genuineRequest(): Promise<number> {
  return (await httpsRequest(lanPort, caPem, { path: '/api/staff/session' })).status;
}

function silentConnection(): Promise<{ socket: Socket; closed: Promise<void>; isClosed(): boolean }> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ host: '127.0.0.1', port: lanPort, localAddress: STRANGER });
    let closed = false;
    const done = new Promise<void>((r) => socket.once('close', () => ((closed = true), r())));
    socket.on('error', () => undefined);
    socket.once('connect', () => resolve({ socket, closed: done, isClosed: () => closed }));
    socket.once('error', reject);
  });
}

t.test(
  '100 connections that never start TLS: held at most a few per address, each cut at the handshake deadline; staff are served meanwhile',
  async (t) => {
    const silent: Array<Awaited<ReturnType<typeof silentConnection>>> = [];
    for (let i = 0; i < 100; i++) silent.push(await silentConnection());
    await until(
      () => silent.filter((c) => !c.isClosed()).length <= EDGE_LIMITS.maxConnectionsPerAddress,
      'connections over the per-address cap to be closed',
    );
    t.ok(
      silent.filter((c) => !c.isClosed()).length <= EDGE_LIMITS.maxConnectionsPerAddress,
      `at most ${EDGE_LIMITS.maxConnectionsPerAddress} held from one address`,
    );
    t.equal(await genuineRequest(), 401, 'a staff PC on another address is answered while they wait');
    await until(() => silent.every((c) => c.isClosed()), 'silent connections to be cut', EDGE_LIMITS.tlsHandshakeTimeoutMs + 5000);
    t.ok(
      silent.every((c) => c.isClosed()),
      'every silent connection was closed by the server',
    );
    t.equal(await genuineRequest(), 401, 'and staff are still answered');
  },
);

t.test('headers trickled after the TLS handshake are cut at the header deadline', async (t) => {
  const socket: TLSSocket = await new Promise((resolve, reject) => {
    const s = tlsConnect(tlsOptions, () => resolve(s));
    s.once('error', reject);
  });
  let closed = false;
  socket.once('close', () => (closed = true));
  socket.on('error', () => undefined);
  socket.write(`GET /staff/ HTTP/1.1\r\nhost: 127.0.0.1:${lanPort}\r\n`);
  const trickle = setInterval(() => closed || socket.write('x-slow: 1\r\n'), 500);
  t.teardown(() => clearInterval(trickle));
  // The server checks its deadlines once a second; slack on top for a loaded machine.
  await until(() => closed, 'the trickling connection to be cut', EDGE_LIMITS.headersTimeoutMs + 5000).catch(() => undefined);
  t.ok(closed, 'the server closed the connection');
  socket.destroy();
});

t.test('only forward-secret suites: a TLS 1.2 client offering RSA key exchange alone is refused', async (t) => {
  const handshake = (ciphers: string) =>
    new Promise<string>((resolve) => {
      const s = tlsConnect({ ...tlsOptions, ciphers, maxVersion: 'TLSv1.2' }, () => {
        resolve(s.getCipher().name);
        s.destroy();
      });
      s.once('error', (e: NodeJS.ErrnoException) => resolve(`refused: ${e.code ?? e.message}`));
    });
  t.match(await handshake('AES128-GCM-SHA256:AES256-GCM-SHA384:AES128-SHA256'), /^refused/, 'static RSA key exchange refused');
  t.equal(await handshake('ECDHE-RSA-AES128-GCM-SHA256'), 'ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE accepted');
});

t.test('a request with two Host headers is refused on both listeners', async (t) => {
  const twice = await new Promise<string>((resolve, reject) => {
    const s = tlsConnect(tlsOptions, () => {
      s.end(`GET /api/staff/session HTTP/1.1\r\nhost: 127.0.0.1:${lanPort}\r\nhost: attacker.example\r\nconnection: close\r\n\r\n`);
    });
    let text = '';
    s.on('data', (d: Buffer) => (text += d.toString('latin1')));
    s.once('end', () => resolve(text));
    s.once('error', reject);
  });
  t.match(twice, /^HTTP\/1\.1 400/, 'LAN listener: 400');
  t.match(twice, /duplicateHost/);
  const onKiosk = await rawRequest(kioskPort, `GET /api/view HTTP/1.1\r\nhost: 127.0.0.1:${kioskPort}\r\nhost: attacker.example`);
  t.equal(onKiosk.status, 400, 'kiosk listener: 400');
  const foreignFirst = await rawRequest(kioskPort, `GET /api/view HTTP/1.1\r\nhost: attacker.example\r\nhost: 127.0.0.1:${kioskPort}`);
  t.equal(foreignFirst.status, 400, 'whichever comes first');
});

t.test('a flood of refused requests is logged as a few lines with counts', async (t) => {
  const FLOOD = 2000;
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  t.teardown(() => agent.destroy());
  const refuse = () =>
    new Promise<number>((resolve, reject) => {
      const req = request({ ...tlsOptions, agent, path: '/staff/', headers: { host: 'attacker.example' } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.once('error', reject);
      req.end();
    });
  const statuses = [];
  for (let i = 0; i < FLOOD; i += 50) statuses.push(...(await Promise.all(Array.from({ length: 50 }, refuse))));
  t.equal(statuses.filter((s) => s === 421).length, FLOOD, `${FLOOD} requests refused (421)`);

  const exit = await kiosk.halt();
  t.same(exit, { code: 0, signal: null }, 'the daemon stopped by itself');
  const lines = kiosk
    .output()
    .split('\n')
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as { event?: string; refusal?: string; listener?: string; count?: number }];
      } catch {
        return [];
      }
    })
    .filter((l) => l.event === 'edgeRefused' && l.refusal === 'foreignHost' && l.listener === 'staffLan');
  t.ok(lines.length <= 4, `${lines.length} warn lines for ${FLOOD} refusals`);
  t.equal(
    lines.reduce((n, l) => n + (l.count ?? 1), 0),
    FLOOD,
    'their counts add up to every refusal',
  );
});
