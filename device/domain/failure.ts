import type { RegistryRefusal } from '../flow/ports.ts';

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
  /** The SAM stopped answering or was taken out: the kiosk goes out of service until it is back. */
  samMissing: { retriable: false },
  /** The SAM refused its PCID/configuration: a technician must act. */
  samRefused: { retriable: false },
  sensorUnavailable: { retriable: true },
  identityNotConfirmed: { retriable: false },
  uplinkUnavailable: { retriable: true },
  /** The day's shared quota of NIK hits is gone: nobody can be served until tomorrow (WIB). */
  quotaReached: { retriable: false },
  registryRefused: { retriable: false },
  sessionTimeout: { retriable: true },
  internalError: { retriable: true },
} as const;

export type SessionFailureReason = keyof typeof SESSION_FAILURES;

export const OUT_OF_SERVICE_REASONS = [
  'starting',
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

/** The out-of-service reasons a session can learn of and readiness must then keep to. */
export type ServiceStop = Extract<OutOfServiceReason, 'quotaExhausted' | 'uplinkRejected'>;

/**
 * What each registry refusal means for the taxpayer (the session failure) and for the kiosk
 * (whether it stops serving). A refusal says nothing about the person.
 */
export const REGISTRY_REFUSALS = {
  quotaReached: { reason: 'quotaReached', stopsService: 'quotaExhausted' },
  loginFailed: { reason: 'registryRefused', stopsService: 'uplinkRejected' },
  ipRefused: { reason: 'registryRefused', stopsService: 'uplinkRejected' },
  institutionInactive: { reason: 'registryRefused', stopsService: 'uplinkRejected' },
  userInactive: { reason: 'registryRefused', stopsService: 'uplinkRejected' },
  outsideHours: { reason: 'uplinkUnavailable', stopsService: null },
  serviceError: { reason: 'uplinkUnavailable', stopsService: null },
  unavailable: { reason: 'uplinkUnavailable', stopsService: null },
} as const satisfies Record<RegistryRefusal['kind'], { reason: SessionFailureReason; stopsService: ServiceStop | null }>;

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
    readonly reason: SessionFailureReason,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
  }
}

export function isRetriable(reason: SessionFailureReason): boolean {
  return SESSION_FAILURES[reason].retriable;
}
