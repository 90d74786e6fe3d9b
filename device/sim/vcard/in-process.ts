/**
 * Demo mode's card reader: the same CardPort and read profile as on real PC/SC, over an
 * in-process transport to a virtual KTP-el (in the ID reader) and a virtual SAM (in the SAM
 * slot). The demo panel inserts and removes personas' cards through `slot`.
 */
import type { Logger } from '../../log.ts';
import { DeviceError } from '../../domain/failure.ts';
import type { CardPort } from '../../flow/ports.ts';
import { createCardPort, type ConnectedChannel, type ReaderBackend, type ReaderSnapshot } from '../../card/card-port.ts';
import { createKtpProfile } from '../../card/ktp-profile.ts';
import type { SamSecret } from '../../card/sam-protocol.ts';
import type { Persona } from '../personas.ts';
import { VirtualKtpCard, type Icc } from './card.ts';
import { DEMO_CARD_MASTER_KEY, DEMO_ISSUER_PRIVATE_KEY_PEM, demoSamSecret } from './demo-keys.ts';
import { CardLeftField, FaultyIcc, ModelledLink, type CardFaults } from './faults.ts';
import { personaliseCard, type CardImage } from './personalise.ts';
import { VirtualSam } from './sam.ts';

export interface CardSlot {
  insert(p: Persona, faults?: CardFaults): void;
  remove(): void;
  current(): Persona | null;
  /** APDUs the current card has received since insertion (0 without a card). */
  apdusReceived(): number;
}

export interface InProcessOptions {
  issuerPublicKeyPem: string;
  /** The kiosk's configured SAM secret; the virtual SAM is activated with the demo secret. */
  samSecret: SamSecret;
  logger: Logger;
  /** Tests: no SAM in the SAM slot. */
  withoutSam?: boolean;
  /** Faults applied to every card inserted without its own. */
  faults?: CardFaults;
}

const images = new Map<string, CardImage>();

/** Personalising signs with ECDSA and synthesises fingers: do it once per persona. */
export function personaCardImage(p: Persona): CardImage {
  let img = images.get(p.id);
  if (!img) {
    img = personaliseCard(p, DEMO_ISSUER_PRIVATE_KEY_PEM, DEMO_CARD_MASTER_KEY);
    images.set(p.id, img);
  }
  return img;
}

export function createInProcessCardPort(opts: InProcessOptions): { port: CardPort; slot: CardSlot; sam: VirtualSam | null } {
  const sam = opts.withoutSam ? null : new VirtualSam(demoSamSecret(), DEMO_CARD_MASTER_KEY);
  let inserted: { persona: Persona; icc: FaultyIcc; delay: boolean } | null = null;
  let notify: (() => void) | null = null;
  let cardEvents = 0;

  const slot: CardSlot = {
    insert(p, faults) {
      const f = faults ?? opts.faults ?? {};
      if (inserted) cardEvents++;
      inserted = { persona: p, icc: new FaultyIcc(new VirtualKtpCard(personaCardImage(p)), f), delay: f.linkModel424k === true };
      cardEvents++;
      notify?.();
    },
    remove() {
      if (!inserted) return;
      inserted = null;
      cardEvents++;
      notify?.();
    },
    current: () => inserted?.persona ?? null,
    apdusReceived: () => inserted?.icc.count ?? 0,
  };

  function channel(target: () => Icc | null, gone: () => DeviceError, delay: () => boolean): ConnectedChannel {
    const icc = target();
    const link = new ModelledLink();
    let open = true;
    return {
      async transmit(apdu, max) {
        if (!open || target() !== icc || !icc) throw gone();
        let response: Uint8Array;
        try {
          response = icc.transmit(apdu);
        } catch (e) {
          if (!(e instanceof CardLeftField)) throw e;
          slot.remove();
          throw gone();
        }
        if (delay()) await link.wait(apdu, response.length);
        if (target() !== icc) throw gone();
        // A PC/SC receive buffer cannot take more than it was sized for.
        if (response.length > max) throw new DeviceError('cardUnreadable', 'response exceeds the receive buffer');
        return response;
      },
      async close() {
        open = false;
        icc?.reset();
      },
    };
  }

  const backend: ReaderBackend = {
    async start(onChange) {
      notify = onChange;
    },
    async stop() {
      notify = null;
    },
    snapshot(): ReaderSnapshot {
      return {
        readers: 2,
        id: { status: inserted ? 'present' : 'empty', events: cardEvents },
        sam: { status: sam ? 'present' : 'empty', events: 0 },
      };
    },
    async connect(which) {
      if (which === 'sam') {
        if (!sam) throw new DeviceError('samMissing', 'no SAM in the SAM slot');
        sam.reset();
        return channel(
          () => sam,
          () => new DeviceError('samMissing', 'SAM removed'),
          () => false,
        );
      }
      if (!inserted) throw new DeviceError('cardRemoved', 'no card in the reader');
      const icc = inserted.icc;
      icc.reset();
      return channel(
        () => (inserted?.icc === icc ? icc : null),
        () => new DeviceError('cardRemoved', 'card removed'),
        () => inserted?.delay === true,
      );
    },
  };

  const port = createCardPort(backend, {
    profile: createKtpProfile({ issuerPublicKeyPem: opts.issuerPublicKeyPem }),
    samSecret: opts.samSecret,
    logger: opts.logger,
  });
  return { port, slot, sam };
}
