/**
 * BER-TLV (ISO/IEC 7816-4 5.2, X.690) as pure functions, strict: definite lengths only, minimal
 * length encoding, tags of at most three bytes, every byte of the input accounted for.
 *
 * Tag: first byte, then continuation bytes while the first byte's low five bits are all ones
 * and each following byte has bit 8 set. Length: 0-127 in one byte; otherwise 81 xx, 82 xxxx,
 * 83 xxxxxx.
 */

export interface Tlv {
  tag: number;
  value: Uint8Array;
}

export type TlvErrorCode =
  'truncated' | 'badTag' | 'indefiniteLength' | 'nonMinimalLength' | 'lengthTooLarge' | 'trailingBytes' | 'missingTag';

export class TlvError extends Error {
  override readonly name = 'TlvError';
  constructor(readonly code: TlvErrorCode) {
    super(`malformed TLV (${code})`);
  }
}

const MAX_LENGTH = 0xffffff;

export function encodeTag(tag: number): Uint8Array {
  if (!Number.isInteger(tag) || tag <= 0 || tag > 0xffffff) throw new TlvError('badTag');
  const bytes = tag > 0xffff ? [tag >> 16, (tag >> 8) & 0xff, tag & 0xff] : tag > 0xff ? [tag >> 8, tag & 0xff] : [tag];
  checkTagBytes(bytes);
  return Uint8Array.from(bytes);
}

function checkTagBytes(bytes: number[]): void {
  // ISO/IEC 7816-4: 00 and FF are never a first tag byte (they pad between objects).
  if (bytes[0] === 0xff) throw new TlvError('badTag');
  const multi = (bytes[0]! & 0x1f) === 0x1f;
  if (!multi) {
    if (bytes.length !== 1) throw new TlvError('badTag');
    return;
  }
  if (bytes.length < 2 || (bytes[1]! & 0x7f) === 0) throw new TlvError('badTag');
  for (let i = 1; i < bytes.length; i++) {
    const more = (bytes[i]! & 0x80) !== 0;
    if (more !== i < bytes.length - 1) throw new TlvError('badTag');
  }
}

export function encodeLength(n: number): Uint8Array {
  if (!Number.isInteger(n) || n < 0 || n > MAX_LENGTH) throw new TlvError('lengthTooLarge');
  if (n < 0x80) return Uint8Array.of(n);
  if (n <= 0xff) return Uint8Array.of(0x81, n);
  if (n <= 0xffff) return Uint8Array.of(0x82, n >> 8, n & 0xff);
  return Uint8Array.of(0x83, n >> 16, (n >> 8) & 0xff, n & 0xff);
}

export function encodeTlv(tag: number, value: Uint8Array): Uint8Array {
  const t = encodeTag(tag);
  const l = encodeLength(value.length);
  const out = new Uint8Array(t.length + l.length + value.length);
  out.set(t, 0);
  out.set(l, t.length);
  out.set(value, t.length + l.length);
  return out;
}

/** Encodes a constructed object from already encoded children. */
export function encodeConstructed(tag: number, children: Uint8Array[]): Uint8Array {
  let total = 0;
  for (const c of children) total += c.length;
  const value = new Uint8Array(total);
  let o = 0;
  for (const c of children) {
    value.set(c, o);
    o += c.length;
  }
  return encodeTlv(tag, value);
}

/** The tag and length of the TLV at `offset`, from its header alone (its value may not be there). */
export function decodeTlvHeader(bytes: Uint8Array, offset = 0): { tag: number; length: number; valueOffset: number } {
  let i = offset;
  const byte = (): number => {
    if (i >= bytes.length) throw new TlvError('truncated');
    return bytes[i++]!;
  };
  const first = byte();
  if (first === 0x00 || first === 0xff) throw new TlvError('badTag');
  let tag = first;
  if ((first & 0x1f) === 0x1f) {
    let count = 0;
    let b: number;
    do {
      b = byte();
      if (count === 0 && (b & 0x7f) === 0) throw new TlvError('badTag');
      tag = (tag << 8) | b;
      count++;
      if (count > 2) throw new TlvError('badTag');
    } while (b & 0x80);
  }
  const l0 = byte();
  let length: number;
  if (l0 < 0x80) length = l0;
  else if (l0 === 0x80) throw new TlvError('indefiniteLength');
  else {
    const n = l0 & 0x7f;
    if (n > 3) throw new TlvError('lengthTooLarge');
    length = 0;
    for (let k = 0; k < n; k++) length = (length << 8) | byte();
    const minimal = n === 1 ? length >= 0x80 : length >= 1 << (8 * (n - 1));
    if (!minimal) throw new TlvError('nonMinimalLength');
  }
  return { tag, length, valueOffset: i };
}

/** Decodes one TLV at `offset`; returns it and the offset just past it. */
export function decodeTlvAt(bytes: Uint8Array, offset: number): { tlv: Tlv; next: number } {
  const { tag, length, valueOffset: i } = decodeTlvHeader(bytes, offset);
  if (i + length > bytes.length) throw new TlvError('truncated');
  return { tlv: { tag, value: bytes.slice(i, i + length) }, next: i + length };
}

/** Decodes a sequence of TLVs that must fill `bytes` exactly. */
export function decodeTlvs(bytes: Uint8Array): Tlv[] {
  const out: Tlv[] = [];
  let i = 0;
  while (i < bytes.length) {
    const { tlv, next } = decodeTlvAt(bytes, i);
    out.push(tlv);
    i = next;
  }
  return out;
}

/** Decodes exactly one TLV filling `bytes`. */
export function decodeSingleTlv(bytes: Uint8Array): Tlv {
  const { tlv, next } = decodeTlvAt(bytes, 0);
  if (next !== bytes.length) throw new TlvError('trailingBytes');
  return tlv;
}

export function findTlv(tlvs: readonly Tlv[], tag: number): Tlv | undefined {
  return tlvs.find((t) => t.tag === tag);
}

export function requireTlv(tlvs: readonly Tlv[], tag: number): Tlv {
  const t = findTlv(tlvs, tag);
  if (!t) throw new TlvError('missingTag');
  return t;
}
