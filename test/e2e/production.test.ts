/**
 * Production rehearsal (see rehearsal.ts): the daemon in production mode verifies the `valid`
 * persona by an image of its own finger, captured through libfprint by the capture helper and
 * turned into minutiae by our extractor; another finger's images are refused four times and the
 * taxpayer is sent to staff; the card's other finger is refused on tries 1–2 (each touch is
 * compared only with the finger asked for) and verifies on try 3, when it is asked for. Needs pcscd (run under the PC/SC lock, as `make test` does).
 */
import t from 'tap';
import { persona } from '../../device/sim/personas.ts';
import { KioskClient } from '../support/kiosk-client.ts';
import { holderFingertipTouch, holderTouch, strangerTouch } from '../support/rendered-persona-fingers.ts';
import { startRehearsal } from './rehearsal.ts';

const rehearsal = await startRehearsal();
t.teardown(() => rehearsal.stop());
const k = new KioskClient(rehearsal.kiosk.url);
const valid = persona('valid');

t.test('the production daemon starts on its config file with the libfprint sensor ready', async (t) => {
  await k.until((v) => v.screen === 'welcome', 'welcome', 30_000);
  const health = (await (await fetch(`${k.url}/healthz`)).json()) as { devices: { sensor: string; reader: { sam: string } } };
  t.equal(health.devices.sensor, 'ready', 'the libfprint sensor is open');
  t.equal(health.devices.reader.sam, 'ready', 'the SAM opened with the provisioned secret');
  t.equal((await k.view()).demo, false, 'no demo controls in production');
  t.equal(await k.call('POST', '/api/demo/card', { persona: 'valid' }), 404, 'the demo API does not exist in production');
});

t.test('valid: an image of the holder’s own finger verifies, through to the registry’s answer', async (t) => {
  await rehearsal.devices.insert(valid);
  const prompt = await k.until((v) => v.screen === 'awaitingFinger', 'finger prompt', 30_000);
  t.equal(prompt.screen === 'awaitingFinger' && prompt.fingerPosition, valid.fingerPositions[0]);
  await rehearsal.sensor.place(holderTouch(valid, 'rehearsal-1'));
  const end = await k.until(
    (v) => v.screen === 'result' || v.screen === 'failed' || v.screen === 'staffAssist' || (v.screen === 'awaitingFinger' && v.attempt > 1),
    'decision',
    60_000,
  );
  t.equal(end.screen, 'result', 'the finger matched and the card was read and validated');
  if (end.screen === 'result') t.equal(end.outcome, 'verified');
  await k.intent({ type: 'finish' });
  await k.until((v) => v.screen === 'finished', 'take your card');
  await rehearsal.devices.remove();
  await k.until((v) => v.screen === 'welcome', 'welcome again', 15_000);
});

t.test('a fingertip barely touching gets a hint, not a match attempt; cancelling ends the capture', async (t) => {
  await rehearsal.devices.insert(valid);
  await k.until((v) => v.screen === 'awaitingFinger' && v.attempt === 1, 'finger prompt', 30_000);
  await rehearsal.sensor.place(holderFingertipTouch(valid, 'rehearsal-tip'));
  const v = await k.until((v) => !(v.screen === 'awaitingFinger' && v.attempt === 1), 'the touch judged', 60_000);
  t.equal(v.screen, 'awaitingFinger', 'asked again');
  if (v.screen === 'awaitingFinger') {
    t.not(v.feedback, 'noMatch', 'not matched against the card');
    t.ok(['placeCentered', 'pressLonger', 'cleanFinger'].includes(String(v.feedback)), `the taxpayer is told what to do (${v.feedback})`);
  }
  await k.intent({ type: 'cancel' });
  await k.until((v) => v.screen === 'finished' || v.screen === 'welcome', 'session ended', 15_000);
  await rehearsal.devices.remove();
  await k.until((v) => v.screen === 'welcome', 'welcome again', 15_000);
  const health = (await (await fetch(`${k.url}/healthz`)).json()) as { devices: { sensor: string } };
  t.equal(health.devices.sensor, 'ready', 'the sensor is ready for the next taxpayer');
});

t.test('another finger is refused four times, then the taxpayer is sent to staff', async (t) => {
  await rehearsal.devices.insert(valid);
  for (let attempt = 1; attempt <= 4; attempt++) {
    const v = await k.until((v) => v.screen === 'awaitingFinger' && v.attempt === attempt, `attempt ${attempt}`, 30_000);
    // Refused: not matched, or (an image the matcher finds unfit) asked for another touch.
    if (attempt > 1)
      t.ok(
        v.screen === 'awaitingFinger' && v.feedback !== null,
        `attempt ${attempt - 1} was refused (${v.screen === 'awaitingFinger' ? v.feedback : v.screen})`,
      );
    await rehearsal.sensor.place(strangerTouch('impostor', `rehearsal-${attempt}`));
    const next = await k.until((v) => !(v.screen === 'awaitingFinger' && v.attempt === attempt), `decision on attempt ${attempt}`, 60_000);
    if (next.screen !== 'awaitingFinger') break;
  }
  const end = await k.until(
    (v) => ['staffAssist', 'result', 'failed', 'finished'].includes(v.screen),
    'the end of the finger step',
    60_000,
  );
  t.equal(end.screen, 'staffAssist', 'staff assistance after four refusals, never a match');
  if (end.screen === 'staffAssist') t.equal(end.why, 'fingerNotMatched');
  await rehearsal.devices.remove();
  await k.until((v) => v.screen === 'welcome', 'welcome again', 15_000);
});

t.test('the card’s other finger is compared only when asked for: refused on tries 1–2, verified on try 3', async (t) => {
  const [first, other] = valid.fingerPositions;
  await rehearsal.devices.insert(valid);
  for (let attempt = 1; attempt <= 3; attempt++) {
    const v = await k.until((v) => v.screen === 'awaitingFinger' && v.attempt === attempt, `attempt ${attempt}`, 30_000);
    const asked = v.screen === 'awaitingFinger' ? v.fingerPosition : null;
    t.equal(asked, attempt <= 2 ? first : other, `try ${attempt} asks for finger ${asked}`);
    if (attempt === 3) t.equal(v.screen === 'awaitingFinger' && v.feedback, 'otherFinger', 'the change of finger is said');
    // The holder puts down the card's other finger every time.
    await rehearsal.sensor.place(holderTouch(valid, `rehearsal-other-${attempt}`, other));
    const next = await k.until((v) => !(v.screen === 'awaitingFinger' && v.attempt === attempt), `decision on attempt ${attempt}`, 60_000);
    if (attempt < 3) t.equal(next.screen, 'awaitingFinger', `try ${attempt}: not compared with the other finger's template`);
    if (next.screen !== 'awaitingFinger') break;
  }
  const end = await k.until((v) => ['result', 'failed', 'staffAssist', 'finished'].includes(v.screen), 'the end of the session', 60_000);
  t.match(end, { screen: 'result', outcome: 'verified' }, 'try 3, asked for the other finger, verifies');
  await k.intent({ type: 'finish' });
  await k.until((v) => v.screen === 'finished', 'take your card');
  await rehearsal.devices.remove();
  await k.until((v) => v.screen === 'welcome', 'welcome again', 15_000);
});

t.test('nothing personal in what the production daemon wrote', async (t) => {
  const out = rehearsal.kiosk.output();
  t.notOk(out.includes(valid.card.nik), 'no NIK in the logs');
  t.notOk(out.includes(valid.card.namaLengkap), 'no name in the logs');
  t.match(out, /"event":"sensorHealth","health":"ready"/, 'the sensor reported ready');
});
