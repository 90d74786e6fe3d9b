/** Every route of the kiosk server through inject(): good requests, refused intents, bad bodies. */
import t from 'tap';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKioskMachine } from '../../device/flow/machine.ts';
import { KioskRuntime } from '../../device/view/runtime.ts';
import { capturingLogger } from '../support/logger.ts';
import { buildServer, DemoConflict, type DemoControls } from '../../device/server/app.ts';
import { makeFakes, settle } from '../flow/fakes.ts';

const { logger, lines: logLines } = capturingLogger('info');

async function setup(opts: { demo?: boolean; ui?: boolean } = {}) {
  const f = makeFakes();
  f.set.finger(['hang']);
  const runtime = new KioskRuntime(createKioskMachine(f.deps), {
    demo: !!opts.demo,
    clock: f.deps.clock,
    logger,
    maxFingerAttempts: f.deps.settings.maxFingerAttempts,
    xstateClock: f.clock,
  });
  runtime.start();
  await settle();
  let cardIn = false;
  const demo: DemoControls = {
    personaIds: ['valid'],
    personas: async () => [{ id: 'valid', title: { id: 'Semua data sesuai', en: 'Everything agrees' } }],
    insertCard: async () => {
      if (cardIn) throw new DemoConflict('a card is already in the reader');
      cardIn = true;
      runtime.send({ type: 'CARD_INSERTED' });
    },
    removeCard: async () => {
      cardIn = false;
      runtime.send({ type: 'CARD_REMOVED' });
    },
    presentFinger: () => {
      if (!cardIn) throw new DemoConflict('no card in the reader');
    },
    setTamper: () => undefined,
  };
  const uiDir = mkdtempSync(join(tmpdir(), 'anjungan-ui-'));
  if (opts.ui) writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>anjungan</title>');
  let ready = true;
  const app = await buildServer({
    runtime,
    logger,
    uiDir,
    ...(opts.demo ? { demo } : {}),
    health: () => ({ ready, state: 'idle', devices: {} }),
    // inject() sends Host localhost:80 and has no socket port: the configured one stands in.
    http: { host: '127.0.0.1', port: 80 },
    clearTamper: async () => 'notLocked',
  });
  t.teardown(() => app.close());
  return { app, runtime, f, uiDir, setReady: (r: boolean) => (ready = r) };
}

const post = (url: string, payload: unknown) => ({ method: 'POST' as const, url, payload: payload as object });

t.test('GET /api/view returns the current view', async (t) => {
  const { app } = await setup();
  const res = await app.inject({ method: 'GET', url: '/api/view' });
  t.equal(res.statusCode, 200);
  t.match(res.json(), { screen: 'welcome', seq: Number, demo: false, idleWarning: null });
  t.equal(res.headers['cache-control'], 'no-store');
  t.match(res.headers['content-security-policy'], /default-src 'self'/);
});

t.test('POST /api/intent takes an intent the screen allows and refuses others with 400', async (t) => {
  const { app, runtime } = await setup();
  const refused = await app.inject(post('/api/intent', { type: 'finish' }));
  t.equal(refused.statusCode, 400);
  t.match(refused.json(), { error: 'intentNotAllowed' });
  runtime.send({ type: 'CARD_INSERTED' });
  await settle();
  t.equal(runtime.view().screen, 'awaitingFinger');
  const ok = await app.inject(post('/api/intent', { type: 'cannotGiveFinger' }));
  t.equal(ok.statusCode, 200);
  t.same(ok.json(), { ok: true });
  t.match(runtime.view(), { screen: 'staffAssist', why: 'taxpayerChoice' });
});

t.test('bad intent bodies are 400, never 500, and change nothing', async (t) => {
  const { app, runtime } = await setup();
  runtime.send({ type: 'CARD_INSERTED' });
  await settle();
  const before = runtime.view();
  const bad: Array<{ payload: string; contentType?: string }> = [
    { payload: '{' },
    { payload: '[]' },
    { payload: '"cancel"' },
    { payload: '{}' },
    { payload: '{"type":"explode"}' },
    { payload: '{"type":"cancel","extra":1}' },
    { payload: '{"type":"staffUnlock","pin":"12ab"}' },
    { payload: '{"type":"staffUnlock","pin":12345}' },
    { payload: '{"type":"staffConfirmFace","matches":"yes"}' },
    { payload: JSON.stringify({ type: 'submitReturnData', nop: 'x'.repeat(41) }) },
    { payload: 'type=cancel', contentType: 'application/x-www-form-urlencoded' },
    { payload: JSON.stringify({ type: 'cancel', pad: 'x'.repeat(20_000) }) },
  ];
  for (const b of bad) {
    const res = await app.inject({
      method: 'POST',
      url: '/api/intent',
      payload: b.payload,
      headers: { 'content-type': b.contentType ?? 'application/json' },
    });
    t.ok(res.statusCode >= 400 && res.statusCode < 500, `${b.payload.slice(0, 40)} → ${res.statusCode}`);
    t.notMatch(res.body, /12ab|explode/, 'the error does not echo the input');
  }
  t.same(runtime.view(), before, 'the screen did not change');
});

t.test('WebSocket /api/stream sends the current view, then every new one', async (t) => {
  const { app, runtime } = await setup();
  await app.ready();
  const messages: Array<{ screen: string; seq: number }> = [];
  let resolveTwo: () => void = () => undefined;
  const twoMessages = new Promise<void>((resolve) => (resolveTwo = resolve));
  const ws = await app.injectWS(
    '/api/stream',
    { headers: { host: 'localhost:80', origin: 'http://localhost' } },
    {
      onInit: (socket) =>
        socket.on('message', (m: Buffer) => {
          messages.push(JSON.parse(String(m)));
          if (messages.length === 2) resolveTwo();
        }),
    },
  );
  await settle();
  runtime.send({ type: 'CARD_INSERTED' });
  await twoMessages;
  t.equal(messages[0]!.screen, 'welcome');
  t.ok(messages[1]!.seq > messages[0]!.seq);
  t.not(messages[1]!.screen, 'welcome');
  ws.terminate();
});

t.test('demo routes exist only in demo mode', async (t) => {
  const { app } = await setup();
  for (const [method, url] of [
    ['GET', '/api/demo/personas'],
    ['POST', '/api/demo/card'],
    ['DELETE', '/api/demo/card'],
    ['POST', '/api/demo/finger'],
  ] as const) {
    const res = await app.inject({ method, url, payload: {} });
    t.equal(res.statusCode, 404, `${method} ${url}`);
  }
});

t.test('demo: personas, insert, conflicts, bad bodies, finger, remove', async (t) => {
  const { app, runtime } = await setup({ demo: true });
  t.same((await app.inject({ method: 'GET', url: '/api/demo/personas' })).json(), [
    { id: 'valid', title: { id: 'Semua data sesuai', en: 'Everything agrees' } },
  ]);
  t.equal((await app.inject(post('/api/demo/finger', { genuine: true }))).statusCode, 409, 'no finger without a card');
  t.equal((await app.inject(post('/api/demo/card', { persona: 'nobody' }))).statusCode, 400);
  t.equal((await app.inject(post('/api/demo/card', { persona: 'valid', x: 1 }))).statusCode, 400);
  t.equal((await app.inject(post('/api/demo/card', { persona: 'valid' }))).statusCode, 200);
  await settle();
  t.equal(runtime.view().screen, 'awaitingFinger');
  t.equal((await app.inject(post('/api/demo/card', { persona: 'valid' }))).statusCode, 409, 'one card at a time');
  t.equal((await app.inject(post('/api/demo/finger', { genuine: 'yes' }))).statusCode, 400);
  t.equal((await app.inject(post('/api/demo/finger', { genuine: true }))).statusCode, 200);
  t.equal((await app.inject({ method: 'DELETE', url: '/api/demo/card' })).statusCode, 200);
  await settle();
  t.match(runtime.view(), { screen: 'failed', reason: 'cardRemoved' });
});

t.test('GET /healthz is 200 when serving and 503 when not', async (t) => {
  const { app, setReady } = await setup();
  t.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
  setReady(false);
  const res = await app.inject({ method: 'GET', url: '/healthz' });
  t.equal(res.statusCode, 503);
  t.match(res.json(), { ready: false });
});

t.test('HEAD: /healthz answers it for probes; the other GET routes do not', async (t) => {
  const { app } = await setup({ ui: true });
  const health = await app.inject({ method: 'HEAD', url: '/healthz' });
  t.equal(health.statusCode, 200);
  t.equal(health.body, '', 'no body');
  for (const url of ['/', '/api/view', '/main.js'])
    t.equal((await app.inject({ method: 'HEAD', url })).statusCode, 404, `HEAD ${url}: 404`);
});

t.test('the UI is served from its folder; an unknown path is a JSON 404', async (t) => {
  const withUi = await setup({ ui: true });
  const page = await withUi.app.inject({ method: 'GET', url: '/' });
  t.equal(page.statusCode, 200);
  t.match(page.headers['content-type'], /text\/html/);
  const missing = await withUi.app.inject({ method: 'GET', url: '/main.js' });
  t.equal(missing.statusCode, 404, 'an unbuilt bundle is a 404, not a crash');
  const unknown = await withUi.app.inject({ method: 'GET', url: '/../../etc/passwd' });
  t.equal(unknown.statusCode, 404);
});

t.test('the staff dashboard is served at /staff/ from the UI folder, under the same CSP', async (t) => {
  const { app, uiDir } = await setup({ ui: true });
  t.equal((await app.inject({ method: 'GET', url: '/staff/main.js' })).statusCode, 404, 'an unbuilt dashboard is a 404');
  mkdirSync(join(uiDir, 'dashboard'));
  writeFileSync(join(uiDir, 'dashboard', 'index.html'), '<!doctype html><title>dasbor</title>');
  writeFileSync(join(uiDir, 'dashboard', 'main.js'), 'export {};');
  const page = await app.inject({ method: 'GET', url: '/staff/' });
  t.equal(page.statusCode, 200);
  t.match(page.headers['content-type'], /text\/html/);
  t.match(page.body, /dasbor/, 'the dashboard page, not the kiosk page');
  t.match(page.headers['content-security-policy'], /default-src 'self'/);
  const script = await app.inject({ method: 'GET', url: '/staff/main.js' });
  t.equal(script.statusCode, 200);
  t.match(script.headers['content-type'], /text\/javascript/);
  const bare = await app.inject({ method: 'GET', url: '/staff' });
  t.equal(bare.statusCode, 308, 'without the slash the page would load ./main.js from the root');
  t.equal(bare.headers.location, '/staff/');
});

t.test('the prompt pack is served from the UI folder; a name outside its pattern is 400, a missing file 404', async (t) => {
  const { app, uiDir } = await setup({ ui: true });
  const missing = await app.inject({ method: 'GET', url: '/prompts/welcome.id.opus' });
  t.equal(missing.statusCode, 404, 'an unbuilt pack is a 404, not a crash');
  mkdirSync(join(uiDir, 'prompts'));
  writeFileSync(join(uiDir, 'prompts', 'staff-call-fingerNotMatched.id.opus'), 'OggS');
  const prompt = await app.inject({ method: 'GET', url: '/prompts/staff-call-fingerNotMatched.id.opus' });
  t.equal(prompt.statusCode, 200);
  t.equal(prompt.headers['content-type'], 'audio/ogg');
  for (const bad of ['..%2F..%2Fetc%2Fpasswd', 'welcome.id.mp3', 'welcome.fr.opus', `${'a'.repeat(90)}.opus`]) {
    t.equal((await app.inject({ method: 'GET', url: `/prompts/${bad}` })).statusCode, 400, bad);
  }
  t.equal(
    (await app.inject({ method: 'POST', url: '/api/intent', payload: { type: 'activity' } })).statusCode,
    400,
    'activity outside a session is refused like any intent not valid now',
  );
});

t.test('the server wrote no error log for any of this', async (t) => {
  t.same(
    logLines().filter((l) => /"level":(50|60)/.test(l)),
    [],
  );
});
