/**
 * The KTP-el read profile: the APDU sequence that opens the SAM, authenticates the card through
 * the SAM and reads the EFs under secure messaging. This is our reference profile; a vendor's
 * profile (its APDUs are under NDA) replaces this module behind the same ReadProfile interface.
 *
 * Order (DESIGN.md): readTemplates authenticates and reads only the directory and the two
 * fingerprint files; readRecord, after the finger matched, reads biodata, photo, signature image
 * and the issuer's signature, and verifies it over everything read.
 */
import type { CardRecord } from '../domain/record.ts';
import { DeviceError, type DeviceErrorCode, type DeviceErrorDetail } from '../domain/failure.ts';
import type { CardTemplates, ReadProgress } from '../flow/ports.ts';
import { decodeCardTemplateFile } from '../fingerprint/card-file.ts';
import {
  CLA_PCSC_READER,
  command,
  concatBytes,
  expectOk,
  ResponseApduError,
  INS,
  encodeCommand,
  encodeResponse,
  parseResponse,
  SW,
  swHex,
  type CommandApdu,
  type ResponseApdu,
} from './apdu.ts';
import { transceive, type ApduChannel } from './channel.ts';
import { decodeTlvHeader } from './tlv.ts';
import {
  CardLayoutError,
  decodeBiodata,
  decodeDirectory,
  decodeImage,
  decodeSignatureFile,
  DF_KTP,
  EF,
  MAX_READ_BINARY,
  MIN_DIRECTORY_LENGTH,
  shortFileId,
  verifyIssuerSignature,
  type Directory,
} from './ktp-layout.ts';
import { SAM_CLA, SAM_INS, samOpenToken, type SamSecret } from './sam-protocol.ts';

export type SamOpenResult = 'ready' | 'refused';

export interface ProfileChannels {
  card: ApduChannel;
  sam: ApduChannel;
}

export interface ProfileSession {
  readTemplates(signal: AbortSignal, onProgress: (p: ReadProgress) => void): Promise<CardTemplates>;
  readRecord(signal: AbortSignal, onProgress: (p: ReadProgress) => void): Promise<CardRecord>;
  /** Zeroes every buffer read from the card. Idempotent. */
  end(): void;
}

export interface ReadProfile {
  /** One F0 to the SAM. Never repeated by the profile: a refused SAM counts every try. */
  openSam(sam: ApduChannel, secret: SamSecret): Promise<SamOpenResult>;
  begin(channels: ProfileChannels): ProfileSession;
}

/**
 * Each READ BINARY asks for as much as the card gives at once: on a 424 kbit/s link every APDU
 * costs a few milliseconds beside its bytes, and secure messaging adds some 40 bytes to each
 * (#25: the photo in 5 reads, not 23).
 */
const READ_CHUNK = MAX_READ_BINARY;

/**
 * What a card that does not take a short EF identifier in READ BINARY answers (ISO/IEC 7816-4):
 * it reads P1 P2 as an offset or refuses the form. The read then selects each file instead.
 */
const SHORT_ID_REFUSED: ReadonlySet<number> = new Set([
  SW.WRONG_P1P2,
  SW.INCORRECT_P1P2,
  SW.FUNCTION_NOT_SUPPORTED,
  SW.INCOMPATIBLE_FILE_STRUCTURE,
  SW.CONDITIONS_NOT_SATISFIED,
  SW.NO_CURRENT_EF,
]);

const fid2 = (fid: number) => Uint8Array.of(fid >> 8, fid & 0xff);

const swDetail = (sw: number): DeviceErrorDetail => ({ kind: 'statusWord', value: swHex(sw) });

function fail(reason: DeviceErrorCode, message: string, detail?: DeviceErrorDetail): DeviceError {
  return new DeviceError(reason, message, detail);
}

export function createKtpProfile(opts: { issuerPublicKeyPem: string }): ReadProfile {
  return {
    async openSam(sam, secret) {
      const token = samOpenToken(secret.pcid, secret.configuration);
      try {
        const r = await transceive(sam, command(SAM_CLA, SAM_INS.open, 0, 0, token), 'samMissing');
        if (r.sw === SW.OK) return 'ready';
        if (r.sw === SW.SECURITY_STATUS_NOT_SATISFIED || r.sw === SW.AUTH_METHOD_BLOCKED || r.sw === SW.VERIFICATION_FAILED)
          return 'refused';
        throw fail('samMissing', 'SAM open answered unexpectedly', swDetail(r.sw));
      } finally {
        token.fill(0);
      }
    },
    begin(channels) {
      return new KtpSession(channels, opts.issuerPublicKeyPem);
    },
  };
}

class KtpSession implements ProfileSession {
  private directory: Directory | null = null;
  /** Raw EF contents kept until the signature is verified; zeroed by end(). */
  private readonly files = new Map<number, Uint8Array>();
  private authenticated = false;
  /** The card refused a READ BINARY naming its file by short identifier: select files instead. */
  private shortIdsRefused = false;

  constructor(
    private readonly ch: ProfileChannels,
    private readonly issuerPublicKeyPem: string,
  ) {}

  end(): void {
    for (const b of this.files.values()) b.fill(0);
    this.files.clear();
    this.directory = null;
    this.authenticated = false;
    this.shortIdsRefused = false;
  }

  async readTemplates(signal: AbortSignal, onProgress: (p: ReadProgress) => void): Promise<CardTemplates> {
    await this.authenticate(signal);
    const dir = await this.readDirectory(signal);
    const fids = [EF.finger1, EF.finger2];
    const progress = this.progress(
      fids.map((f) => this.sizeOf(dir, f)),
      onProgress,
    );
    const templates = [];
    for (const fid of fids) {
      const bytes = await this.readEf(fid, this.sizeOf(dir, fid), signal, progress);
      this.files.set(fid, bytes);
      try {
        templates.push(decodeCardTemplateFile(bytes));
      } catch {
        throw fail('cardUnreadable', 'fingerprint file on the card is malformed');
      }
    }
    return { templates };
  }

  async readRecord(signal: AbortSignal, onProgress: (p: ReadProgress) => void): Promise<CardRecord> {
    const dir = this.directory;
    if (!this.authenticated || !dir || !this.files.has(EF.finger1) || !this.files.has(EF.finger2)) {
      throw new DeviceError('internalError', 'record read without an authenticated template read');
    }
    const fids = [EF.biodata, EF.photo, EF.signatureImage, EF.digitalSignature];
    const progress = this.progress(
      fids.map((f) => this.sizeOf(dir, f)),
      onProgress,
    );
    for (const fid of fids) this.files.set(fid, await this.readEf(fid, this.sizeOf(dir, fid), signal, progress));
    try {
      const signature = decodeSignatureFile(this.files.get(EF.digitalSignature)!);
      if (!verifyIssuerSignature(this.files, signature, this.issuerPublicKeyPem)) {
        throw fail('signatureInvalid', "the issuer's signature over the card data does not verify");
      }
      decodeImage('signatureImage', this.files.get(EF.signatureImage)!);
      return {
        person: decodeBiodata(this.files.get(EF.biodata)!),
        photo: decodeImage('photo', this.files.get(EF.photo)!),
        signatureValid: true,
      };
    } catch (e) {
      if (e instanceof CardLayoutError)
        throw fail('cardUnreadable', 'card data does not follow the KTP-el layout', { kind: 'cardLayout', value: e.code });
      throw e;
    } finally {
      for (const fid of [EF.biodata, EF.photo, EF.signatureImage]) this.files.get(fid)?.fill(0);
    }
  }

  private sizeOf(dir: Directory, fid: number): number {
    const size = dir.get(fid);
    if (size === undefined || size === 0) throw fail('cardUnreadable', 'card directory lacks a file');
    return size;
  }

  private progress(sizes: number[], onProgress: (p: ReadProgress) => void): (n: number) => void {
    const bytesTotal = sizes.reduce((a, b) => a + b, 0);
    let bytesRead = 0;
    onProgress({ bytesRead, bytesTotal });
    return (n) => {
      bytesRead += n;
      onProgress({ bytesRead, bytesTotal });
    };
  }

  // ---- Authentication -------------------------------------------------------------------------

  private async authenticate(signal: AbortSignal): Promise<void> {
    this.end();
    const uid = await this.card(command(CLA_PCSC_READER, INS.getData, 0, 0, undefined, 256), signal, 'card UID');
    if (uid.length < 4 || uid.length > 10) throw fail('cardUnreadable', 'card UID has an unexpected length');
    await this.card(command(0x00, INS.select, 0x01, 0x0c, fid2(DF_KTP)), signal, 'SELECT DF');
    const rndIc = await this.card(command(0x00, INS.getChallenge, 0, 0, undefined, 8), signal, 'GET CHALLENGE');
    if (rndIc.length !== 8) throw fail('cardUnreadable', 'card challenge has an unexpected length');
    const terminalCryptogram = await this.sam(
      command(SAM_CLA, SAM_INS.challenge, 0, 0, concatBytes(uid, rndIc), 40),
      signal,
      'SAM challenge',
    );
    if (terminalCryptogram.length !== 40) throw fail('cardUnreadable', 'SAM cryptogram has an unexpected length');
    signal.throwIfAborted();
    const ext = await transceive(this.ch.card, command(0x00, INS.externalAuthenticate, 0, 0, terminalCryptogram, 40), 'cardUnreadable');
    if (ext.sw === SW.VERIFICATION_FAILED || ext.sw === SW.SECURITY_STATUS_NOT_SATISFIED) {
      throw fail('cardNotGenuine', 'card did not accept the SAM cryptogram', swDetail(ext.sw));
    }
    if (ext.sw !== SW.OK || ext.data.length !== 40) throw fail('cardUnreadable', 'EXTERNAL AUTHENTICATE failed', swDetail(ext.sw));
    signal.throwIfAborted();
    const check = await transceive(this.ch.sam, command(SAM_CLA, SAM_INS.internalAuthenticate, 0, 0, ext.data), 'samMissing');
    if (check.sw === SW.VERIFICATION_FAILED) throw fail('cardNotGenuine', 'SAM did not accept the card cryptogram');
    if (check.sw !== SW.OK) throw this.samError(check.sw, 'SAM internal authenticate');
    this.authenticated = true;
  }

  private async card(c: CommandApdu, signal: AbortSignal, what: string): Promise<Uint8Array> {
    signal.throwIfAborted();
    return cardData(await transceive(this.ch.card, c, 'cardUnreadable'), what);
  }

  private async sam(c: CommandApdu, signal: AbortSignal, what: string): Promise<Uint8Array> {
    signal.throwIfAborted();
    const r = await transceive(this.ch.sam, c, 'samMissing');
    if (r.sw !== SW.OK) throw this.samError(r.sw, what);
    return r.data;
  }

  private samError(sw: number, what: string): DeviceError {
    // 6982 after a successful open means the SAM was power-cycled: treat as gone, reopen once.
    if (sw === SW.SECURITY_STATUS_NOT_SATISFIED) return fail('samMissing', `${what}: SAM is not open`);
    if (sw === SW.SM_DATA_INCORRECT) return fail('cardUnreadable', `${what}: card response failed its MAC`);
    return fail('cardUnreadable', `${what} failed`, swDetail(sw));
  }

  // ---- Protected reads ------------------------------------------------------------------------------

  /** One command through the SAM-protected channel: F3 wrap, card, F4 unwrap. */
  private async secure(c: CommandApdu, signal: AbortSignal): Promise<ResponseApdu> {
    if (!this.authenticated) throw fail('cardUnreadable', 'no secure channel');
    const wrapped = await this.sam(command(SAM_CLA, SAM_INS.wrap, 0, 0, encodeCommand(c), 256), signal, 'SAM wrap');
    signal.throwIfAborted();
    const reply = await transceive(this.ch.card, wrapped, 'cardUnreadable');
    if (reply.sw !== SW.OK) {
      this.authenticated = false;
      throw fail('cardUnreadable', 'card refused a protected command', swDetail(reply.sw));
    }
    // A protected reply longer than a short APDU carries goes to the SAM in extended form.
    const protectedReply = encodeResponse(reply);
    const plain = await this.sam(
      command(SAM_CLA, SAM_INS.unwrap, 0, 0, protectedReply, protectedReply.length > 255 ? 65536 : 256),
      signal,
      'SAM unwrap',
    );
    try {
      return parseResponse(plain);
    } catch {
      throw fail('cardUnreadable', 'SAM returned a malformed response');
    }
  }

  private async select(fid: number, signal: AbortSignal): Promise<void> {
    cardData(await this.secure(command(0x00, INS.select, 0x02, 0x0c, fid2(fid)), signal), 'SELECT EF');
  }

  private async readBinary(offset: number, length: number, signal: AbortSignal): Promise<Uint8Array> {
    if (offset > 0x7fff) throw fail('cardUnreadable', 'file too large for the profile');
    return chunkOf(await this.secure(command(0x00, INS.readBinary, offset >> 8, offset & 0xff, undefined, length), signal), length);
  }

  /**
   * A file's first chunk. The READ BINARY names the file by its short identifier, which makes it
   * the current EF without a SELECT: one protected APDU fewer per file (#25). A card that refuses
   * the form is read through SELECT from then on, at the cost of the one refused APDU.
   */
  private async readFirstChunk(fid: number, length: number, signal: AbortSignal): Promise<Uint8Array> {
    if (!this.shortIdsRefused) {
      const r = await this.secure(command(0x00, INS.readBinary, 0x80 | shortFileId(fid), 0, undefined, length), signal);
      if (!SHORT_ID_REFUSED.has(r.sw)) return chunkOf(r, length);
      this.shortIdsRefused = true;
    }
    await this.select(fid, signal);
    return this.readBinary(0, length, signal);
  }

  private async readEf(fid: number, size: number, signal: AbortSignal, progress: (n: number) => void): Promise<Uint8Array> {
    const out = new Uint8Array(size);
    for (let offset = 0; offset < size; offset += READ_CHUNK) {
      const n = Math.min(READ_CHUNK, size - offset);
      const chunk = offset === 0 ? await this.readFirstChunk(fid, n, signal) : await this.readBinary(offset, n, signal);
      out.set(chunk, offset);
      chunk.fill(0);
      progress(n);
    }
    return out;
  }

  private async readDirectory(signal: AbortSignal): Promise<Directory> {
    // The first read takes what the smallest directory that lists every file holds, header and
    // all, rather than probing the header alone: one APDU for a usual directory (#25). A shorter
    // directory cannot list every file: the card answers 6282 and the read fails as unreadable.
    const head = await this.readFirstChunk(EF.directory, MIN_DIRECTORY_LENGTH, signal);
    const total = tlvTotalLength(head);
    const rest =
      total > MIN_DIRECTORY_LENGTH
        ? await this.readBinaryAll(MIN_DIRECTORY_LENGTH, total - MIN_DIRECTORY_LENGTH, signal)
        : new Uint8Array(0);
    try {
      this.directory = decodeDirectory(concatBytes(head, rest).subarray(0, total));
    } catch {
      throw fail('cardUnreadable', 'card directory is malformed');
    }
    return this.directory;
  }

  private async readBinaryAll(offset: number, length: number, signal: AbortSignal): Promise<Uint8Array> {
    const out = new Uint8Array(length);
    for (let o = 0; o < length; o += READ_CHUNK) out.set(await this.readBinary(offset + o, Math.min(READ_CHUNK, length - o), signal), o);
    return out;
  }
}

/** Total encoded length of the TLV whose first bytes are `head`. */
function tlvTotalLength(head: Uint8Array): number {
  try {
    const h = decodeTlvHeader(head);
    return h.valueOffset + h.length;
  } catch {
    throw fail('cardUnreadable', 'card directory header is malformed');
  }
}

/** The `length` bytes a READ BINARY asked for; a short or refused read is the card's failure. */
function chunkOf(r: ResponseApdu, length: number): Uint8Array {
  const data = cardData(r, 'READ BINARY');
  if (data.length !== length) throw fail('cardUnreadable', 'READ BINARY returned a short chunk');
  return data;
}

/** The response data on 9000; otherwise the card's failure, carrying its status word. */
function cardData(r: ResponseApdu, what: string): Uint8Array {
  try {
    return expectOk(r, what);
  } catch (e) {
    if (e instanceof ResponseApduError) throw fail('cardUnreadable', `${what} failed`, swDetail(e.sw));
    throw e;
  }
}
