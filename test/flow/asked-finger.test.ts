/**
 * The two-finger policy (device/flow/asked-finger.ts): the first half of the tries asks for the
 * card's first finger, the rest for its other finger, and each touch is compared only with the
 * asked finger's template. Unit tests of the policy, then the flow on fake ports whose matcher
 * knows whose finger each template and each touch is, so a comparison with the wrong template
 * would show.
 */
import t from 'tap';
import { askedFinger } from '../../device/flow/asked-finger.ts';
import type { FingerCapture } from '../../device/flow/ports.ts';
import type { FingerTemplate } from '../../device/domain/finger-template.ts';
import type { KioskView } from '../../device/view/protocol.ts';
import { makeFakes, settle, startRuntime, TEMPLATE } from './fakes.ts';

const template = (fingerPosition: number): FingerTemplate => ({ ...TEMPLATE, fingerPosition });

t.test('askedFinger: the first finger for the first half of the tries, then the card’s other finger', async (t) => {
  const right = template(2);
  const left = template(7);
  const order = (templates: FingerTemplate[], max: number) =>
    Array.from({ length: max }, (_, i) => askedFinger(templates, i + 1, max).fingerPosition);
  t.same(order([right, left], 4), [2, 2, 7, 7], 'four tries: two on each finger');
  t.same(order([left, right], 4), [7, 7, 2, 2], 'the card’s order decides which comes first');
  t.same(order([right, left], 3), [2, 2, 7], 'an odd count gives the first finger the extra try');
  t.same(order([right, left], 5), [2, 2, 2, 7, 7]);
  t.same(order([right, left], 1), [2], 'one try: the first finger only');
  t.same(askedFinger([right, left], 3, 4), { fingerPosition: 7, cardFinger: 2, templates: [left] }, 'only the asked template is compared');
  t.same(askedFinger([right, left], 2, 4), { fingerPosition: 2, cardFinger: 1, templates: [right] });
  t.same(order([right], 4), [2, 2, 2, 2], 'a one-template card keeps one finger');
  t.same(askedFinger([right], 4, 4), { fingerPosition: 2, cardFinger: 1, templates: [right] });
  const secondView = { ...right, quality: 60 };
  t.same(order([right, secondView], 4), [2, 2, 2, 2], 'two views of one finger are one finger');
  t.same(askedFinger([right, secondView], 3, 4).templates, [right, secondView], 'both views of the asked finger are compared');
  const unknown = template(0);
  t.same(order([unknown, left], 4), [0, 0, 7, 7], 'a first finger of unknown position, then the known other');
  t.same(askedFinger([], 1, 4), { fingerPosition: 0, cardFinger: 1, templates: [] }, 'no template: nothing to compare with');
});

/** Whose finger a template or a touch is, as only the test (and its fake matcher) knows. */
interface Finger {
  owner: 'holder' | 'stranger';
  position: number;
  /** An enrolment too poor to be matched by anyone. */
  poor?: boolean;
}

async function start(card: Array<Finger & { template: FingerTemplate }>) {
  const f = makeFakes();
  const whose = new Map<FingerTemplate, Finger>(card.map((c) => [c.template, c]));
  const asked: number[] = [];
  const compared: FingerTemplate[][] = [];
  let pending: { position: number; resolve: (c: FingerCapture) => void } | null = null;
  f.set.templates({ ok: { templates: card.map((c) => c.template) } });
  f.deps.sensor.capture = (position, signal) =>
    new Promise((resolve, reject) => {
      asked.push(position);
      pending = { position, resolve };
      signal.addEventListener('abort', () => reject(new Error('aborted')));
    });
  f.deps.matcher.decide = (probe, references) => {
    compared.push([...references]);
    const p = whose.get(probe)!;
    const matched = references.some((r) => {
      const ref = whose.get(r)!;
      return !ref.poor && ref.owner === p.owner && ref.position === p.position;
    });
    return { matched, score: matched ? 40 : 5 };
  };
  const runtime = startRuntime(f);
  await settle();
  const settleAll = async () => {
    for (let i = 0; i < 4; i++) await settle();
  };
  runtime.send({ type: 'CARD_INSERTED' });
  await settleAll();
  return {
    f,
    asked,
    compared,
    view: (): KioskView => runtime.view(),
    /** A touch on the sensor: the holder's asked finger unless another finger is given. */
    async touch(finger: Partial<Finger> = {}) {
      const p = pending!;
      pending = null;
      const probe = template(p.position);
      whose.set(probe, { owner: finger.owner ?? 'holder', position: finger.position ?? p.position });
      p.resolve({ kind: 'captured', template: probe, quality: 80 });
      await settleAll();
    },
  };
}

const RIGHT_INDEX = 2;
const LEFT_INDEX = 7;

t.test('a holder whose first enrolment is poor is verified on try 3 with the card’s other finger', async (t) => {
  const first = template(RIGHT_INDEX);
  const other = template(LEFT_INDEX);
  const k = await start([
    { owner: 'holder', position: RIGHT_INDEX, poor: true, template: first },
    { owner: 'holder', position: LEFT_INDEX, template: other },
  ]);
  t.match(k.view(), { screen: 'awaitingFinger', attempt: 1, fingerPosition: RIGHT_INDEX, feedback: null });
  await k.touch();
  t.match(k.view(), { screen: 'awaitingFinger', attempt: 2, fingerPosition: RIGHT_INDEX, feedback: 'noMatch' });
  await k.touch();
  t.match(
    k.view(),
    { screen: 'awaitingFinger', attempt: 3, fingerPosition: LEFT_INDEX, feedback: 'otherFinger' },
    'try 3 asks for the other finger and says so',
  );
  await k.touch();
  t.match(k.view(), { screen: 'result', outcome: 'verified' });
  t.same(k.asked, [RIGHT_INDEX, RIGHT_INDEX, LEFT_INDEX], 'the sensor was asked for the finger the screen showed');
  t.same(k.compared, [[first], [first], [other]], 'each touch compared with the asked template only');
  t.same(
    k.f.audit.filter((e) => e.code === 'fingerAttempt' || e.code === 'fingerMatched').map((e) => [e.code, e.state, e.outcome]),
    [
      ['fingerAttempt', 'try-1/finger-1', 'noMatch'],
      ['fingerAttempt', 'try-2/finger-1', 'noMatch'],
      ['fingerMatched', 'try-3/finger-2', undefined],
    ],
    'the audit says which try and which of the card’s fingers, nothing of the finger itself',
  );
});

t.test('a touch is compared only with the asked template: one matching only the other finger fails tries 1–2', async (t) => {
  const first = template(RIGHT_INDEX);
  const other = template(LEFT_INDEX);
  const k = await start([
    { owner: 'holder', position: RIGHT_INDEX, template: first },
    { owner: 'holder', position: LEFT_INDEX, template: other },
  ]);
  // The finger put down is always the one enrolled as the card's other finger.
  await k.touch({ position: LEFT_INDEX });
  t.match(k.view(), { screen: 'awaitingFinger', attempt: 2, feedback: 'noMatch' }, 'try 1: not compared with template[1]');
  await k.touch({ position: LEFT_INDEX });
  t.match(k.view(), { screen: 'awaitingFinger', attempt: 3, fingerPosition: LEFT_INDEX, feedback: 'otherFinger' }, 'try 2 too');
  await k.touch({ position: LEFT_INDEX });
  t.match(k.view(), { screen: 'result' }, 'matched once the other finger is asked for');
  t.same(k.compared, [[first], [first], [other]]);
});

t.test('an impostor gets one comparison per try, four in all, then staff', async (t) => {
  const first = template(RIGHT_INDEX);
  const other = template(LEFT_INDEX);
  const k = await start([
    { owner: 'holder', position: RIGHT_INDEX, template: first },
    { owner: 'holder', position: LEFT_INDEX, template: other },
  ]);
  for (let i = 0; i < 4; i++) await k.touch({ owner: 'stranger' });
  t.match(k.view(), { screen: 'staffAssist', why: 'fingerNotMatched' });
  t.same(k.compared, [[first], [first], [other], [other]]);
  t.equal(k.f.calls.readRecord, 0, 'nothing read from the card beyond the templates');
});

t.test('a one-template card asks for its one finger on every try, with no change of finger said', async (t) => {
  const only = template(RIGHT_INDEX);
  const k = await start([{ owner: 'holder', position: RIGHT_INDEX, poor: true, template: only }]);
  const feedback: unknown[] = [];
  for (let attempt = 1; attempt <= 4; attempt++) {
    const v = k.view();
    t.match(v, { screen: 'awaitingFinger', attempt, fingerPosition: RIGHT_INDEX });
    if (v.screen === 'awaitingFinger') feedback.push(v.feedback);
    await k.touch();
  }
  t.same(feedback, [null, 'noMatch', 'noMatch', 'noMatch']);
  t.match(k.view(), { screen: 'staffAssist', why: 'fingerNotMatched' });
  t.same(k.asked, [RIGHT_INDEX, RIGHT_INDEX, RIGHT_INDEX, RIGHT_INDEX]);
  t.same(k.compared, [[only], [only], [only], [only]]);
});
