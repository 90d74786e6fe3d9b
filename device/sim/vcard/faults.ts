/**
 * Fault injection around a virtual card, for tests: T=0-style answers (61xx with GET RESPONSE,
 * 6Cxx asking for a re-send with the right Le), a corrupted MAC, a truncated or oversized
 * response at a chosen APDU, and the card leaving the field after k APDUs. APDUs are counted
 * from 0 over everything the card receives.
 */
import { CLA_PCSC_READER, concatBytes, decodeCommand, encodeResponse, INS, parseResponse, toHex } from '../../card/apdu.ts';
import type { Icc } from './card.ts';

export interface CardFaults {
  t0Style?: '61xx' | '6Cxx';
  badMacAt?: number;
  truncateAt?: number;
  oversizeAt?: number;
  /** The card answers this many APDUs, then leaves the field on the next one. */
  removeAfter?: number;
  /** Delay each APDU as a 424 kbit/s contactless link would: 3 ms + bytes x 8 / 424 kbit/s (+ chained frames). */
  linkModel424k?: boolean;
}

/** The card left the field while an APDU was on its way. */
export class CardLeftField extends Error {
  override readonly name = 'CardLeftField';
  constructor() {
    super('virtual card left the field');
  }
}

/**
 * An APDU longer than one ISO/IEC 14443-4 frame (256 bytes) is chained over several, each
 * acknowledged by the other side before the next: about a quarter of a millisecond each (an
 * R-block at 424 kbit/s and the frame delay), an estimate.
 */
const FRAME_BYTES = 256;
const CHAINED_FRAME_MS = 0.25;

/**
 * What one APDU costs on the modelled link. A reader's own command (class FF, PC/SC part 3: the
 * card UID the reader kept from anticollision) crosses no radio link.
 */
export function modelledLinkDelayMs(command: Uint8Array, responseLength: number): number {
  if (command[0] === CLA_PCSC_READER) return 0;
  const chained = (n: number) => Math.max(0, Math.ceil(n / FRAME_BYTES) - 1);
  return 3 + ((command.length + responseLength) * 8) / 424 + (chained(command.length) + chained(responseLength)) * CHAINED_FRAME_MS;
}

/**
 * Waits out the modelled link time of one card's APDUs. A timer fires late (a millisecond's
 * granularity, more under load): what a wait ran over is taken off the next waits, so that a
 * whole read waits what the link charges, not that plus the event loop's lateness. What the card
 * and the kiosk take to compute an answer still adds to it.
 */
export class ModelledLink {
  /** Waited so far beyond the link's charge, ms. */
  private overrun = 0;

  async wait(command: Uint8Array, responseLength: number): Promise<void> {
    const charge = modelledLinkDelayMs(command, responseLength);
    const wait = charge - this.overrun;
    const started = performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    this.overrun += performance.now() - started - charge;
  }
}

export class FaultyIcc implements Icc {
  /** APDUs received since insertion. */
  count = 0;
  /** What the modelled 424 kbit/s link charges for them, whether or not it delays them: load-free. */
  linkMsModelled = 0;
  private pendingGetResponse: { data: Uint8Array; sw: number } | null = null;
  private pendingWrongLe: { key: string; response: Uint8Array } | null = null;

  constructor(
    private readonly inner: Icc,
    private readonly faults: CardFaults,
  ) {}

  get atr(): Uint8Array {
    return this.inner.atr;
  }

  reset(): void {
    this.pendingGetResponse = null;
    this.pendingWrongLe = null;
    this.inner.reset();
  }

  transmit(apdu: Uint8Array): Uint8Array {
    const index = this.count++;
    const f = this.faults;
    if (f.removeAfter !== undefined && index >= f.removeAfter) throw new CardLeftField();
    let response = this.framed(apdu);
    if (index === f.badMacAt && response.length > 2) {
      response = Uint8Array.from(response);
      response[response.length - 3]! ^= 0x01;
    }
    if (index === f.truncateAt) response = response.slice(0, Math.floor(response.length / 2));
    if (index === f.oversizeAt) {
      const r = parseResponse(response);
      response = encodeResponse({ data: concatBytes(r.data, new Uint8Array(300)), sw: r.sw });
    }
    this.linkMsModelled += modelledLinkDelayMs(apdu, response.length);
    return response;
  }

  private framed(apdu: Uint8Array): Uint8Array {
    const style = this.faults.t0Style;
    if (style === '61xx') return this.withGetResponse(apdu);
    if (style === '6Cxx') return this.withWrongLe(apdu);
    return this.inner.transmit(apdu);
  }

  private withGetResponse(apdu: Uint8Array): Uint8Array {
    const isGetResponse = apdu.length === 5 && apdu[1] === INS.getResponse;
    if (isGetResponse && this.pendingGetResponse) {
      const le = apdu[4] || 256;
      const p = this.pendingGetResponse;
      const part = p.data.subarray(0, le);
      const rest = p.data.slice(le);
      this.pendingGetResponse = rest.length > 0 ? { data: rest, sw: p.sw } : null;
      return encodeResponse({ data: part, sw: rest.length > 0 ? 0x6100 | (rest.length >= 256 ? 0 : rest.length) : p.sw });
    }
    this.pendingGetResponse = null;
    const r = parseResponse(this.inner.transmit(apdu));
    if (r.data.length === 0) return encodeResponse(r);
    this.pendingGetResponse = r;
    return encodeResponse({ data: new Uint8Array(0), sw: 0x6100 | (r.data.length >= 256 ? 0 : r.data.length) });
  }

  private withWrongLe(apdu: Uint8Array): Uint8Array {
    const c = decodeCommand(apdu);
    const key = toHex(concatBytes(Uint8Array.of(c.cla, c.ins, c.p1, c.p2), c.data));
    const pending = this.pendingWrongLe;
    this.pendingWrongLe = null;
    if (pending && pending.key === key) {
      const r = parseResponse(pending.response);
      if (c.ne === r.data.length) return pending.response;
    }
    const response = this.inner.transmit(apdu);
    const r = parseResponse(response);
    if (r.data.length === 0 || r.data.length === c.ne || r.data.length > 256) return response;
    this.pendingWrongLe = { key, response };
    return encodeResponse({ data: new Uint8Array(0), sw: 0x6c00 | (r.data.length & 0xff) });
  }
}
