/**
 * Virtual SAM with real cryptography: opens only for the provisioned PCID xor configuration,
 * blocks after three wrong opens (as a real SAM does, which is why the kiosk never retries),
 * computes and checks the mutual-authentication cryptograms, and wraps and unwraps every
 * protected card command. Synchronous `transmit(apdu)`, like a card.
 */
import { randomBytes } from 'node:crypto';
import { bytesEqual, concatBytes, decodeCommand, encodeResponse, SW, type CommandApdu } from '../../card/apdu.ts';
import { SAM_INS, samOpenToken, type SamSecret } from '../../card/sam-protocol.ts';
import { authCryptogram, openAuthCryptogram, SecureChannel, SecureMessagingError, sessionKeys } from '../../card/sm.ts';
import { atrWithHistory, diversifiedCardKeys, type CardKeys } from './keys.ts';

const MAX_WRONG_OPENS = 3;

interface Pending {
  keys: CardKeys;
  rndIc: Uint8Array;
  rndIfd: Uint8Array;
  kIfd: Uint8Array;
}

export class VirtualSam {
  readonly atr = atrWithHistory(new TextEncoder().encode('ANJ-SAM'));
  private readonly token: Uint8Array;
  private opened = false;
  private wrongOpens = 0;
  private pending: Pending | null = null;
  private channel: SecureChannel | null = null;
  /** Every F0 the SAM has received since it was made: tests check the kiosk tries exactly once. */
  openAttempts = 0;

  constructor(
    secret: SamSecret,
    private readonly masterKey: Uint8Array,
    private readonly random: (n: number) => Uint8Array = (n) => new Uint8Array(randomBytes(n)),
  ) {
    this.token = samOpenToken(secret.pcid, secret.configuration);
  }

  /** A power cycle closes the SAM: the kiosk must open it again, once. */
  reset(): void {
    this.opened = false;
    this.pending = null;
    this.channel = null;
  }

  transmit(apdu: Uint8Array): Uint8Array {
    let c: CommandApdu;
    try {
      c = decodeCommand(apdu);
    } catch {
      return sw(SW.WRONG_LENGTH);
    }
    if (c.cla !== 0x00) return sw(SW.CLA_NOT_SUPPORTED);
    switch (c.ins) {
      case SAM_INS.open:
        return this.open(c);
      case SAM_INS.challenge:
        return this.guarded(() => this.challenge(c));
      case SAM_INS.internalAuthenticate:
        return this.guarded(() => this.internalAuthenticate(c));
      case SAM_INS.wrap:
        return this.guarded(() => this.wrap(c));
      case SAM_INS.unwrap:
        return this.guarded(() => this.unwrap(c));
      default:
        return sw(SW.INS_NOT_SUPPORTED);
    }
  }

  private open(c: CommandApdu): Uint8Array {
    this.openAttempts++;
    if (this.wrongOpens >= MAX_WRONG_OPENS) return sw(SW.AUTH_METHOD_BLOCKED);
    if (c.data.length !== this.token.length || !bytesEqual(c.data, this.token)) {
      this.wrongOpens++;
      return sw(this.wrongOpens >= MAX_WRONG_OPENS ? SW.AUTH_METHOD_BLOCKED : SW.SECURITY_STATUS_NOT_SATISFIED);
    }
    this.wrongOpens = 0;
    this.opened = true;
    return sw(SW.OK);
  }

  private guarded(f: () => Uint8Array): Uint8Array {
    if (!this.opened) return sw(SW.SECURITY_STATUS_NOT_SATISFIED);
    return f();
  }

  private challenge(c: CommandApdu): Uint8Array {
    if (c.data.length < 4 + 8 || c.data.length > 10 + 8) return sw(SW.WRONG_LENGTH);
    const uid = c.data.subarray(0, c.data.length - 8);
    const rndIc = c.data.slice(c.data.length - 8);
    const keys = diversifiedCardKeys(this.masterKey, uid);
    const rndIfd = this.random(8);
    const kIfd = this.random(16);
    this.pending = { keys, rndIc, rndIfd, kIfd };
    this.channel = null;
    return encodeResponse({ data: authCryptogram(keys.kEnc, keys.kMac, concatBytes(rndIfd, rndIc, kIfd)), sw: SW.OK });
  }

  private internalAuthenticate(c: CommandApdu): Uint8Array {
    const p = this.pending;
    this.pending = null;
    if (!p) return sw(SW.CONDITIONS_NOT_SATISFIED);
    if (c.data.length !== 40) return sw(SW.WRONG_LENGTH);
    let r: Uint8Array;
    try {
      r = openAuthCryptogram(p.keys.kEnc, p.keys.kMac, c.data);
    } catch {
      return sw(SW.VERIFICATION_FAILED);
    }
    if (!bytesEqual(r.subarray(0, 8), p.rndIc) || !bytesEqual(r.subarray(8, 16), p.rndIfd)) return sw(SW.VERIFICATION_FAILED);
    const k = sessionKeys(p.kIfd, r.subarray(16, 32), p.rndIc, p.rndIfd);
    this.channel = new SecureChannel(k, k.ssc);
    return sw(SW.OK);
  }

  private wrap(c: CommandApdu): Uint8Array {
    if (!this.channel) return sw(SW.CONDITIONS_NOT_SATISFIED);
    let plain: CommandApdu;
    try {
      plain = decodeCommand(c.data);
    } catch {
      return sw(SW.WRONG_DATA);
    }
    return encodeResponse({ data: this.channel.protectCommand(plain), sw: SW.OK });
  }

  private unwrap(c: CommandApdu): Uint8Array {
    if (!this.channel) return sw(SW.CONDITIONS_NOT_SATISFIED);
    try {
      const plain = this.channel.unprotectResponse(c.data);
      return encodeResponse({ data: encodeResponse(plain), sw: SW.OK });
    } catch (e) {
      if (!(e instanceof SecureMessagingError)) throw e;
      // A response that does not verify ends the channel: nothing after it can be trusted.
      this.channel = null;
      return sw(SW.SM_DATA_INCORRECT);
    }
  }
}

function sw(v: number): Uint8Array {
  return encodeResponse({ data: new Uint8Array(0), sw: v });
}
