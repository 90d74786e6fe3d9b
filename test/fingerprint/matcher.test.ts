import t from 'tap';
import fc from 'fast-check';
import { MATCH_THRESHOLD, createMatcher, hasAbnormalDensity, matchScore } from '../../device/fingerprint/matcher.ts';
import { decodeCardTemplateFile, encodeCardTemplateFile } from '../../device/fingerprint/card-file.ts';
import type { FingerTemplate } from '../../device/domain/finger-template.ts';
import { createMaster, createRng, impression, LIVE_PROFILE } from '../../device/sim/finger-synth.ts';

const rng = createRng('matcher-test');
const masters = Array.from({ length: 12 }, (_, m) => createMaster(`matcher-test-${m}`));
const pairsOf = masters.map((master) => [impression(master, rng, LIVE_PROFILE, 2), impression(master, rng, LIVE_PROFILE, 2)] as const);
const onCard = (tpl: FingerTemplate): FingerTemplate => decodeCardTemplateFile(encodeCardTemplateFile(tpl));

/** Rotates a template about a point and moves it: the same finger put down differently. */
function moved(tpl: FingerTemplate, rotation: number, dx: number, dy: number): FingerTemplate {
  const cx = tpl.width / 2;
  const cy = tpl.height / 2;
  const cos = Math.cos(rotation);
  const sin = Math.sin(rotation);
  return {
    ...tpl,
    minutiae: tpl.minutiae.map((m) => ({
      ...m,
      // Counter-clockwise on screen, where y grows downwards.
      x: cx + cos * (m.x - cx) + sin * (m.y - cy) + dx,
      y: cy - sin * (m.x - cx) + cos * (m.y - cy) + dy,
      angle: m.angle + rotation,
    })),
  };
}

t.test('the same template rotated and moved still matches', async (t) => {
  const [a] = pairsOf[0] as readonly [FingerTemplate, FingerTemplate];
  fc.assert(
    fc.property(
      fc.double({ min: -Math.PI / 6, max: Math.PI / 6, noNaN: true }),
      fc.integer({ min: -50, max: 50 }),
      fc.integer({ min: -50, max: 50 }),
      (rot, dx, dy) => {
        return matchScore(moved(a, rot, dx, dy), a) >= MATCH_THRESHOLD;
      },
    ),
    { numRuns: 40 },
  );
  t.pass('matched at every pose');
});

t.test('genuine impressions match, also against the card-format reference', async (t) => {
  for (const [m, [a, b]] of pairsOf.entries()) {
    t.ok(matchScore(a, b) >= MATCH_THRESHOLD, `master ${m}, record format`);
    t.ok(matchScore(a, onCard(b)) >= MATCH_THRESHOLD, `master ${m}, card format`);
  }
});

t.test('impostors do not match', async (t) => {
  let pairs = 0;
  for (let m = 0; m < pairsOf.length; m++) {
    for (let n = 0; n < pairsOf.length; n++) {
      if (m === n) continue;
      const probe = (pairsOf[m] as readonly FingerTemplate[])[0] as FingerTemplate;
      const reference = (pairsOf[n] as readonly FingerTemplate[])[1] as FingerTemplate;
      if (matchScore(probe, onCard(reference)) >= MATCH_THRESHOLD) t.fail(`master ${m} matched master ${n}`);
      pairs++;
    }
  }
  t.equal(pairs, 132, 'every cross pair was refused');
});

t.test('score(a, b) and score(b, a) decide the same', async (t) => {
  for (let m = 0; m < pairsOf.length; m++) {
    const [a, b] = pairsOf[m] as readonly [FingerTemplate, FingerTemplate];
    const [c] = pairsOf[(m + 1) % pairsOf.length] as readonly [FingerTemplate, FingerTemplate];
    t.equal(matchScore(a, b) >= MATCH_THRESHOLD, matchScore(b, a) >= MATCH_THRESHOLD, `genuine pair ${m}`);
    t.equal(matchScore(a, c) >= MATCH_THRESHOLD, matchScore(c, a) >= MATCH_THRESHOLD, `impostor pair ${m}`);
  }
});

t.test('a template with too little in it scores nothing', async (t) => {
  const [a] = pairsOf[0] as readonly [FingerTemplate, FingerTemplate];
  t.equal(matchScore({ ...a, minutiae: [] }, a), 0);
  t.equal(matchScore(a, { ...a, minutiae: a.minutiae.slice(0, 2) }), 0);
});

t.test('any template scores finite and non-negative without throwing', async (t) => {
  const minutia = fc.record({
    x: fc.integer({ min: 0, max: 399 }),
    y: fc.integer({ min: 0, max: 499 }),
    angle: fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }),
    type: fc.constantFrom('ending' as const, 'bifurcation' as const, 'other' as const),
    quality: fc.integer({ min: 0, max: 100 }),
  });
  const template = fc.record({
    fingerPosition: fc.constant(2),
    width: fc.constant(400),
    height: fc.constant(500),
    resolutionDpi: fc.constantFrom(500, 254, 1000),
    quality: fc.constant(50),
    minutiae: fc.oneof(
      fc.array(minutia, { maxLength: 60 }),
      fc.array(minutia, { maxLength: 3 }).map((ms) => [...ms, ...ms, ...ms]),
    ),
  });
  fc.assert(
    fc.property(template, template, (a, b) => {
      const s = matchScore(a, b);
      return Number.isFinite(s) && s >= 0;
    }),
    { numRuns: 200 },
  );
  t.pass('scores were finite');
});

t.test('the kiosk decision takes the best of the card templates', async (t) => {
  const matcher = createMatcher();
  const [live] = pairsOf[3] as readonly [FingerTemplate, FingerTemplate];
  const thisFinger = onCard((pairsOf[3] as readonly FingerTemplate[])[1] as FingerTemplate);
  const otherFinger = onCard((pairsOf[4] as readonly FingerTemplate[])[1] as FingerTemplate);
  const either = matcher.decide(live, [otherFinger, thisFinger]);
  t.ok(either.matched, 'matches on the second template');
  t.equal(either.score, matchScore(live, thisFinger));
  t.notOk(matcher.decide(live, [otherFinger]).matched, 'refused when no template is this finger');
  t.notOk(matcher.decide(live, []).matched, 'refused against an empty card');
});

/** Minutiae scattered uniformly over the window: what a noisy image read as ridges looks like. */
function randomTemplate(r: typeof rng, count: number): FingerTemplate {
  return {
    fingerPosition: 2,
    width: 400,
    height: 500,
    resolutionDpi: 500,
    quality: 50,
    minutiae: Array.from({ length: count }, () => ({
      x: r.range(0, 400),
      y: r.range(0, 500),
      angle: r.range(0, 2 * Math.PI),
      type: r.next() < 0.5 ? ('ending' as const) : ('bifurcation' as const),
      quality: 50,
    })),
  };
}

t.test('1,000 pairs of unrelated dense templates: the kiosk matches none', async (t) => {
  const r = createRng('matcher-test-dense');
  const matcher = createMatcher();
  let matched = 0;
  for (let k = 0; k < 1000; k++) {
    if (matcher.decide(randomTemplate(r, r.int(235, 255)), [randomTemplate(r, r.int(235, 255))]).matched) matched++;
  }
  t.equal(matched, 0);
});

t.test('density earns no score: unrelated templates of 255 minutiae stay below the threshold', async (t) => {
  const r = createRng('matcher-test-dense-score');
  let highest = 0;
  for (let k = 0; k < 16; k++) highest = Math.max(highest, matchScore(randomTemplate(r, 255), randomTemplate(r, 255)));
  t.ok(highest < MATCH_THRESHOLD, `highest of 16 scores ${highest} < ${MATCH_THRESHOLD}`);
});

t.test('a probe far denser than a finger is refused as a poor capture, not matched', async (t) => {
  const r = createRng('matcher-test-abnormal');
  const dense = randomTemplate(r, 255);
  t.ok(hasAbnormalDensity(dense), 'the dense template is flagged');
  const [, genuineReference] = pairsOf[0] as readonly [FingerTemplate, FingerTemplate];
  // The card's own minutiae buried in noise still do not get through.
  const buried = { ...dense, minutiae: [...genuineReference.minutiae, ...dense.minutiae].slice(0, 255) };
  const decision = createMatcher().decide(buried, [onCard(genuineReference)]);
  t.same(decision, { matched: false, score: 0, poorQuality: true });
  for (const [m, [a]] of pairsOf.entries()) t.notOk(hasAbnormalDensity(a), `a real impression (master ${m}) is not flagged`);
});
