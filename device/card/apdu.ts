/**
 * ISO/IEC 7816-4 command and response APDUs as small pure functions.
 *
 * Byte conventions, once: a command is CLA INS P1 P2 [Lc data] [Le]. Short form carries Lc and
 * Le in one byte each (Le 00 means 256). Extended form starts the length part with 00 and uses
 * two bytes each (Le 0000 means 65536); when both are present, Le has no leading 00. `ne` is
 * the number of response bytes expected, 0 when the command expects none. A response is data
 * followed by the status word SW1 SW2; 9000 is success.
 */

export interface CommandApdu {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  data: Uint8Array;
  /** Expected response length Ne: 0 = none, 1-256 short, up to 65536 extended. */
  ne: number;
}

export interface ResponseApdu {
  data: Uint8Array;
  sw: number;
}

export type ApduFormatErrorCode = 'headerByte' | 'dataTooLong' | 'neOutOfRange' | 'tooShort' | 'lengthMismatch' | 'responseTooShort';

/** A byte string that is not a well-formed APDU. Never carries the bytes themselves. */
export class ApduFormatError extends Error {
  override readonly name = 'ApduFormatError';
  constructor(readonly code: ApduFormatErrorCode) {
    super(`malformed APDU (${code})`);
  }
}

/** A response whose status word is not success; the SW is safe to log, the data is not kept. */
export class ResponseApduError extends Error {
  override readonly name = 'ResponseApduError';
  constructor(
    readonly sw: number,
    readonly command: string,
  ) {
    super(`${command} answered ${swHex(sw)}`);
  }
}

export const SW = {
  OK: 0x9000,
  WARNING_END_OF_FILE: 0x6282,
  VERIFICATION_FAILED: 0x6300,
  WRONG_LENGTH: 0x6700,
  INCOMPATIBLE_FILE_STRUCTURE: 0x6981,
  SECURITY_STATUS_NOT_SATISFIED: 0x6982,
  AUTH_METHOD_BLOCKED: 0x6983,
  SM_DATA_MISSING: 0x6987,
  SM_DATA_INCORRECT: 0x6988,
  CONDITIONS_NOT_SATISFIED: 0x6985,
  NO_CURRENT_EF: 0x6986,
  WRONG_DATA: 0x6a80,
  FUNCTION_NOT_SUPPORTED: 0x6a81,
  FILE_NOT_FOUND: 0x6a82,
  INCORRECT_P1P2: 0x6a86,
  WRONG_P1P2: 0x6b00,
  INS_NOT_SUPPORTED: 0x6d00,
  CLA_NOT_SUPPORTED: 0x6e00,
} as const;

/**
 * The card instructions the KTP-el profile, the T=0 transport rules and the virtual card use
 * (ISO/IEC 7816-4; GET DATA with CLA FF is PC/SC's pseudo-APDU a contactless reader answers
 * with the card's UID). The SAM's own instructions are in sam-protocol.ts.
 */
export const INS = {
  select: 0xa4,
  getChallenge: 0x84,
  externalAuthenticate: 0x82,
  readBinary: 0xb0,
  getResponse: 0xc0,
  getData: 0xca,
} as const;

/** CLA FF: a command the PC/SC reader answers itself (part 3 of the PC/SC specification). */
export const CLA_PCSC_READER = 0xff;

export function swHex(sw: number): string {
  return sw.toString(16).toUpperCase().padStart(4, '0');
}

const MAX_SHORT_NC = 255;
const MAX_SHORT_NE = 256;
const MAX_EXTENDED = 65535;
const MAX_EXTENDED_NE = 65536;

function checkByte(v: number): void {
  if (!Number.isInteger(v) || v < 0 || v > 0xff) throw new ApduFormatError('headerByte');
}

/** True when the command needs the extended length form. */
export function isExtended(c: CommandApdu): boolean {
  return c.data.length > MAX_SHORT_NC || c.ne > MAX_SHORT_NE;
}

export function encodeCommand(c: CommandApdu): Uint8Array {
  checkByte(c.cla);
  checkByte(c.ins);
  checkByte(c.p1);
  checkByte(c.p2);
  if (c.data.length > MAX_EXTENDED) throw new ApduFormatError('dataTooLong');
  if (!Number.isInteger(c.ne) || c.ne < 0 || c.ne > MAX_EXTENDED_NE) throw new ApduFormatError('neOutOfRange');
  const nc = c.data.length;
  const out: number[] = [c.cla, c.ins, c.p1, c.p2];
  if (!isExtended(c)) {
    if (nc > 0) out.push(nc, ...c.data);
    if (c.ne > 0) out.push(c.ne === MAX_SHORT_NE ? 0 : c.ne);
    return Uint8Array.from(out);
  }
  out.push(0);
  if (nc > 0) out.push(nc >> 8, nc & 0xff, ...c.data);
  if (c.ne > 0) {
    const le = c.ne === MAX_EXTENDED_NE ? 0 : c.ne;
    out.push(le >> 8, le & 0xff);
  }
  return Uint8Array.from(out);
}

/** Parses a command by the case rules of ISO/IEC 7816-3 12.1.3; anything else is refused. */
export function decodeCommand(bytes: Uint8Array): CommandApdu {
  if (bytes.length < 4) throw new ApduFormatError('tooShort');
  const [cla, ins, p1, p2] = bytes as unknown as [number, number, number, number];
  const head = { cla, ins, p1, p2 };
  const body = bytes.length - 4;
  if (body === 0) return { ...head, data: new Uint8Array(0), ne: 0 };
  const b5 = bytes[4]!;
  if (body === 1) return { ...head, data: new Uint8Array(0), ne: b5 === 0 ? MAX_SHORT_NE : b5 };
  if (b5 !== 0) {
    if (body === 1 + b5) return { ...head, data: bytes.slice(5, 5 + b5), ne: 0 };
    if (body === 2 + b5) {
      const le = bytes[5 + b5]!;
      return { ...head, data: bytes.slice(5, 5 + b5), ne: le === 0 ? MAX_SHORT_NE : le };
    }
    throw new ApduFormatError('lengthMismatch');
  }
  if (body < 3) throw new ApduFormatError('lengthMismatch');
  const n = (bytes[5]! << 8) | bytes[6]!;
  if (body === 3) return { ...head, data: new Uint8Array(0), ne: n === 0 ? MAX_EXTENDED_NE : n };
  if (n === 0) throw new ApduFormatError('lengthMismatch');
  if (body === 3 + n) return { ...head, data: bytes.slice(7, 7 + n), ne: 0 };
  if (body === 5 + n) {
    const le = (bytes[7 + n]! << 8) | bytes[8 + n]!;
    return { ...head, data: bytes.slice(7, 7 + n), ne: le === 0 ? MAX_EXTENDED_NE : le };
  }
  throw new ApduFormatError('lengthMismatch');
}

export function parseResponse(bytes: Uint8Array): ResponseApdu {
  if (bytes.length < 2) throw new ApduFormatError('responseTooShort');
  const n = bytes.length - 2;
  return { data: bytes.slice(0, n), sw: (bytes[n]! << 8) | bytes[n + 1]! };
}

export function encodeResponse(r: ResponseApdu): Uint8Array {
  const out = new Uint8Array(r.data.length + 2);
  out.set(r.data, 0);
  out[r.data.length] = r.sw >> 8;
  out[r.data.length + 1] = r.sw & 0xff;
  return out;
}

/** The response data when the SW is 9000; otherwise a typed error naming the command. */
export function expectOk(r: ResponseApdu, command: string): Uint8Array {
  if (r.sw !== SW.OK) throw new ResponseApduError(r.sw, command);
  return r.data;
}

export function command(cla: number, ins: number, p1: number, p2: number, data: Uint8Array = new Uint8Array(0), ne = 0): CommandApdu {
  return { cla, ins, p1, p2, data, ne };
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex').toUpperCase();
}

export function fromHex(hex: string): Uint8Array {
  const clean = hex.replace(/\s+/g, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(clean)) throw new TypeError('not a hex string');
  return Uint8Array.from(Buffer.from(clean, 'hex'));
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
