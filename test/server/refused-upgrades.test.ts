/**
 * The real daemon against WebSocket upgrades it refuses (foreign Origin 403, foreign Host 421,
 * every stream slot taken 503) from clients that never close their side: each refused socket is
 * closed by the server once answered, so the listener keeps accepting, the kiosk screen still
 * loads, /healthz answers, and SIGTERM ends the daemon by itself, even with silent streams still open.
 */
import t from 'tap';
import { buildKiosk, spawnKiosk } from '../support/kiosk-process.ts';
import { answerHead, openRaw, openStream, upgradeRequest, type RawConnection } from '../support/raw-http.ts';
import { EDGE_LIMITS } from '../../device/server/limits.ts';

await buildKiosk();
const kiosk = await spawnKiosk();
t.teardown(() => kiosk.stop());
const port = Number(new URL(kiosk.url).port);

/** More than the listener's 64 sockets many times over: before the fix, 64 refusals stopped it. */
const REFUSED = 1000;
/** Under the connection cap with the streams held: a leak shows as refusals that never close. */
const AT_ONCE = 20;

const kinds: Array<{ what: string; status: string; headers: Record<string, string> }> = [
  { what: 'foreign Origin', status: '403', headers: { origin: 'http://attacker.example' } },
  { what: 'foreign Host', status: '421', headers: { host: `attacker.example:${port}` } },
  { what: 'no stream slot left', status: '503', headers: {} },
];

async function refusedUpgrade(i: number): Promise<{ what: string; head: string; closedByServer: boolean }> {
  const kind = kinds[i % kinds.length]!;
  const c: RawConnection = await openRaw(port);
  // The client never ends or destroys its side: only the server can close this connection.
  c.socket.write(upgradeRequest(port, kind.headers));
  const head = await answerHead(c).catch((e: Error) => e.message);
  const closedByServer = await Promise.race([c.closed.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5000))]);
  c.socket.destroy();
  return { what: kind.what, head: head.split('\r\n')[0]!, closedByServer };
}

t.test(`${REFUSED} refused upgrades leave the listener serving and the daemon stoppable`, async (t) => {
  const streams = [];
  for (let i = 0; i < EDGE_LIMITS.maxStreamClients; i++) streams.push(await openStream(port));

  const results = [];
  for (let i = 0; i < REFUSED; i += AT_ONCE) {
    results.push(...(await Promise.all(Array.from({ length: Math.min(AT_ONCE, REFUSED - i) }, (_, j) => refusedUpgrade(i + j)))));
  }
  for (const kind of kinds) {
    const mine = results.filter((r) => r.what === kind.what);
    t.equal(
      mine.filter((r) => r.head.startsWith(`HTTP/1.1 ${kind.status}`)).length,
      mine.length,
      `${kind.what}: every upgrade answered ${kind.status}`,
    );
    t.equal(mine.filter((r) => r.closedByServer).length, mine.length, `${kind.what}: every refused socket closed by the server`);
  }

  const screen = await fetch(`${kiosk.url}/`, { signal: AbortSignal.timeout(5000) });
  t.equal(screen.status, 200, 'the kiosk screen still loads');
  t.match(await screen.text(), /<anj-app>/, 'its page, with the kiosk app');
  const health = await fetch(`${kiosk.url}/healthz`, { signal: AbortSignal.timeout(5000) });
  t.equal(health.status, 200, '/healthz answers');
  t.ok(
    streams.every((s) => !s.isClosed()),
    'the streams held meanwhile are still open',
  );

  const exit = await kiosk.halt();
  t.same(exit, { code: 0, signal: null }, 'SIGTERM: the daemon exits by itself (no SIGKILL needed), silent streams and all');
});
