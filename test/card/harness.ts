/**
 * The same card-reading specification runs over two transports: in-process (fast, demo mode's
 * path) and real PC/SC (node -> pcscd -> vpcd -> virtual card, SAM in the second reader).
 */
import { existsSync } from 'node:fs';
import type { CardPort } from '../../device/flow/ports.ts';
import type { SamSecret } from '../../device/card/sam-protocol.ts';
import { capturingLogger } from '../support/logger.ts';
import { until } from '../support/until.ts';
import type { Persona } from '../../device/sim/personas.ts';
import { createPcscCardPort, type PcscCardPort } from '../../device/card/pcsc-card.ts';
import { PCSCD_SOCKET } from '../../device/card/pcsc.ts';
import { createInProcessCardPort } from '../../device/sim/vcard/in-process.ts';
import { startVirtualDevices } from '../../device/sim/vcard/vpcd-devices.ts';
import { DEMO_ISSUER_PUBLIC_KEY_PEM, demoSamSecret } from '../../device/sim/vcard/demo-keys.ts';
import type { CardFaults } from '../../device/sim/vcard/faults.ts';

export interface Harness {
  port: CardPort;
  /** Inserts the persona's card and waits until the port sees it. */
  insert(p: Persona, faults?: CardFaults): Promise<void>;
  /** Removes the card (if any) and waits until the port sees it gone. */
  remove(): Promise<void>;
  samOpenAttempts(): number;
  /** APDUs the card in the reader has received since it was inserted. */
  apdusReceived(): number;
  /** Everything the port logged. */
  logs(): string;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** The kiosk's configured secret; default: the one the virtual SAM was activated with. */
  samSecret?: SamSecret;
  withoutSam?: boolean;
}

export type MakeHarness = (o?: HarnessOptions) => Promise<Harness>;

export const inProcessHarness: MakeHarness = async (o = {}) => {
  const log = capturingLogger();
  const { port, slot, sam } = createInProcessCardPort({
    issuerPublicKeyPem: DEMO_ISSUER_PUBLIC_KEY_PEM,
    samSecret: o.samSecret ?? demoSamSecret(),
    logger: log.logger,
    withoutSam: o.withoutSam === true,
  });
  await port.start();
  return {
    port,
    async insert(p, faults) {
      slot.insert(p, faults);
      await until(() => port.health().cardPresent, 'card present');
    },
    async remove() {
      slot.remove();
      await until(() => !port.health().cardPresent, 'card absent');
    },
    samOpenAttempts: () => sam?.openAttempts ?? 0,
    apdusReceived: () => slot.apdusReceived(),
    logs: log.text,
    close: () => port.stop(),
  };
};

/** Why PC/SC tests cannot run here, or null when they can (in CI they always must). */
export function pcscUnavailable(): string | null {
  if (existsSync(PCSCD_SOCKET) || process.env.CI) return null;
  return `pcscd is not running (${PCSCD_SOCKET} absent): run "bash test/setup/pcscd.sh start" or make test`;
}

export const pcscHarness: MakeHarness = async (o = {}) => {
  const log = capturingLogger();
  let port: PcscCardPort | null = null;
  const devices = await startVirtualDevices({
    samSecret: demoSamSecret(),
    withoutSam: o.withoutSam === true,
    // Removals wait until pcscd counted them (see vpcd-devices.ts), so presence is never stale.
    readers: () => port!.readers(),
  });
  port = createPcscCardPort({
    idReaderPattern: /^Virtual PCD 00 00$/,
    samReaderPattern: /^Virtual PCD 00 01$/,
    samSecret: o.samSecret ?? demoSamSecret(),
    issuerPublicKeyPem: DEMO_ISSUER_PUBLIC_KEY_PEM,
    logger: log.logger,
    transmitTimeoutMs: 3000,
  });
  const p = port;
  await p.start();
  // On a booted kiosk the SAM is in its reader: wait until pcscd has seen it and it was opened.
  if (!o.withoutSam) await until(() => !['unknown', 'missing'].includes(p.health().sam), 'SAM opened or refused');
  return {
    port: p,
    async insert(persona, faults) {
      await devices.insert(persona, faults);
      await until(() => p.health().cardPresent, 'card present');
    },
    async remove() {
      await devices.remove();
      await until(() => !p.health().cardPresent, 'card absent');
    },
    samOpenAttempts: () => devices.sam?.openAttempts ?? 0,
    apdusReceived: () => devices.apdusReceived(),
    logs: log.text,
    async close() {
      // The next test's SAM and card must find their slots seen empty.
      try {
        await devices.close();
      } finally {
        await p.stop();
      }
    },
  };
};
