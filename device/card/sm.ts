/**
 * Secure messaging in the style of ICAO 9303 Part 11 (BAC session keys, 3DES, retail MAC,
 * send-sequence counter), checked against the standard's Appendix D worked example.
 *
 * Why these shapes: keys are two-key 3DES (K1 || K2, 16 bytes); encryption is 3DES-CBC with a
 * zero IV; the MAC is ISO/IEC 9797-1 algorithm 3 (DES-CBC under K1, the last block then
 * decrypted under K2 and encrypted under K1) over data padded with method 2 (80 00..). The
 * send-sequence counter (SSC) is incremented before every protected command and before every
 * protected response, so one exchange consumes two values.
 *
 * Node's OpenSSL 3 has no single DES, so single DES is 3DES with K1 || K1, which is the same.
 */
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import {
  concatBytes,
  bytesEqual,
  encodeCommand,
  type CommandApdu,
  type ResponseApdu,
  decodeCommand,
  encodeResponse,
  parseResponse,
} from './apdu.ts';
import { decodeTlvs, encodeTlv, type Tlv } from './tlv.ts';

export type SmErrorCode = 'badPadding' | 'badMac' | 'badStructure' | 'badLength';

/** A protected message that does not verify or parse; carries no message bytes. */
export class SecureMessagingError extends Error {
  override readonly name = 'SecureMessagingError';
  constructor(readonly code: SmErrorCode) {
    super(`secure messaging failed (${code})`);
  }
}

const ZERO_IV = new Uint8Array(8);

/** The most plain response bytes whose protected response still fits a short APDU (ICAO uses the same). */
export const MAX_SHORT_PROTECTED_NE = 0xdf;

function checkKey(key: Uint8Array): void {
  if (key.length !== 16) throw new SecureMessagingError('badLength');
}

/** Sets the DES parity bit (odd parity) of every key byte, as ICAO's key derivation does. */
export function adjustParity(key: Uint8Array): Uint8Array {
  const out = Uint8Array.from(key);
  for (let i = 0; i < out.length; i++) {
    const b = out[i]! & 0xfe;
    let ones = 0;
    for (let bit = 1; bit < 0x100; bit <<= 1) if (b & bit) ones++;
    out[i] = b | (ones % 2 === 0 ? 1 : 0);
  }
  return out;
}

/** ICAO 9303 key derivation: SHA-1(seed || counter), first 16 bytes, parity adjusted. c=1 ENC, c=2 MAC. */
export function deriveKey(seed: Uint8Array, counter: 1 | 2): Uint8Array {
  const digest = createHash('sha1')
    .update(seed)
    .update(Uint8Array.of(0, 0, 0, counter))
    .digest();
  return adjustParity(new Uint8Array(digest.subarray(0, 16)));
}

/** ISO/IEC 9797-1 padding method 2. */
export function pad(data: Uint8Array): Uint8Array {
  const len = (Math.floor(data.length / 8) + 1) * 8;
  const out = new Uint8Array(len);
  out.set(data, 0);
  out[data.length] = 0x80;
  return out;
}

export function unpad(data: Uint8Array): Uint8Array {
  if (data.length === 0 || data.length % 8 !== 0) throw new SecureMessagingError('badPadding');
  let i = data.length - 1;
  while (i >= 0 && data[i] === 0) i--;
  if (i < 0 || data[i] !== 0x80 || data.length - i > 8) throw new SecureMessagingError('badPadding');
  return data.slice(0, i);
}

function tdes(key: Uint8Array, data: Uint8Array, encrypt: boolean): Uint8Array {
  checkKey(key);
  if (data.length % 8 !== 0) throw new SecureMessagingError('badLength');
  const c = encrypt ? createCipheriv('des-ede-cbc', key, ZERO_IV) : createDecipheriv('des-ede-cbc', key, ZERO_IV);
  c.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([c.update(data), c.final()]));
}

/** 3DES-CBC, zero IV, no padding (the caller pads). */
export function encrypt3des(key: Uint8Array, data: Uint8Array): Uint8Array {
  return tdes(key, data, true);
}

export function decrypt3des(key: Uint8Array, data: Uint8Array): Uint8Array {
  return tdes(key, data, false);
}

/** ISO/IEC 9797-1 MAC algorithm 3 with padding method 2 over `data`; 8 bytes. */
export function retailMac(key: Uint8Array, data: Uint8Array): Uint8Array {
  checkKey(key);
  const k1 = key.subarray(0, 8);
  const k1k1 = concatBytes(k1, k1);
  const chain = encrypt3des(k1k1, pad(data));
  const last = chain.subarray(chain.length - 8);
  // The final transformation D(K2) then E(K1) after E(K1) is exactly 3DES-EDE with K1 || K2.
  const d = createDecipheriv('des-ede-ecb', concatBytes(key.subarray(8, 16), key.subarray(8, 16)), null);
  d.setAutoPadding(false);
  const mid = Buffer.concat([d.update(last), d.final()]);
  const e = createCipheriv('des-ede-ecb', k1k1, null);
  e.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([e.update(mid), e.final()]));
}

export function incrementSsc(ssc: Uint8Array): Uint8Array {
  const out = Uint8Array.from(ssc);
  for (let i = out.length - 1; i >= 0; i--) {
    out[i] = (out[i]! + 1) & 0xff;
    if (out[i] !== 0) break;
  }
  return out;
}

// ---- Mutual authentication (ICAO BAC shape) ---------------------------------------------------

/** E = 3DES(Kenc, S) followed by M = MAC(Kmac, E): the cryptogram both sides exchange. */
export function authCryptogram(kEnc: Uint8Array, kMac: Uint8Array, s: Uint8Array): Uint8Array {
  const e = encrypt3des(kEnc, s);
  return concatBytes(e, retailMac(kMac, e));
}

/** Verifies the MAC of a 40-byte cryptogram and returns the decrypted 32 bytes. */
export function openAuthCryptogram(kEnc: Uint8Array, kMac: Uint8Array, cryptogram: Uint8Array): Uint8Array {
  if (cryptogram.length !== 40) throw new SecureMessagingError('badLength');
  const e = cryptogram.subarray(0, 32);
  if (!bytesEqual(retailMac(kMac, e), cryptogram.subarray(32))) throw new SecureMessagingError('badMac');
  return decrypt3des(kEnc, e);
}

export interface SessionKeys {
  ksEnc: Uint8Array;
  ksMac: Uint8Array;
  ssc: Uint8Array;
}

/** Session keys from K.IFD xor K.IC; SSC = last 4 bytes of RND.IC || last 4 bytes of RND.IFD. */
export function sessionKeys(kIfd: Uint8Array, kIc: Uint8Array, rndIc: Uint8Array, rndIfd: Uint8Array): SessionKeys {
  if (kIfd.length !== 16 || kIc.length !== 16 || rndIc.length !== 8 || rndIfd.length !== 8) throw new SecureMessagingError('badLength');
  const seed = kIfd.map((b, i) => b ^ kIc[i]!);
  return {
    ksEnc: deriveKey(seed, 1),
    ksMac: deriveKey(seed, 2),
    ssc: concatBytes(rndIc.subarray(4), rndIfd.subarray(4)),
  };
}

// ---- Protected APDUs ----------------------------------------------------------------------------

const DO_ENCRYPTED = 0x87; // padding-content indicator 01 + cryptogram
const DO_LE = 0x97;
const DO_STATUS = 0x99;
const DO_MAC = 0x8e;

function leBytes(ne: number): Uint8Array {
  if (ne <= 256) return Uint8Array.of(ne === 256 ? 0 : ne);
  return Uint8Array.of((ne === 65536 ? 0 : ne) >> 8, (ne === 65536 ? 0 : ne) & 0xff);
}

function leFromBytes(v: Uint8Array): number {
  if (v.length === 1) return v[0] === 0 ? 256 : v[0]!;
  if (v.length === 2) {
    const n = (v[0]! << 8) | v[1]!;
    return n === 0 ? 65536 : n;
  }
  throw new SecureMessagingError('badStructure');
}

function decodeAll(bytes: Uint8Array): Tlv[] {
  try {
    return decodeTlvs(bytes);
  } catch {
    throw new SecureMessagingError('badStructure');
  }
}

/**
 * One secure-messaging channel. The terminal side (here: the SAM) protects commands and
 * unprotects responses; the card side does the reverse. Both advance the same SSC.
 */
export class SecureChannel {
  private ssc: Uint8Array;
  constructor(
    private readonly keys: { ksEnc: Uint8Array; ksMac: Uint8Array },
    ssc: Uint8Array,
  ) {
    if (ssc.length !== 8) throw new SecureMessagingError('badLength');
    this.ssc = Uint8Array.from(ssc);
  }

  counter(): Uint8Array {
    return Uint8Array.from(this.ssc);
  }

  private mac(parts: Uint8Array[]): Uint8Array {
    this.ssc = incrementSsc(this.ssc);
    return retailMac(this.keys.ksMac, concatBytes(this.ssc, ...parts));
  }

  private encryptedDo(data: Uint8Array): Uint8Array {
    return encodeTlv(DO_ENCRYPTED, concatBytes(Uint8Array.of(0x01), encrypt3des(this.keys.ksEnc, pad(data))));
  }

  private decryptDo(value: Uint8Array): Uint8Array {
    if (value.length < 9 || value[0] !== 0x01) throw new SecureMessagingError('badStructure');
    return unpad(decrypt3des(this.keys.ksEnc, value.subarray(1)));
  }

  /** Terminal side: the protected form of a plain command (CLA with SM bits 0C). */
  protectCommand(c: CommandApdu): Uint8Array {
    const header = Uint8Array.of(c.cla | 0x0c, c.ins, c.p1, c.p2);
    const do87 = c.data.length > 0 ? this.encryptedDo(c.data) : new Uint8Array(0);
    const do97 = c.ne > 0 ? encodeTlv(DO_LE, leBytes(c.ne)) : new Uint8Array(0);
    const mac = this.mac([pad(header), do87, do97]);
    const data = concatBytes(do87, do97, encodeTlv(DO_MAC, mac));
    // The protected response to more than 223 plain bytes (DO87 with its padding, DO99, DO8E)
    // no longer fits a short response: ask for it in extended form.
    const extended = data.length > 255 || c.ne > MAX_SHORT_PROTECTED_NE;
    return encodeCommand({ cla: header[0]!, ins: c.ins, p1: c.p1, p2: c.p2, data, ne: extended ? 65536 : 256 });
  }

  /** Card side: checks and opens a protected command. */
  unprotectCommand(bytes: Uint8Array): CommandApdu {
    let c: CommandApdu;
    try {
      c = decodeCommand(bytes);
    } catch {
      throw new SecureMessagingError('badStructure');
    }
    if ((c.cla & 0x0c) !== 0x0c) throw new SecureMessagingError('badStructure');
    const objs = decodeAll(c.data);
    const macObj = objs[objs.length - 1];
    if (!macObj || macObj.tag !== DO_MAC || macObj.value.length !== 8) throw new SecureMessagingError('badStructure');
    const before = objs.slice(0, -1);
    for (const o of before) if (o.tag !== DO_ENCRYPTED && o.tag !== DO_LE) throw new SecureMessagingError('badStructure');
    const do87 = before.find((o) => o.tag === DO_ENCRYPTED);
    const do97 = before.find((o) => o.tag === DO_LE);
    const header = Uint8Array.of(c.cla, c.ins, c.p1, c.p2);
    const covered = [pad(header), ...before.map((o) => encodeTlv(o.tag, o.value))];
    if (!bytesEqual(this.mac(covered), macObj.value)) throw new SecureMessagingError('badMac');
    return {
      cla: c.cla & ~0x0c,
      ins: c.ins,
      p1: c.p1,
      p2: c.p2,
      data: do87 ? this.decryptDo(do87.value) : new Uint8Array(0),
      ne: do97 ? leFromBytes(do97.value) : 0,
    };
  }

  /** Card side: the protected form of a response (DO87 data, DO99 status, DO8E MAC). */
  protectResponse(r: ResponseApdu): Uint8Array {
    const do87 = r.data.length > 0 ? this.encryptedDo(r.data) : new Uint8Array(0);
    const do99 = encodeTlv(DO_STATUS, Uint8Array.of(r.sw >> 8, r.sw & 0xff));
    const mac = this.mac([do87, do99]);
    return encodeResponse({ data: concatBytes(do87, do99, encodeTlv(DO_MAC, mac)), sw: 0x9000 });
  }

  /** Terminal side: checks and opens a protected response; returns the plain response. */
  unprotectResponse(bytes: Uint8Array): ResponseApdu {
    let outer: ResponseApdu;
    try {
      outer = parseResponse(bytes);
    } catch {
      throw new SecureMessagingError('badStructure');
    }
    const objs = decodeAll(outer.data);
    const macObj = objs[objs.length - 1];
    if (!macObj || macObj.tag !== DO_MAC || macObj.value.length !== 8) throw new SecureMessagingError('badStructure');
    const before = objs.slice(0, -1);
    const do87 = before.find((o) => o.tag === DO_ENCRYPTED);
    const do99 = before.find((o) => o.tag === DO_STATUS);
    if (!do99 || do99.value.length !== 2) throw new SecureMessagingError('badStructure');
    for (const o of before) if (o.tag !== DO_ENCRYPTED && o.tag !== DO_STATUS) throw new SecureMessagingError('badStructure');
    const covered = before.map((o) => encodeTlv(o.tag, o.value));
    if (!bytesEqual(this.mac(covered), macObj.value)) throw new SecureMessagingError('badMac');
    return {
      data: do87 ? this.decryptDo(do87.value) : new Uint8Array(0),
      sw: (do99.value[0]! << 8) | do99.value[1]!,
    };
  }
}
