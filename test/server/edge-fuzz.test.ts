/**
 * Arbitrary bytes and frames at the running daemon's HTTP and WebSocket edges, for a bounded
 * time: it must stay up, keep serving its view, and never answer 500.
 */
import t from 'tap';
import fc from 'fast-check';
import { buildKiosk, spawnKiosk } from '../support/kiosk-process.ts';
import { frame, openRaw, openStream } from '../support/raw-http.ts';

await buildKiosk();
const kiosk = await spawnKiosk();
t.teardown(() => kiosk.stop());
const port = Number(new URL(kiosk.url).port);
const FUZZ_MS = 20_000;

const alive = () => {
  try {
    process.kill(kiosk.pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Writes the bytes, waits for an answer or the close (at most 1.5 s); returns the status codes seen. */
async function exchange(bytes: Uint8Array): Promise<number[]> {
  const c = await openRaw(port);
  c.socket.write(bytes);
  await Promise.race([c.closed, new Promise((r) => setTimeout(r, 1500))]);
  c.socket.destroy();
  return [
    ...c
      .received()
      .toString('latin1')
      .matchAll(/HTTP\/1\.1 (\d{3})/g),
  ].map((m) => Number(m[1]));
}

const host = fc.constantFrom(`127.0.0.1:${port}`, `localhost:${port}`, 'attacker.example', '', `127.0.0.1:${port + 1}`);
const method = fc.constantFrom('GET', 'POST', 'DELETE', 'PUT', 'OPTIONS', 'HEAD', 'PATCH', 'G\u0000T');
const path = fc.oneof(
  fc.constantFrom('/api/view', '/api/intent', '/api/stream', '/api/demo/card', '/api/demo/finger', '/healthz', '/', '/main.js.map'),
  fc.string({ maxLength: 40 }).map((s) => `/${encodeURIComponent(s)}`),
);
const body = fc.oneof(
  fc.json({ maxDepth: 3 }),
  fc.constantFrom('{"type":"cancel"}', '{"type":"staffUnlock","pin":"1"}', '{"persona":"valid"}', '{"genuine":true}', '{'),
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')),
);
const httpRequest = fc
  .record({
    method,
    path,
    host,
    contentType: fc.constantFrom('application/json', 'text/plain', '', 'application/json; charset=latin1'),
    origin: fc.constantFrom('', `http://127.0.0.1:${port}`, 'http://attacker.example', 'null'),
    body,
    lengthLie: fc.integer({ min: -5, max: 5 }),
  })
  .map((r) => {
    const payload = Buffer.from(r.body, 'latin1');
    const headers = [
      `${r.method} ${r.path} HTTP/1.1`,
      r.host && `host: ${r.host}`,
      r.contentType && `content-type: ${r.contentType}`,
      r.origin && `origin: ${r.origin}`,
      `content-length: ${Math.max(0, payload.length + r.lengthLie)}`,
      'connection: close',
    ].filter(Boolean);
    return Buffer.concat([Buffer.from(`${headers.join('\r\n')}\r\n\r\n`, 'latin1'), payload]);
  });

t.test('arbitrary HTTP requests and raw bytes: never 500, always up', async (t) => {
  const statuses = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(fc.oneof(httpRequest, fc.uint8Array({ minLength: 1, maxLength: 2000 })), async (bytes) => {
      for (const s of await exchange(bytes)) statuses.set(s, (statuses.get(s) ?? 0) + 1);
      return !statuses.has(500) && alive();
    }),
    { numRuns: 400, interruptAfterTimeLimit: FUZZ_MS, seed: 8 },
  );
  t.notOk(statuses.has(500), `statuses seen: ${JSON.stringify(Object.fromEntries(statuses))}`);
  t.ok(alive(), 'the daemon is up');
  t.equal((await fetch(`${kiosk.url}/api/view`)).status, 200, 'the view is still served');
});

/** Opens a stream, waiting while the server still counts the streams just torn down. */
async function streamSlot() {
  for (let tries = 0; ; tries++) {
    try {
      return await openStream(port);
    } catch (e) {
      if (tries > 50 || !/503/.test((e as Error).message)) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

t.test('arbitrary frames and bytes on an open stream: the stream may end, the daemon does not', async (t) => {
  const frames = fc.array(
    fc.oneof(
      fc
        .record({ first: fc.integer({ min: 0, max: 255 }), payload: fc.uint8Array({ maxLength: 1100 }), mask: fc.boolean() })
        .map((f) => frame(f)),
      fc.uint8Array({ minLength: 1, maxLength: 200 }).map((b) => Buffer.from(b)),
    ),
    { minLength: 1, maxLength: 5 },
  );
  await fc.assert(
    fc.asyncProperty(frames, async (chunks) => {
      const c = await streamSlot();
      for (const chunk of chunks) if (!c.isClosed()) c.socket.write(chunk);
      await Promise.race([c.closed, new Promise((r) => setTimeout(r, 300))]);
      c.socket.destroy();
      return alive();
    }),
    { numRuns: 200, interruptAfterTimeLimit: FUZZ_MS, seed: 8 },
  );
  await new Promise((r) => setTimeout(r, 300));
  t.ok(alive(), 'the daemon is up');
  t.equal((await fetch(`${kiosk.url}/api/view`)).status, 200, 'the view is still served');
});
