/**
 * ISO/IEC 19794-2:2005 finger minutiae record format, the interchange form a sensor SDK or
 * another matcher reads and writes. All integers big-endian.
 *
 *   Record header, 24 bytes
 *     4  "FMR\0"                       format identifier
 *     4  " 20\0"                       version
 *     4  record length in bytes        must equal the bytes given
 *     2  capture equipment             certification (4 bits) + device type (12 bits); kept 0
 *     2  image width, 2 image height   pixels, at least 1
 *     2  x resolution, 2 y resolution  pixels per centimetre; must be equal (square pixels)
 *     1  number of finger views        at least 1
 *     1  reserved                      0
 *   Per finger view
 *     1  finger position               0..10
 *     1  view number (4 bits) + impression type (4 bits: 0..3 live/non-live plain/rolled, 8 swipe)
 *     1  finger quality                0..100
 *     1  number of minutiae
 *     6 × n minutiae
 *          type (2 bits: 01 ending, 10 bifurcation, 00 other) + x (14 bits)
 *          reserved (2 bits, 0) + y (14 bits)
 *          angle (units of 360/256 degrees, counter-clockwise from the x axis)
 *          quality 0..100
 *     2  extended data block length    0, or the sum of its areas
 *        areas: type (2) + area length (2, counting its own 4 header bytes) + data; types
 *        0x0001 ridge counts, 0x0002 cores and deltas, 0x0003 zonal quality, 0x0100.. vendor
 *
 * The matcher uses minutiae only, so extended data is checked for consistency and then not
 * kept; encoding writes an empty block. Impression type is checked, not kept; encoding writes
 * live-scan plain.
 */
import type { FingerTemplate, Minutia, MinutiaType } from '../domain/finger-template.ts';
import { TemplateFormatError } from './format-error.ts';
import { quantizeAngle } from './card-file.ts';

const MAGIC = [0x46, 0x4d, 0x52, 0x00];
const VERSION = [0x20, 0x32, 0x30, 0x00];
const HEADER_LENGTH = 24;
const VIEW_HEADER_LENGTH = 4;
const MINUTIA_LENGTH = 6;
const ANGLE_STEPS = 256;
const CM_PER_INCH = 2.54;
const IMPRESSION_TYPES = new Set([0, 1, 2, 3, 8]);
/**
 * Finger views a record may hold. A KTP-el holds two templates and a sensor gives one view; the
 * matcher scores every probe view against every reference view, so this bounds the work one
 * record can cause (2 × 2 pairs of at most 255 minutiae) where the format allows 255 × 255.
 */
export const MAX_FINGER_VIEWS = 2;

const TYPE_CODE: Record<MinutiaType, number> = { other: 0, ending: 1, bifurcation: 2 };
const TYPE_OF_CODE: readonly (MinutiaType | undefined)[] = ['other', 'ending', 'bifurcation', undefined];

class Reader {
  at = 0;
  constructor(private readonly bytes: Uint8Array) {}
  u8(): number {
    if (this.at >= this.bytes.length) throw new TemplateFormatError('truncated', 'record ends early');
    return this.bytes[this.at++] as number;
  }
  u16(): number {
    return (this.u8() << 8) | this.u8();
  }
  u32(): number {
    return this.u16() * 0x10000 + this.u16();
  }
}

/** Decodes a record into one template per finger view. */
export function decodeFingerMinutiaeRecord(bytes: Uint8Array): FingerTemplate[] {
  const r = new Reader(bytes);
  if (bytes.length < 4 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new TemplateFormatError('badMagic', 'not an ISO/IEC 19794-2 record (FMR)');
  }
  r.at = 4;
  if (VERSION.some((b) => r.u8() !== b)) throw new TemplateFormatError('badVersion', 'only version 2.0 records are read');
  const recordLength = r.u32();
  if (recordLength !== bytes.length) {
    throw new TemplateFormatError(
      recordLength > bytes.length ? 'truncated' : 'lengthMismatch',
      'record length field disagrees with the data',
    );
  }
  r.u16(); // capture equipment: informative only
  const width = r.u16();
  const height = r.u16();
  if (width === 0 || height === 0 || width > 0x3fff || height > 0x3fff) {
    throw new TemplateFormatError('badImageSize', 'image size must be 1..16383 pixels');
  }
  const xResolution = r.u16();
  const yResolution = r.u16();
  if (xResolution === 0 || xResolution !== yResolution) {
    throw new TemplateFormatError('badResolution', 'resolution must be non-zero and equal in x and y');
  }
  const views = r.u8();
  if (views === 0) throw new TemplateFormatError('countMismatch', 'record holds no finger view');
  if (views > MAX_FINGER_VIEWS) throw new TemplateFormatError('tooManyViews', `a record may hold at most ${MAX_FINGER_VIEWS} finger views`);
  if (r.u8() !== 0) throw new TemplateFormatError('reservedBits', 'reserved header byte must be 0');
  const resolutionDpi = Math.round(xResolution * CM_PER_INCH);
  const templates: FingerTemplate[] = [];
  const seenViews = new Set<number>();
  for (let v = 0; v < views; v++) {
    const fingerPosition = r.u8();
    if (fingerPosition > 10) throw new TemplateFormatError('badFingerPosition', 'finger position code must be 0..10');
    const viewAndImpression = r.u8();
    // One view number of one finger is one impression; a second copy of it is not a new view.
    const viewKey = (fingerPosition << 4) | (viewAndImpression >> 4);
    if (seenViews.has(viewKey)) throw new TemplateFormatError('duplicateView', 'a finger position and view number appear twice');
    seenViews.add(viewKey);
    if (!IMPRESSION_TYPES.has(viewAndImpression & 0x0f)) {
      throw new TemplateFormatError('badImpressionType', 'unknown impression type');
    }
    const quality = r.u8();
    if (quality > 100) throw new TemplateFormatError('badQuality', 'finger quality must be 0..100');
    const count = r.u8();
    if (r.at + count * MINUTIA_LENGTH + 2 > bytes.length) {
      throw new TemplateFormatError('countMismatch', 'minutiae count runs past the record');
    }
    const minutiae: Minutia[] = [];
    for (let i = 0; i < count; i++) {
      const typeX = r.u16();
      const reservedY = r.u16();
      const angle = r.u8();
      const minutiaQuality = r.u8();
      const type = TYPE_OF_CODE[typeX >> 14];
      if (type === undefined) throw new TemplateFormatError('badMinutiaType', 'minutia type code 11 is reserved');
      if (reservedY >> 14 !== 0) throw new TemplateFormatError('reservedBits', 'reserved bits above y must be 0');
      const x = typeX & 0x3fff;
      const y = reservedY & 0x3fff;
      if (x >= width || y >= height) throw new TemplateFormatError('coordinateOutOfImage', 'minutia lies outside the image');
      if (minutiaQuality > 100) throw new TemplateFormatError('badQuality', 'minutia quality must be 0..100');
      minutiae.push({ x, y, angle: (angle * 2 * Math.PI) / ANGLE_STEPS, type, quality: minutiaQuality });
    }
    skipExtendedData(r, bytes.length);
    templates.push({ fingerPosition, width, height, resolutionDpi, quality, minutiae });
  }
  if (r.at !== bytes.length) throw new TemplateFormatError('trailingData', 'bytes follow the last finger view');
  return templates;
}

function skipExtendedData(r: Reader, total: number): void {
  const blockLength = r.u16();
  const end = r.at + blockLength;
  if (end > total) throw new TemplateFormatError('truncated', 'extended data runs past the record');
  while (r.at < end) {
    if (end - r.at < 4) throw new TemplateFormatError('badExtendedData', 'extended data area header is cut short');
    const type = r.u16();
    const areaLength = r.u16();
    if (type === 0 || (type > 0x0003 && type < 0x0100)) {
      throw new TemplateFormatError('badExtendedData', 'extended data area type is reserved');
    }
    if (areaLength < 4 || r.at - 4 + areaLength > end) {
      throw new TemplateFormatError('badExtendedData', 'extended data area length is inconsistent');
    }
    r.at += areaLength - 4;
  }
}

/** Encodes one record holding the given finger views; they must share image size and resolution. */
export function encodeFingerMinutiaeRecord(views: readonly FingerTemplate[]): Uint8Array {
  const first = views[0];
  if (first === undefined) throw new TemplateFormatError('countMismatch', 'a record holds at least one finger view');
  if (views.length > MAX_FINGER_VIEWS)
    throw new TemplateFormatError('tooManyViews', `a record may hold at most ${MAX_FINGER_VIEWS} finger views`);
  const { width, height, resolutionDpi } = first;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width > 0x3fff || height > 0x3fff) {
    throw new TemplateFormatError('badImageSize', 'image size must be 1..16383 pixels');
  }
  const ppcm = Math.round(resolutionDpi / CM_PER_INCH);
  if (!(ppcm >= 1 && ppcm <= 0xffff)) throw new TemplateFormatError('badResolution', 'resolution out of range');
  const length = HEADER_LENGTH + views.reduce((s, v) => s + VIEW_HEADER_LENGTH + v.minutiae.length * MINUTIA_LENGTH + 2, 0);
  const out = new Uint8Array(length);
  const dv = new DataView(out.buffer);
  out.set(MAGIC, 0);
  out.set(VERSION, 4);
  dv.setUint32(8, length);
  dv.setUint16(14, width);
  dv.setUint16(16, height);
  dv.setUint16(18, ppcm);
  dv.setUint16(20, ppcm);
  out[22] = views.length;
  let at = HEADER_LENGTH;
  const viewsPerFinger = new Map<number, number>();
  for (const view of views) {
    if (view.width !== width || view.height !== height || view.resolutionDpi !== resolutionDpi) {
      throw new TemplateFormatError('badImageSize', 'finger views of one record share image size and resolution');
    }
    if (!Number.isInteger(view.fingerPosition) || view.fingerPosition < 0 || view.fingerPosition > 10) {
      throw new TemplateFormatError('badFingerPosition', 'finger position code must be 0..10');
    }
    if (view.minutiae.length > 255) throw new TemplateFormatError('countMismatch', 'a finger view holds at most 255 minutiae');
    const viewNumber = viewsPerFinger.get(view.fingerPosition) ?? 0;
    if (viewNumber > 15) throw new TemplateFormatError('badViewNumber', 'at most 16 views of one finger');
    viewsPerFinger.set(view.fingerPosition, viewNumber + 1);
    out[at++] = view.fingerPosition;
    out[at++] = viewNumber << 4;
    out[at++] = checkedQuality(view.quality, 'finger quality');
    out[at++] = view.minutiae.length;
    for (const m of view.minutiae) {
      const x = Math.round(m.x);
      const y = Math.round(m.y);
      if (!(x >= 0 && x < width && y >= 0 && y < height)) {
        throw new TemplateFormatError('coordinateOutOfImage', 'minutia lies outside the image');
      }
      if (!Number.isFinite(m.angle)) throw new TemplateFormatError('badAngle', 'minutia angle must be finite');
      dv.setUint16(at, (TYPE_CODE[m.type] << 14) | x);
      dv.setUint16(at + 2, y);
      out[at + 4] = quantizeAngle(m.angle, ANGLE_STEPS);
      out[at + 5] = checkedQuality(m.quality, 'minutia quality');
      at += MINUTIA_LENGTH;
    }
    at += 2; // empty extended data block
  }
  return out;
}

function checkedQuality(q: number, what: string): number {
  const v = Math.round(q);
  if (!(v >= 0 && v <= 100)) throw new TemplateFormatError('badQuality', `${what} must be 0..100`);
  return v;
}
