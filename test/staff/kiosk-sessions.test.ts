/**
 * Staff sessions on the kiosk's own listener (server/app.ts with the staff scope, wired as
 * main.ts wires it), under a controlled clock: the server ends them after two idle minutes
 * however often the dashboard refreshes itself, when the kiosk screen is loaded again, and when
 * a taxpayer's session starts; each end is audited with the operator and why.
 */
import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createKioskMachine } from '../../device/flow/machine.ts';
import { KioskRuntime } from '../../device/view/runtime.ts';
import { createLogger } from '../../device/log.ts';
import { buildServer } from '../../device/server/app.ts';
import { KIOSK_STAFF_SESSION_POLICY, STAFF_SESSION_POLICY, StaffSessions } from '../../device/staff/sessions.ts';
import { endStaffSessionsWhenTaxpayerArrives } from '../../device/staff/at-kiosk.ts';
import type { AuditEvent } from '../../device/domain/audit.ts';
import { makeFakes, settle } from '../flow/fakes.ts';

const at = { ms: Date.parse('2026-03-10T03:00:00Z') };
const clock = { now: () => new Date(at.ms) };
const logger = createLogger({ destination: new Writable({ write: (_c, _e, cb) => cb() }) as never });

async function setup(t: { teardown(f: () => unknown): void }) {
  const f = makeFakes();
  f.set.finger(['hang']);
  const runtime = new KioskRuntime(createKioskMachine(f.deps), {
    demo: false,
    clock: f.deps.clock,
    logger,
    maxFingerAttempts: 4,
    xstateClock: f.clock,
  });
  runtime.start();
  await settle();
  const audited: AuditEvent[] = [];
  const audit = { record: (e: AuditEvent) => void audited.push(e) };
  const sessions = new StaffSessions(clock, KIOSK_STAFF_SESSION_POLICY);
  const stop = endStaffSessionsWhenTaxpayerArrives({ runtime, sessions, audit });
  const uiDir = mkdtempSync(join(tmpdir(), 'anj21-ui-'));
  writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>anjungan</title>');
  const app = await buildServer({
    runtime,
    logger,
    uiDir,
    health: () => ({ ready: true, state: 'idle', devices: {} }),
    http: { host: '127.0.0.1', port: 80 },
    clearTamper: async () => 'notLocked',
    staff: {
      signIn: {
        signIn: async (userId, pin) =>
          pin === '135790' ? { ok: true, operatorId: userId } : { ok: false, refusal: 'wrongPin', operatorId: null },
      },
      sessions,
      audit,
      routes: [(scope) => void scope.get('/probe', async () => ({ ok: true }))],
      atKiosk: true,
    },
  });
  t.teardown(async () => {
    stop();
    await app.close();
    runtime.stop();
    rmSync(uiDir, { recursive: true, force: true });
  });
  const origin = 'http://127.0.0.1';
  const signIn = async (userId: string) => {
    const res = await app.inject({ method: 'POST', url: '/api/staff/session', headers: { origin }, payload: { userId, pin: '135790' } });
    return String(res.headers['set-cookie']).split(';')[0]!;
  };
  const status = async (cookie: string, headers: Record<string, string> = {}) =>
    (await app.inject({ method: 'GET', url: '/api/staff/probe', headers: { cookie, ...headers } })).statusCode;
  return { app, runtime, f, audited, signIn, status };
}

t.test('two idle minutes end a kiosk session, however often the dashboard refreshes itself', async (t) => {
  const s = await setup(t);
  const cookie = await s.signIn('budi');
  const refresh = { 'x-anjungan-refresh': '1' };
  for (let waited = 0; waited + 30_000 < KIOSK_STAFF_SESSION_POLICY.idleMs; waited += 30_000) {
    at.ms += 30_000;
    t.equal(await s.status(cookie, refresh), 200, 'the periodic refresh is answered');
  }
  at.ms += 30_000;
  t.equal(await s.status(cookie, refresh), 401, 'but it does not keep the session alive');
  t.ok(KIOSK_STAFF_SESSION_POLICY.idleMs < STAFF_SESSION_POLICY.idleMs, 'shorter than on the office LAN');

  const busy = await s.signIn('budi');
  for (let i = 0; i < 10; i++) {
    at.ms += KIOSK_STAFF_SESSION_POLICY.idleMs - 1000;
    t.equal(await s.status(busy), 200, 'someone at the desk keeps it');
  }
  at.ms += KIOSK_STAFF_SESSION_POLICY.absoluteMs;
  t.equal(await s.status(busy), 401, 'never past half an hour');
});

t.test('loading the kiosk screen ends the session its browser held, and clears the cookie', async (t) => {
  const s = await setup(t);
  const cookie = await s.signIn('budi');
  const dashboard = await s.app.inject({ method: 'GET', url: '/staff/', headers: { cookie } });
  t.equal(dashboard.headers['set-cookie'], undefined, 'the dashboard page itself leaves the session alone');
  t.equal(await s.status(cookie), 200);
  const kioskPage = await s.app.inject({ method: 'GET', url: '/', headers: { cookie } });
  t.equal(kioskPage.statusCode, 200);
  t.match(kioskPage.headers['set-cookie'], /^anjungan_staff=; .*Max-Age=0/);
  t.equal(await s.status(cookie), 401, 'the session is over');
  t.match(
    s.audited.filter((e) => e.code === 'staffSignOut'),
    [{ staffId: 'budi', outcome: 'kioskScreen' }],
  );
  t.equal(
    (await s.app.inject({ method: 'GET', url: '/' })).headers['set-cookie'],
    undefined,
    'a kiosk page load without a session sets no cookie',
  );
});

t.test('a taxpayer session starting ends every kiosk session; one begun during it stays', async (t) => {
  const s = await setup(t);
  const budi = await s.signIn('budi');
  const siti = await s.signIn('siti');
  s.runtime.send({ type: 'CARD_INSERTED' });
  await settle();
  t.ok(s.runtime.snapshot().context.sessionId, 'a taxpayer session runs');
  t.equal(await s.status(budi), 401);
  t.equal(await s.status(siti), 401);
  t.match(
    s.audited.filter((e) => e.code === 'staffSignOut'),
    [
      { staffId: 'budi', outcome: 'taxpayerSession' },
      { staffId: 'siti', outcome: 'taxpayerSession' },
    ],
  );
  const helper = await s.signIn('budi');
  s.runtime.send({ type: 'ACTIVITY' });
  await settle();
  t.equal(await s.status(helper), 200, 'staff who come to help this taxpayer stay signed in');
});
