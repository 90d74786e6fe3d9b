/**
 * The reader power relay's policy on fake ports: how many failures trigger a cycle, the rate
 * limit, the audit, and what the kiosk does when the reader comes back or does not.
 */
import t from 'tap';
import type { AuditEvent, ReaderHealth } from '../../device/flow/ports.ts';
import { MIN_CYCLE_INTERVAL_MS, ReaderPowerPolicy, readerSignal, type PowerCycleOutcome } from '../../device/gpio/reader-power.ts';
import { SimulatedGpio } from '../../device/gpio/simulated.ts';
import type { KioskView } from '../../device/view/protocol.ts';
import { capturingLogger } from './kiosk.ts';

function setUp(opts: { comesBack: boolean }) {
  let now = Date.parse('2026-12-01T03:00:00Z');
  let idReader: ReaderHealth['idReader'] = 'ready';
  const gpio = new SimulatedGpio(async (on) => {
    // A powered-down reader drops off the bus; powered up again, it returns only if it is not broken.
    idReader = on && opts.comesBack ? 'ready' : 'noReader';
  });
  const audit: AuditEvent[] = [];
  const outcomes: PowerCycleOutcome[] = [];
  const log = capturingLogger();
  const policy = new ReaderPowerPolicy({
    gpio,
    reader: { health: () => ({ idReader, cardPresent: false, sam: 'ready', readers: idReader === 'ready' ? 2 : 1 }) },
    clock: { now: () => new Date(now) },
    audit: { record: (e) => audit.push(e) },
    logger: log.logger,
    settings: { afterFailures: 3, offMs: 2000, returnTimeoutMs: 20_000 },
    onCycled: (o) => outcomes.push(o),
    sleep: async (ms) => {
      now += ms;
    },
  });
  return { policy, gpio, audit, outcomes, logs: log.text, advance: (ms: number) => (now += ms) };
}

t.test('three failures in a row cycle the power once; the reader returns', async (t) => {
  const s = setUp({ comesBack: true });
  s.policy.readerFailed();
  s.policy.readerFailed();
  t.equal(s.policy.inProgress, null, 'two failures are not enough');
  s.policy.readerFailed();
  t.equal(await s.policy.inProgress, 'readerBack');
  t.same(s.gpio.powerChanges, [false, true], 'power off, then on');
  t.same(s.audit, [{ code: 'readerPowerCycled', outcome: 'readerBack' }]);
  t.same(s.outcomes, ['readerBack'], 'the kiosk rechecks whether it can serve');
  t.equal(s.policy.consecutiveFailures, 0);
});

t.test('a read that works resets the count', async (t) => {
  const s = setUp({ comesBack: true });
  s.policy.readerFailed();
  s.policy.readerFailed();
  s.policy.readerWorked();
  s.policy.readerFailed();
  s.policy.readerFailed();
  t.equal(s.policy.inProgress, null);
  t.same(s.gpio.powerChanges, []);
});

t.test('at most one cycle per 10 minutes, however many failures follow', async (t) => {
  const s = setUp({ comesBack: true });
  for (let i = 0; i < 3; i++) s.policy.readerFailed();
  await s.policy.inProgress;
  for (let i = 0; i < 9; i++) s.policy.readerFailed();
  t.equal(s.policy.inProgress, null, 'nine more failures within the 10 minutes: no cycle');
  s.advance(MIN_CYCLE_INTERVAL_MS);
  s.policy.readerFailed();
  t.ok(s.policy.inProgress, '10 minutes after the last cycle, the next failure past the threshold cycles again');
  await s.policy.inProgress;
  t.same(s.gpio.powerChanges, [false, true, false, true]);
  t.equal(s.audit.length, 2);
});

t.test('a reader that does not come back: audited, staff alerted, the kiosk told', async (t) => {
  const s = setUp({ comesBack: false });
  for (let i = 0; i < 3; i++) s.policy.readerFailed();
  t.equal(await s.policy.inProgress, 'readerNotBack');
  t.same(s.audit, [{ code: 'readerPowerCycled', outcome: 'readerNotBack' }]);
  t.same(s.outcomes, ['readerNotBack']);
  t.match(s.logs(), /"event":"staffAlert","kind":"readerMissing"/);
});

t.test('what counts as a reader failure and as a working reader', async (t) => {
  const base = { seq: 1, idleWarning: null, demo: false };
  const reading: KioskView = { ...base, screen: 'readingCard', phase: 'templates', progress: 0 };
  const failed = (reason: 'cardUnreadable' | 'readerRemoved' | 'cardRemoved'): KioskView => ({ ...base, screen: 'failed', reason, state: 'readingTemplates', retriable: true, cardInReader: true, detail: null, staffMessage: { id: 'Pesan untuk petugas', en: 'Message for staff' } });
  const missing: KioskView = { ...base, screen: 'outOfService', reason: 'readerMissing' };
  const starting: KioskView = { ...base, screen: 'outOfService', reason: 'starting' };
  t.equal(readerSignal(reading, failed('cardUnreadable')), 'failed');
  t.equal(readerSignal(reading, failed('readerRemoved')), 'failed');
  t.equal(readerSignal(reading, failed('cardRemoved')), null, 'a taxpayer taking the card away is not the reader failing');
  t.equal(readerSignal(starting, missing), 'failed', 'each recheck that finds no reader');
  t.equal(readerSignal(missing, missing), null);
  t.equal(readerSignal(reading, { ...base, screen: 'awaitingFinger', attempt: 1, maxAttempts: 4, fingerPosition: 2, feedback: null }), 'worked');
});
