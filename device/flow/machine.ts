/**
 * The kiosk's flow: one XState machine from boot to "take your card". Pure: every side effect
 * is an actor or action built from the ports in FlowDeps, so tests run it on fakes.
 *
 * Shape (after Governikus AusweisApp): each session step does one thing and either continues or
 * fails; every failure funnels into the single `failed` state with a typed reason and the name
 * of the step that was running. Card and reader removal are cross-cutting aborts. Leaving a
 * step for `finished`/`failed` or leaving the session clears every piece of personal data.
 */
import { assign, fromPromise, raise, setup, type ActorRefFrom, type SnapshotFrom } from 'xstate';
import {
  DeviceError,
  SESSION_FAILURES,
  type OutOfServiceReason,
  type SessionFailure,
  type SessionFailureReason,
} from '../domain/failure.ts';
import type { CardRecord, PersonData } from '../domain/record.ts';
import { parseNop, parseNpwpd, ReturnDataFormatError } from '../domain/nop.ts';
import type { FingerTemplate } from '../domain/finger-template.ts';
import type {
  AuditEvent,
  AuditPort,
  CaptureHint,
  CardPort,
  CardTemplates,
  ClockPort,
  FingerMatcherPort,
  FingerprintSensorPort,
  ReadinessPort,
  ReadProgress,
  RegistryOutcome,
  RegistryRefusal,
  RegistryVerdict,
  ReturnDataPort,
  StaffAuthPort,
  ValidatorPort,
} from './ports.ts';

export interface FlowSettings {
  /** Certified readers allow up to 4 fingerprint attempts. */
  maxFingerAttempts: number;
  /** Quiet time before the idle warning appears. */
  idleTimeoutMs: number;
  /** How long the warning gives to continue; at least 20 s. */
  idleWarningMs: number;
  /** How long a failure stays on screen when the card is already gone. */
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
  /** A refusal that says our access is broken (login, IP, inactive): staff must act. */
  onAccessRefused(kind: RegistryRefusal['kind']): void;
}

export type FingerAttemptOutcome =
  { kind: 'matched'; score: number } | { kind: 'noMatch'; score: number } | { kind: 'poorQuality'; hint: CaptureHint };

export type ReturnDataError = 'nopFormat' | 'npwpdFormat' | 'nothingEntered';

export type SessionStep =
  'readingTemplates' | 'awaitingFinger' | 'staffAssist' | 'readingRecord' | 'validating' | 'result' | 'returnData' | 'finished' | 'failed';

export interface FlowContext {
  outOfService: OutOfServiceReason | null;
  sessionId: string | null;
  sessionStartedAt: number;
  step: SessionStep | null;
  /** Sub-step of staffAssist, for the view and for failure reports. */
  staffStep: 'callStaff' | 'verifyingPin' | 'readingRecord' | 'compareFace' | null;
  progress: { phase: 'templates' | 'record'; ratio: number };
  attempt: number;
  fingerFeedback: 'noMatch' | CaptureHint | null;
  staffAssistWhy: 'fingerNotMatched' | 'taxpayerChoice' | null;
  staffId: string | null;
  pinRejected: boolean;
  idleWarningEndsAt: number | null;
  finishedWhy: 'completed' | 'cancelled' | 'returnDataSaved' | null;
  failure: SessionFailure | null;
  returnDataError: ReturnDataError | null;
  // ---- personal data: this session only, cleared on finished/failed and on leaving the session
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
  | { type: 'STAFF_CONFIRM_FACE'; matches: boolean }
  | { type: 'LINK_RETURN_DATA' }
  | { type: 'SUBMIT_RETURN_DATA'; nop?: string; npwpd?: string }
  | { type: 'SKIP_RETURN_DATA' }
  | { type: 'FINISH' }
  | { type: 'STEP_ENTERED' }
  | { type: 'ACTIVITY' }
  | { type: 'IDLE_EXPIRED' };

type Readiness = { ready: true } | { ready: false; reason: OutOfServiceReason };

const PERSONAL_DATA_CLEARED = { templates: null, record: null, verdict: null } as const;

/** Everything a session step keeps, as a new session starts (and as the kiosk boots). */
const FRESH_SESSION = {
  progress: { phase: 'templates' as const, ratio: 0 },
  attempt: 1,
  fingerFeedback: null,
  staffAssistWhy: null,
  staffId: null,
  pinRejected: false,
  idleWarningEndsAt: null,
  finishedWhy: null,
  failure: null,
  returnDataError: null,
  ...PERSONAL_DATA_CLEARED,
};

const REFUSALS_THAT_NEED_STAFF = new Set<RegistryRefusal['kind']>(['loginFailed', 'ipRefused', 'institutionInactive', 'userInactive']);

function isVerdict(o: RegistryOutcome): o is RegistryVerdict {
  return ['verified', 'dataDiffers', 'notFound', 'deceased', 'inactive', 'duplicateRecords'].includes(o.kind);
}

/** The typed reason of an error thrown by a port; anything unexpected is internalError. */
export function failureReasonOf(error: unknown): SessionFailureReason {
  if (error instanceof DeviceError && error.reason in SESSION_FAILURES) return error.reason as SessionFailureReason;
  return 'internalError';
}

/** Staff assist's sub-step names are reported as `staffAssist.<sub-step>`. */
function stepName(context: FlowContext): string {
  return context.step === 'staffAssist' && context.staffStep ? `staffAssist.${context.staffStep}` : (context.step ?? 'unknown');
}

const WAITING_FOR_USER = new Set<SessionStep>(['awaitingFinger', 'staffAssist', 'result', 'returnData']);

export function createKioskMachine(deps: FlowDeps) {
  const { settings } = deps;
  const auditEvent = (context: FlowContext, event: Omit<AuditEvent, 'sessionId' | 'durationMs'>) =>
    deps.audit.record({
      ...event,
      ...(context.sessionId ? { sessionId: context.sessionId, durationMs: deps.clock.now().getTime() - context.sessionStartedAt } : {}),
    });

  // Card reads report progress to the machine itself, for the progress bar.
  const progressToSelf = ({ self }: { self: { send(event: FlowEvent): void } }) => ({
    onProgress: (p: ReadProgress) => self.send({ type: 'READ_PROGRESS', ...p }),
  });

  return setup({
    types: {
      context: {} as FlowContext,
      events: {} as FlowEvent,
    },
    actors: {
      checkReadiness: fromPromise<Readiness>(() => deps.readiness.check()),
      readTemplates: fromPromise<CardTemplates, { onProgress: (p: ReadProgress) => void }>(({ input, signal }) =>
        deps.card.readTemplates(signal, input.onProgress),
      ),
      captureFinger: fromPromise<FingerAttemptOutcome, { fingerPosition: number; templates: FingerTemplate[] }>(
        async ({ input, signal }) => {
          const capture = await deps.sensor.capture(input.fingerPosition, signal);
          if (capture.kind === 'poorQuality') return capture;
          const decision = deps.matcher.decide(capture.template, input.templates);
          if (decision.poorQuality) return { kind: 'poorQuality', hint: 'cleanFinger' };
          return decision.matched ? { kind: 'matched', score: decision.score } : { kind: 'noMatch', score: decision.score };
        },
      ),
      verifyStaffPin: fromPromise<{ staffId: string } | null, { pin: string }>(({ input }) => deps.staffAuth.verifyPin(input.pin)),
      readRecord: fromPromise<CardRecord, { onProgress: (p: ReadProgress) => void }>(({ input, signal }) =>
        deps.card.readRecord(signal, input.onProgress),
      ),
      validate: fromPromise<RegistryOutcome, { person: PersonData }>(({ input, signal }) => deps.validator.validate(input.person, signal)),
    },
    delays: {
      idleTimeout: () => settings.idleTimeoutMs,
      idleWarning: () => settings.idleWarningMs,
      failureDisplay: () => settings.failureDisplayMs,
      outOfServiceRecheck: () => settings.outOfServiceRecheckMs,
    },
    guards: {
      waitingForUser: ({ context }) => context.step !== null && WAITING_FOR_USER.has(context.step),
      readinessOk: (_, r: Readiness) => r.ready,
      fingerMatched: (_, o: FingerAttemptOutcome) => o.kind === 'matched',
      attemptsLeft: ({ context }) => context.attempt < settings.maxFingerAttempts,
      outcomeIsVerdict: (_, o: RegistryOutcome) => isVerdict(o),
      cardAlreadyGone: ({ context }) => context.failure?.reason === 'cardRemoved' || context.failure?.reason === 'readerRemoved',
    },
    actions: {
      setStep: assign((_, step: SessionStep) => ({ step, staffStep: null })),
      setStaffStep: assign((_, staffStep: NonNullable<FlowContext['staffStep']>) => ({ staffStep })),
      stepEntered: raise({ type: 'STEP_ENTERED' }),
      startSession: assign(() => ({ sessionId: deps.newSessionId(), sessionStartedAt: deps.clock.now().getTime(), ...FRESH_SESSION })),
      clearPersonalData: assign(() => ({ ...PERSONAL_DATA_CLEARED })),
      endCardSession: () => deps.card.endSession(),
      auditSessionEnd: ({ context }) =>
        auditEvent(context, { code: 'sessionEnd', outcome: context.failure?.reason ?? context.finishedWhy ?? 'aborted' }),
      endSession: assign(() => ({ sessionId: null, step: null, staffStep: null, idleWarningEndsAt: null, ...PERSONAL_DATA_CLEARED })),
      fail: assign(({ context }, reason: SessionFailureReason) => ({ failure: { reason, state: stepName(context) } })),
      /** An invoked step rejected: its error's typed reason, or internalError. */
      failFromError: assign(({ context, event }) => ({
        failure: { reason: failureReasonOf('error' in event ? event.error : undefined), state: stepName(context) },
      })),
      recordProgress: assign(({ event }, phase: 'templates' | 'record') => ({
        progress:
          event.type === 'READ_PROGRESS'
            ? { phase, ratio: event.bytesTotal > 0 ? event.bytesRead / event.bytesTotal : 0 }
            : { phase, ratio: 0 },
      })),
      setOutOfService: assign((_, reason: OutOfServiceReason) => ({ outOfService: reason })),
      clearOutOfService: assign(() => ({ outOfService: null })),
      audit: ({ context }, event: Omit<AuditEvent, 'sessionId' | 'durationMs'>) => auditEvent(context, event),
    },
  }).createMachine({
    id: 'kiosk',
    initial: 'booting',
    context: {
      outOfService: null,
      sessionId: null,
      sessionStartedAt: 0,
      step: null,
      staffStep: null,
      ...FRESH_SESSION,
    },
    on: {
      TAMPER: { target: '.outOfService', actions: { type: 'setOutOfService', params: 'tamper' } },
    },
    states: {
      booting: {
        invoke: {
          id: 'checkReadiness',
          src: 'checkReadiness',
          onDone: [
            {
              guard: { type: 'readinessOk', params: ({ event }) => event.output },
              target: 'idle',
            },
            {
              target: 'outOfService',
              actions: {
                type: 'setOutOfService',
                params: ({ event }) => (event.output.ready ? 'uplinkDown' : event.output.reason),
              },
            },
          ],
          onError: { target: 'outOfService', actions: { type: 'setOutOfService', params: 'uplinkDown' } },
        },
      },
      outOfService: {
        entry: [
          ({ context }) => auditEvent(context, { code: 'outOfService', outcome: context.outOfService ?? 'unknown' }),
        ],
        on: { READINESS_CHANGED: 'booting' },
        after: { outOfServiceRecheck: 'booting' },
      },
      idle: {
        entry: [{ type: 'clearOutOfService' }],
        on: {
          CARD_INSERTED: 'session',
          READINESS_CHANGED: 'booting',
          READER_REMOVED: 'booting',
        },
      },
      session: {
        type: 'parallel',
        entry: [{ type: 'startSession' }, ({ context }) => auditEvent(context, { code: 'sessionStart' })],
        exit: [{ type: 'endCardSession' }, { type: 'auditSessionEnd' }, { type: 'endSession' }],
        states: {
          steps: {
            initial: 'active',
            states: {
              /** Every step that holds or gathers personal data; the cross-cutting aborts apply here. */
              active: {
                initial: 'readingTemplates',
                on: {
                  CARD_REMOVED: { target: '#failed', actions: { type: 'fail', params: 'cardRemoved' } },
                  READER_REMOVED: { target: '#failed', actions: { type: 'fail', params: 'readerRemoved' } },
                  CANCEL: { target: '#finished', actions: assign({ finishedWhy: 'cancelled' }) },
                  IDLE_EXPIRED: { target: '#failed', actions: { type: 'fail', params: 'sessionTimeout' } },
                },
                states: {
                  readingTemplates: {
                    entry: [{ type: 'setStep', params: 'readingTemplates' }, 'stepEntered'],
                    invoke: {
                      id: 'readTemplates',
                      src: 'readTemplates',
                      input: progressToSelf,
                      onDone: {
                        target: 'awaitingFinger',
                        actions: [
                          assign({ templates: ({ event }) => event.output.templates }),
                          { type: 'audit', params: { code: 'templatesRead' } },
                        ],
                      },
                      onError: { target: '#failed', actions: 'failFromError' },
                    },
                    on: {
                      READ_PROGRESS: { actions: { type: 'recordProgress', params: 'templates' } },
                    },
                  },
                  awaitingFinger: {
                    entry: [{ type: 'setStep', params: 'awaitingFinger' }, 'stepEntered'],
                    invoke: {
                      id: 'captureFinger',
                      src: 'captureFinger',
                      input: ({ context }) => ({
                        fingerPosition: context.templates?.[0]?.fingerPosition ?? 0,
                        templates: context.templates ?? [],
                      }),
                      onDone: [
                        {
                          guard: { type: 'fingerMatched', params: ({ event }) => event.output },
                          target: 'readingRecord',
                          actions: [
                            { type: 'audit', params: { code: 'fingerMatched' } },
                          ],
                        },
                        {
                          guard: 'attemptsLeft',
                          target: 'awaitingFinger',
                          reenter: true,
                          actions: [
                            { type: 'audit', params: ({ event }) => ({ code: 'fingerAttempt' as const, outcome: event.output.kind }) },
                            assign({
                              attempt: ({ context }) => context.attempt + 1,
                              fingerFeedback: ({ event }) => (event.output.kind === 'poorQuality' ? event.output.hint : 'noMatch'),
                            }),
                          ],
                        },
                        {
                          target: 'staffAssist',
                          actions: [
                            { type: 'audit', params: ({ event }) => ({ code: 'fingerAttempt' as const, outcome: event.output.kind }) },
                            assign({ staffAssistWhy: 'fingerNotMatched' }),
                          ],
                        },
                      ],
                      onError: { target: '#failed', actions: 'failFromError' },
                    },
                    on: {
                      CANNOT_GIVE_FINGER: { target: 'staffAssist', actions: assign({ staffAssistWhy: 'taxpayerChoice' }) },
                    },
                  },
                  staffAssist: {
                    initial: 'callStaff',
                    entry: [
                      { type: 'setStep', params: 'staffAssist' },
                      'stepEntered',
                      {
                        type: 'audit',
                        params: ({ context }) => ({ code: 'staffAssistStart' as const, outcome: context.staffAssistWhy ?? undefined }),
                      },
                    ],
                    states: {
                      callStaff: {
                        entry: { type: 'setStaffStep', params: 'callStaff' },
                        on: {
                          STAFF_UNLOCK: 'verifyingPin',
                        },
                      },
                      verifyingPin: {
                        entry: { type: 'setStaffStep', params: 'verifyingPin' },
                        invoke: {
                          id: 'verifyStaffPin',
                          src: 'verifyStaffPin',
                          input: ({ event }) => ({ pin: event.type === 'STAFF_UNLOCK' ? event.pin : '' }),
                          onDone: [
                            {
                              guard: ({ event }) => event.output !== null,
                              target: 'readingRecord',
                              actions: [
                                assign({ staffId: ({ event }) => event.output?.staffId ?? null, pinRejected: false }),
                                {
                                  type: 'audit',
                                  params: ({ event }) => ({ code: 'staffUnlocked' as const, staffId: event.output?.staffId }),
                                },
                              ],
                            },
                            {
                              target: 'callStaff',
                              actions: [assign({ pinRejected: true }), { type: 'audit', params: { code: 'staffPinRejected' } }],
                            },
                          ],
                          onError: { target: 'callStaff', actions: assign({ pinRejected: true }) },
                        },
                      },
                      readingRecord: {
                        entry: { type: 'setStaffStep', params: 'readingRecord' },
                        invoke: {
                          id: 'readRecordForStaff',
                          src: 'readRecord',
                          input: progressToSelf,
                          onDone: {
                            target: 'compareFace',
                            actions: [assign({ record: ({ event }) => event.output }), { type: 'audit', params: { code: 'recordRead' } }],
                          },
                          onError: { target: '#failed', actions: 'failFromError' },
                        },
                        on: {
                          READ_PROGRESS: { actions: { type: 'recordProgress', params: 'record' } },
                        },
                      },
                      compareFace: {
                        entry: [{ type: 'setStaffStep', params: 'compareFace' }, 'stepEntered'],
                        on: {
                          STAFF_CONFIRM_FACE: [
                            {
                              guard: ({ event, context }) => event.matches && context.record?.signatureValid === true,
                              target: '#validating',
                              actions: { type: 'audit', params: { code: 'staffFaceDecision', outcome: 'matches' } },
                            },
                            {
                              guard: ({ event }) => event.matches,
                              target: '#failed',
                              actions: { type: 'fail', params: 'signatureInvalid' },
                            },
                            {
                              target: '#failed',
                              actions: [
                                { type: 'audit', params: { code: 'staffFaceDecision', outcome: 'differs' } },
                                { type: 'fail', params: 'identityNotConfirmed' },
                              ],
                            },
                          ],
                        },
                      },
                    },
                  },
                  readingRecord: {
                    entry: [
                      { type: 'setStep', params: 'readingRecord' },
                      'stepEntered',
                      assign({ progress: { phase: 'record', ratio: 0 } }),
                    ],
                    invoke: {
                      id: 'readRecord',
                      src: 'readRecord',
                      input: progressToSelf,
                      onDone: [
                        {
                          guard: ({ event }) => event.output.signatureValid,
                          target: 'validating',
                          actions: [assign({ record: ({ event }) => event.output }), { type: 'audit', params: { code: 'recordRead' } }],
                        },
                        {
                          target: '#failed',
                          actions: [
                            { type: 'audit', params: { code: 'recordRead', outcome: 'signatureInvalid' } },
                            { type: 'fail', params: 'signatureInvalid' },
                          ],
                        },
                      ],
                      onError: { target: '#failed', actions: 'failFromError' },
                    },
                    on: {
                      READ_PROGRESS: { actions: { type: 'recordProgress', params: 'record' } },
                    },
                  },
                  validating: {
                    id: 'validating',
                    entry: [{ type: 'setStep', params: 'validating' }, 'stepEntered'],
                    invoke: {
                      id: 'validate',
                      src: 'validate',
                      input: ({ context }) => ({ person: context.record!.person }),
                      onDone: [
                        {
                          guard: { type: 'outcomeIsVerdict', params: ({ event }) => event.output },
                          target: 'result',
                          actions: [
                            assign({ verdict: ({ event }) => event.output as RegistryVerdict }),
                            {
                              type: 'audit',
                              params: ({ event, context }) => ({
                                code: 'validated' as const,
                                outcome: event.output.kind,
                                nik: context.record?.person.nik,
                              }),
                            },
                          ],
                        },
                        {
                          target: '#failed',
                          actions: [
                            { type: 'audit', params: ({ event }) => ({ code: 'validated' as const, outcome: event.output.kind }) },
                            ({ event }) => {
                              const kind = event.output.kind as RegistryRefusal['kind'];
                              if (REFUSALS_THAT_NEED_STAFF.has(kind)) deps.onAccessRefused(kind);
                            },
                            {
                              type: 'fail',
                              params: ({ event }) =>
                                REFUSALS_THAT_NEED_STAFF.has(event.output.kind as RegistryRefusal['kind'])
                                  ? 'registryRefused'
                                  : 'uplinkUnavailable',
                            },
                          ],
                        },
                      ],
                      onError: { target: '#failed', actions: 'failFromError' },
                    },
                  },
                  result: {
                    entry: [{ type: 'setStep', params: 'result' }, 'stepEntered'],
                    on: {
                      LINK_RETURN_DATA: {
                        guard: ({ context }) => context.verdict?.kind === 'verified' || context.verdict?.kind === 'dataDiffers',
                        target: 'returnData',
                      },
                      FINISH: { target: '#finished', actions: assign({ finishedWhy: 'completed' }) },
                    },
                  },
                  returnData: {
                    entry: [{ type: 'setStep', params: 'returnData' }, 'stepEntered', assign({ returnDataError: null })],
                    on: {
                      SUBMIT_RETURN_DATA: [
                        {
                          guard: ({ event }) => !event.nop?.trim() && !event.npwpd?.trim(),
                          actions: assign({ returnDataError: 'nothingEntered' }),
                        },
                        {
                          target: '#finished',
                          guard: ({ event }) => returnDataErrorOf(event, settings.npwpdPattern) === null,
                          actions: [
                            ({ context, event }) => {
                              deps.returnData.enqueue({
                                nik: context.record!.person.nik,
                                nop: event.nop?.trim() ? parseNop(event.nop) : null,
                                npwpd: event.npwpd?.trim() ? parseNpwpd(event.npwpd, settings.npwpdPattern) : null,
                              }, context.sessionId!);
                            },
                            { type: 'audit', params: { code: 'returnDataQueued' } },
                            assign({ finishedWhy: 'returnDataSaved' }),
                          ],
                        },
                        {
                          actions: assign({ returnDataError: ({ event }) => returnDataErrorOf(event, settings.npwpdPattern) }),
                        },
                      ],
                      SKIP_RETURN_DATA: { target: '#finished', actions: assign({ finishedWhy: 'completed' }) },
                    },
                  },
                },
              },
              finished: {
                id: 'finished',
                entry: [{ type: 'setStep', params: 'finished' }, 'clearPersonalData', 'endCardSession'],
                on: {
                  CARD_REMOVED: '#kiosk.booting',
                  READER_REMOVED: '#kiosk.booting',
                },
              },
              failed: {
                id: 'failed',
                entry: [
                  ({ context }) =>
                    auditEvent(context, { code: 'sessionFailed', state: context.failure?.state, outcome: context.failure?.reason }),
                  { type: 'setStep', params: 'failed' },
                  'clearPersonalData',
                  'endCardSession',
                ],
                on: {
                  CARD_REMOVED: '#kiosk.booting',
                  READER_REMOVED: '#kiosk.booting',
                },
                after: {
                  failureDisplay: { guard: 'cardAlreadyGone', target: '#kiosk.booting' },
                },
              },
            },
          },
          idle: {
            initial: 'watching',
            states: {
              watching: {
                after: {
                  idleTimeout: [
                    { guard: 'waitingForUser', target: 'warning' },
                    { target: 'watching', reenter: true },
                  ],
                },
              },
              warning: {
                on: { EXTEND_TIME: 'watching' },
                entry: assign({ idleWarningEndsAt: () => deps.clock.now().getTime() + settings.idleWarningMs }),
                exit: assign({ idleWarningEndsAt: null }),
                after: { idleWarning: { target: 'watching', actions: raise({ type: 'IDLE_EXPIRED' }) } },
              },
            },
            // Any touch restarts the quiet period; EXTEND_TIME is the warning's own button.
            on: {
              STEP_ENTERED: '.watching',
              ACTIVITY: '.watching',
            },
          },
        },
      },
    },
  });
}

function returnDataErrorOf(event: { nop?: string; npwpd?: string }, npwpdPattern: RegExp): ReturnDataError | null {
  try {
    if (event.nop?.trim()) parseNop(event.nop);
    if (event.npwpd?.trim()) parseNpwpd(event.npwpd, npwpdPattern);
    return null;
  } catch (e) {
    if (e instanceof ReturnDataFormatError) return e.field === 'nop' ? 'nopFormat' : 'npwpdFormat';
    throw e;
  }
}

export type KioskMachine = ReturnType<typeof createKioskMachine>;
export type KioskActor = ActorRefFrom<KioskMachine>;
export type KioskSnapshot = SnapshotFrom<KioskMachine>;
