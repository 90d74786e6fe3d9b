/**
 * The content of the KTP-el's fingerprint files (EF 6FF4 and EF 6FF5): one finger's minutiae in
 * the ISO/IEC 19794-2 compact card format, wrapped in a small BER-TLV that says which finger it
 * is and how many minutiae follow. Our design, shaped after the biometric data template of
 * ISO/IEC 7816-11:
 *
 *   7F2E L            biometric data template
 *     80 01 PP        finger position code, 0 (unknown) .. 10 (left little finger)
 *     81 01 NN        number of minutiae, 0..255
 *     90 L  M…        NN × 3 bytes of compact-card minutiae
 *
 * Lengths use the definite BER form, minimally encoded (short form below 128, then 81 XX or
 * 82 XXXX). The three inner objects come exactly once and in this order; anything else is
 * refused. One compact minutia is 3 bytes:
 *
 *   byte 0  x in units of 0.1 mm from the left edge (0..255)
 *   byte 1  y in units of 0.1 mm from the top edge (0..255)
 *   byte 2  bits 7-6 type (00 other, 01 ridge ending, 10 bifurcation; 11 refused),
 *           bits 5-0 angle in units of 360/64 degrees, counter-clockwise from the x axis
 *
 * 0.1 mm is exactly 1/254 inch, so a decoded template is in pixels at 254 dpi on a 256 × 256
 * grid, and decoding loses nothing. The compact format carries no quality, so decoded
 * qualities are 0.
 */
import type { FingerTemplate, Minutia, MinutiaType } from '../domain/finger-template.ts';
import { TemplateFormatError } from './format-error.ts';

export const CARD_RESOLUTION_DPI = 254;
export const CARD_GRID = 256;
export const CARD_MAX_MINUTIAE = 255;

const TAG_TEMPLATE = 0x7f2e;
const TAG_POSITION = 0x80;
const TAG_COUNT = 0x81;
const TAG_MINUTIAE = 0x90;
const ANGLE_STEPS = 64;

const TYPE_CODE: Record<MinutiaType, number> = { other: 0, ending: 1, bifurcation: 2 };
const TYPE_OF_CODE: readonly (MinutiaType | undefined)[] = ['other', 'ending', 'bifurcation', undefined];

export function encodeCardTemplateFile(t: FingerTemplate): Uint8Array {
  checkFingerPosition(t.fingerPosition);
  if (!(t.resolutionDpi > 0) || !Number.isFinite(t.resolutionDpi)) {
    throw new TemplateFormatError('badResolution', 'template resolution must be a positive number');
  }
  if (t.minutiae.length > CARD_MAX_MINUTIAE) {
    throw new TemplateFormatError('countMismatch', 'card format holds at most 255 minutiae');
  }
  const scale = CARD_RESOLUTION_DPI / t.resolutionDpi;
  const minutiae = new Uint8Array(t.minutiae.length * 3);
  t.minutiae.forEach((m, i) => {
    const x = Math.round(m.x * scale);
    const y = Math.round(m.y * scale);
    if (!(x >= 0 && x < CARD_GRID && y >= 0 && y < CARD_GRID)) {
      throw new TemplateFormatError('coordinateOutOfImage', 'minutia lies outside the 25.5 mm card grid');
    }
    if (!Number.isFinite(m.angle)) throw new TemplateFormatError('badAngle', 'minutia angle must be finite');
    minutiae[i * 3] = x;
    minutiae[i * 3 + 1] = y;
    minutiae[i * 3 + 2] = (TYPE_CODE[m.type] << 6) | quantizeAngle(m.angle, ANGLE_STEPS);
  });
  const body = concat(
    tlv(TAG_POSITION, Uint8Array.of(t.fingerPosition)),
    tlv(TAG_COUNT, Uint8Array.of(t.minutiae.length)),
    tlv(TAG_MINUTIAE, minutiae),
  );
  return tlv(TAG_TEMPLATE, body);
}

export function decodeCardTemplateFile(bytes: Uint8Array): FingerTemplate {
  const outer = readTlv(bytes, 0);
  if (outer.tag !== TAG_TEMPLATE) throw new TemplateFormatError('badTag', 'card template must start with tag 7F2E');
  if (outer.end !== bytes.length) throw new TemplateFormatError('trailingData', 'bytes follow the card template');
  const position = readTlv(bytes, outer.valueStart, outer.end);
  expectTag(position.tag, TAG_POSITION, 'finger position (80)');
  if (position.end - position.valueStart !== 1) throw new TemplateFormatError('lengthMismatch', 'finger position must be one byte');
  const fingerPosition = bytes[position.valueStart] as number;
  checkFingerPosition(fingerPosition);
  const count = readTlv(bytes, position.end, outer.end);
  expectTag(count.tag, TAG_COUNT, 'minutiae count (81)');
  if (count.end - count.valueStart !== 1) throw new TemplateFormatError('lengthMismatch', 'minutiae count must be one byte');
  const n = bytes[count.valueStart] as number;
  const data = readTlv(bytes, count.end, outer.end);
  expectTag(data.tag, TAG_MINUTIAE, 'minutiae (90)');
  if (data.end !== outer.end) throw new TemplateFormatError('trailingData', 'data follows the minutiae object');
  if (data.end - data.valueStart !== n * 3) {
    throw new TemplateFormatError('countMismatch', 'minutiae length does not match the minutiae count');
  }
  const minutiae: Minutia[] = [];
  for (let i = 0; i < n; i++) {
    const at = data.valueStart + i * 3;
    const typeAngle = bytes[at + 2] as number;
    const type = TYPE_OF_CODE[typeAngle >> 6];
    if (type === undefined) throw new TemplateFormatError('badMinutiaType', 'minutia type code 11 is reserved');
    minutiae.push({
      x: bytes[at] as number,
      y: bytes[at + 1] as number,
      angle: ((typeAngle & 0x3f) * 2 * Math.PI) / ANGLE_STEPS,
      type,
      quality: 0,
    });
  }
  return { fingerPosition, width: CARD_GRID, height: CARD_GRID, resolutionDpi: CARD_RESOLUTION_DPI, quality: 0, minutiae };
}

/** Angle in radians → 0..steps-1, counter-clockwise, nearest step. */
export function quantizeAngle(angle: number, steps: number): number {
  const turn = 2 * Math.PI;
  const normalized = ((angle % turn) + turn) % turn;
  return Math.round((normalized / turn) * steps) % steps;
}

function checkFingerPosition(p: number): void {
  if (!Number.isInteger(p) || p < 0 || p > 10) {
    throw new TemplateFormatError('badFingerPosition', 'finger position code must be 0..10');
  }
}

function expectTag(actual: number, expected: number, what: string): void {
  if (actual !== expected) throw new TemplateFormatError('badTag', `expected the ${what} object`);
}

interface Tlv {
  tag: number;
  valueStart: number;
  end: number;
}

/** Reads one BER-TLV at `at`, within `limit`; tags of one or two bytes, minimal definite lengths. */
function readTlv(bytes: Uint8Array, at: number, limit = bytes.length): Tlv {
  const byte = (i: number): number => {
    if (i >= limit) throw new TemplateFormatError('truncated', 'card template ends inside a TLV header');
    return bytes[i] as number;
  };
  let i = at;
  let tag = byte(i++);
  if ((tag & 0x1f) === 0x1f) {
    const second = byte(i++);
    if (second & 0x80) throw new TemplateFormatError('badTag', 'tags longer than two bytes are not used');
    tag = (tag << 8) | second;
  }
  const first = byte(i++);
  let length: number;
  if (first < 0x80) {
    length = first;
  } else if (first === 0x81) {
    length = byte(i++);
    if (length < 0x80) throw new TemplateFormatError('lengthMismatch', 'length is not minimally encoded');
  } else if (first === 0x82) {
    length = (byte(i) << 8) | byte(i + 1);
    i += 2;
    if (length < 0x100) throw new TemplateFormatError('lengthMismatch', 'length is not minimally encoded');
  } else {
    throw new TemplateFormatError('lengthMismatch', 'unsupported BER length form');
  }
  if (i + length > limit) throw new TemplateFormatError('truncated', 'card template ends inside a TLV value');
  return { tag, valueStart: i, end: i + length };
}

function tlv(tag: number, value: Uint8Array): Uint8Array {
  const tagBytes = tag > 0xff ? [tag >> 8, tag & 0xff] : [tag];
  const n = value.length;
  const lengthBytes = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return concat(Uint8Array.from([...tagBytes, ...lengthBytes]), value);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
