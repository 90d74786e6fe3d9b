/**
 * The tamper lock as staff and taxpayers would see it: an opened enclosure ends whatever was
 * going on, clears the session's data, locks the kiosk out of service, alerts staff and leaves
 * an audit trail; closing the enclosure is not enough, a staff PIN with the enclosure closed is.
 */
import t from 'tap';
import type { Fakes } from '../flow/fakes.ts';
import { SimulatedGpio } from '../../device/gpio/simulated.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STAFF_PIN, fakeDeviceKiosk } from './kiosk.ts';

const locked = { screen: 'outOfService', reason: 'tamper' };

t.test('idle: opening locks the kiosk; it stays locked when closed until staff clear it with a PIN', async (t) => {
  const k = await fakeDeviceKiosk(t);
  t.equal(k.view().screen, 'welcome');
  t.same(k.gpio.lights, { green: 'on', amber: 'off', red: 'off' });
  k.gpio.setTamper(true);
  await k.flush();
  t.match(k.view(), locked);
  t.same(k.gpio.lights, { green: 'off', amber: 'off', red: 'on' }, 'red light');
  t.equal(k.gpio.tones.at(-1), 'error', 'error tone');
  t.ok(
    k.f.audit.some((e) => e.code === 'tamperOpened'),
    'audited',
  );
  t.match(k.logs(), /"event":"staffAlert","kind":"tamper"/, 'staff alerted');

  t.equal(await k.tamper.clear(STAFF_PIN), 'switchOpen', 'not while the enclosure is open');
  k.gpio.setTamper(false);
  await k.flush();
  t.match(k.view(), locked, 'closing the enclosure does not unlock');
  await k.advance(30_000);
  t.match(k.view(), locked, 'nor does the periodic recheck');

  t.equal(await k.tamper.clear('0000'), 'pinRejected');
  await k.flush();
  t.match(k.view(), locked, 'a wrong PIN changes nothing');
  t.ok(k.f.audit.some((e) => e.code === 'tamperClearRefused'));

  t.equal(await k.tamper.clear(STAFF_PIN), 'cleared');
  await k.flush();
  t.equal(k.view().screen, 'welcome');
  t.match(
    k.f.audit.find((e) => e.code === 'tamperCleared'),
    { staffId: 'petugas-1' },
  );
  t.equal(await k.tamper.clear(STAFF_PIN), 'notLocked', 'nothing to clear any more');
  t.notMatch(k.logs(), new RegExp(STAFF_PIN), 'the PIN is never logged');
});

/** How to bring a session to each of its states on the fake ports. */
const SESSION_STATES: Array<
  [string, (f: Fakes) => void, ((k: Awaited<ReturnType<typeof fakeDeviceKiosk>>) => Promise<void>) | null, string]
> = [
  ['readingTemplates', (f) => f.set.templates('hang'), null, 'readingCard'],
  ['awaitingFinger', (f) => f.set.finger(['hang']), null, 'awaitingFinger'],
  ['staffAssist', (f) => f.set.finger(['hang']), async (k) => void (await k.intent({ type: 'cannotGiveFinger' })), 'staffAssist'],
  ['readingRecord', (f) => f.set.record('hang'), null, 'readingCard'],
  ['validating', (f) => f.set.registry('hang'), null, 'validating'],
  ['result', () => undefined, null, 'result'],
  ['returnData', () => undefined, async (k) => void (await k.intent({ type: 'linkReturnData' })), 'returnData'],
  ['finished', () => undefined, async (k) => void (await k.intent({ type: 'finish' })), 'finished'],
  ['failed', (f) => f.set.templates({ fail: 'cardUnreadable' }), null, 'failed'],
];

for (const [state, configure, then, screen] of SESSION_STATES) {
  t.test(`a session in ${state}: aborted, its data cleared, the kiosk locked`, async (t) => {
    const k = await fakeDeviceKiosk(t, { configure });
    await k.send({ type: 'CARD_INSERTED' });
    if (then) await then(k);
    t.equal(k.view().screen, screen, `the session is in ${state}`);
    const endSessions = k.f.calls.endSession;
    k.gpio.setTamper(true);
    await k.flush();
    t.match(k.view(), locked);
    const c = k.ctx();
    t.same([c.sessionId, c.templates, c.record, c.verdict], [null, null, null, null], 'no session and no personal data left');
    t.ok(k.f.calls.endSession > endSessions, 'the card channel was closed');
    t.same(
      k.f.audit.slice(-3).map((e) => e.code),
      ['tamperOpened', 'sessionEnd', 'outOfService'],
      'the opening, the end of the session and the lock are audited in that order',
    );
    t.equal(k.f.audit.at(-1)?.outcome, 'tamper');
    await k.send({ type: 'CARD_REMOVED' });
    k.gpio.setTamper(false);
    await k.flush();
    t.match(k.view(), locked, 'still locked after the card is gone and the enclosure closed');
  });
}

t.test('the lock survives a restart, and an enclosure open at start locks at once', async (t) => {
  const stateDir = mkdtempSync(join(tmpdir(), 'anj9-state-'));
  t.teardown(() => rmSync(stateDir, { recursive: true, force: true }));
  const first = await fakeDeviceKiosk(t, { stateDir });
  first.gpio.setTamper(true);
  await first.flush();
  first.gpio.setTamper(false);
  first.runtime.stop();
  const again = await fakeDeviceKiosk(t, { stateDir });
  t.match(again.view(), locked, 'the restarted kiosk is still locked');
  t.equal(await again.tamper.clear(STAFF_PIN), 'cleared');
  await again.flush();
  t.equal(again.view().screen, 'welcome');

  const openGpio = new SimulatedGpio();
  openGpio.setTamper(true);
  const opened = await fakeDeviceKiosk(t, { gpio: openGpio });
  t.match(opened.view(), locked);
  t.ok(
    opened.f.audit.some((e) => e.code === 'tamperOpened'),
    'found open at start: audited',
  );
});
