/**
 * pcsc-sim mode's devices: the virtual SAM in vpcd slot 1 ("Virtual PCD 00 01", TCP 35964),
 * always present and reconnecting when pcscd restarts, and personas' virtual cards in slot 0
 * ("Virtual PCD 00 00", TCP 35963), inserted and removed by the demo panel or a test.
 *
 * vpcd quirk: a card connected before pcscd's poll (about every 400 ms) found the slot empty is
 * taken for the card before it, and pcscd then reports no insertion at all. Given the kiosk's
 * view of the readers, a card or SAM leaving is complete only once pcscd counted it leaving.
 */
import { slotAttached, slotEvents, slotPresent, type ReaderSnapshot } from '../../card/card-port.ts';
import type { SamSecret } from '../../card/sam-protocol.ts';
import type { Persona } from '../personas.ts';
import { VirtualKtpCard } from './card.ts';
import { DEMO_CARD_MASTER_KEY } from './demo-keys.ts';
import { FaultyIcc, type CardFaults } from './faults.ts';
import { personaCardImage } from './in-process.ts';
import type { CardImage } from './personalise.ts';
import { VirtualSam } from './sam.ts';
import { connectVpcdCard, type VpcdCard } from './vpcd.ts';

export interface VirtualDevicesOptions {
  host?: string;
  cardPort?: number;
  samPort?: number;
  /** The secret the virtual SAM was activated with (the kiosk must present the same). */
  samSecret: SamSecret;
  /** Faults for every card inserted without its own. */
  faults?: CardFaults;
  /** Tests: leave the SAM slot empty. */
  withoutSam?: boolean;
  /** What the kiosk's PC/SC backend sees; without it, removals do not wait for pcscd. */
  readers?: () => ReaderSnapshot;
  /** How a persona's card is personalised; the demo personalisation by default. */
  cardImage?: (p: Persona) => CardImage;
}

export interface VirtualDevices {
  /** Removes any card first; rejects when pcscd did not see that card leave in time. */
  insert(p: Persona, faults?: CardFaults): Promise<void>;
  /** Resolves once pcscd saw the card leave (when the kiosk's reader view was given). */
  remove(): Promise<void>;
  current(): Persona | null;
  /** APDUs the current card has received since insertion (0 without a card). */
  apdusReceived(): number;
  /** What the modelled 424 kbit/s link charges for them (device/sim/vcard/faults.ts), without the load's delays. */
  linkMsModelled(): number;
  close(): Promise<void>;
  /** The virtual SAM (tests count its open attempts), or null without one. */
  readonly sam: VirtualSam | null;
}

const RECONNECT_MS = 200;
const SLOT_SETTLE_MS = 3000;

type Slot = 'card' | 'sam';
const slotOf = (s: ReaderSnapshot, slot: Slot) => (slot === 'card' ? s.id : s.sam);
const present = (s: ReaderSnapshot, slot: Slot) => slotPresent(slotOf(s, slot));
const counted = (s: ReaderSnapshot, slot: Slot) => slotEvents(slotOf(s, slot));

export async function startVirtualDevices(opts: VirtualDevicesOptions): Promise<VirtualDevices> {
  const host = opts.host ?? '127.0.0.1';
  const cardPort = opts.cardPort ?? 35963;
  const samPort = opts.samPort ?? 35964;
  const sam = opts.withoutSam ? null : new VirtualSam(opts.samSecret, DEMO_CARD_MASTER_KEY);
  let closing = false;
  let samConn: VpcdCard | null = null;
  let samTimer: NodeJS.Timeout | null = null;
  let card: { persona: Persona; conn: VpcdCard; icc: FaultyIcc } | null = null;
  // Per slot: pcscd's insertion/removal count when a device it saw present left, until pcscd
  // counted the leaving.
  const leaving: Record<Slot, number | null> = { card: null, sam: null };

  const left = (slot: Slot): void => {
    const s = opts.readers?.();
    leaving[slot] = s && present(s, slot) ? counted(s, slot) : null;
  };
  const settled = async (slot: Slot): Promise<void> => {
    const before = leaving[slot];
    if (before === null || !opts.readers) return;
    const deadline = Date.now() + SLOT_SETTLE_MS;
    for (;;) {
      const s = opts.readers();
      // A reader view without the reader (kiosk stopped, pcscd gone) has nothing left to see.
      const attached = slotAttached(slotOf(s, slot));
      if (!attached || (!present(s, slot) && counted(s, slot) !== before)) break;
      if (Date.now() > deadline) throw new Error(`pcscd did not see the ${slot} leave within ${SLOT_SETTLE_MS} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
    leaving[slot] = null;
  };

  const connectSam = async (): Promise<void> => {
    if (!sam || closing) return;
    try {
      samConn = await connectVpcdCard({
        host,
        port: samPort,
        icc: sam,
        onClosed: () => {
          samConn = null;
          left('sam');
          sam.reset();
          if (!closing) samTimer = setTimeout(() => void connectSam(), RECONNECT_MS);
        },
      });
    } catch {
      if (!closing) samTimer = setTimeout(() => void connectSam(), RECONNECT_MS);
    }
  };
  await connectSam();

  const devices: VirtualDevices = {
    sam,
    async insert(p, faults) {
      await devices.remove();
      const f = faults ?? opts.faults ?? {};
      const icc = new FaultyIcc(new VirtualKtpCard((opts.cardImage ?? personaCardImage)(p)), f);
      let gone = false;
      const conn = await connectVpcdCard({
        host,
        port: cardPort,
        icc,
        linkModel424k: f.linkModel424k === true,
        onClosed: () => {
          gone = true;
          if (card?.conn === conn) card = null;
          left('card');
        },
      });
      if (!gone) card = { persona: p, conn, icc };
    },
    async remove() {
      const c = card;
      card = null;
      if (c) await c.conn.close();
      // Also a card that left by itself (a fault): pcscd must have counted it before the next.
      await settled('card');
    },
    current: () => card?.persona ?? null,
    apdusReceived: () => card?.icc.count ?? 0,
    linkMsModelled: () => card?.icc.linkMsModelled ?? 0,
    async close() {
      closing = true;
      if (samTimer) clearTimeout(samTimer);
      const c = card;
      card = null;
      await c?.conn.close();
      await samConn?.close();
      // Sockets are closed first, so a late pcscd still leaves nothing open here.
      await settled('card');
      await settled('sam');
    },
  };
  return devices;
}
