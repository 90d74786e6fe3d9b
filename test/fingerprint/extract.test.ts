import t from 'tap';
import { extractTemplate, fingerEdgeDistance, FingerImageError, type SensorImage } from '../../device/fingerprint/extract/index.ts';
import { distanceToOutside } from '../../device/fingerprint/extract/image.ts';
import { createMatcher } from '../../device/fingerprint/matcher.ts';
import { decodeCardTemplateFile, encodeCardTemplateFile } from '../../device/fingerprint/card-file.ts';
import type { Minutia } from '../../device/domain/finger-template.ts';
import { renderMaster } from './render/master.ts';
import { ENROLMENT_TOUCH, KIOSK_TOUCH, renderImpression, type RenderedImpression } from './render/impression.ts';

const fingers = ['extract-test-a', 'extract-test-b'].map((seed) => renderMaster(seed));
const enrolment = fingers.map((f) => renderImpression(f, 'enrolment', ENROLMENT_TOUCH));
const kiosk = fingers.map((f) => renderImpression(f, 'kiosk', KIOSK_TOUCH));

/** Ground-truth minutiae the extractor found within 12 px and 30°, one to one. */
function paired(truth: readonly Minutia[], found: readonly Minutia[]): number {
  const used = new Set<number>();
  for (const g of truth) {
    const k = found.findIndex((e, j) => {
      let da = Math.abs(e.angle - g.angle) % (2 * Math.PI);
      if (da > Math.PI) da = 2 * Math.PI - da;
      return !used.has(j) && Math.hypot(e.x - g.x, e.y - g.y) <= 12 && da <= Math.PI / 6;
    });
    if (k >= 0) used.add(k);
  }
  return used.size;
}

t.test('finds most of the minutiae a rendered touch shows, and few others', async (t) => {
  for (const [k, image] of kiosk.entries()) {
    const { template, hint } = extractTemplate(image, 2);
    t.equal(hint, undefined, `finger ${k}: a normal touch is usable`);
    const hits = paired(image.minutiae, template.minutiae);
    t.ok(hits / image.minutiae.length >= 0.65, `finger ${k}: recall ${hits}/${image.minutiae.length}`);
    t.ok(hits / template.minutiae.length >= 0.7, `finger ${k}: precision ${hits}/${template.minutiae.length}`);
    t.equal(template.resolutionDpi, 500);
    t.equal(template.fingerPosition, 2);
  }
});

t.test('a kiosk touch matches the card template of its own finger only', async (t) => {
  const cards = enrolment.map((image) => decodeCardTemplateFile(encodeCardTemplateFile(extractTemplate(image, 2).template)));
  const matcher = createMatcher();
  const probes = kiosk.map((image) => extractTemplate(image, 2).template);
  t.ok(matcher.decide(probes[0]!, [cards[0]!]).matched, 'finger a matches its card');
  t.ok(matcher.decide(probes[1]!, [cards[1]!]).matched, 'finger b matches its card');
  t.notOk(matcher.decide(probes[0]!, [cards[1]!]).matched, "finger a does not match b's card");
  t.notOk(matcher.decide(probes[1]!, [cards[0]!]).matched, "finger b does not match a's card");
});

/** Nearest-neighbour upsampling ×2: the same touch on a 1000 dpi sensor. */
function at1000Dpi(image: RenderedImpression): SensorImage {
  const width = image.width * 2,
    height = image.height * 2;
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) pixels[y * width + x] = image.pixels[(y >> 1) * image.width + (x >> 1)]!;
  return { width, height, pixels, dpi: 1000 };
}

t.test('an image at another resolution is brought to 500 dpi and reads the same', async (t) => {
  const image = kiosk[0]!;
  const { template, hint } = extractTemplate(at1000Dpi(image), 2);
  t.equal(hint, undefined);
  t.same([template.width, template.height, template.resolutionDpi], [400, 500, 500], 'the template frame is 500 dpi');
  const hits = paired(image.minutiae, template.minutiae);
  t.ok(hits / image.minutiae.length >= 0.6, `recall at 1000 dpi ${hits}/${image.minutiae.length}`);
});

function withPixels(image: RenderedImpression, map: (v: number, x: number, y: number) => number): SensorImage {
  const pixels = new Uint8Array(image.pixels.length);
  for (let i = 0; i < pixels.length; i++)
    pixels[i] = Math.max(0, Math.min(255, Math.round(map(image.pixels[i]!, i % image.width, Math.floor(i / image.width)))));
  return { width: image.width, height: image.height, pixels, dpi: image.dpi };
}

t.test('poor images become the capture hints, never a template to match', async (t) => {
  const image = kiosk[1]!;
  const fingertipOnly = withPixels(image, (v, x, y) => (Math.hypot(x - 200, y - 250) < 50 ? v : 230));
  t.equal(extractTemplate(fingertipOnly).hint, 'placeCentered', 'too little contact');
  t.equal(extractTemplate(withPixels(image, () => 232)).hint, 'placeCentered', 'nothing on the glass');
  const faint = withPixels(image, (v) => 205 + (v - 128) * 0.2);
  t.equal(extractTemplate(faint).hint, 'pressLonger', 'too light and faint: a dry or hesitant touch');
  const dark = withPixels(image, (v) => v * 0.3);
  t.equal(extractTemplate(dark).hint, 'cleanFinger', 'too dark: a wet finger');
  let seed = 7;
  const noise = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const smudged = withPixels(image, (v, x, y) => (Math.hypot(x - 200, y - 250) < 150 ? 60 + noise() * 160 : v));
  t.equal(extractTemplate(smudged).hint, 'cleanFinger', 'ridges smeared away');
});

t.test('malformed images are refused with a typed error', async (t) => {
  t.throws(() => extractTemplate({ width: 400, height: 500, pixels: new Uint8Array(10), dpi: 500 }), FingerImageError);
  t.throws(() => extractTemplate({ width: 5000, height: 500, pixels: new Uint8Array(5000 * 500), dpi: 500 }), FingerImageError);
  t.throws(() => extractTemplate({ width: 400, height: 500, pixels: new Uint8Array(400 * 500), dpi: 0 }), FingerImageError);
});

t.test('the renderer is deterministic from its seed', async (t) => {
  const again = renderImpression(renderMaster('extract-test-a'), 'kiosk', KIOSK_TOUCH);
  t.same(Buffer.from(again.pixels).equals(Buffer.from(kiosk[0]!.pixels)), true, 'same pixels');
  t.same(again.minutiae, kiosk[0]!.minutiae, 'same ground truth');
  t.ok(
    fingers[0]!.minutiae.length >= 30 && fingers[0]!.minutiae.length <= 150,
    `a finger-like number of minutiae (${fingers[0]!.minutiae.length})`,
  );
});

t.test('distance to the edge of the finger: the 3-4 chamfer, the image edge counting as outside', async (t) => {
  // A full rectangle: straight steps are the shortest, so the distance is to the nearest side.
  const width = 9,
    height = 6;
  const full = distanceToOutside({ width, height, data: new Uint8Array(width * height).fill(1) });
  let same = true;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) same &&= full[y * width + x] === Math.min(x + 1, y + 1, width - x, height - y);
  t.ok(same, 'a full mask: distance to the nearest image side');
  // One hole in the middle of an 11 × 11 mask: a diagonal neighbour is 4/3 away, a knight's move 7/3.
  const data = new Uint8Array(121).fill(1);
  data[5 * 11 + 5] = 0;
  const d = distanceToOutside({ width: 11, height: 11, data });
  t.equal(d[5 * 11 + 5], 0);
  t.equal(d[5 * 11 + 6], 1);
  t.equal(d[4 * 11 + 4], Math.fround(4 / 3));
  t.equal(d[3 * 11 + 4], Math.fround(7 / 3));
  t.equal(d[0], 1, 'a corner: one step off the image');
});

t.test('the extraction carries the finger’s footprint: distance to its edge at 500 dpi', async (t) => {
  const { footprint, template } = extractTemplate(kiosk[0]!, 2);
  t.ok(footprint, 'a footprint');
  if (!footprint) return;
  t.equal(fingerEdgeDistance(footprint, -5, 10), 0, 'off the image');
  t.equal(fingerEdgeDistance(footprint, template.width + 5, 10), 0);
  // Our own minutiae keep clear of the edge by the border distance the footprint is coarser than.
  const nearEdge = template.minutiae.filter((m) => fingerEdgeDistance(footprint, m.x, m.y) < 10);
  t.equal(nearEdge.length, 0, 'our minutiae lie inside the footprint, clear of its edge');
});
