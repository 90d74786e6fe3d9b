/**
 * The reader power relay's policy on fake ports: how many failures trigger a cycle, the rate
 * limit, the audit, and what the kiosk does when the reader comes back or does not; and the
 * failures it counts, as the flow's events report them.
 */
import t from 'tap';
import type { ReaderHealth } from '../../device/flow/ports.ts';
import type { AuditEvent } from '../../device/domain/audit.ts';
import { MIN_CYCLE_INTERVAL_MS, ReaderPowerPolicy, readerSignal, type PowerCycleOutcome } from '../../device/gpio/reader-power.ts';
import { SimulatedGpio } from '../../device/gpio/simulated.ts';
import { capturingLogger } from '../support/logger.ts';
import { fakeDeviceKiosk } from './kiosk.ts';

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
  t.equal(readerSignal({ code: 'sessionFailed', state: 'readingTemplates', outcome: 'cardUnreadable' }), 'failed');
  t.equal(readerSignal({ code: 'sessionFailed', state: 'readingRecord', outcome: 'readerRemoved' }), 'failed');
  t.equal(
    readerSignal({ code: 'sessionFailed', state: 'readingTemplates', outcome: 'cardRemoved' }),
    null,
    'a taxpayer taking the card away is not the reader failing',
  );
  t.equal(readerSignal({ code: 'outOfService', outcome: 'readerMissing' }), 'failed', 'each recheck that finds no reader');
  t.equal(readerSignal({ code: 'outOfService', outcome: 'tamper' }), null);
  t.equal(readerSignal({ code: 'templatesRead' }), 'worked');
});

t.test('the relay learns from the flow: three unreadable cards in a row cycle the reader once', async (t) => {
  const k = await fakeDeviceKiosk(t, {
    readerRelay: true,
    configure: (f) => f.set.templates({ fail: 'cardUnreadable', detail: { kind: 'statusWord', value: '6F00' } }),
  });
  for (let i = 0; i < 2; i++) {
    await k.send({ type: 'CARD_INSERTED' });
    await k.send({ type: 'CARD_REMOVED' });
    await k.advance(6_000);
  }
  t.equal(k.readerPower.consecutiveFailures, 2);
  t.equal(k.readerPower.inProgress, null, 'two failures: not yet');
  await k.send({ type: 'CARD_INSERTED' });
  t.ok(k.readerPower.inProgress, 'the third: the power is cycled');
  t.equal(await k.readerPower.inProgress, 'readerBack');
  t.same(k.gpio.powerChanges, [false, true]);
  t.match(k.f.audit.at(-1), { code: 'readerPowerCycled', outcome: 'readerBack' });
});
