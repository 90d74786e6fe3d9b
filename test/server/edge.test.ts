/**
 * The real daemon (as `npm start` runs it, heap cap included) against what a stranger can send:
 * malformed WebSocket frames, other origins, a rebinding Host, too many streams, slow clients.
 * After every attack the kiosk is still up and still serves its view.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { buildKiosk, spawnKiosk } from '../support/kiosk-process.ts';
import { answerHead, frame, openRaw, openStream, rawRequest, upgradeRequest } from '../support/raw-http.ts';
import { EDGE_LIMITS } from '../../device/server/limits.ts';

await buildKiosk();
const kiosk = await spawnKiosk();
t.teardown(() => kiosk.stop());
const port = Number(new URL(kiosk.url).port);
const self = `http://127.0.0.1:${port}`;

const rssKb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${kiosk.pid}/status`, 'utf8'))?.[1]);
const alive = () => {
  try {
    process.kill(kiosk.pid, 0);
    return true;
  } catch {
    return false;
  }
};
async function servesView(): Promise<boolean> {
  const res = await fetch(`${kiosk.url}/api/view`);
  return res.status === 200 && typeof ((await res.json()) as { screen?: unknown }).screen === 'string';
}

t.test('every kind of malformed WebSocket frame ends that stream only', async (t) => {
  const baseline = rssKb();
  const text = (s: string) => new TextEncoder().encode(s);
  const attacks: Array<[string, Buffer]> = [
    ['a message one byte over the limit', frame({ first: 0x81, payload: new Uint8Array(EDGE_LIMITS.streamMessageBytes + 1) })],
    ['a reserved opcode', frame({ first: 0x83, payload: text('x') })],
    ['invalid UTF-8 in a text frame', frame({ first: 0x81, payload: Uint8Array.from([0xc3, 0x28, 0xff]) })],
    ['an unmasked client frame', frame({ first: 0x81, payload: text('hello'), mask: false })],
    ['reserved bits set', frame({ first: 0xc1, payload: text('x') })],
    ['a fragmented control frame', frame({ first: 0x09, payload: text('x') })],
    ['a close frame with a bad code', frame({ first: 0x88, payload: Uint8Array.from([0x03, 0xe7]) })],
  ];
  for (const [what, bytes] of attacks) {
    const c = await openStream(port);
    c.socket.write(bytes);
    await Promise.race([c.closed, new Promise((r) => setTimeout(r, 5000))]);
    t.ok(c.isClosed(), `${what}: the server closed that stream`);
    c.socket.destroy();
    t.ok(alive(), `${what}: the daemon is alive`);
    t.ok(await servesView(), `${what}: the view is still served`);
  }

  // A reset in the middle of the upgrade, and one right after it.
  const half = await openRaw(port);
  half.socket.write(upgradeRequest(port).slice(0, 60));
  half.socket.resetAndDestroy();
  const after = await openStream(port);
  after.socket.resetAndDestroy();
  await new Promise((r) => setTimeout(r, 200));
  t.ok(alive(), 'resets during and after the upgrade: the daemon is alive');
  t.ok(await servesView(), 'resets: the view is still served');

  // Without a heap cap that holds, the first formatted stack ended the process; with one, memory
  // stays near where it started.
  t.ok(rssKb() - baseline < 40_000, `RSS grew by less than 40 MB (from ${baseline} to ${rssKb()} kB)`);
  t.notMatch(kiosk.output(), /at Receiver\.|\n\s+at /, 'no stack trace was written');
});

t.test('a page of another origin gets no stream and cannot send an intent', async (t) => {
  const upgrade = await openRaw(port);
  upgrade.socket.write(upgradeRequest(port, { origin: 'http://attacker.example' }));
  t.match(await answerHead(upgrade), /^HTTP\/1\.1 403/, 'the upgrade is refused');
  await new Promise((r) => setTimeout(r, 200));
  t.notMatch(upgrade.received().toString('latin1'), /"screen"/, 'no view was sent');
  upgrade.socket.destroy();

  const before = (await (await fetch(`${kiosk.url}/api/view`)).json()) as { seq: number };
  for (const origin of ['http://attacker.example', 'null', `http://localhost:${port + 1}`, `https://127.0.0.1:${port}`]) {
    const res = await rawRequest(
      port,
      `POST /api/demo/card HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\norigin: ${origin}\r\ncontent-type: application/json\r\ncontent-length: 19`,
      '{"persona":"valid"}',
    );
    t.equal(res.status, 403, `POST with Origin ${origin} is refused`);
  }
  const after = (await (await fetch(`${kiosk.url}/api/view`)).json()) as { seq: number; screen: string };
  t.equal(after.seq, before.seq, 'the screen did not change');

  const own = await openStream(port, { origin: self });
  t.pass('the kiosk page itself still opens its stream');
  own.socket.destroy();
});

t.test('a foreign Host (DNS rebinding) gets nothing', async (t) => {
  const view = await rawRequest(port, `GET /api/view HTTP/1.1\r\nhost: attacker.example:${port}`);
  t.equal(view.status, 421);
  t.notMatch(view.body, /"screen"/);
  const intent = await rawRequest(
    port,
    `POST /api/intent HTTP/1.1\r\nhost: attacker.example:${port}\r\norigin: http://attacker.example:${port}\r\ncontent-type: application/json\r\ncontent-length: 17`,
    '{"type":"cancel"}',
  );
  t.equal(intent.status, 421);
  const upgrade = await openRaw(port);
  upgrade.socket.write(upgradeRequest(port, { host: `attacker.example:${port}`, origin: `http://attacker.example:${port}` }));
  t.match(await answerHead(upgrade), /^HTTP\/1\.1 421/);
  upgrade.socket.destroy();
  for (const host of [`localhost:${port}`, `127.0.0.1:${port}`]) {
    t.equal((await rawRequest(port, `GET /api/view HTTP/1.1\r\nhost: ${host}`)).status, 200, `${host} is the kiosk's own`);
  }
});

t.test('every state-changing route refuses a foreign Origin and a foreign Host, and echoes no PIN', async (t) => {
  const body = '{"pin":"975310"}';
  for (const path of ['/api/intent', '/api/ui-ping', '/api/staff/tamper/clear', '/api/demo/tamper', '/api/demo/finger']) {
    const head = (host: string, origin: string) =>
      `POST ${path} HTTP/1.1\r\nhost: ${host}\r\norigin: ${origin}\r\ncontent-type: application/json\r\ncontent-length: ${body.length}`;
    const foreignOrigin = await rawRequest(port, head(`127.0.0.1:${port}`, 'http://attacker.example'), body);
    t.equal(foreignOrigin.status, 403, `${path}: foreign Origin refused`);
    const foreignHost = await rawRequest(port, head(`attacker.example:${port}`, `http://attacker.example:${port}`), body);
    t.equal(foreignHost.status, 421, `${path}: foreign Host refused`);
    for (const res of [foreignOrigin, foreignHost]) t.notMatch(res.body, /975310/, `${path}: the PIN is not echoed`);
  }
});

t.test('streams are capped; a freed slot is usable again', async (t) => {
  const open = [];
  for (let i = 0; i < EDGE_LIMITS.maxStreamClients; i++) open.push(await openStream(port));
  await t.rejects(openStream(port), /upgrade refused: HTTP\/1\.1 503/);
  open.pop()!.socket.destroy();
  await new Promise((r) => setTimeout(r, 200));
  open.push(await openStream(port));
  for (const c of open) c.socket.destroy();
});

t.test('slow clients are cut off within the configured times', async (t) => {
  const slowHeaders = await openRaw(port);
  slowHeaders.socket.write(`GET /api/view HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\n`);
  const trickleHeaders = setInterval(() => slowHeaders.isClosed() || slowHeaders.socket.write('x-slow: 1\r\n'), 500);
  const slowBody = await openRaw(port);
  slowBody.socket.write(
    `POST /api/intent HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\ncontent-type: application/json\r\ncontent-length: ${EDGE_LIMITS.bodyBytes}\r\n\r\n{`,
  );
  const trickleBody = setInterval(() => slowBody.isClosed() || slowBody.socket.write(' '), 500);
  const started = Date.now();
  // The server checks its deadlines once a second; two seconds of slack on top.
  const cutHeaders = Promise.race([
    slowHeaders.closed.then(() => Date.now() - started),
    new Promise<number>((r) => setTimeout(() => r(Infinity), EDGE_LIMITS.headersTimeoutMs + 3000)),
  ]);
  const cutBody = Promise.race([
    slowBody.closed.then(() => Date.now() - started),
    new Promise<number>((r) => setTimeout(() => r(Infinity), EDGE_LIMITS.requestTimeoutMs + 3000)),
  ]);
  const [h, b] = await Promise.all([cutHeaders, cutBody]);
  clearInterval(trickleHeaders);
  clearInterval(trickleBody);
  slowHeaders.socket.destroy();
  slowBody.socket.destroy();
  t.ok(h <= EDGE_LIMITS.headersTimeoutMs + 3000, `trickled headers cut after ${h} ms`);
  t.ok(b <= EDGE_LIMITS.requestTimeoutMs + 3000, `trickled body cut after ${b} ms`);
  t.ok(await servesView(), 'the kiosk still serves');
});

t.test('connections past the cap are dropped; the kiosk serves again once they go', async (t) => {
  const held = [];
  for (let i = 0; i < EDGE_LIMITS.maxConnections; i++) held.push(await openRaw(port));
  await new Promise((r) => setTimeout(r, 200));
  const extra = await openRaw(port);
  extra.socket.write(`GET /api/view HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\n\r\n`);
  await Promise.race([extra.closed, new Promise((r) => setTimeout(r, 3000))]);
  t.ok(extra.isClosed(), 'the connection over the cap was closed');
  t.equal(extra.received().length, 0, 'and got no answer');
  for (const c of held) c.socket.destroy();
  await new Promise((r) => setTimeout(r, 200));
  t.ok(await servesView(), 'served again');
});
