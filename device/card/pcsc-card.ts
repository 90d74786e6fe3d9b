/**
 * The production CardPort: the KTP-el read profile over real PC/SC readers (the contactless ID
 * reader and the reader holding the SAM, told apart by name pattern).
 */
import type { Logger } from '../log.ts';
import type { CardPort } from '../flow/ports.ts';
import { createCardPort, type ReaderSnapshot } from './card-port.ts';
import { createKtpProfile } from './ktp-profile.ts';
import { createPcscBackend } from './pcsc.ts';
import type { SamSecret } from './sam-protocol.ts';

export interface PcscCardPort extends CardPort {
  /** What pcscd reports of the readers (pcsc-sim's virtual devices wait on it). */
  readers(): ReaderSnapshot;
}

export function createPcscCardPort(opts: {
  idReaderPattern: RegExp;
  samReaderPattern: RegExp;
  samSecret: SamSecret;
  issuerPublicKeyPem: string;
  logger: Logger;
  transmitTimeoutMs?: number;
}): PcscCardPort {
  const backend = createPcscBackend({
    idReaderPattern: opts.idReaderPattern,
    samReaderPattern: opts.samReaderPattern,
    logger: opts.logger,
    ...(opts.transmitTimeoutMs === undefined ? {} : { transmitTimeoutMs: opts.transmitTimeoutMs }),
  });
  const port = createCardPort(backend, {
    profile: createKtpProfile({ issuerPublicKeyPem: opts.issuerPublicKeyPem }),
    samSecret: opts.samSecret,
    logger: opts.logger,
  });
  return { ...port, readers: () => backend.snapshot() };
}
