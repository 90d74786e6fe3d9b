/**
 * The Dukcapil simulator's HTTP edge (device/sim/dukcapil/server.ts, plain node:https): what it
 * answers a request that is not one of its two endpoints or whose body it cannot read, spoken to
 * over TLS with Node's own client pinned to the simulator's CA, not through the kiosk's uplink.
 */
import t from 'tap';
import { request } from 'node:https';
import { connect } from 'node:tls';
import { DEMO_CREDENTIALS, startDukcapilSimulator } from '../../device/sim/dukcapil/server.ts';

const sim = await startDukcapilSimulator();
t.teardown(() => sim.close());

async function send(
  method: string,
  path: string,
  body: Buffer | string = '',
  contentType = 'application/json',
): Promise<{ status: number; json: unknown }> {
  const url = new URL(path, sim.baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method, ca: sim.caPem, headers: { 'content-type': contentType, 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text ? (JSON.parse(text) as unknown) : null }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const endpoint = `/dukcapil/get_json/${sim.institution}/CALL_NIK`;
const login = { USER_ID: DEMO_CREDENTIALS.userId, PASSWORD: DEMO_CREDENTIALS.password, IP_USER: DEMO_CREDENTIALS.ipUser };

t.test('only POST to its two endpoints; anything else is a JSON 404 and no hit', async (t) => {
  const before = sim.hits();
  for (const [method, path] of [
    ['GET', endpoint],
    ['POST', `/dukcapil/get_json/${sim.institution}/CALL_SOMETHING`],
    ['POST', '/'],
  ] as const) {
    const res = await send(method, path, method === 'GET' ? '' : '{}');
    t.equal(res.status, 404, `${method} ${path}`);
    t.match(res.json, { error: 'Not Found' });
    t.notMatch(JSON.stringify(res.json), /dukcapil|CALL_/, 'the path is not echoed');
  }
  t.equal(sim.hits(), before, 'none counted');
});

t.test('a body it cannot read: 415 not JSON, 400 not parseable, 413 over 1 MiB; no hit', async (t) => {
  const before = sim.hits();
  t.equal((await send('POST', endpoint, 'NIK=1', 'application/x-www-form-urlencoded')).status, 415);
  t.equal((await send('POST', endpoint, '{"NIK":')).status, 400);
  t.equal((await send('POST', endpoint, Buffer.alloc((1 << 20) + 1, 0x20))).status, 413);
  t.equal(sim.hits(), before, 'none counted');
});

t.test('a good request is answered as the registry would, and counted', async (t) => {
  const before = sim.hits();
  const res = await send('POST', endpoint, JSON.stringify({ ...login, NIK: '0000000000000000' }));
  t.equal(res.status, 200);
  t.match(res.json, { content: [{ RESPON: String }] });
  t.equal(sim.hits(), before + 1);
  const badInstitution = await send('POST', '/dukcapil/get_json/%E0%A4%A/CALL_NIK', JSON.stringify(login));
  t.equal(badInstitution.status, 400, 'a path segment that does not decode: 400');
});

t.test('a body that never ends is answered 413 at the limit and the connection closed, not read to its end', async (t) => {
  const { port } = new URL(sim.baseUrl);
  const socket = connect({ host: '127.0.0.1', port: Number(port), ca: sim.caPem });
  await new Promise<void>((r) => socket.once('secureConnect', r));
  let received = '';
  socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
  const closed = new Promise<void>((r) => socket.once('close', () => r()));
  // Writing on after the server closed is refused (EPIPE): that is the point.
  socket.on('error', () => undefined);
  socket.write(`POST ${endpoint} HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n`);
  // 4 MiB offered in 64 KiB chunks, written only while the connection is open.
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  for (let i = 0; i < 64 && !socket.destroyed && !received; i++) {
    socket.write(`${chunk.length.toString(16)}\r\n`);
    socket.write(chunk);
    socket.write('\r\n');
    await new Promise((r) => setImmediate(r));
  }
  await closed;
  t.match(received, /^HTTP\/1\.1 413 /, '413');
  t.match(received, /connection: close/i, 'and the connection closes');
});
