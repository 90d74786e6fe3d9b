import t from 'tap';
import { persona } from '../../device/sim/personas.ts';
import { HELD_FINGER_MS, SimulatedFingerSensor } from '../../device/sim/finger-sensor.ts';
import { createRng } from '../../device/sim/finger-synth.ts';

const holder = persona('valid');

function sensorWithClock() {
  const clock = { now: 1_000_000 };
  const sensor = new SimulatedFingerSensor({ rng: createRng('sensor-test'), now: () => clock.now });
  return { sensor, clock };
}

const settled = async (p: Promise<unknown>): Promise<boolean> => {
  let done = false;
  p.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((r) => setImmediate(r));
  return done;
};

t.test('a capture waits for a finger, then returns the requested finger', async (t) => {
  const { sensor } = sensorWithClock();
  t.equal(sensor.health(), 'ready');
  const capture = sensor.capture(7, new AbortController().signal);
  t.notOk(await settled(capture), 'still waiting with no finger on the sensor');
  sensor.present(holder, true);
  const c = await capture;
  t.equal(c.kind, 'captured');
  if (c.kind === 'captured') {
    t.equal(c.template.fingerPosition, 7);
    t.equal(c.quality, c.template.quality);
    t.ok(c.template.minutiae.length >= 12);
  }
});

t.test('an aborted capture rejects with the abort reason and takes no later finger', async (t) => {
  const { sensor } = sensorWithClock();
  const ac = new AbortController();
  const capture = sensor.capture(2, ac.signal);
  const reason = new Error('session ended');
  ac.abort(reason);
  await t.rejects(capture, reason);
  await t.rejects(sensor.capture(2, ac.signal), reason, 'an already aborted signal rejects at once');
  sensor.present(holder, true);
  t.equal((await sensor.capture(2, new AbortController().signal)).kind, 'captured', 'the finger went to the next capture instead');
});

t.test('a finger presented early is kept only briefly', async (t) => {
  const { sensor, clock } = sensorWithClock();
  sensor.present(holder, true);
  clock.now += HELD_FINGER_MS;
  t.ok(await settled(sensor.capture(2, new AbortController().signal)), 'used within the hold time');
  sensor.present(holder, true);
  clock.now += HELD_FINGER_MS + 1;
  const ac = new AbortController();
  const late = sensor.capture(2, ac.signal);
  t.notOk(await settled(late), 'a stale touch is not used');
  ac.abort(new Error('done'));
  await t.rejects(late);
});

t.test('an unavailable sensor refuses captures with sensorUnavailable', async (t) => {
  const { sensor } = sensorWithClock();
  const waiting = sensor.capture(2, new AbortController().signal);
  sensor.setHealth('missing');
  t.equal(sensor.health(), 'missing');
  await t.rejects(waiting, { name: 'DeviceError', reason: 'sensorUnavailable' }, 'the waiting capture fails');
  await t.rejects(sensor.capture(2, new AbortController().signal), { name: 'DeviceError', reason: 'sensorUnavailable' });
  sensor.present(holder, true);
  sensor.setHealth('ready');
  const ac = new AbortController();
  const afterUnplugged = sensor.capture(2, ac.signal);
  t.notOk(await settled(afterUnplugged), 'a touch on the unplugged sensor was not kept');
  ac.abort(new Error('done'));
  await t.rejects(afterUnplugged);
  const again = sensor.capture(2, new AbortController().signal);
  sensor.present(holder, true);
  t.equal((await again).kind, 'captured', 'works again once back');
});

t.test('refuses a finger position that does not exist', async (t) => {
  const { sensor } = sensorWithClock();
  await t.rejects(sensor.capture(11, new AbortController().signal), { name: 'TemplateFormatError', code: 'badFingerPosition' });
  await t.rejects(sensor.capture(1.5, new AbortController().signal), { name: 'TemplateFormatError', code: 'badFingerPosition' });
});
