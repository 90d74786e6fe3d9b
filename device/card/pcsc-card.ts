/**
 * The production CardPort: the KTP-el read profile over real PC/SC readers (the contactless ID
 * reader and the reader holding the SAM, told apart by name pattern).
 */
import type { Logger } from '../log.ts';
import type { CardPort } from '../flow/ports.ts';
import { createCardPort } from './card-port.ts';
import { createKtpProfile } from './ktp-profile.ts';
import { createPcscBackend } from './pcsc.ts';
import type { SamSecret } from './sam-protocol.ts';

export function createPcscCardPort(opts: {
  idReaderPattern: RegExp;
  samReaderPattern: RegExp;
  samSecret: SamSecret;
  issuerPublicKeyPem: string;
  logger: Logger;
  transmitTimeoutMs?: number;
}): CardPort {
  return createCardPort(
    createPcscBackend({
      idReaderPattern: opts.idReaderPattern,
      samReaderPattern: opts.samReaderPattern,
      logger: opts.logger,
      ...(opts.transmitTimeoutMs === undefined ? {} : { transmitTimeoutMs: opts.transmitTimeoutMs }),
    }),
    { profile: createKtpProfile({ issuerPublicKeyPem: opts.issuerPublicKeyPem }), samSecret: opts.samSecret, logger: opts.logger },
  );
}
