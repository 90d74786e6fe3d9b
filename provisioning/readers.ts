/**
 * What pcscd sees, for `sam status`, `sam install` and `doctor`: reader names, whether a card is
 * in each, and its ATR. Looking never connects to a card: a SAM is not opened by a status check.
 */
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { loadPcscLite, PCSCD_SOCKET, statusQuiet, type PcscReader } from '../device/card/pcsc.ts';

export interface ReaderView {
  name: string;
  present: boolean;
  /** Hex ATR of the card in it, when present. */
  atr: string | null;
}

export type ReaderScan = { service: 'down' | 'noBinding' } | { service: 'up'; readers: ReaderView[] };

const SCAN_MS = 1500;
/** pcsclite.h: the card in the reader does not answer (no ATR). */
const SCARD_STATE_MUTE = 0x200;

export function pcscdReachable(): Promise<boolean> {
  if (!existsSync(PCSCD_SOCKET)) return Promise.resolve(false);
  return new Promise((resolve) => {
    const s = connect(PCSCD_SOCKET);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

export async function scanReaders(expected = 2): Promise<ReaderScan> {
  const make = loadPcscLite();
  if (!make) return { service: 'noBinding' };
  if (!(await pcscdReachable())) return { service: 'down' };
  const ctx = make();
  const seen = new Map<string, { reader: PcscReader; view: ReaderView | null; settled: boolean }>();
  let lastEventAt = Date.now();
  ctx.on('error', () => undefined);
  ctx.on('reader', (reader) => {
    lastEventAt = Date.now();
    const entry = { reader, view: null as ReaderView | null, settled: false };
    seen.set(reader.name, entry);
    reader.on('error', () => undefined);
    reader.on('status', (s) => {
      lastEventAt = Date.now();
      const status = s as { state: number; atr?: Buffer };
      const present = (status.state & reader.SCARD_STATE_PRESENT) !== 0;
      entry.view = { name: reader.name, present, atr: present && status.atr && status.atr.length > 0 ? status.atr.toString('hex') : null };
      // A card pcscd is still powering up is present without its ATR yet; a mute one never has one.
      entry.settled = !present || entry.view.atr !== null || (status.state & SCARD_STATE_MUTE) !== 0;
    });
  });
  const deadline = Date.now() + SCAN_MS;
  while (Date.now() < deadline) {
    const all = [...seen.values()];
    if (all.length >= expected && all.every((e) => e.view && e.settled)) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  const readers = [...seen.values()].flatMap((e) => (e.view ? [e.view] : []));
  // Closing right after a status event can hang the process (statusQuiet in device/card/pcsc.ts).
  await statusQuiet(() => lastEventAt);
  for (const e of seen.values()) e.reader.close();
  ctx.close();
  return { service: 'up', readers };
}
