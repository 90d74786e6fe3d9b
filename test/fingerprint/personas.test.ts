import t from 'tap';
import { allPersonas, persona } from '../../device/sim/personas.ts';
import { cardTemplateFiles } from '../../device/sim/persona-fingers.ts';
import { decodeCardTemplateFile } from '../../device/fingerprint/card-file.ts';
import { createMatcher } from '../../device/fingerprint/matcher.ts';
import { SimulatedFingerSensor } from '../../device/sim/finger-sensor.ts';
import { createRng } from '../../device/sim/finger-synth.ts';

const matcher = createMatcher();

t.test('card files are the same on every call and carry the persona finger positions', async (t) => {
  for (const p of allPersonas()) {
    const files = cardTemplateFiles(p);
    t.same(cardTemplateFiles(p), files, `${p.id} deterministic`);
    t.same(
      files.map((f) => decodeCardTemplateFile(f).fingerPosition),
      p.fingerPositions,
      `${p.id} positions`,
    );
  }
  t.not(
    Buffer.from(cardTemplateFiles(persona('valid'))[0]).toString('hex'),
    Buffer.from(cardTemplateFiles(persona('deceased'))[0]).toString('hex'),
    'different people, different fingers',
  );
});

async function attempt(sensor: SimulatedFingerSensor, holder = persona('valid'), genuine = true, position = holder.fingerPositions[0]) {
  const capture = sensor.capture(position, new AbortController().signal);
  sensor.present(holder, genuine);
  return capture;
}

t.test('a good finger matches its card; a stranger does not', async (t) => {
  const sensor = new SimulatedFingerSensor({ rng: createRng('personas-test') });
  for (const p of allPersonas().filter((p) => p.finger.condition === 'good')) {
    const card = cardTemplateFiles(p).map(decodeCardTemplateFile);
    let captured = 0;
    for (let k = 0; k < 6; k++) {
      const own = await attempt(sensor, p, true, p.fingerPositions[k % 2]);
      if (own.kind === 'captured') {
        captured++;
        t.ok(matcher.decide(own.template, card).matched, `${p.id} attempt ${k} matched`);
      }
      const other = await attempt(sensor, p, false, p.fingerPositions[k % 2]);
      if (other.kind === 'captured') t.notOk(matcher.decide(other.template, card).matched, `stranger on ${p.id}'s card refused`);
    }
    t.ok(captured >= 4, `${p.id}: most touches gave a template`);
  }
});

t.test('a worn finger never matches and draws quality hints', async (t) => {
  const sensor = new SimulatedFingerSensor({ rng: createRng('worn-test') });
  const p = persona('finger-unreadable');
  const card = cardTemplateFiles(p).map(decodeCardTemplateFile);
  const hints = new Set<string>();
  for (let k = 0; k < 40; k++) {
    const c = await attempt(sensor, p, true, p.fingerPositions[k % 2]);
    if (c.kind === 'poorQuality') hints.add(c.hint);
    else t.notOk(matcher.decide(c.template, card).matched, `worn attempt ${k} refused`);
  }
  t.ok(hints.has('cleanFinger') && hints.has('pressLonger'), 'asks to clean the finger and to press longer');
});
