/**
 * Every way a session can end badly, and every reason the kiosk can be out of service.
 * Split as web-eid does: retriable errors offer "try again", fatal ones do not. Each maps to a
 * taxpayer message and a staff message; none of them carries personal data or secrets.
 */
export const SESSION_FAILURES = {
  cardRemoved: { retriable: true },
  readerRemoved: { retriable: true },
  cardUnreadable: { retriable: true },
  cardNotGenuine: { retriable: false },
  signatureInvalid: { retriable: false },
  sensorUnavailable: { retriable: true },
  identityNotConfirmed: { retriable: false },
  uplinkUnavailable: { retriable: true },
  registryRefused: { retriable: false },
  sessionTimeout: { retriable: true },
  internalError: { retriable: true },
} as const;

export type SessionFailureReason = keyof typeof SESSION_FAILURES;

export const OUT_OF_SERVICE_REASONS = [
  'starting',
  'deactivated',
  'agreementNotInForce',
  'samMissing',
  'samRefused',
  'readerMissing',
  'quotaExhausted',
  'tamper',
  'pausedByStaff',
  'uplinkDown',
  'uplinkRejected',
] as const;

export type OutOfServiceReason = (typeof OUT_OF_SERVICE_REASONS)[number];

/** A failure as the flow carries it: the typed reason and the state that was running. */
export interface SessionFailure {
  reason: SessionFailureReason;
  state: string;
}

/**
 * Errors crossing a port carry one of these codes. Messages are fixed English text for logs;
 * they never include card data, NIKs, credentials or APDU payloads.
 */
export class DeviceError extends Error {
  override readonly name = 'DeviceError';
  constructor(
    readonly reason: SessionFailureReason | OutOfServiceReason,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
  }
}

export function isRetriable(reason: SessionFailureReason): boolean {
  return SESSION_FAILURES[reason].retriable;
}
