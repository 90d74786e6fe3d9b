/** The card reader side built from the `card` section and the SAM material in the credential file. */
import type { KioskConfig } from '../config.ts';
import type { Logger } from '../log.ts';
import { createPcscCardPort, type PcscCardPort } from './pcsc-card.ts';
import type { SamSecret } from './sam-protocol.ts';

/** The SAM's PCID and configuration as the credential file holds them (hex). */
export function samSecretOf(sam: { pcid: string; configuration: string }): SamSecret {
  return { pcid: Buffer.from(sam.pcid, 'hex'), configuration: Buffer.from(sam.configuration, 'hex') };
}

/** The KTP-el read profile over PC/SC, the readers told apart by the configured name patterns. */
export function pcscCardFromConfig(
  card: KioskConfig['card'],
  secrets: { samSecret: SamSecret; issuerPublicKeyPem: string },
  logger: Logger,
): PcscCardPort {
  return createPcscCardPort({
    idReaderPattern: new RegExp(card.idReaderPattern),
    samReaderPattern: new RegExp(card.samReaderPattern),
    samSecret: secrets.samSecret,
    issuerPublicKeyPem: secrets.issuerPublicKeyPem,
    logger,
    transmitTimeoutMs: card.transmitTimeoutMs,
  });
}
