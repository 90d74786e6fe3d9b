/**
 * What the flow machine is made of: the settings and ports it is given, the context it keeps and
 * the events it takes. The machine (machine.ts) and its steps (steps/) share these.
 */
import type { OutOfServiceReason, SessionFailure } from '../domain/failure.ts';
import type { CardRecord } from '../domain/record.ts';
import type { FingerTemplate } from '../domain/finger-template.ts';
import type {
  AuditPort,
  CardPort,
  ClockPort,
  FingerMatcherPort,
  FingerprintSensorPort,
  ReadinessPort,
  ReturnDataPort,
  StaffAuthPort,
  ValidatorPort,
} from './ports.ts';
import type { CaptureHint } from '../domain/capture-hint.ts';
import type { RegistryVerdict } from '../domain/registry.ts';

/** Certified readers allow up to 4 fingerprint attempts. */
export const MAX_FINGER_ATTEMPTS = 4;
/** How often an out-of-service kiosk checks whether it can serve again. */
export const OUT_OF_SERVICE_RECHECK_MS = 30_000;

export interface FlowSettings {
  /** Certified readers allow up to 4 fingerprint attempts. */
  maxFingerAttempts: number;
  /** Quiet time before the idle warning appears. */
  idleTimeoutMs: number;
  /** How long the warning gives to continue; at least 20 s. */
  idleWarningMs: number;
  /** How long the last screen of a session (a failure, a thank-you) stays once the card is gone. */
  failureDisplayMs: number;
  /** How often an out-of-service kiosk checks whether it can serve again. */
  outOfServiceRecheckMs: number;
  /** The regency's NPWPD format (no national format exists). */
  npwpdPattern: RegExp;
}

export interface FlowDeps {
  card: CardPort;
  sensor: FingerprintSensorPort;
  matcher: FingerMatcherPort;
  validator: ValidatorPort;
  readiness: ReadinessPort;
  staffAuth: StaffAuthPort;
  audit: AuditPort;
  returnData: ReturnDataPort;
  clock: ClockPort;
  settings: FlowSettings;
  newSessionId(): string;
}

export type FingerAttemptOutcome =
  { kind: 'matched'; score: number } | { kind: 'noMatch'; score: number } | { kind: 'poorQuality'; hint: CaptureHint };

export type ReturnDataError = 'nopFormat' | 'npwpdFormat' | 'nothingEntered';

export type SessionStep =
  'readingTemplates' | 'awaitingFinger' | 'staffAssist' | 'readingRecord' | 'validating' | 'result' | 'returnData' | 'finished' | 'failed';

export type StaffStep = 'callStaff' | 'verifyingPin' | 'readingRecord' | 'compareFace';

/** The taxpayer asked for staff and no staff member has signed in yet ("help needed"). */
export function staffCallPending(context: Pick<FlowContext, 'step' | 'staffStep'>): boolean {
  return context.step === 'staffAssist' && (context.staffStep === 'callStaff' || context.staffStep === 'verifyingPin');
}

export interface FlowContext {
  outOfService: OutOfServiceReason | null;
  sessionId: string | null;
  sessionStartedAt: number;
  step: SessionStep | null;
  /** Sub-step of staffAssist, for the view and for failure reports. */
  staffStep: StaffStep | null;
  progress: { phase: 'templates' | 'record'; ratio: number };
  attempt: number;
  /** What the last try said: no match, a capture hint, or that this try asks for the card's other finger. */
  fingerFeedback: 'noMatch' | 'otherFinger' | CaptureHint | null;
  staffAssistWhy: 'fingerNotMatched' | 'taxpayerChoice' | null;
  staffId: string | null;
  pinRejected: boolean;
  idleWarningEndsAt: number | null;
  /** A card is in the ID reader (as the reader last reported), in or out of a session. */
  cardInReader: boolean;
  /** Staff are signed in on the kiosk's own screen (its dashboard covers the taxpayer's screen): the idle clock waits. */
  staffAtKiosk: boolean;
  /** This session's card has left the reader: its last screen need not wait for it. */
  cardLifted: boolean;
  finishedWhy: 'completed' | 'cancelled' | 'returnDataSaved' | 'cardTaken' | null;
  failure: SessionFailure | null;
  returnDataError: ReturnDataError | null;
  /** Submissions on the return-data step, so each refusal is an answer the screen shows anew. */
  returnDataSubmissions: number;
  // ---- personal data: this session only, cleared when the session ends
  templates: FingerTemplate[] | null;
  record: CardRecord | null;
  verdict: RegistryVerdict | null;
}

export type FlowEvent =
  | { type: 'CARD_INSERTED' }
  | { type: 'CARD_REMOVED' }
  | { type: 'READER_REMOVED' }
  | { type: 'READINESS_CHANGED' }
  | { type: 'TAMPER' }
  | { type: 'READ_PROGRESS'; bytesRead: number; bytesTotal: number }
  | { type: 'CANCEL' }
  | { type: 'EXTEND_TIME' }
  | { type: 'CANNOT_GIVE_FINGER' }
  | { type: 'STAFF_UNLOCK'; pin: string }
  /** An operator already signed in to the staff dashboard unlocks the record read: no PIN here. */
  | { type: 'STAFF_UNLOCK_SIGNED_IN'; staffId: string }
  /** staffId is set when the decision comes from the staff dashboard (the operator who made it). */
  | { type: 'STAFF_CONFIRM_FACE'; matches: boolean; staffId?: string }
  | { type: 'LINK_RETURN_DATA' }
  | { type: 'SUBMIT_RETURN_DATA'; nop?: string; npwpd?: string }
  | { type: 'SKIP_RETURN_DATA' }
  | { type: 'FINISH' }
  | { type: 'STEP_ENTERED' }
  | { type: 'ACTIVITY' }
  /** Staff signed in (present) or out on the kiosk's own listener. */
  | { type: 'STAFF_AT_KIOSK'; present: boolean }
  | { type: 'IDLE_EXPIRED' };

/**
 * State tags: whether the card is still needed (lifting it aborts the step) or has done its
 * work (lifting it ends the session normally). Only tagged states hold personal data.
 */
export type FlowTag = 'cardNeeded' | 'cardDone';

export const PERSONAL_DATA_CLEARED = { templates: null, record: null, verdict: null } as const;

/** Everything a session step keeps, as a new session starts (and as the kiosk boots). */
export const FRESH_SESSION = {
  progress: { phase: 'templates' as const, ratio: 0 },
  attempt: 1,
  fingerFeedback: null,
  staffAssistWhy: null,
  staffId: null,
  pinRejected: false,
  idleWarningEndsAt: null,
  cardLifted: false,
  finishedWhy: null,
  failure: null,
  returnDataError: null,
  returnDataSubmissions: 0,
  ...PERSONAL_DATA_CLEARED,
};

/** Staff assist's sub-step names are reported as `staffAssist.<sub-step>`. */
export function stepName(context: FlowContext): string {
  return context.step === 'staffAssist' && context.staffStep ? `staffAssist.${context.staffStep}` : (context.step ?? 'unknown');
}
