/**
 * Virtual KTP-el chip with real cryptography, personalised from a persona. Answers the card UID
 * (FF CA, which a contactless reader would answer for it), SELECT of DF 7F0A, GET CHALLENGE and
 * EXTERNAL AUTHENTICATE (ICAO BAC shape with keys diversified from the SAM's master key), then
 * only secure-messaging SELECT EF / READ BINARY, the latter also naming its file by short EF
 * identifier unless the card is made without them. Synchronous `transmit(apdu)`.
 */
import { randomBytes } from 'node:crypto';
import { bytesEqual, CLA_PCSC_READER, concatBytes, decodeCommand, encodeResponse, INS, SW, type CommandApdu } from '../../card/apdu.ts';
import { DF_KTP, MAX_READ_BINARY, shortFileId } from '../../card/ktp-layout.ts';
import { authCryptogram, openAuthCryptogram, SecureChannel, SecureMessagingError, sessionKeys } from '../../card/sm.ts';
import { atrWithHistory } from './keys.ts';
import type { CardImage } from './personalise.ts';

export interface Icc {
  readonly atr: Uint8Array;
  transmit(apdu: Uint8Array): Uint8Array;
  reset(): void;
}

export interface VirtualCardOptions {
  /** False: READ BINARY by short EF identifier is refused (6B00), as on a card without them. */
  shortFileIds?: boolean;
}

export class VirtualKtpCard implements Icc {
  readonly atr = atrWithHistory(new TextEncoder().encode('KTP-el'));
  private dfSelected = false;
  private rndIc: Uint8Array | null = null;
  private channel: SecureChannel | null = null;
  private currentEf: number | null = null;

  constructor(
    private readonly image: CardImage,
    private readonly opts: VirtualCardOptions = {},
  ) {}

  reset(): void {
    this.dfSelected = false;
    this.rndIc = null;
    this.channel = null;
    this.currentEf = null;
  }

  transmit(apdu: Uint8Array): Uint8Array {
    let c: CommandApdu;
    try {
      c = decodeCommand(apdu);
    } catch {
      return sw(SW.WRONG_LENGTH);
    }
    if (c.cla === CLA_PCSC_READER && c.ins === INS.getData && c.p1 === 0 && c.p2 === 0)
      return encodeResponse({ data: this.image.uid, sw: SW.OK });
    if ((c.cla & 0x0c) === 0x0c) return this.secured(apdu);
    if (c.cla !== 0x00) return sw(SW.CLA_NOT_SUPPORTED);
    switch (c.ins) {
      case INS.select:
        return this.selectDf(c);
      case INS.getChallenge:
        if (!this.dfSelected) return sw(SW.CONDITIONS_NOT_SATISFIED);
        if (c.ne !== 8) return sw(SW.WRONG_LENGTH);
        this.rndIc = new Uint8Array(randomBytes(8));
        this.channel = null;
        return encodeResponse({ data: this.rndIc, sw: SW.OK });
      case INS.externalAuthenticate:
        return this.externalAuthenticate(c);
      case INS.readBinary:
        return sw(SW.SECURITY_STATUS_NOT_SATISFIED);
      default:
        return sw(SW.INS_NOT_SUPPORTED);
    }
  }

  private selectDf(c: CommandApdu): Uint8Array {
    if (c.p1 !== 0x01 || c.data.length !== 2) return sw(c.p1 === 0x02 ? SW.SECURITY_STATUS_NOT_SATISFIED : SW.WRONG_P1P2);
    if (((c.data[0]! << 8) | c.data[1]!) !== DF_KTP) return sw(SW.FILE_NOT_FOUND);
    this.reset();
    this.dfSelected = true;
    return sw(SW.OK);
  }

  private externalAuthenticate(c: CommandApdu): Uint8Array {
    const rndIc = this.rndIc;
    this.rndIc = null;
    if (!rndIc) return sw(SW.CONDITIONS_NOT_SATISFIED);
    if (c.data.length !== 40) return sw(SW.WRONG_LENGTH);
    const { kEnc, kMac } = this.image.keys;
    let s: Uint8Array;
    try {
      s = openAuthCryptogram(kEnc, kMac, c.data);
    } catch {
      return sw(SW.VERIFICATION_FAILED);
    }
    const rndIfd = s.subarray(0, 8);
    if (!bytesEqual(s.subarray(8, 16), rndIc)) return sw(SW.VERIFICATION_FAILED);
    const kIc = new Uint8Array(randomBytes(16));
    const keys = sessionKeys(s.subarray(16, 32), kIc, rndIc, rndIfd);
    this.channel = new SecureChannel(keys, keys.ssc);
    return encodeResponse({ data: authCryptogram(kEnc, kMac, concatBytes(rndIc, rndIfd, kIc)), sw: SW.OK });
  }

  private secured(apdu: Uint8Array): Uint8Array {
    const channel = this.channel;
    if (!channel) return sw(SW.SM_DATA_MISSING);
    let c: CommandApdu;
    try {
      c = channel.unprotectCommand(apdu);
    } catch (e) {
      if (!(e instanceof SecureMessagingError)) throw e;
      this.channel = null;
      return sw(SW.SM_DATA_INCORRECT);
    }
    return channel.protectResponse(this.securedCommand(c));
  }

  private securedCommand(c: CommandApdu): { data: Uint8Array; sw: number } {
    const none = new Uint8Array(0);
    if (c.ins === INS.select) {
      if (c.p1 !== 0x02 || c.data.length !== 2) return { data: none, sw: SW.WRONG_P1P2 };
      const fid = (c.data[0]! << 8) | c.data[1]!;
      if (!this.image.files.has(fid)) return { data: none, sw: SW.FILE_NOT_FOUND };
      this.currentEf = fid;
      return { data: none, sw: SW.OK };
    }
    if (c.ins === INS.readBinary) {
      // P1 b8 set: b5-b1 name the file by short identifier (b7-b6 must be 0) and P2 is the offset;
      // the file named becomes the current EF, for the reads after it.
      const bySfi = (c.p1 & 0x80) !== 0;
      if (bySfi) {
        if (this.opts.shortFileIds === false || (c.p1 & 0x60) !== 0) return { data: none, sw: SW.WRONG_P1P2 };
        const fid = [...this.image.files.keys()].find((f) => shortFileId(f) === (c.p1 & 0x1f));
        if (fid === undefined) return { data: none, sw: SW.FILE_NOT_FOUND };
        this.currentEf = fid;
      }
      const file = this.currentEf === null ? undefined : this.image.files.get(this.currentEf);
      if (!file) return { data: none, sw: SW.CONDITIONS_NOT_SATISFIED };
      if (c.ne > MAX_READ_BINARY) return { data: none, sw: SW.WRONG_LENGTH };
      const offset = bySfi ? c.p2 : (c.p1 << 8) | c.p2;
      if (offset >= file.length) return { data: none, sw: SW.WRONG_P1P2 };
      const end = Math.min(file.length, offset + c.ne);
      return { data: file.slice(offset, end), sw: end - offset < c.ne ? SW.WARNING_END_OF_FILE : SW.OK };
    }
    return { data: none, sw: SW.INS_NOT_SUPPORTED };
  }
}

function sw(v: number): Uint8Array {
  return encodeResponse({ data: new Uint8Array(0), sw: v });
}
