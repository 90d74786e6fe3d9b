import t from 'tap';
import { ApiError, KioskApi, ViewSequencer, reconnectDelay, type ConnectionState, type StreamSocket } from '../../ui/api.ts';
import type { KioskView } from '../../device/view/protocol.ts';

const view = (seq: number, screen: 'welcome' | 'validating' = 'welcome'): KioskView => ({ seq, screen, idleWarning: null, demo: false });

class FakeSocket implements StreamSocket {
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  closed = false;
  constructor(readonly url: string) {}
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onclose?.({});
  }
  deliver(data: unknown): void {
    this.onmessage?.({ data: typeof data === 'string' ? data : JSON.stringify(data) });
  }
}

/** A stream with sockets and timers under the test's control. */
function harness() {
  const sockets: FakeSocket[] = [];
  const timers: { fn: () => void; ms: number; cancelled: boolean }[] = [];
  const views: KioskView[] = [];
  const states: ConnectionState[] = [];
  const api = new KioskApi({
    baseUrl: 'http://127.0.0.1:8080',
    fetch: async () => new Response('{}'),
    openSocket: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    backoff: { initialMs: 100, maxMs: 1000 },
    schedule: (fn, ms) => {
      const timer = { fn, ms, cancelled: false };
      timers.push(timer);
      return timer;
    },
    unschedule: (h) => ((h as { cancelled: boolean }).cancelled = true),
  });
  const sub = api.streamViews(
    (v) => views.push(v),
    (s) => states.push(s),
  );
  const fire = () => {
    const timer = timers.at(-1)!;
    if (!timer.cancelled) timer.fn();
  };
  return { sockets, timers, views, states, sub, fire };
}

t.test('views arrive in order; stale and malformed messages are dropped', async (t) => {
  const h = harness();
  t.equal(h.sockets[0]!.url, 'ws://127.0.0.1:8080/api/stream');
  h.sockets[0]!.onopen?.({});
  h.sockets[0]!.deliver(view(5));
  h.sockets[0]!.deliver(view(4, 'validating'));
  h.sockets[0]!.deliver('not json');
  h.sockets[0]!.deliver({ hello: 'world' });
  h.sockets[0]!.deliver(view(6, 'validating'));
  t.same(
    h.views.map((v) => v.seq),
    [5, 6],
  );
  t.same(h.states, ['connecting', 'open']);
  h.sub.close();
});

t.test('a lost stream reconnects with growing back-off and accepts a restarted sequence', async (t) => {
  const h = harness();
  h.sockets[0]!.onopen?.({});
  h.sockets[0]!.deliver(view(40));
  h.sockets[0]!.close();
  t.equal(h.timers.length, 1);
  t.equal(h.timers[0]!.ms, 100);
  h.fire();
  h.sockets[1]!.close(); // fails before opening: the next wait is longer
  t.equal(h.timers[1]!.ms, 200);
  h.fire();
  h.sockets[2]!.onopen?.({});
  h.sockets[2]!.deliver(view(1, 'validating')); // the daemon restarted and counts from 1 again
  t.same(
    h.views.map((v) => v.seq),
    [40, 1],
  );
  t.same(h.states, ['connecting', 'open', 'reconnecting', 'reconnecting', 'open']);
  h.sockets[2]!.close();
  t.equal(h.timers[2]!.ms, 100, 'a connection that opened resets the back-off');
  h.sub.close();
});

t.test('closing the subscription stops reconnecting', async (t) => {
  const h = harness();
  h.sockets[0]!.close();
  h.sub.close();
  t.ok(h.timers[0]!.cancelled);
  t.equal(h.sockets.length, 1);
});

t.test('back-off doubles up to its cap', async (t) => {
  const b = { initialMs: 250, maxMs: 5000 };
  t.same(
    [0, 1, 2, 3, 4, 5, 10].map((n) => reconnectDelay(n, b)),
    [250, 500, 1000, 2000, 4000, 5000, 5000],
  );
});

t.test('the sequencer accepts only newer views until reset', async (t) => {
  const s = new ViewSequencer();
  t.ok(s.accept(view(3)));
  t.notOk(s.accept(view(3)));
  t.notOk(s.accept(view(2)));
  s.reset();
  t.ok(s.accept(view(0)));
});

/** A fetch that records requests and answers with what the test says. */
function recordingFetch(answer: (url: string, init?: RequestInit) => Response | Promise<Response>) {
  const calls: { url: string; method: string; body: unknown }[] = [];
  const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(input), method: init?.method ?? 'GET', body: init?.body ? JSON.parse(String(init.body)) : null });
    return answer(String(input), init);
  }) as typeof fetch;
  return { calls, fetchImpl };
}

t.test('intents are posted as JSON; a 400 refusal is an answer, not an error', async (t) => {
  const f = recordingFetch((_url, init) =>
    JSON.parse(String(init?.body)).type === 'finish'
      ? new Response(JSON.stringify({ error: 'intentNotAllowed', message: 'intent finish is not allowed on this screen' }), { status: 400 })
      : new Response(JSON.stringify({ ok: true })),
  );
  const api = new KioskApi({ baseUrl: 'http://127.0.0.1:1', fetch: f.fetchImpl });
  t.same(await api.sendIntent({ type: 'staffUnlock', pin: '246810' }), { ok: true });
  const refused = await api.sendIntent({ type: 'finish' });
  t.equal(refused.ok, false);
  t.equal(!refused.ok && refused.refusal.error, 'intentNotAllowed');
  t.same(f.calls[0], { url: 'http://127.0.0.1:1/api/intent', method: 'POST', body: { type: 'staffUnlock', pin: '246810' } });
});

t.test('failures are typed and never carry the request body', async (t) => {
  const down = new KioskApi({
    baseUrl: 'http://127.0.0.1:1',
    fetch: (async () => Promise.reject(new TypeError('fetch failed'))) as typeof fetch,
  });
  const err = await down.sendIntent({ type: 'staffUnlock', pin: '246810' }).catch((e: unknown) => e);
  t.ok(err instanceof ApiError);
  t.equal((err as ApiError).code, 'network');
  t.notMatch((err as Error).message, /246810/);

  const broken = new KioskApi({
    baseUrl: 'http://127.0.0.1:1',
    fetch: (async () => new Response('oops', { status: 500 })) as typeof fetch,
  });
  const e500 = await broken.sendIntent({ type: 'cancel' }).catch((e: unknown) => e);
  t.equal((e500 as ApiError).code, 'httpStatus');
  t.equal((e500 as ApiError).status, 500);

  const garbled = new KioskApi({ baseUrl: 'http://127.0.0.1:1', fetch: (async () => new Response('{"screen": 3}')) as typeof fetch });
  t.equal(((await garbled.view().catch((e: unknown) => e)) as ApiError).code, 'badResponse');
});

t.test('demo calls use the documented routes and bodies', async (t) => {
  const f = recordingFetch(
    (url) =>
      new Response(
        url.endsWith('/personas') ? JSON.stringify([{ id: 'valid', title: { id: 'a', en: 'b' } }]) : JSON.stringify({ ok: true }),
      ),
  );
  const api = new KioskApi({ baseUrl: 'http://127.0.0.1:1', fetch: f.fetchImpl });
  t.same(await api.demoPersonas(), [{ id: 'valid', title: { id: 'a', en: 'b' } }]);
  await api.demoInsertCard('valid');
  await api.demoPresentFinger(false);
  await api.demoRemoveCard();
  t.same(
    f.calls.map((c) => [c.method, new URL(c.url).pathname, c.body]),
    [
      ['GET', '/api/demo/personas', null],
      ['POST', '/api/demo/card', { persona: 'valid' }],
      ['POST', '/api/demo/finger', { genuine: false }],
      ['DELETE', '/api/demo/card', null],
    ],
  );
});

t.test('a conflicting demo action (409) is reported as an error', async (t) => {
  const api = new KioskApi({
    baseUrl: 'http://127.0.0.1:1',
    fetch: (async () => new Response('{"error":"conflict","message":"x"}', { status: 409 })) as typeof fetch,
  });
  const err = await api.demoPresentFinger(true).catch((e: unknown) => e);
  t.equal((err as ApiError).status, 409);
});
