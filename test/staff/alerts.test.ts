/**
 * The alert log on a real SQLite file: one open alert per kind per WIB day, quota thresholds
 * once a day, acknowledgement by an operator; what the kiosk records that raises one; and the
 * projection of the day's quota.
 */
import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../device/store/db.ts';
import { KioskEvents } from '../../device/flow/events.ts';
import { AlertLog, attachAlerts } from '../../device/staff/alerts.ts';
import { MIN_RATE_WINDOW_MS, projectLimitAt } from '../../device/staff/quota-outlook.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;

function store(t: { teardown(fn: () => void): void }) {
  const dir = mkdtempSync(join(tmpdir(), 'anj14ops-'));
  let now = Date.parse('2026-12-01T16:30:00.000Z'); // 23:30 WIB
  const clock = { now: () => new Date(now) };
  const db = openDatabase(dir);
  const second = openDatabase(dir);
  t.teardown(() => {
    db.close();
    second.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { db, log: new AlertLog(db, clock), other: new AlertLog(second, clock), advance: (ms: number) => (now += ms) };
}

t.test('one open alert per kind per WIB day, even raised through two connections', async (t) => {
  const s = store(t);
  const first = s.log.raise('helpNeeded');
  t.ok(first.raised);
  t.notOk(s.other.raise('helpNeeded').raised, 'the other connection finds it open');
  t.ok(s.log.raise('tamper').raised, 'another kind is its own alert');
  t.equal(s.log.list().length, 2);
  t.match(s.log.acknowledge(first.alert.id, 'op-1'), { acknowledged: { id: first.alert.id, acknowledgedBy: 'op-1' } });
  t.ok(s.log.raise('helpNeeded').raised, 'once acknowledged, a new call for help is a new alert');
  t.same(s.log.acknowledge(first.alert.id, 'op-2'), { refused: 'alreadyAcknowledged' });
  t.same(s.log.acknowledge(4242, 'op-2'), { refused: 'alertNotFound' });
});

t.test('a quota threshold is raised once a WIB day, acknowledged or not; the next day again', async (t) => {
  const s = store(t);
  const q = s.log.raise('quota80');
  s.log.acknowledge(q.alert.id, 'op-1');
  t.notOk(s.log.raise('quota80').raised);
  s.advance(29 * MIN); // 23:59 WIB
  t.notOk(s.log.raise('quota80').raised);
  s.advance(2 * MIN); // 00:01 WIB the next day
  t.ok(s.log.raise('quota80').raised, 'a new WIB day, a new threshold crossing');
});

t.test('acknowledged alerts leave the list after a week; open ones stay', async (t) => {
  const s = store(t);
  const done = s.log.raise('tamper');
  s.log.raise('accessRefused');
  s.log.acknowledge(done.alert.id, 'op-1');
  s.advance(8 * 24 * HOUR);
  t.same(
    s.log.list().map((a) => a.kind),
    ['accessRefused'],
  );
});

t.test('what raises an alert: a condition as it begins, an opening of the enclosure, a reader not back, the quota', async (t) => {
  const s = store(t);
  const events = new KioskEvents({ record: () => undefined }, { error: () => undefined });
  let usage = { day: '2026-12-01', used: 79, limit: 100 };
  const detach = attachAlerts({ events, alerts: s.log, quota: () => usage, logger: { warn: () => undefined, error: () => undefined } });
  const kinds = () =>
    s.log
      .list()
      .map((a) => a.kind)
      .reverse();
  t.same(kinds(), [], 'nothing at 79 %');
  events.record({ code: 'outOfService', outcome: 'uplinkRejected' });
  events.record({ code: 'outOfService', outcome: 'uplinkRejected' });
  t.same(kinds(), ['accessRefused'], 'the rechecks of a kiosk out of service begin nothing new');
  s.log.acknowledge(s.log.list()[0]!.id, 'op-1');
  events.record({ code: 'outOfService', outcome: 'uplinkRejected' });
  t.same(kinds(), ['accessRefused'], 'not even once acknowledged');
  events.record({ code: 'inService', outcome: 'uplinkRejected' });
  events.record({ code: 'staffAssistStart', outcome: 'fingerNotMatched' });
  events.record({ code: 'staffPinRejected' });
  t.same(kinds(), ['accessRefused', 'helpNeeded']);
  events.record({ code: 'staffUnlocked', staffId: 'op-1' });
  events.record({ code: 'sessionEnd', outcome: 'completed' });
  events.record({ code: 'tamperOpened' });
  events.record({ code: 'outOfService', outcome: 'tamper' });
  t.same(kinds(), ['accessRefused', 'helpNeeded', 'tamper'], 'one tamper alert for the opening and the kiosk locked by it');
  events.record({ code: 'readerPowerCycled', outcome: 'readerBack' });
  events.record({ code: 'readerPowerCycled', outcome: 'readerNotBack' });
  usage = { day: '2026-12-01', used: 100, limit: 100 };
  events.record({ code: 'validated', outcome: 'notFound' });
  t.same(kinds(), ['accessRefused', 'helpNeeded', 'tamper', 'readerMissing', 'quota80', 'quota95', 'quotaReached']);
  detach();
  events.record({ code: 'tamperOpened' });
  t.equal(s.log.list().length, 7, 'detached: nothing more');
});

t.test('a store that cannot write an alert is logged and does not stop the flow', async (t) => {
  const s = store(t);
  const errors: string[] = [];
  const audited: string[] = [];
  const events = new KioskEvents({ record: (e) => audited.push(e.code) }, { error: (o: object) => void errors.push(JSON.stringify(o)) });
  attachAlerts({
    events,
    alerts: s.log,
    quota: () => {
      throw new Error('disk I/O error');
    },
    logger: { warn: () => undefined, error: (o: object) => void errors.push(JSON.stringify(o)) } as never,
  });
  s.db.close();
  t.doesNotThrow(() => events.record({ code: 'staffAssistStart', outcome: 'taxpayerChoice' }));
  t.same(audited, ['staffAssistStart'], 'the event is audited all the same');
  t.match(errors.join('\n'), /staffAlertFailed[\s\S]*helpNeeded/);
  t.notMatch(errors.join('\n'), /disk I\/O error/, "only the error's name is logged");
});

t.test('projection of the daily limit at the recent rate', async (t) => {
  const dayEnd = 24 * HOUR;
  t.equal(projectLimitAt([], 100, 10 * HOUR, dayEnd), null, 'no hits, no projection');
  const every10min = Array.from({ length: 13 }, (_, i) => 8 * HOUR + i * 10 * MIN); // 08:00 … 10:00
  // The last hour (09:00-10:00) holds 7 hits: 87 left at 7 an hour.
  t.equal(projectLimitAt(every10min, 100, 10 * HOUR, dayEnd), Math.ceil(10 * HOUR + (87 * HOUR) / 7));
  t.equal(projectLimitAt(every10min, 13, 10 * HOUR, dayEnd), every10min[12], 'reached: the time of the hit that used it up');
  t.equal(projectLimitAt(every10min, 10, 10 * HOUR, dayEnd), every10min[9], 'over the limit (a shared quota): the limit-th hit');
  t.equal(projectLimitAt(every10min, 1000, 10 * HOUR, dayEnd), null, 'at 7 an hour, 987 hits are not reached before midnight');
  t.equal(projectLimitAt(every10min, 100, 12 * HOUR, dayEnd), null, 'no hit in the last hour: no rate to project');
  // Two hits a minute apart just after opening: the rate is taken over 15 minutes, not 1.
  const opening = [8 * HOUR, 8 * HOUR + MIN];
  t.equal(projectLimitAt(opening, 10, 8 * HOUR + MIN, dayEnd), 8 * HOUR + MIN + (8 * MIN_RATE_WINDOW_MS) / 2);
  // Random arrivals at a known mean rate project near the true time.
  let seed = 7;
  const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const poisson: number[] = [];
  for (let at = 8 * HOUR; at < 12 * HOUR; at += -Math.log(1 - random()) * (HOUR / 60)) poisson.push(at);
  const projected = projectLimitAt(poisson, poisson.length + 300, 12 * HOUR, dayEnd)!;
  t.ok(
    Math.abs(projected - 17 * HOUR) < 45 * MIN,
    `300 more hits at 60 an hour: about 17:00, projected ${(projected / HOUR) | 0}:${String(Math.round((projected % HOUR) / MIN)).padStart(2, '0')}`,
  );
});
