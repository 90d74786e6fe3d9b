/**
 * The panel agrees with the screen: one light pattern per view, and tones on the changes a
 * taxpayer should hear (card taken, error, idle warning). Checked view by view on the pure
 * function, then along real flows where the lights follow the machine.
 */
import t from 'tap';
import { panelLights, panelTone } from '../../device/view/panel.ts';
import type { KioskView } from '../../device/view/protocol.ts';
import { OUT_OF_SERVICE_REASONS } from '../../device/domain/failure.ts';
import { STAFF_PIN, fakeDeviceKiosk } from './kiosk.ts';

const base = { seq: 1, idleWarning: null, demo: false };
const GREEN = { green: 'on', amber: 'off', red: 'off' };
const AMBER = { green: 'off', amber: 'on', red: 'off' };
const AMBER_BLINKS = { green: 'off', amber: 'blink', red: 'off' };
const RED = { green: 'off', amber: 'off', red: 'on' };

const VIEWS: Array<[KioskView, object]> = [
  [{ ...base, screen: 'outOfService', reason: 'starting' }, AMBER],
  ...OUT_OF_SERVICE_REASONS.filter((r) => r !== 'starting').map((reason): [KioskView, object] => [
    { ...base, screen: 'outOfService', reason },
    RED,
  ]),
  [{ ...base, screen: 'welcome' }, GREEN],
  [{ ...base, screen: 'readingCard', phase: 'templates', progress: 0.5 }, AMBER],
  [{ ...base, screen: 'awaitingFinger', attempt: 1, maxAttempts: 4, fingerPosition: 2, feedback: null }, AMBER],
  [
    {
      ...base,
      screen: 'staffAssist',
      step: 'callStaff',
      why: 'fingerNotMatched',
      pinRejected: false,
      helpNeeded: true,
      staffPin: { attemptsLeft: null, lockedUntil: null },
      photo: null,
    },
    AMBER_BLINKS,
  ],
  [
    {
      ...base,
      screen: 'staffAssist',
      step: 'compareFace',
      why: 'taxpayerChoice',
      pinRejected: false,
      helpNeeded: true,
      staffPin: { attemptsLeft: null, lockedUntil: null },
      photo: null,
    },
    AMBER_BLINKS,
  ],
  [{ ...base, screen: 'validating' }, AMBER],
  [{ ...base, screen: 'result', outcome: 'verified', fields: [], compared: true, canLinkReturnData: true }, GREEN],
  [{ ...base, screen: 'result', outcome: 'dataDiffers', fields: [], compared: true, canLinkReturnData: true }, AMBER],
  [{ ...base, screen: 'result', outcome: 'notFound', fields: [], compared: true, canLinkReturnData: false }, AMBER],
  [{ ...base, screen: 'returnData', error: null, submissions: 0 }, AMBER],
  [{ ...base, screen: 'finished', why: 'completed' }, AMBER],
  [
    {
      ...base,
      screen: 'failed',
      reason: 'cardUnreadable',
      state: 'readingTemplates',
      retriable: true,
      cardInReader: true,
      detail: null,
      staffMessage: { id: 'Pesan untuk petugas', en: 'Message for staff' },
    },
    RED,
  ],
];

t.test('every view has its lights; help needed blinks amber; exactly one light is lit', async (t) => {
  for (const [view, lights] of VIEWS) {
    const got = panelLights(view);
    t.same(got, lights, `${view.screen}${'reason' in view ? ` (${view.reason})` : ''}${'outcome' in view ? ` (${view.outcome})` : ''}`);
    t.equal(Object.values(got).filter((l) => l !== 'off').length, 1);
  }
});

t.test('tones: short on a card taken, distinct on errors and the idle warning, silent otherwise', async (t) => {
  const welcome: KioskView = { ...base, screen: 'welcome' };
  const reading: KioskView = { ...base, screen: 'readingCard', phase: 'templates', progress: 0 };
  const finger = (attempt: number): KioskView => ({
    ...base,
    screen: 'awaitingFinger',
    attempt,
    maxAttempts: 4,
    fingerPosition: 2,
    feedback: null,
  });
  const failed: KioskView = {
    ...base,
    screen: 'failed',
    reason: 'cardRemoved',
    state: 'awaitingFinger',
    retriable: true,
    cardInReader: true,
    detail: null,
    staffMessage: { id: 'Pesan untuk petugas', en: 'Message for staff' },
  };
  const tamper: KioskView = { ...base, screen: 'outOfService', reason: 'tamper' };
  t.equal(panelTone(welcome, reading), 'cardRead');
  t.equal(panelTone(reading, { ...reading, progress: 0.5 }), null, 'progress is silent');
  t.equal(panelTone(reading, finger(1)), null);
  t.equal(panelTone(finger(1), finger(2)), 'error', 'a finger that did not match');
  t.equal(panelTone(finger(2), { ...finger(2), idleWarning: { secondsLeft: 20 } }), 'idleWarning');
  t.equal(
    panelTone({ ...finger(2), idleWarning: { secondsLeft: 20 } }, { ...finger(2), idleWarning: { secondsLeft: 19 } }),
    null,
    'once per warning',
  );
  t.equal(panelTone(finger(2), failed), 'error');
  t.equal(panelTone(failed, { ...failed, seq: 2 }), null);
  t.equal(panelTone(welcome, tamper), 'error');
  t.equal(panelTone(tamper, tamper), null, 'a recheck of the same reason is silent');
  t.equal(panelTone(null, { ...base, screen: 'outOfService', reason: 'starting' }), null, 'booting is silent');
  t.equal(panelTone(null, welcome), null);
});

t.test('along a flow: the lights follow the screen step by step', async (t) => {
  const k = await fakeDeviceKiosk(t, { configure: (f) => f.set.finger(['noMatch', 'noMatch', 'noMatch', 'noMatch']) });
  t.same(k.gpio.lights, GREEN);
  await k.send({ type: 'CARD_INSERTED' });
  t.match(k.view(), { screen: 'staffAssist', step: 'callStaff' });
  t.same(k.gpio.lights, AMBER_BLINKS, 'four fingers did not match: staff help is needed');
  t.same(k.gpio.tones, ['cardRead', 'error', 'error', 'error'], 'a beep for the card, an error tone per failed finger after the first');
  await k.intent({ type: 'staffUnlock', pin: STAFF_PIN });
  await k.intent({ type: 'staffConfirmFace', matches: true });
  t.match(k.view(), { screen: 'result', outcome: 'verified' });
  t.same(k.gpio.lights, GREEN);
  await k.advance(60_000);
  t.not(k.view().idleWarning, null, 'the idle warning runs');
  t.equal(k.gpio.tones.at(-1), 'idleWarning');
  await k.advance(20_000);
  t.match(k.view(), { screen: 'failed', reason: 'sessionTimeout' });
  t.same(k.gpio.lights, RED);
  t.equal(k.gpio.tones.at(-1), 'error');
});
