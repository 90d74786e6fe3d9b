/**
 * Staff sign-in over the staff LAN listener: a real HTTPS listener on loopback with a certificate
 * from a test CA, the real SQLite throttle and audit trail, the roster rules. Covers cookie flags,
 * CSRF, the Origin check, expiry, sign-out, operators the roster does not permit, the per-address throttle, the session caps,
 * every registered staff route refusing an unauthenticated call, and what reaches the log.
 */
import t, { type Test } from 'tap';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from 'typebox';
import { readStaffLanTls, type StaffLanConfig } from '../../device/config.ts';
import { AuditLog } from '../../device/store/audit-log.ts';
import { openDatabase } from '../../device/store/db.ts';
import { hashStaffPin } from '../../device/store/credentials.ts';
import {
  AttemptThrottle,
  lanSource,
  OFFICE_LAN_THROTTLE,
  type AttemptSource,
  type GuessingSignal,
} from '../../device/store/attempt-throttle.ts';
import { permittedOperatorIds, type Operator } from '../../device/staff/roster.ts';
import { OperatorSignIn } from '../../device/staff/sign-in.ts';
import { StaffSessions, STAFF_SESSION_POLICY } from '../../device/staff/sessions.ts';
import { buildStaffLanServer, listenOnLan } from '../../device/server/staff-lan.ts';
import { operatorOf, type StaffRoutes } from '../../device/staff/scope.ts';
import { wibDate } from '../../device/domain/wib.ts';
import { httpsRequest, makeTestTls, type HttpsReply } from '../support/test-tls.ts';
import { rawRequest } from '../support/raw-http.ts';
import { EDGE_LIMITS } from '../../device/server/limits.ts';
import { createServer } from 'node:net';
import { capturingLogger } from '../support/logger.ts';
import { until } from '../support/until.ts';

const at = { ms: Date.parse('2026-03-10T03:00:00Z') };
const clock = { now: () => new Date(at.ms) };
const PINS = { budi: '135790', siti: '246802', 'tanpa-nda': '112233', 'nda-besok': '778899' };
const operator = (userId: string, ndaSigned: string, extra: Partial<Operator> = {}): Operator => ({
  userId,
  name: `Nama ${userId} Contoh`,
  nip: '198001012010011001',
  employmentStatus: 'PNS',
  position: 'Pengelola Layanan',
  ndaSigned,
  addedAt: '2024-01-15T03:00:00Z',
  ...extra,
});
// tanpa-nda has a PIN on file but no roster entry; nda-besok signs tomorrow; nonaktif is disabled.
const ROSTER = [
  operator('budi', '2024-01-15'),
  operator('siti', '2024-02-01'),
  operator('nda-besok', '2026-03-11'),
  operator('nonaktif', '2024-01-15', { disabledAt: '2025-01-01T00:00:00Z' }),
];

/** A probe feature: what later staff plugins look like (params, bodies, every method). */
const probeRoutes: StaffRoutes = (scope) => {
  scope.get('/probe', async (req) => ({ operatorId: operatorOf(req) }));
  scope.post<{ Params: { id: string }; Body: { n: number } }>(
    '/probe/:id',
    {
      schema: {
        params: Type.Object({ id: Type.String({ pattern: '^[a-z0-9]{1,8}$' }) }),
        body: Type.Object({ n: Type.Integer() }, { additionalProperties: false }),
      },
    },
    async (req) => ({ operatorId: operatorOf(req), n: req.body.n }),
  );
  scope.delete('/probe/:id', async () => ({ ok: true }));
};

async function setup(t: Test) {
  const stateDir = mkdtempSync(join(tmpdir(), 'anj14a-state-'));
  t.teardown(() => rmSync(stateDir, { recursive: true, force: true }));
  const db = openDatabase(stateDir);
  t.teardown(() => db.close());
  const { logger, text: logText } = capturingLogger();
  const staff = await Promise.all(Object.entries(PINS).map(([id, pin]) => hashStaffPin(id, pin)));
  const signals: Array<[GuessingSignal, AttemptSource]> = [];
  const permitted = (id: string) => permittedOperatorIds(ROSTER, wibDate(clock.now())).has(id);
  const tls = makeTestTls(t);
  const lan: StaffLanConfig = { enabled: true, host: '127.0.0.1', port: 8443, certFile: tls.certFile, keyFile: tls.keyFile };
  const pair = readStaffLanTls(lan);
  t.same(pair.problems, []);
  const uiDir = mkdtempSync(join(tmpdir(), 'anj14a-ui-'));
  t.teardown(() => rmSync(uiDir, { recursive: true, force: true }));
  const { app, scope } = await buildStaffLanServer({
    host: lan.host,
    port: lan.port,
    tls: pair.tls!,
    logger,
    uiDir,
    staff: {
      signIn: new OperatorSignIn({
        staff,
        permitted,
        throttle: new AttemptThrottle(db, clock, (signal, source) => signals.push([signal, source])),
      }),
      sessions: new StaffSessions(clock),
      atKiosk: false,
      audit: new AuditLog(db, Buffer.alloc(32, 7), clock),
      routes: [probeRoutes],
    },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  t.teardown(() => app.close());
  const port = (app.server.address() as { port: number }).port;
  const origin = `https://127.0.0.1:${port}`;
  const call = (
    method: string,
    path: string,
    o: { cookie?: string; csrf?: string; body?: unknown; origin?: string | null; headers?: Record<string, string>; from?: string } = {},
  ) =>
    httpsRequest(port, tls.caPem, {
      method,
      path,
      headers: {
        ...(o.origin === null ? {} : { origin: o.origin ?? origin }),
        ...(o.cookie ? { cookie: o.cookie } : {}),
        ...(o.csrf ? { 'x-anjungan-csrf': o.csrf } : {}),
        ...o.headers,
      },
      ...(o.body !== undefined ? { body: o.body } : {}),
      ...(o.from ? { localAddress: o.from } : {}),
    });
  /** `from`: the client's address (a LAN peer; 127.0.0.1 by default). */
  const signIn = async (userId: string, pin: string, from?: string) => {
    const res = await call('POST', '/api/staff/session', { body: { userId, pin }, ...(from ? { from } : {}) });
    const setCookie = [res.headers['set-cookie'] ?? []].flat()[0] ?? '';
    return { res, setCookie, cookie: setCookie.split(';')[0]!, csrf: res.status === 200 ? String(res.json().csrf) : '' };
  };
  const auditRows = () =>
    db.prepare('SELECT code, staff_id AS staffId, state, outcome FROM audit_event ORDER BY id').all() as Array<
      Record<string, string | null>
    >;
  return { app, scope, port, origin, call, signIn, auditRows, signals, log: logText, db, uiDir, stateDir, caPem: tls.caPem };
}

const errorOf = (res: HttpsReply) => res.json().error;

t.test('sign-in sets a session cookie HttpOnly, Secure, SameSite=Strict, Path=/ and returns the CSRF token', async (t) => {
  const s = await setup(t);
  const { res, setCookie, cookie, csrf } = await s.signIn('budi', PINS.budi);
  t.equal(res.status, 200);
  t.same(Object.keys(res.json()).sort(), ['csrf', 'operatorId']);
  t.equal(res.json().operatorId, 'budi');
  t.match(setCookie, /^anjungan_staff=[A-Za-z0-9_-]{43};/);
  const flags = setCookie
    .split(';')
    .slice(1)
    .map((f) => f.trim());
  for (const flag of ['HttpOnly', 'Secure', 'SameSite=Strict', 'Path=/']) t.ok(flags.includes(flag), `cookie has ${flag}`);
  t.ok(csrf.length >= 32, 'a CSRF token of its own');
  t.notOk(setCookie.includes(csrf), 'the CSRF token is not the cookie');

  const session = await s.call('GET', '/api/staff/session', { cookie });
  t.same(session.json(), { operatorId: 'budi', csrf });
  t.same((await s.call('GET', '/api/staff/probe', { cookie })).json(), { operatorId: 'budi' }, 'features see the operator');
  t.equal((await s.call('GET', '/api/staff/session')).status, 401);
  t.equal(
    errorOf(await s.call('GET', '/api/staff/session', { cookie: 'anjungan_staff=' + 'A'.repeat(43) })),
    'signInRequired',
    'a made-up token is no session',
  );
  t.match(s.auditRows(), [{ code: 'staffSignIn', staffId: 'budi' }]);
});

t.test("a state-changing staff request needs the session CSRF token and the listener's own Origin", async (t) => {
  const s = await setup(t);
  const { cookie, csrf } = await s.signIn('budi', PINS.budi);
  const other = await s.signIn('siti', PINS.siti);

  const missing = await s.call('POST', '/api/staff/probe/a1', { cookie, body: { n: 1 } });
  t.equal(missing.status, 403);
  t.equal(errorOf(missing), 'csrfRefused');
  const wrong = await s.call('POST', '/api/staff/probe/a1', { cookie, csrf: csrf.slice(0, -2) + 'xx', body: { n: 1 } });
  t.equal(wrong.status, 403, 'a wrong token');
  t.equal(
    (await s.call('POST', '/api/staff/probe/a1', { cookie, csrf: other.csrf, body: { n: 1 } })).status,
    403,
    "another session's token",
  );
  t.equal((await s.call('DELETE', '/api/staff/probe/a1', { cookie })).status, 403, 'DELETE too');
  for (const foreign of ['https://attacker.example', `http://127.0.0.1:${s.port}`, 'null']) {
    const res = await s.call('POST', '/api/staff/probe/a1', { cookie, csrf, body: { n: 1 }, origin: foreign });
    t.equal(res.status, 403, `Origin ${foreign} refused even with the right token`);
  }
  const missingOrigin = await s.call('POST', '/api/staff/probe/a1', { cookie, csrf, body: { n: 1 }, origin: null });
  t.equal(errorOf(missingOrigin), 'missingOrigin', 'no Origin from a LAN client is no browser page of ours');

  const ok = await s.call('POST', '/api/staff/probe/a1', { cookie, csrf, body: { n: 7 } });
  t.equal(ok.status, 200);
  t.same(ok.json(), { operatorId: 'budi', n: 7 });
  t.equal((await s.call('POST', '/api/staff/probe/a1', { cookie, csrf, body: { n: 'seven' } })).status, 400, 'schemas still apply');

  const rows = s.auditRows();
  t.equal(
    rows.filter((r) => r.code === 'staffCsrfRefused' && r.staffId === 'budi').length,
    4,
    'each CSRF refusal audited with the operator',
  );
  t.match(
    rows.filter((r) => r.code === 'staffAction'),
    [
      { staffId: 'budi', state: 'POST /api/staff/probe/:id', outcome: '200' },
      { staffId: 'budi', state: 'POST /api/staff/probe/:id', outcome: '400' },
    ],
  );
});

t.test('every route of the staff scope refuses an unauthenticated call with 401', async (t) => {
  const s = await setup(t);
  const routes = s.scope.routes();
  for (const expected of [
    'GET /api/staff/session',
    'DELETE /api/staff/session',
    'GET /api/staff/probe',
    'POST /api/staff/probe/:id',
    'DELETE /api/staff/probe/:id',
  ]) {
    t.ok(
      routes.some((r) => `${r.method} ${r.url}` === expected),
      `${expected} is registered in the scope`,
    );
  }
  const { cookie: expired } = await s.signIn('budi', PINS.budi);
  at.ms += STAFF_SESSION_POLICY.idleMs;
  for (const r of routes) {
    const path = r.url.replace(/:[A-Za-z]+/g, 'x1');
    const body = r.method === 'GET' || r.method === 'DELETE' ? undefined : {};
    for (const cookie of [undefined, expired]) {
      const res = await s.call(r.method, path, { ...(cookie ? { cookie } : {}), ...(body ? { body } : {}) });
      t.equal(res.status, 401, `${r.method} ${r.url} ${cookie ? 'with an idle-expired session' : 'without a session'}`);
      t.equal(errorOf(res), 'signInRequired');
    }
  }
});

t.test('sessions end on sign-out, after idling and at their absolute limit', async (t) => {
  const s = await setup(t);
  const a = await s.signIn('budi', PINS.budi);
  t.equal((await s.call('DELETE', '/api/staff/session', { cookie: a.cookie })).status, 403, 'sign-out is CSRF-checked too');
  const out = await s.call('DELETE', '/api/staff/session', { cookie: a.cookie, csrf: a.csrf });
  t.equal(out.status, 200);
  t.match([out.headers['set-cookie']].flat()[0], /^anjungan_staff=; .*Max-Age=0/);
  t.equal((await s.call('GET', '/api/staff/session', { cookie: a.cookie })).status, 401, 'the old cookie is dead');
  t.match(
    s.auditRows().filter((r) => r.code === 'staffSignOut'),
    [{ staffId: 'budi' }],
  );

  const b = await s.signIn('budi', PINS.budi);
  at.ms += STAFF_SESSION_POLICY.idleMs - 1000;
  t.equal((await s.call('GET', '/api/staff/session', { cookie: b.cookie })).status, 200, 'use restarts the idle clock');
  at.ms += STAFF_SESSION_POLICY.idleMs - 1000;
  t.equal((await s.call('GET', '/api/staff/session', { cookie: b.cookie })).status, 200);
  at.ms += STAFF_SESSION_POLICY.idleMs;
  t.equal((await s.call('GET', '/api/staff/session', { cookie: b.cookie })).status, 401, 'idle too long');

  const d = await s.signIn('budi', PINS.budi);
  const refresh = { 'x-anjungan-refresh': '1' };
  at.ms += STAFF_SESSION_POLICY.idleMs - 1000;
  t.equal(
    (await s.call('GET', '/api/staff/probe', { cookie: d.cookie, headers: refresh })).status,
    200,
    'a refresh within the idle limit is answered',
  );
  at.ms += 1000;
  t.equal(
    (await s.call('GET', '/api/staff/probe', { cookie: d.cookie, headers: refresh })).status,
    401,
    'but refreshes alone do not keep an unattended dashboard signed in',
  );

  const c = await s.signIn('budi', PINS.budi);
  const end = at.ms + STAFF_SESSION_POLICY.absoluteMs;
  while (at.ms + STAFF_SESSION_POLICY.idleMs / 2 < end) {
    at.ms += STAFF_SESSION_POLICY.idleMs / 2;
    t.equal((await s.call('GET', '/api/staff/session', { cookie: c.cookie })).status, 200);
  }
  at.ms = end;
  t.equal((await s.call('GET', '/api/staff/session', { cookie: c.cookie })).status, 401, 'never past the absolute limit, however busy');
});

t.test('only operators on the roster with an NDA signed and not disabled may sign in', async (t) => {
  const s = await setup(t);
  const nik = '3313010101900001';
  for (const [userId, pin, why] of [
    ['tanpa-nda', PINS['tanpa-nda'], 'a PIN on file but no roster entry (no NDA)'],
    ['nda-besok', PINS['nda-besok'], 'an NDA dated tomorrow'],
    ['nonaktif', '445566', 'a disabled operator'],
    [nik, '135790', 'an unknown user ID'],
    ['budi', '000000', 'a wrong PIN'],
  ] as const) {
    const res = await s.call('POST', '/api/staff/session', { body: { userId, pin } });
    t.equal(res.status, 401, why);
    t.same(res.json(), { error: 'signInRefused', message: 'user ID or PIN not accepted' }, `${why}: the same answer`);
    t.notOk(res.headers['set-cookie'], `${why}: no cookie`);
  }
  t.match(s.auditRows(), [
    { code: 'staffSignInRefused', staffId: 'tanpa-nda', outcome: 'notPermitted' },
    { code: 'staffSignInRefused', staffId: 'nda-besok', outcome: 'notPermitted' },
    { code: 'staffSignInRefused', staffId: null, outcome: 'notPermitted' },
    { code: 'staffSignInRefused', staffId: null, outcome: 'notPermitted' },
    { code: 'staffSignInRefused', staffId: 'budi', outcome: 'wrongPin' },
  ]);
  at.ms += 86_400_000;
  t.equal((await s.signIn('nda-besok', PINS['nda-besok'])).res.status, 200, 'the day the NDA is signed, the operator may sign in');

  const stored =
    JSON.stringify(s.db.prepare('SELECT * FROM audit_event').all()) +
    JSON.stringify(s.db.prepare('SELECT * FROM staff_attempt_throttle').all());
  t.notMatch(stored, nik, 'a typed unknown user ID is stored nowhere');
  for (const pin of Object.values(PINS)) t.notMatch(stored + s.log(), pin, 'no PIN in the database or the log');
  t.notMatch(s.log(), nik, 'nor in the log');
  t.notMatch(s.log(), /Nama .* Contoh|198001012010011001/, 'no operator name or NIP in the log');
});

t.test(
  'wrong PINs slow the address they come from (429 with Retry-After), never an operator or another address; staff are told',
  async (t) => {
    const s = await setup(t);
    const STRANGER = '127.0.0.2';
    for (let i = 0; i < OFFICE_LAN_THROTTLE.freeFailures; i++) t.equal((await s.signIn('budi', '000000', STRANGER)).res.status, 401);
    t.same(s.signals, [], 'free failures raise nothing');
    t.equal(
      (await s.signIn('budi', '000001', STRANGER)).res.status,
      401,
      'the failure that makes the address wait is still a plain refusal',
    );
    t.same(s.signals, [['throttled', lanSource(STRANGER)]], 'staff are told an address is made to wait');
    const waiting = await s.signIn('budi', PINS.budi, STRANGER);
    t.equal(waiting.res.status, 429, 'from that address even the right PIN waits');
    t.match(waiting.res.json(), { error: 'locked', message: 'too many wrong PINs from here: wait' });
    t.equal(waiting.res.headers['retry-after'], String(OFFICE_LAN_THROTTLE.firstWaitMs / 1000));
    t.equal(
      Date.parse((waiting.res.json() as { lockedUntil: string }).lockedUntil),
      at.ms + OFFICE_LAN_THROTTLE.firstWaitMs,
      'with the time it may try again',
    );
    t.same((await s.signIn('tidak-ada', '000000', STRANGER)).res.json(), waiting.res.json(), 'the same answer for an ID not on file');
    t.equal((await s.signIn('budi', PINS.budi)).res.status, 200, 'budi signs in from a staff PC at once');
    t.match(
      s.db.prepare("SELECT outcome, staff_id AS staffId FROM audit_event WHERE code = 'staffSignInRefused' ORDER BY id DESC LIMIT 1").all(),
      [{ outcome: 'wrongPin', staffId: 'budi' }],
    );
    at.ms += OFFICE_LAN_THROTTLE.firstWaitMs;
    t.equal((await s.signIn('budi', PINS.budi, STRANGER)).res.status, 200, 'once the wait is over, the address may try again');
  },
);

t.test('an operator signing in again and again ends only their own oldest sessions', async (t) => {
  const s = await setup(t);
  const siti = await s.signIn('siti', PINS.siti);
  const budi = [];
  for (let i = 0; i < 20; i++) budi.push(await s.signIn('budi', PINS.budi));
  t.equal((await s.call('GET', '/api/staff/session', { cookie: siti.cookie })).status, 200, "siti's session is untouched");
  const alive = [];
  for (const b of budi) alive.push((await s.call('GET', '/api/staff/session', { cookie: b.cookie })).status);
  t.same(alive, [...Array(16).fill(401), ...Array(4).fill(200)], 'budi keeps his latest four');
});

t.test('the LAN listener serves the staff scope and the dashboard files only, and only over TLS', async (t) => {
  const s = await setup(t);
  t.equal((await s.call('GET', '/staff/')).status, 404, 'dashboard not built: 404');
  mkdirSync(join(s.uiDir, 'dashboard'));
  writeFileSync(join(s.uiDir, 'dashboard', 'index.html'), '<!doctype html><title>Petugas</title>');
  writeFileSync(join(s.uiDir, 'dashboard', 'main.js'), 'export {};');
  const page = await s.call('GET', '/staff/');
  t.equal(page.status, 200);
  t.match(page.headers['content-type'], /text\/html/);
  t.match(page.body, /Petugas/);
  t.match((await s.call('GET', '/staff/main.js')).headers['content-type'], /javascript/);
  t.equal((await s.call('GET', '/staff')).status, 308);
  t.match((await s.call('GET', '/staff/')).headers['strict-transport-security'], /max-age=/);
  for (const path of ['/', '/api/view', '/api/stream', '/healthz', '/index.html', '/staff/../index.html', '/api/demo/personas']) {
    t.equal((await s.call('GET', path)).status, 404, `${path} does not exist on the LAN listener`);
  }
  const foreignHost = await httpsRequest(s.port, makeTestTls(t).caPem, { path: '/staff/' }).catch((e: Error) => e);
  t.ok(foreignHost instanceof Error, 'a client pinning another CA refuses the certificate');
  const plain = await rawRequest(s.port, `GET /api/staff/session HTTP/1.1\r\nhost: 127.0.0.1:${s.port}`);
  t.not(plain.status, 200, 'plain HTTP gets no answer');
  t.not(plain.status, 401);
});

t.test('a LAN listener that cannot bind does not hold the daemon up: it logs once and keeps trying', async (t) => {
  const tls = makeTestTls(t);
  const pair = readStaffLanTls({ enabled: true, host: '127.0.0.1', port: 8443, certFile: tls.certFile, keyFile: tls.keyFile });
  const { logger, text: logText } = capturingLogger();
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const port = (blocker.address() as { port: number }).port;
  const { app } = await buildStaffLanServer({
    host: '127.0.0.1',
    port,
    tls: pair.tls!,
    logger,
    uiDir: tmpdir(),
    staff: {
      signIn: { signIn: async () => ({ ok: false, refusal: 'notPermitted', operatorId: null }) },
      sessions: new StaffSessions(clock),
      audit: { record: () => undefined },
      routes: [],
      atKiosk: false,
    },
  });
  const listening = await listenOnLan(app, { host: '127.0.0.1', port }, logger, 100);
  t.teardown(async () => {
    listening.stop();
    await app.close();
  });
  t.equal(logText().match(/staffLanUnavailable/g)?.length, 1, 'the bind failure is logged');
  await new Promise((r) => setTimeout(r, 350));
  t.equal(logText().match(/staffLanUnavailable/g)?.length, 1, 'once per outage, not per retry');
  await new Promise((resolve) => blocker.close(resolve));
  await until(() => logText().includes('staffLanListening'), 'the listener bound once the port is free', 5000, 50);
  const res = await httpsRequest(port, tls.caPem, { path: '/api/staff/session' });
  t.equal(res.status, 401, 'up once the port is free');
});

t.test('from outside, the LAN listener refuses a foreign Host and an oversize body, echoing neither', async (t) => {
  const s = await setup(t);
  const rebound = await httpsRequest(s.port, s.caPem, { path: '/api/staff/session', headers: { host: 'attacker.example' } });
  t.equal(rebound.status, 421, 'a rebinding Host');
  t.equal(errorOf(rebound), 'foreignHost');
  t.notMatch(rebound.body, 'attacker.example', 'the Host is not echoed');
  const huge = 'Z'.repeat(EDGE_LIMITS.bodyBytes + 1);
  const oversize = await s.call('POST', '/api/staff/session', { body: { userId: huge, pin: '123456' } });
  t.equal(oversize.status, 413, 'a body over the cap');
  t.notMatch(oversize.body, 'ZZZZ', 'the body is not echoed');
  const bad = await s.call('POST', '/api/staff/session', { body: { userId: 'budi', pin: 'not-a-pin-<script>' } });
  t.equal(bad.status, 400);
  t.notMatch(bad.body, 'script', 'a bad field is not echoed');
});

t.test('staff sessions tell when the first signs in and the last leaves, by sign-out or expiry', async (t) => {
  let now = 0;
  const told: boolean[] = [];
  const sessions = new StaffSessions({ now: () => new Date(now) }, STAFF_SESSION_POLICY, (present) => told.push(present));
  const a = sessions.create('petugas-a');
  const b = sessions.create('petugas-b');
  t.same(told, [true], 'once, when the first signs in');
  sessions.end(a.token);
  t.same(told, [true], 'one still signed in');
  sessions.end(b.token);
  t.same(told, [true, false], 'the last one signed out');
  sessions.create('petugas-a');
  now += STAFF_SESSION_POLICY.idleMs;
  t.equal(sessions.size(), 0);
  t.same(told, [true, false, true, false], 'a session that expired unnoticed is told when swept');
});
