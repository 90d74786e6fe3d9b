/**
 * The staff dashboard's data and actions, through its routes on a kiosk running the real flow
 * and store: what a staff member sees of the kiosk and what their actions do to it.
 */
import t from 'tap';
import { rmSync } from 'node:fs';
import { persona } from '../../device/sim/personas.ts';
import { dashboardKiosk, OPERATOR, START } from './dashboard-harness.ts';

const HOUR = 3_600_000;

t.test('overview of a kiosk at rest: devices, disk, screen, empty quota, agreement, no assist', async (t) => {
  const k = await dashboardKiosk();
  t.teardown(() => k.close());
  const { status, body } = await k.call('GET', '/overview');
  t.equal(status, 200);
  t.match(body.health, { idReader: 'ready', sam: 'ready', sensor: 'ready', uplink: 'ready', tamper: 'closed' });
  t.ok(body.health.disk.totalBytes > 0 && body.health.disk.freeBytes > 0, "the state folder's file system has a size and free space");
  t.ok(body.health.disk.freeBytes <= body.health.disk.totalBytes);
  t.same(body.kiosk, { screen: 'welcome', reason: null, paused: false });
  t.same(body.quota, { day: '2026-12-01', used: 0, limit: 1000, perHour: new Array(24).fill(0), projectedLimitAt: null });
  // 1 December to 31 December, counting today.
  t.same(body.agreement, { start: '2026-01-01', end: '2026-12-31', daysLeft: 31, inForce: true });
  t.same(body.assist, { step: null, atKiosk: true });
});

t.test('quota: hits land in their WIB hour, and the projection follows the recent rate', async (t) => {
  const k = await dashboardKiosk({ dailyQuota: 40 });
  t.teardown(() => k.close());
  const p = persona('not-found');
  // 08:00 WIB: three sessions; 10:30 WIB: six sessions five minutes apart.
  for (let i = 0; i < 3; i++) {
    await k.insertCard(p);
    await k.finishSession();
  }
  await k.advance(2.5 * HOUR);
  for (let i = 0; i < 6; i++) {
    await k.insertCard(p);
    await k.finishSession();
    await k.advance(5 * 60_000 - 6_000);
  }
  const { body } = await k.call('GET', '/overview');
  t.equal(body.quota.used, 9);
  t.equal(body.quota.perHour[8], 3, 'three hits between 08:00 and 08:59 WIB');
  t.equal(body.quota.perHour[10], 6, 'six between 10:00 and 10:59 WIB');
  t.equal(
    body.quota.perHour.reduce((a: number, b: number) => a + b, 0),
    9,
  );
  // Now is 11:00:18 WIB; the last hour holds the six hits from 10:30 on. At 6 an hour, the 31
  // hits left take 5 h 10 min.
  const now = START + 3 * HOUR + 18_000;
  t.equal(Date.parse(body.quota.projectedLimitAt), now + (31 * HOUR) / 6, 'limit reached at 16:10:18 WIB');
});

t.test('alerts: quota thresholds once a day, acknowledged by the operator; quota gone takes the kiosk out of service', async (t) => {
  const k = await dashboardKiosk({ dailyQuota: 10 });
  t.teardown(() => k.close());
  const p = persona('not-found');
  for (let i = 0; i < 7; i++) {
    await k.insertCard(p);
    await k.finishSession();
  }
  t.same((await k.call('GET', '/alerts')).body, { alerts: [] }, 'nothing at 70 %');
  await k.insertCard(p);
  await k.finishSession();
  let alerts = (await k.call('GET', '/alerts')).body.alerts;
  t.same(
    alerts.map((a: { kind: string }) => a.kind),
    ['quota80'],
  );
  t.match(alerts[0], { acknowledgedAt: null, acknowledgedBy: null });
  await k.insertCard(p);
  await k.finishSession();
  await k.insertCard(p);
  await k.finishSession();
  alerts = (await k.call('GET', '/alerts')).body.alerts;
  t.same(
    alerts.map((a: { kind: string }) => a.kind),
    ['quotaReached', 'quota95', 'quota80'],
    'newest first',
  );
  t.match(k.view(), { screen: 'outOfService', reason: 'quotaReached' });

  const quota80 = alerts[2];
  const ack = await k.call('POST', `/alerts/${quota80.id}/ack`);
  t.equal(ack.status, 200);
  t.match(ack.body.alert, { id: quota80.id, kind: 'quota80', acknowledgedBy: OPERATOR });
  t.ok(ack.body.alert.acknowledgedAt);
  t.match(k.auditRows().at(-1), { code: 'alertAcknowledged', outcome: 'quota80', staff_id: OPERATOR });
  t.same((await k.call('POST', `/alerts/${quota80.id}/ack`)).body.error, 'alreadyAcknowledged');
  t.equal((await k.call('POST', `/alerts/${quota80.id}/ack`)).status, 409);
  t.same(await k.call('POST', '/alerts/999999/ack'), { status: 404, body: { error: 'alertNotFound', message: 'no such alert' } });
  for (const bad of ['abc', '-1', '1e3', '12345678901234']) {
    const res = await k.call('POST', `/alerts/${bad}/ack`);
    t.equal(res.status, 400, `id ${bad}`);
    t.same(res.body, { error: 'badRequest', message: 'request is not valid' }, 'a typed refusal that does not echo the input');
  }

  // Out-of-service rechecks every 30 s: no new alert, acknowledged or not.
  await k.advance(95_000);
  t.equal((await k.call('GET', '/alerts')).body.alerts.length, 3, 'a threshold is raised once a day');
  // Next WIB day: the quota is new; crossing the thresholds raises them again.
  await k.advance(24 * HOUR);
  t.match(k.view(), { screen: 'welcome' });
  for (let i = 0; i < 8; i++) {
    await k.insertCard(p);
    await k.finishSession();
  }
  alerts = (await k.call('GET', '/alerts')).body.alerts;
  t.same(
    alerts.map((a: { kind: string }) => a.kind),
    ['quota80', 'quotaReached', 'quota95', 'quota80'],
  );
});

t.test('alerts: an opened enclosure raises one tamper alert, however long the kiosk stays locked', async (t) => {
  const k = await dashboardKiosk();
  t.teardown(() => k.close());
  k.gpio.setTamper(true);
  await k.advance(0);
  let alerts = (await k.call('GET', '/alerts')).body.alerts;
  t.same(
    alerts.map((a: { kind: string }) => a.kind),
    ['tamper'],
  );
  t.match((await k.call('GET', '/overview')).body.health, { tamper: 'open' });
  await k.call('POST', `/alerts/${alerts[0].id}/ack`);
  k.gpio.setTamper(false);
  await k.advance(120_000);
  t.match((await k.call('GET', '/overview')).body, { health: { tamper: 'locked' }, kiosk: { screen: 'outOfService', reason: 'tamper' } });
  alerts = (await k.call('GET', '/alerts')).body.alerts;
  t.equal(alerts.length, 1, 'the out-of-service rechecks raise nothing new');
  t.ok(alerts[0].acknowledgedAt);
  // Opened again: a new event, a new alert.
  k.gpio.setTamper(true);
  await k.advance(0);
  t.same(
    (await k.call('GET', '/alerts')).body.alerts.map((a: { kind: string }) => a.kind),
    ['tamper', 'tamper'],
  );
});

t.test('alerts: the registry refusing our access raises accessRefused and shows in the uplink health', async (t) => {
  const k = await dashboardKiosk();
  t.teardown(() => k.close());
  await k.insertCard(persona('valid'), ['matched'], { kind: 'loginFailed' });
  t.match(k.view(), { screen: 'failed', reason: 'registryRefused' });
  await k.finishSession();
  t.match(k.view(), { screen: 'outOfService', reason: 'uplinkRejected' });
  t.same(
    (await k.call('GET', '/alerts')).body.alerts.map((a: { kind: string }) => a.kind),
    ['accessRefused'],
  );
  t.equal((await k.call('GET', '/overview')).body.health.uplink, 'accessRefused');
  await k.advance(95_000);
  t.equal((await k.call('GET', '/alerts')).body.alerts.length, 1, 'the out-of-service rechecks raise nothing new');
});

t.test('recent sessions: reference, start, outcome and duration, newest first, bounded by limit', async (t) => {
  const k = await dashboardKiosk();
  t.teardown(() => k.close());
  await k.insertCard(persona('valid'));
  await k.advance(4_000);
  await k.finishSession();
  await k.insertCard(persona('tampered-card'));
  await k.finishSession();
  await k.insertCard(persona('deceased'));
  const { body } = await k.call('GET', '/sessions');
  t.equal(body.sessions.length, 3);
  const [running, failed, saved] = body.sessions;
  t.same(running.outcome, null, 'the running session has no outcome yet');
  t.same(running.durationMs, null);
  t.equal(failed.outcome, 'signatureInvalid');
  t.match(
    failed.hint,
    { id: /Tanda tangan digital/, en: /digital signature/ },
    'a failure carries what staff should check, which the taxpayer is not shown',
  );
  t.equal(saved.outcome, 'returnDataSaved');
  t.equal(saved.hint, null);
  t.ok(saved.durationMs >= 4_000, 'the duration covers the time on the result screen');
  for (const s of body.sessions) {
    t.match(s.reference, /^[0-9A-F]{8}$/);
    t.same(Object.keys(s).sort(), ['durationMs', 'hint', 'outcome', 'reference', 'startedAt']);
  }
  const sessionIds = k
    .auditRows()
    .filter((r) => r.code === 'sessionStart')
    .map((r) => String(r.session_id));
  t.same(
    body.sessions.map((s: { reference: string }) => s.reference),
    sessionIds.reverse().map((id) => id.slice(0, 8).toUpperCase()),
    'the reference is the first 8 hex digits of the session id',
  );
  t.match(k.view(), { screen: 'result', reference: running.reference }, 'the screen shows the same reference');
  t.equal((await k.call('GET', '/sessions?limit=1')).body.sessions.length, 1);
  for (const bad of ['0', '201', 'abc', '1.5', '-1']) {
    const res = await k.call('GET', `/sessions?limit=${bad}`);
    t.equal(res.status, 400, `limit=${bad}`);
    t.equal(res.body.error, 'badRequest');
  }
  t.equal((await k.call('GET', '/sessions?limit=5&extra=1')).status, 400, 'unknown parameters are refused');
});

t.test('pause at rest takes the kiosk out of service at once; resume brings it back; both audited', async (t) => {
  const k = await dashboardKiosk();
  t.teardown(() => k.close());
  t.same(await k.call('POST', '/kiosk/pause'), { status: 200, body: { paused: true, sessionRunning: false } });
  t.match(k.view(), { screen: 'outOfService', reason: 'pausedByStaff' });
  t.match((await k.call('GET', '/overview')).body.kiosk, { screen: 'outOfService', reason: 'pausedByStaff', paused: true });
  await k.call('POST', '/kiosk/pause');
  t.same(
    k
      .auditRows()
      .filter((r) => r.code === 'kioskPaused')
      .map((r) => r.staff_id),
    [OPERATOR],
    'pausing a paused kiosk changes nothing and is not audited twice',
  );
  await k.insertCard(persona('valid'));
  t.match(k.view(), { screen: 'outOfService' }, 'a paused kiosk takes no card');
  t.same(await k.call('POST', '/kiosk/resume'), { status: 200, body: { paused: false, sessionRunning: false } });
  t.match(k.view(), { screen: 'result' }, 'the card left in the reader is read once resumed');
  t.same(
    k
      .auditRows()
      .filter((r) => r.code === 'kioskResumed')
      .map((r) => r.staff_id),
    [OPERATOR],
  );
});

t.test('pause during a session lets it finish, then the kiosk is out of service', async (t) => {
  const k = await dashboardKiosk();
  t.teardown(() => k.close());
  await k.insertCard(persona('valid'));
  t.match(k.view(), { screen: 'result' });
  t.same((await k.call('POST', '/kiosk/pause')).body, { paused: true, sessionRunning: true });
  t.match(k.view(), { screen: 'result' }, 'the taxpayer keeps the result');
  await k.finishSession();
  t.equal(k.f.outbox.length, 1, 'its return data was saved');
  t.match(k.view(), { screen: 'outOfService', reason: 'pausedByStaff' });
});

t.test('assist: the signed-in operator unlocks the record read and confirms the face; refused elsewhere', async (t) => {
  const k = await dashboardKiosk();
  t.teardown(() => k.close());
  const refused = { status: 409, body: { error: 'notInStaffAssist', message: 'the kiosk is not waiting for this staff-assist step' } };
  t.same(await k.call('POST', '/assist/unlock'), refused, 'no unlock on the welcome screen');
  t.same(await k.call('POST', '/assist/face', { matches: true }), refused);
  await k.insertCard(persona('finger-unreadable'), ['noMatch']);
  t.match(k.view(), { screen: 'staffAssist', step: 'callStaff', helpNeeded: true });
  t.same((await k.call('GET', '/overview')).body.assist, { step: 'callStaff', atKiosk: true });
  t.same(
    (await k.call('GET', '/alerts')).body.alerts.map((a: { kind: string }) => a.kind),
    ['helpNeeded'],
  );
  t.same(await k.call('POST', '/assist/face', { matches: true }), refused, 'no face decision before the unlock');
  for (const bad of [{}, { matches: 'yes' }, { matches: true, extra: 1 }, null]) {
    const res = await k.call('POST', '/assist/face', bad);
    t.equal(res.status, 400, JSON.stringify(bad));
  }
  t.match(await k.call('POST', '/assist/unlock'), { status: 200 });
  t.match(k.view(), { screen: 'staffAssist', step: 'compareFace' });
  t.same((await k.call('GET', '/overview')).body.assist, { step: 'compareFace', atKiosk: true });
  t.same(await k.call('POST', '/assist/unlock'), refused, 'a second unlock is refused');
  t.match(await k.call('POST', '/assist/face', { matches: true }), { status: 200 });
  t.match(k.view(), { screen: 'result', outcome: 'verified' });
  const rows = k.auditRows();
  t.match(
    rows.find((r) => r.code === 'staffUnlocked'),
    { staff_id: OPERATOR, outcome: 'dashboard' },
  );
  t.match(
    rows.find((r) => r.code === 'staffFaceDecision'),
    { staff_id: OPERATOR, outcome: 'matches' },
  );
  t.same(await k.call('POST', '/assist/face', { matches: false }), refused, 'no decision once the step is over');
});

t.test("assist: the card photo for the face check, on the kiosk's own screen only, in that step only, never cached", async (t) => {
  const photo = () => k.raw({ method: 'GET', url: '/api/staff/assist/photo' });
  const k = await dashboardKiosk();
  t.teardown(() => k.close());
  t.equal((await photo()).statusCode, 409, 'no photo at rest');
  await k.insertCard(persona('finger-unreadable'), ['noMatch']);
  t.equal((await photo()).statusCode, 409, 'none before the record is unlocked');
  await k.call('POST', '/assist/unlock');
  t.match(k.view(), { screen: 'staffAssist', step: 'compareFace' });
  const res = await photo();
  t.equal(res.statusCode, 200);
  t.same(res.rawPayload, Buffer.from('<svg/>'), 'the photo read from the card');
  t.equal(res.headers['cache-control'], 'no-store');
  t.equal(res.headers['x-content-type-options'], 'nosniff');
  t.equal(res.headers['content-type'], 'application/octet-stream', 'a type a card photo cannot have is not passed on');
  await k.call('POST', '/assist/face', { matches: true });
  t.equal((await photo()).statusCode, 409, 'gone once the face was judged');
  const lan = await dashboardKiosk({ atKiosk: false });
  t.teardown(() => lan.close());
  await lan.insertCard(persona('finger-unreadable'), ['noMatch']);
  t.equal((await lan.raw({ method: 'GET', url: '/api/staff/assist/photo' })).statusCode, 403, 'never to the office LAN');
});

t.test('a body that is not JSON is a typed 400 that echoes nothing', async (t) => {
  const k = await dashboardKiosk();
  t.teardown(() => k.close());
  const secretish = '3313115507920003';
  for (const payload of [`{"matches": ${secretish}`, `matches=${secretish}`]) {
    const res = await k.raw({ method: 'POST', url: '/api/staff/assist/face', headers: { 'content-type': 'application/json' }, payload });
    t.equal(res.statusCode, 400);
    t.same(res.json(), { error: 'badRequest', message: 'request is not valid' });
    t.notOk(res.body.includes(secretish));
  }
});

t.test('actions that take nothing accept no body or {}, and refuse anything else', async (t) => {
  const k = await dashboardKiosk();
  t.teardown(() => k.close());
  t.equal((await k.call('POST', '/kiosk/pause')).status, 200, 'no body');
  t.equal((await k.call('POST', '/kiosk/resume', {})).status, 200, 'an empty object');
  for (const url of ['/kiosk/pause', '/kiosk/resume', '/assist/unlock', '/alerts/1/ack']) {
    const res = await k.call('POST', url, { pin: '1357' });
    t.same(res, { status: 400, body: { error: 'badRequest', message: 'request is not valid' } }, url);
  }
  t.notOk(k.flags.isSet('pausedByStaff'), 'a refused pause changed nothing');
});

t.test("a failure inside a route is a plain 500 and a log line with the error's name only", async (t) => {
  const k = await dashboardKiosk();
  t.teardown(() => k.close());
  rmSync(k.dir, { recursive: true, force: true });
  t.same(await k.call('GET', '/overview'), { status: 500, body: { error: 'internal', message: 'internal error' } });
  const line = k.logLines.find((l) => l.includes('staffRouteFailed'));
  t.match(line, /"name":"Error"/);
  t.notMatch(line, new RegExp(k.dir), 'no path or message in the log');
});

t.test('assist from the office LAN: the dashboard sees the taxpayer waiting but cannot unlock or judge the face', async (t) => {
  const k = await dashboardKiosk({ atKiosk: false });
  t.teardown(() => k.close());
  await k.insertCard(persona('finger-unreadable'), ['noMatch']);
  t.match(k.view(), { screen: 'staffAssist', step: 'callStaff' });
  t.same(
    (await k.call('GET', '/overview')).body.assist,
    { step: 'callStaff', atKiosk: false },
    'the LAN dashboard is told where the decision is taken',
  );
  const atKioskOnly = {
    status: 403,
    body: {
      error: 'assistAtKioskOnly',
      message: "the assisted verification is decided on the kiosk's own screen, in front of the taxpayer",
    },
  };
  t.same(await k.call('POST', '/assist/unlock'), atKioskOnly, 'no unlock from the LAN');
  t.same(await k.call('POST', '/assist/face', { matches: true }), atKioskOnly, 'no face decision from the LAN');
  t.match(k.view(), { screen: 'staffAssist', step: 'callStaff' }, 'the kiosk still waits for staff at its screen');
  t.notOk(
    k.auditRows().some((r) => r.code === 'staffUnlocked' || r.code === 'staffFaceDecision'),
    'nothing was decided',
  );
  t.match(await k.call('POST', '/kiosk/pause'), { status: 200 }, 'supervising from the LAN still works');
});

t.test('assist: a face that differs, decided on the dashboard, ends the session unconfirmed', async (t) => {
  const k = await dashboardKiosk();
  t.teardown(() => k.close());
  await k.insertCard(persona('finger-unreadable'), ['noMatch']);
  await k.call('POST', '/assist/unlock');
  t.match(await k.call('POST', '/assist/face', { matches: false }), { status: 200, body: { step: 'failed' } });
  t.match(k.view(), { screen: 'failed', reason: 'identityNotConfirmed' });
  t.equal(k.f.calls.validate, 0, 'no registry hit');
});
