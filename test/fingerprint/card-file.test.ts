import t, { type Test } from 'tap';
import fc from 'fast-check';
import { decodeCardTemplateFile, encodeCardTemplateFile } from '../../device/fingerprint/card-file.ts';
import { TemplateFormatError } from '../../device/fingerprint/format-error.ts';
import type { FingerTemplate } from '../../device/domain/finger-template.ts';

// Right index finger, two minutiae: an ending at (10.0 mm, 20.0 mm) pointing at 90°, and a
// bifurcation at (0.5 mm, 25.5 mm) pointing at 5.625°.
const HAND_BUILT = Uint8Array.from([0x7f, 0x2e, 0x0e, 0x80, 0x01, 0x02, 0x81, 0x01, 0x02, 0x90, 0x06, 0x64, 0xc8, 0x50, 0x05, 0xff, 0x81]);

t.test('decodes a hand-built card file byte for byte', async (t) => {
  const tpl = decodeCardTemplateFile(HAND_BUILT);
  t.equal(tpl.fingerPosition, 2);
  t.equal(tpl.resolutionDpi, 254);
  t.equal(tpl.minutiae.length, 2);
  t.match(tpl.minutiae[0], { x: 100, y: 200, type: 'ending' });
  t.equal(tpl.minutiae[0]?.angle, Math.PI / 2);
  t.match(tpl.minutiae[1], { x: 5, y: 255, type: 'bifurcation' });
  t.equal(tpl.minutiae[1]?.angle, (2 * Math.PI) / 64);
  t.same(encodeCardTemplateFile(tpl), HAND_BUILT, 'encoding gives the same bytes back');
});

t.test('encodes a 500 dpi template into 0.1 mm units', async (t) => {
  const tpl: FingerTemplate = {
    fingerPosition: 7,
    width: 400,
    height: 500,
    resolutionDpi: 500,
    quality: 80,
    minutiae: [{ x: 500, y: 250, angle: Math.PI, type: 'other', quality: 60 }],
  };
  t.same(encodeCardTemplateFile(tpl), Uint8Array.from([0x7f, 0x2e, 0x0b, 0x80, 0x01, 0x07, 0x81, 0x01, 0x01, 0x90, 0x03, 254, 127, 32]));
});

t.test('uses the long BER length form for many minutiae', async (t) => {
  const minutiae = Array.from({ length: 60 }, (_, i) => ({ x: i, y: i, angle: 0, type: 'ending' as const, quality: 0 }));
  const bytes = encodeCardTemplateFile({ fingerPosition: 2, width: 256, height: 256, resolutionDpi: 254, quality: 0, minutiae });
  t.same([...bytes.slice(0, 5)], [0x7f, 0x2e, 0x81, 0xbd, 0x80]);
  t.same([...bytes.slice(10, 13)], [0x90, 0x81, 180]);
  t.equal(decodeCardTemplateFile(bytes).minutiae.length, 60);
});

function refused(t: Test, bytes: Uint8Array, code: string, what: string): void {
  t.throws(() => decodeCardTemplateFile(bytes), { name: 'TemplateFormatError', code }, what);
}

t.test('refuses every malformed variant with a typed error', async (t) => {
  const edit = (at: number, value: number): Uint8Array => {
    const b = HAND_BUILT.slice();
    b[at] = value;
    return b;
  };
  for (let n = 0; n < HAND_BUILT.length; n++) {
    refused(t, HAND_BUILT.slice(0, n), 'truncated', `truncated to ${n} bytes`);
  }
  refused(t, Uint8Array.from([...HAND_BUILT, 0]), 'trailingData', 'a byte after the template');
  refused(t, edit(1, 0x2f), 'badTag', 'another outer tag');
  refused(t, edit(5, 11), 'badFingerPosition', 'finger position 11');
  refused(t, edit(8, 3), 'countMismatch', 'count says 3, data holds 2');
  refused(t, edit(13, 0xc0), 'badMinutiaType', 'reserved minutia type');
  refused(t, edit(3, 0x81), 'badTag', 'count where the position belongs');
  refused(t, edit(4, 2), 'lengthMismatch', 'position object two bytes long');
  const nonMinimal = Uint8Array.from([0x7f, 0x2e, 0x81, 0x0e, ...HAND_BUILT.slice(3)]);
  refused(t, nonMinimal, 'lengthMismatch', 'long form for a short length');
});

t.test('refuses to encode what the card format cannot hold', async (t) => {
  const base: FingerTemplate = { fingerPosition: 2, width: 600, height: 600, resolutionDpi: 500, quality: 0, minutiae: [] };
  const far = { ...base, minutiae: [{ x: 520, y: 10, angle: 0, type: 'ending' as const, quality: 0 }] };
  t.throws(() => encodeCardTemplateFile(far), { code: 'coordinateOutOfImage' });
  t.throws(() => encodeCardTemplateFile({ ...base, fingerPosition: 12 }), { code: 'badFingerPosition' });
  const many = { ...base, minutiae: Array.from({ length: 256 }, () => ({ x: 1, y: 1, angle: 0, type: 'ending' as const, quality: 0 })) };
  t.throws(() => encodeCardTemplateFile(many), { code: 'countMismatch' });
});

const cardMinutia = fc.record({
  x: fc.integer({ min: 0, max: 255 }),
  y: fc.integer({ min: 0, max: 255 }),
  angle: fc.integer({ min: 0, max: 63 }).map((a) => (a * 2 * Math.PI) / 64),
  type: fc.constantFrom('ending' as const, 'bifurcation' as const, 'other' as const),
  quality: fc.constant(0),
});

t.test('round-trips any card template', async (t) => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 10 }), fc.array(cardMinutia, { maxLength: 255 }), (fingerPosition, minutiae) => {
      const tpl: FingerTemplate = { fingerPosition, width: 256, height: 256, resolutionDpi: 254, quality: 0, minutiae };
      const back = decodeCardTemplateFile(encodeCardTemplateFile(tpl));
      return back.fingerPosition === fingerPosition && JSON.stringify(back.minutiae) === JSON.stringify(minutiae);
    }),
  );
  t.pass('round trips held');
});

t.test('random bytes decode or fail with a TemplateFormatError, nothing else', async (t) => {
  const mutated = fc.tuple(fc.integer({ min: 0, max: HAND_BUILT.length - 1 }), fc.integer({ min: 0, max: 255 })).map(([at, v]) => {
    const b = HAND_BUILT.slice();
    b[at] = v;
    return b;
  });
  fc.assert(
    fc.property(fc.oneof(fc.uint8Array({ maxLength: 64 }), mutated), (bytes) => {
      try {
        decodeCardTemplateFile(bytes);
      } catch (e) {
        if (!(e instanceof TemplateFormatError)) throw e;
      }
    }),
    { numRuns: 3000 },
  );
  t.pass('no other exception escaped');
});
