/**
 * Card-read figures through real PC/SC (node -> pcscd -> vpcd -> virtual card, SAM in the
 * second reader). Assumes pcscd is running (make bench starts it).
 * - card_read_ms_modelled_424k: a full read with every card APDU delayed as the 424 kbit/s link
 *   would (median of 11), PC/SC and the SAM's round trips included: these vary with the load.
 * - card_read_link_ms_modelled_424k: what the modelled link alone charges for one full read, the
 *   same whatever the load.
 */
import { slotPresent, type ReaderSnapshot } from '../../device/card/card-port.ts';
import { createPcscBackend } from '../../device/card/pcsc.ts';
import { createPcscCardPort } from '../../device/card/pcsc-card.ts';
import { createLogger } from '../../device/log.ts';
import type { CardPort } from '../../device/flow/ports.ts';
import { persona } from '../../device/sim/personas.ts';
import { DEMO_ISSUER_PUBLIC_KEY_PEM, demoSamSecret } from '../../device/sim/vcard/demo-keys.ts';
import type { CardFaults } from '../../device/sim/vcard/faults.ts';
import { startVirtualDevices, type VirtualDevices } from '../../device/sim/vcard/vpcd-devices.ts';
import { until } from '../support/until.ts';

const ID_READER = /^Virtual PCD 00 00$/;
const SAM_READER = /^Virtual PCD 00 01$/;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function insert(devices: VirtualDevices, port: { health(): { cardPresent: boolean } }, faults: CardFaults = {}): Promise<void> {
  await devices.insert(persona('valid'), faults);
  await until(() => port.health().cardPresent, 'the card', 10_000);
}

async function timedRead(port: CardPort): Promise<number> {
  const t0 = performance.now();
  await port.readTemplates(new AbortController().signal, () => undefined);
  await port.readRecord(new AbortController().signal, () => undefined);
  const ms = performance.now() - t0;
  port.endSession();
  return ms;
}

export async function bench(): Promise<Record<string, number>> {
  const logger = createLogger({ level: 'silent' });
  // Removals wait until pcscd counted them: first through the port, then the bare backend.
  let readers: () => ReaderSnapshot = () => port.readers();
  const devices = await startVirtualDevices({ samSecret: demoSamSecret(), readers: () => readers() });
  const port = createPcscCardPort({
    idReaderPattern: ID_READER,
    samReaderPattern: SAM_READER,
    samSecret: demoSamSecret(),
    issuerPublicKeyPem: DEMO_ISSUER_PUBLIC_KEY_PEM,
    logger,
  });
  await port.start();
  await until(() => port.health().sam === 'ready', 'the SAM opened', 10_000);

  const plain: number[] = [];
  let apdus = 0;
  let linkMs = 0;
  for (let i = 0; i < 10; i++) {
    await insert(devices, port);
    plain.push(await timedRead(port));
    apdus = devices.apdusReceived();
    linkMs = devices.linkMsModelled();
  }
  const modelled: number[] = [];
  for (let i = 0; i < 11; i++) {
    await insert(devices, port, { linkModel424k: true });
    modelled.push(await timedRead(port));
  }
  await devices.remove();
  await until(() => !port.health().cardPresent, 'the card gone', 10_000);
  await port.stop();

  // Raw round trips of the card UID command, without the profile or the SAM.
  const backend = createPcscBackend({ idReaderPattern: ID_READER, samReaderPattern: SAM_READER, logger });
  await backend.start(() => undefined);
  readers = () => backend.snapshot();
  await devices.insert(persona('valid'));
  await until(() => slotPresent(backend.snapshot().id), 'the card', 10_000);
  const channel = await backend.connect('card');
  const uid = Uint8Array.of(0xff, 0xca, 0, 0, 0);
  const trips: number[] = [];
  for (let i = 0; i < 300; i++) {
    const t0 = performance.now();
    await channel.transmit(uid, 258);
    trips.push(performance.now() - t0);
  }
  await channel.close();
  await devices.remove();
  await backend.stop();
  await devices.close();

  return {
    card_read_apdus: apdus,
    card_read_ms_pcsc: Math.round(median(plain) * 10) / 10,
    apdu_roundtrip_ms_median: Math.round(median(trips) * 1000) / 1000,
    card_read_ms_modelled_424k: Math.round(median(modelled) * 10) / 10,
    card_read_link_ms_modelled_424k: Math.round(linkMs * 10) / 10,
  };
}
