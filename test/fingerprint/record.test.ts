import t, { type Test } from 'tap';
import fc from 'fast-check';
import { decodeFingerMinutiaeRecord, encodeFingerMinutiaeRecord, MAX_FINGER_VIEWS } from '../../device/fingerprint/record.ts';
import { wideRecord } from './wide-record.ts';
import type { FingerTemplate } from '../../device/domain/finger-template.ts';

// One view of the right index finger in a 400 × 500 image at 197 px/cm (500 dpi), quality 80,
// two minutiae: an ending at (100, 200) at 90°, a bifurcation at (399, 499) at 0°. No
// extended data.
const HAND_BUILT = Uint8Array.from([
  0x46, 0x4d, 0x52, 0x00, 0x20, 0x32, 0x30, 0x00, 0x00, 0x00, 0x00, 0x2a, 0x00, 0x00, 0x01, 0x90, 0x01, 0xf4, 0x00, 0xc5, 0x00, 0xc5, 0x01,
  0x00, 0x02, 0x00, 0x50, 0x02, 0x40, 0x64, 0x00, 0xc8, 0x40, 0x3c, 0x81, 0x8f, 0x01, 0xf3, 0x00, 0x5a, 0x00, 0x00,
]);

t.test('decodes a hand-built record byte for byte', async (t) => {
  const views = decodeFingerMinutiaeRecord(HAND_BUILT);
  t.equal(views.length, 1);
  const v = views[0] as FingerTemplate;
  t.match(v, { fingerPosition: 2, width: 400, height: 500, resolutionDpi: 500, quality: 80 });
  t.same(v.minutiae, [
    { x: 100, y: 200, angle: Math.PI / 2, type: 'ending', quality: 60 },
    { x: 399, y: 499, angle: 0, type: 'bifurcation', quality: 90 },
  ]);
  t.same(encodeFingerMinutiaeRecord(views), HAND_BUILT, 'encoding gives the same bytes back');
});

t.test('reads and skips a consistent extended data block', async (t) => {
  const withExtended = Uint8Array.from([...HAND_BUILT.slice(0, 40), 0x00, 0x06, 0x00, 0x02, 0x00, 0x06, 0x12, 0x34]);
  withExtended[11] = withExtended.length;
  t.equal(decodeFingerMinutiaeRecord(withExtended)[0]?.minutiae.length, 2);
});

function refused(t: Test, bytes: Uint8Array, code: string, what: string): void {
  t.throws(() => decodeFingerMinutiaeRecord(bytes), { name: 'TemplateFormatError', code }, what);
}

t.test('refuses every malformed variant with a typed error', async (t) => {
  const edit = (at: number, value: number): Uint8Array => {
    const b = HAND_BUILT.slice();
    b[at] = value;
    return b;
  };
  for (let n = 0; n < HAND_BUILT.length; n++) {
    t.throws(() => decodeFingerMinutiaeRecord(HAND_BUILT.slice(0, n)), { name: 'TemplateFormatError' }, `truncated to ${n} bytes`);
  }
  refused(t, edit(0, 0x41), 'badMagic', 'AMR instead of FMR');
  refused(t, edit(5, 0x31), 'badVersion', 'version 1.0');
  refused(t, edit(11, 0x2b), 'truncated', 'record length one more than the data');
  refused(t, edit(11, 0x29), 'lengthMismatch', 'record length one less than the data');
  refused(t, Uint8Array.from(HAND_BUILT.map((b, i) => (i === 14 || i === 15 ? 0 : b))), 'badImageSize', 'zero image width');
  refused(t, edit(21, 0xc4), 'badResolution', 'x and y resolution differ');
  refused(t, edit(22, 0x00), 'countMismatch', 'no finger view');
  refused(t, edit(23, 0x01), 'reservedBits', 'reserved header byte set');
  refused(t, edit(24, 11), 'badFingerPosition', 'finger position 11');
  refused(t, edit(25, 0x05), 'badImpressionType', 'impression type 5');
  refused(t, edit(26, 101), 'badQuality', 'finger quality 101');
  refused(t, edit(27, 0x03), 'countMismatch', 'count says 3, data holds 2');
  refused(t, edit(28, 0xc0), 'badMinutiaType', 'reserved minutia type');
  refused(t, edit(30, 0x40), 'reservedBits', 'reserved bits above y');
  refused(t, edit(33, 0x80), 'badQuality', 'minutia quality 128');
  refused(t, edit(35, 0x90), 'coordinateOutOfImage', 'x = 400 in a 400 px wide image');
  refused(t, edit(37, 0xf4), 'coordinateOutOfImage', 'y = 500 in a 500 px high image');
  refused(t, edit(41, 0x04), 'truncated', 'extended block longer than the record');
  const badArea = Uint8Array.from([...HAND_BUILT.slice(0, 40), 0x00, 0x06, 0x00, 0x02, 0x00, 0x09, 0x12, 0x34]);
  badArea[11] = badArea.length;
  refused(t, badArea, 'badExtendedData', 'area length past its block');
  const reservedArea = Uint8Array.from([...HAND_BUILT.slice(0, 40), 0x00, 0x04, 0x00, 0x07, 0x00, 0x04]);
  reservedArea[11] = reservedArea.length;
  refused(t, reservedArea, 'badExtendedData', 'reserved area type');
});

t.test('refuses to encode what the record cannot hold', async (t) => {
  const base: FingerTemplate = { fingerPosition: 2, width: 400, height: 500, resolutionDpi: 500, quality: 80, minutiae: [] };
  t.throws(() => encodeFingerMinutiaeRecord([]), { code: 'countMismatch' });
  t.throws(() => encodeFingerMinutiaeRecord([{ ...base, minutiae: [{ x: 400, y: 1, angle: 0, type: 'ending', quality: 50 }] }]), {
    code: 'coordinateOutOfImage',
  });
  t.throws(() => encodeFingerMinutiaeRecord([{ ...base, quality: 120 }]), { code: 'badQuality' });
  t.throws(() => encodeFingerMinutiaeRecord([base, { ...base, width: 300 }]), { code: 'badImageSize' });
});

const view = (width: number, height: number): fc.Arbitrary<FingerTemplate> =>
  fc.record({
    fingerPosition: fc.integer({ min: 0, max: 10 }),
    width: fc.constant(width),
    height: fc.constant(height),
    resolutionDpi: fc.constant(500),
    quality: fc.integer({ min: 0, max: 100 }),
    minutiae: fc.array(
      fc.record({
        x: fc.integer({ min: 0, max: width - 1 }),
        y: fc.integer({ min: 0, max: height - 1 }),
        angle: fc.integer({ min: 0, max: 255 }).map((a) => (a * 2 * Math.PI) / 256),
        type: fc.constantFrom('ending' as const, 'bifurcation' as const, 'other' as const),
        quality: fc.integer({ min: 0, max: 100 }),
      }),
      { maxLength: 80 },
    ),
  });

t.test('round-trips any record', async (t) => {
  const record = fc
    .tuple(fc.integer({ min: 1, max: 16383 }), fc.integer({ min: 1, max: 16383 }))
    .chain(([w, h]) => fc.array(view(w, h), { minLength: 1, maxLength: MAX_FINGER_VIEWS }));
  fc.assert(
    fc.property(record, (views) => {
      const bytes = encodeFingerMinutiaeRecord(views);
      const back = decodeFingerMinutiaeRecord(bytes);
      return JSON.stringify(back) === JSON.stringify(views) && Buffer.from(encodeFingerMinutiaeRecord(back)).equals(Buffer.from(bytes));
    }),
    { numRuns: 300 },
  );
  t.pass('round trips held');
});

t.test('random bytes decode or fail with a TemplateFormatError, nothing else', async (t) => {
  const mutated = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 3 }).map((edits) => {
    const b = HAND_BUILT.slice();
    for (const [at, v] of edits) b[at % b.length] = v;
    return b;
  });
  const withHeader = fc.uint8Array({ maxLength: 80 }).map((tail) => Uint8Array.from([...HAND_BUILT.slice(0, 8), ...tail]));
  fc.assert(
    fc.property(fc.oneof(mutated, withHeader, fc.uint8Array({ maxLength: 64 })), (bytes) => {
      try {
        decodeFingerMinutiaeRecord(bytes);
      } catch (e) {
        if (!(e instanceof Error) || e.name !== 'TemplateFormatError') throw e;
      }
    }),
    { numRuns: 3000 },
  );
  t.pass('no other exception escaped');
});

t.test('views are bounded and duplicates refused before any scoring', async (t) => {
  t.equal(decodeFingerMinutiaeRecord(wideRecord(MAX_FINGER_VIEWS)).length, MAX_FINGER_VIEWS, 'two full views are a valid record');
  t.throws(() => decodeFingerMinutiaeRecord(wideRecord(MAX_FINGER_VIEWS + 1)), { code: 'tooManyViews' });
  t.throws(() => decodeFingerMinutiaeRecord(wideRecord(176)), { code: 'tooManyViews' }, 'the 176-view record of the report');
  t.throws(
    () =>
      decodeFingerMinutiaeRecord(
        wideRecord(
          2,
          () => 3,
          () => 0,
        ),
      ),
    { code: 'duplicateView' },
    'the same finger and view twice',
  );
  t.equal(
    decodeFingerMinutiaeRecord(
      wideRecord(
        2,
        () => 3,
        (v) => v,
      ),
    ).length,
    2,
    'two views of one finger are fine',
  );
  const three = [0, 1, 2].map((fingerPosition) => ({
    fingerPosition,
    width: 10,
    height: 10,
    resolutionDpi: 500,
    quality: 50,
    minutiae: [],
  }));
  t.throws(() => encodeFingerMinutiaeRecord(three), { code: 'tooManyViews' });
});
