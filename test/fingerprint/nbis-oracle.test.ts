/**
 * The outside oracle: NIST's mindtct as libfprint runs it (the capture helper's CAPTURE_NBIS,
 * libfprint's own serialized print) against our conventions.
 *  - The conversion from NBIS's units and sense to ISO's, in one function, by its definition.
 *  - Rendered fingers, whose ground truth is read from the drawn ridges and valleys (not by our
 *    extractor): mindtct's minutiae, converted, point the same way — so the conversion, the
 *    ground truth and NBIS agree on the standard's sense.
 *  - The real captures: our extractor's minutiae sit where mindtct's do and agree in direction.
 */
import t from 'tap';
import { CaptureHelper } from '../../device/fingerprint/capture-helper.ts';
import { extractMinutiae } from '../../device/fingerprint/extract/index.ts';
import { isoToNbisMinutia, nbisThetaToIsoAngle, nbisToIsoMinutia } from '../../device/fingerprint/nbis.ts';
import type { Minutia } from '../../device/domain/finger-template.ts';
import { directionAgreement } from './nbis/agreement.ts';
import { captureHelperPath, virtualSensor } from '../support/virtual-fingerprint-sensor.ts';
import { realCapture } from './real/captures.ts';
import { renderMaster } from './render/master.ts';
import { ENROLMENT_TOUCH, renderImpression } from './render/impression.ts';

const deg = (d: number): number => (d * Math.PI) / 180;

t.test('NBIS angles become ISO angles: half a turn, counter-clockwise kept, y mirrored', async (t) => {
  // NIST's internal sense points out of the minutia; ISO (and INCITS 378, "M1") into the ridge.
  const near = (actual: number, expected: number, what: string): void => {
    t.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${actual} ≈ ${expected}`);
  };
  near(nbisThetaToIsoAngle(0), deg(180), 'pointing east out of the minutia: west, into its ridge');
  near(nbisThetaToIsoAngle(90), deg(270), 'north → south');
  near(nbisThetaToIsoAngle(-90), deg(90), 'south → north');
  near(nbisThetaToIsoAngle(180), 0, 'west → east');
  near(nbisThetaToIsoAngle(-179), deg(1), 'angles stay in 0..2π');
  const m = nbisToIsoMinutia({ x: 10, y: 300, theta: 45 }, 320);
  t.same(
    { ...m, angle: 0 },
    { x: 10, y: 20, angle: 0, type: 'other', quality: 0 },
    'origin bottom left → top left; no type or quality in an NBIS print',
  );
  near(m.angle, deg(225), 'north-east → south-west');
  for (let theta = -179; theta <= 180; theta += 7) {
    const iso = nbisToIsoMinutia({ x: 33, y: 17, theta }, 100);
    t.same(isoToNbisMinutia(iso, 100), { x: 33, y: 17, theta }, `theta ${theta} round-trips`);
  }
});

const helperPath = captureHelperPath();

async function withNbis(
  fn: (touch: (image: { width: number; height: number; pixels: Uint8Array }) => Promise<Minutia[]>) => Promise<void>,
): Promise<void> {
  const sensor = virtualSensor();
  const helper = new CaptureHelper({ helperPath, env: sensor.env });
  try {
    await helper.open(0);
    await fn(async (image) => {
      const answer = helper.captureNbis();
      await sensor.place(image);
      return (await answer).minutiae.map((m) => nbisToIsoMinutia(m, image.height));
    });
  } finally {
    await helper.shutdown();
    sensor.cleanup();
  }
}

t.test('mindtct’s minutiae, converted, point where the ground truth read from the drawn ridges points', async (t) => {
  const images = ['oracle-a', 'oracle-b'].map((seed) => renderImpression(renderMaster(seed), 'enrolment', ENROLMENT_TOUCH));
  await withNbis(async (nbis) => {
    let pairs = 0,
      agree = 0;
    for (const image of images) {
      const a = directionAgreement(image.minutiae, 500, await nbis(image), 500);
      pairs += a.pairs;
      agree += a.agree;
    }
    t.ok(pairs >= 80, `mindtct and the ground truth share many minutiae (${pairs})`);
    t.ok(agree / pairs >= 0.85, `and agree in direction: ${agree} of ${pairs}`);
  });
});

t.test('on the real captures our extractor’s minutiae sit where mindtct’s do, and point the same way', async (t) => {
  await withNbis(async (nbis) => {
    let ours = 0,
      pairs = 0,
      agree = 0;
    for (const name of ['egis0570', 'nb1010', 'vfs0050', 'vfs5011', 'upektc_img', 'aes3500']) {
      const capture = realCapture(name);
      const found = extractMinutiae(capture).minutiae;
      const a = directionAgreement(found, 500, await nbis(capture), capture.dpi);
      ours += found.length;
      pairs += a.pairs;
      agree += a.agree;
    }
    t.ok(pairs / ours >= 0.6, `position: ${pairs} of our ${ours} minutiae within 12 px of one of mindtct’s`);
    t.ok(agree / pairs >= 0.85, `direction: ${agree} of ${pairs} co-located minutiae agree within 30°`);
  });
});
