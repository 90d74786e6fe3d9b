/**
 * Real fingers (libfprint's driver test captures, ./real/): the sensor table gives each image
 * its true resolution, an image at the wrong scale or one showing no finger is refused before
 * any minutia is read, and the kiosk's path — our extractor judging the image, libfprint's NBIS
 * minutiae, our matcher at the operating threshold — accepts touches of the same real finger
 * and refuses another's. The figures over many impressions are the benchmark's
 * (test/bench/fingerprint-real.ts); this checks the behaviour on a few.
 */
import t from 'tap';
import { extractTemplate, type SensorImage } from '../../device/fingerprint/extract/index.ts';
import { MATCH_THRESHOLD, matchScore } from '../../device/fingerprint/matcher.ts';
import type { FingerTemplate } from '../../device/domain/finger-template.ts';
import { realCapture, realCaptures } from './real/captures.ts';
import { impressionSet, KIOSK_MODEL, PLASTIC_MODEL } from './real/impressions.ts';
import { LibfprintNbis, realSets } from './real/evaluation.ts';

/** The image a driver that doubles its pixels would hand over. */
function doubled(image: SensorImage): SensorImage {
  const width = image.width * 2,
    height = image.height * 2;
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) pixels[y * width + x] = image.pixels[(y >> 1) * image.width + (x >> 1)]!;
  return { width, height, pixels, dpi: image.dpi * 2 };
}

t.test('every real finger capture, at its table resolution, has a human ridge period; the texture images are refused', async (t) => {
  for (const capture of realCaptures()) {
    const e = extractTemplate(capture);
    if (capture.finger) {
      t.not(e.reason, 'wrongScale', `${capture.name} at ${capture.dpi} dpi: ridge period ${e.ridgePeriodPx.toFixed(1)} px at 500 dpi`);
      t.ok(e.ridgePeriodPx >= 6 && e.ridgePeriodPx <= 14, `${capture.name}: ${e.ridgePeriodPx.toFixed(1)} px`);
    } else {
      t.ok(e.hint, `${capture.name} shows skin texture, not ridges: refused (${e.reason})`);
    }
  }
});

t.test('an image at the wrong scale is refused as a capture problem, never turned into minutiae', async (t) => {
  const egis = realCapture('egis0570');
  const right = extractTemplate(egis);
  t.equal(right.hint, undefined, 'the capture at its own resolution is usable');
  const enlarged = doubled(egis);
  const wrong = extractTemplate({ ...enlarged, dpi: egis.dpi });
  t.equal(wrong.reason, 'wrongScale', `enlarged ×2 but said to be ${egis.dpi} dpi: refused (period ${wrong.ridgePeriodPx.toFixed(1)} px)`);
  t.equal(wrong.hint, 'cleanFinger', 'the taxpayer is asked to try again');
  const known = extractTemplate(enlarged);
  t.equal(known.hint, undefined, 'the same enlarged image with its true resolution (the table entry) is usable');
  t.ok(
    Math.abs(known.template.minutiae.length - right.template.minutiae.length) <= 0.25 * right.template.minutiae.length,
    `and reads about the same minutiae (${known.template.minutiae.length} vs ${right.template.minutiae.length})`,
  );
  // aes3500's driver enlarges twice: taken at libfprint's assumed 500 dpi its ridges are twice as wide.
  const aes = realCapture('aes3500');
  t.equal(extractTemplate({ ...aes, dpi: 500 }).reason, 'wrongScale', 'aes3500 at the assumed 500 dpi is refused');
  t.not(extractTemplate(aes).reason, 'wrongScale', `aes3500 at its table resolution (${aes.dpi} dpi) is at the right scale`);
});

t.test('the impression generator: deterministic, each touch sharing 60–80 % of the finger with its reference', async (t) => {
  const capture = realCapture('nb1010');
  for (const model of [KIOSK_MODEL, PLASTIC_MODEL]) {
    const a = impressionSet(capture, 'generator-test', 3, model);
    const b = impressionSet(capture, 'generator-test', 3, model);
    t.ok(
      Buffer.from(a.probes[2]!.pixels).equals(Buffer.from(b.probes[2]!.pixels)),
      `${model.distortion}: the same seed gives the same images`,
    );
    for (const [ofReference, ofProbe] of a.overlaps)
      t.ok(
        [ofReference, ofProbe].every((share) => share >= 0.6 && share <= 0.8),
        `${model.distortion}: shares ${ofReference.toFixed(2)} of the reference's finger, ${ofProbe.toFixed(2)} of the touch's`,
      );
    t.equal(a.reference.dpi, capture.dpi, 'at the capture’s own resolution');
  }
});

t.test('the kiosk path on real impressions: the same finger matches within four tries, other fingers never', async (t) => {
  const nbis = await LibfprintNbis.start();
  t.teardown(() => nbis.stop());
  const sets = await realSets(nbis, ['egis0570', 'nb1010'], 2, 4, PLASTIC_MODEL, 'real-captures-test');
  const captured = (p: (typeof sets)[number]['probes'][number]): FingerTemplate | undefined => {
    const o = p.outcome['libfprint-nbis'];
    return o.kind === 'captured' ? o.template : undefined;
  };
  let genuine = 0,
    matched = 0;
  for (const set of sets) {
    t.ok(set.card, `${set.finger}/${set.set}: the enrolment impression gave a card template`);
    const scores = set.probes.map((p) => (captured(p) && set.card ? matchScore(captured(p)!, set.card) : 0));
    genuine += scores.length;
    matched += scores.filter((s) => s >= MATCH_THRESHOLD).length;
    t.ok(
      scores.some((s) => s >= MATCH_THRESHOLD),
      `${set.finger}/${set.set}: matched within four tries (scores ${scores.join(', ')})`,
    );
  }
  t.ok(matched >= genuine / 2, `most single tries match too (${matched} of ${genuine})`);
  let highest = 0;
  for (const set of sets) {
    for (const other of sets) {
      if (other.finger === set.finger || !other.card) continue;
      for (const p of set.probes) if (captured(p)) highest = Math.max(highest, matchScore(captured(p)!, other.card));
    }
  }
  t.ok(highest < MATCH_THRESHOLD, `no touch matches another finger’s card (highest ${highest} < ${MATCH_THRESHOLD})`);
});
