/**
 * pcsc-sim mode's devices: the virtual SAM in vpcd slot 1 ("Virtual PCD 00 01", TCP 35964),
 * always present and reconnecting when pcscd restarts, and personas' virtual cards in slot 0
 * ("Virtual PCD 00 00", TCP 35963), inserted and removed by the demo panel or a test.
 */
import type { SamSecret } from '../../card/sam-protocol.ts';
import type { Persona } from '../personas.ts';
import { VirtualKtpCard } from './card.ts';
import { DEMO_CARD_MASTER_KEY } from './demo-keys.ts';
import { FaultyIcc, type CardFaults } from './faults.ts';
import { personaCardImage } from './in-process.ts';
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
}

export interface VirtualDevices {
  insert(p: Persona, faults?: CardFaults): Promise<void>;
  remove(): Promise<void>;
  current(): Persona | null;
  /** APDUs the current card has received since insertion (0 without a card). */
  apdusReceived(): number;
  close(): Promise<void>;
  /** The virtual SAM (tests count its open attempts), or null without one. */
  readonly sam: VirtualSam | null;
}

const RECONNECT_MS = 200;

export async function startVirtualDevices(opts: VirtualDevicesOptions): Promise<VirtualDevices> {
  const host = opts.host ?? '127.0.0.1';
  const cardPort = opts.cardPort ?? 35963;
  const samPort = opts.samPort ?? 35964;
  const sam = opts.withoutSam ? null : new VirtualSam(opts.samSecret, DEMO_CARD_MASTER_KEY);
  let closing = false;
  let samConn: VpcdCard | null = null;
  let samTimer: NodeJS.Timeout | null = null;
  let card: { persona: Persona; conn: VpcdCard; icc: FaultyIcc } | null = null;

  const connectSam = async (): Promise<void> => {
    if (!sam || closing) return;
    try {
      samConn = await connectVpcdCard({
        host,
        port: samPort,
        icc: sam,
        onClosed: () => {
          samConn = null;
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
      const icc = new FaultyIcc(new VirtualKtpCard(personaCardImage(p)), f);
      let gone = false;
      const conn = await connectVpcdCard({
        host,
        port: cardPort,
        icc,
        linkModel424k: f.linkModel424k === true,
        onClosed: () => {
          gone = true;
          if (card?.conn === conn) card = null;
        },
      });
      if (!gone) card = { persona: p, conn, icc };
    },
    async remove() {
      const c = card;
      card = null;
      if (c) await c.conn.close();
    },
    current: () => card?.persona ?? null,
    apdusReceived: () => card?.icc.count ?? 0,
    async close() {
      closing = true;
      if (samTimer) clearTimeout(samTimer);
      await devices.remove();
      await samConn?.close();
    },
  };
  return devices;
}
