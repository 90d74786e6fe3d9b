/**
 * The report reads what the flow itself writes, not only what the generator imitates: the real
 * machine (on fake devices) audits into the real AuditLog and outbox on SQLite, through an
 * out-of-service period and sessions of each kind, and the report counts exactly those.
 */
import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KioskRuntime } from '../../device/view/runtime.ts';
import { computeSemesterReport, parseSemester } from '../../device/report/semester.ts';
import { AuditLog } from '../../device/store/audit-log.ts';
import { openDatabase } from '../../device/store/db.ts';
import { ReturnDataOutbox } from '../../device/store/return-data-outbox.ts';
import { makeFakes, settle, startRuntime } from '../flow/fakes.ts';

const dir = mkdtempSync(join(tmpdir(), 'anj14r-flow-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

t.test('an afternoon of the real flow, counted', async (t) => {
  const db = openDatabase(join(dir, 'state'));
  t.teardown(() => db.close());
  const f = makeFakes();
  // 10 August 2026, 09:00 WIB, moved on by the machine's own simulated clock.
  const base = Date.parse('2026-08-10T02:00:00Z');
  const clock = { now: () => new Date(base + f.clock.now()) };
  f.deps.clock = clock;
  f.deps.audit = new AuditLog(db, new Uint8Array(32).fill(7), clock);
  f.deps.returnData = new ReturnDataOutbox(db, new Uint8Array(32).fill(9), clock);
  f.set.readiness({ ready: false, reason: 'uplinkDown' });
  const runtime = startRuntime(f);
  const flush = async () => {
    for (let i = 0; i < 4; i++) await settle();
  };
  const advance = async (ms: number) => {
    f.clock.increment(ms);
    await flush();
  };
  const intent = async (i: Parameters<KioskRuntime['sendIntent']>[0]) => {
    t.ok(runtime.sendIntent(i), i.type);
    await flush();
  };
  const cardIn = async () => {
    runtime.send({ type: 'CARD_INSERTED' });
    await flush();
  };
  const cardOut = async () => {
    runtime.send({ type: 'CARD_REMOVED' });
    await flush();
    await advance(6_000);
  };
  await flush();

  // Out of service for 45 minutes (rechecked every 30 s), then in service again.
  for (let i = 0; i < 90; i++) await advance(30_000);
  f.set.readiness({ ready: true });
  runtime.send({ type: 'READINESS_CHANGED' });
  await flush();
  t.equal(runtime.view().screen, 'welcome');

  // 1: finger matches, verified, return data linked.
  await cardIn();
  await intent({ type: 'linkReturnData' });
  await intent({ type: 'submitReturnData', npwpd: 'P.2.0001234.33.13' });
  await cardOut();
  // 2: the chip cannot be read.
  f.set.templates({ fail: 'cardUnreadable' });
  await cardIn();
  await cardOut();
  f.set.templates({ ok: { templates: [{ fingerPosition: 2, width: 400, height: 500, resolutionDpi: 500, quality: 80, minutiae: [] }] } });
  // 3: every finger fails; staff unlock and confirm the face; verified.
  f.set.finger(['noMatch', 'noMatch', 'noMatch', 'noMatch', 'matched']);
  await cardIn();
  await intent({ type: 'staffUnlock', pin: '1357' });
  await intent({ type: 'staffConfirmFace', matches: true });
  t.equal(runtime.view().screen, 'result');
  await intent({ type: 'finish' });
  await cardOut();
  // 4: the taxpayer cannot give a finger; staff say the face differs.
  f.set.finger(['hang']);
  await cardIn();
  await intent({ type: 'cannotGiveFinger' });
  await intent({ type: 'staffUnlock', pin: '1357' });
  await intent({ type: 'staffConfirmFace', matches: false });
  await cardOut();
  // 5: Dukcapil says the day's quota is gone: the kiosk stops serving.
  f.set.finger(['matched']);
  f.set.registry({ ok: { kind: 'quotaReached' } });
  await cardIn();
  await cardOut();
  t.match(runtime.view(), { screen: 'outOfService', reason: 'quotaReached' });
  await advance(2 * 60 * 60_000);
  runtime.stop();

  const report = await computeSemesterReport(
    { db, kiosk: null, agreementNumbers: [], dailyQuota: 1000, now: clock.now },
    parseSemester('2026-2'),
  );
  const august = report.months[1]!;
  t.equal(august.sessions, 5);
  t.match(august.cardReads, { read: 4, cardUnreadable: 1 });
  t.same(august.fingerprint, { pass: 2, fail: 1, noFingerGiven: 1, staffAssisted: 1 });
  t.match(august.uplink, { verified: 2, quotaReached: 1 });
  t.same(august.returnData, { queued: 1, delivered: 0, exported: 0, pending: 1 });
  t.equal(august.quotaReachedDays, 1);
  t.same(report.quotaReachedDates, ['2026-08-10']);
  t.equal(Math.round(august.outOfServiceHours.uplinkDown * 60), 45, 'the 45 minutes out of service, from the flow’s own rows');
  const quotaHours = august.outOfServiceHours.quotaReached;
  t.ok(quotaHours > 1.9 && quotaHours < 2.1, `out of service for the quota until now (${quotaHours.toFixed(2)} h)`);
  t.equal(report.total.sessions, 5, 'nothing in the other months');
});
