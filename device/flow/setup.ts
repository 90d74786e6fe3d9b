/**
 * The flow's building blocks, named once: the actors that call the ports, the delays, guards and
 * actions the steps refer to by name. Steps (steps/*.ts) are state configs built on this setup.
 */
import { assign, enqueueActions, fromPromise, raise, setup } from 'xstate';
import {
  failure,
  failureOfError,
  REGISTRY_REFUSALS,
  RegistryRefusedError,
  splitOutcome,
  type OutOfServiceReason,
  type SessionFailureReason,
} from '../domain/failure.ts';
import type { CardRecord, PersonData } from '../domain/record.ts';
import type { FingerTemplate } from '../domain/finger-template.ts';
import {
  FRESH_SESSION,
  PERSONAL_DATA_CLEARED,
  stepName,
  type FingerAttemptOutcome,
  type FlowContext,
  type FlowDeps,
  type FlowEvent,
  type FlowTag,
  type SessionStep,
  type StaffStep,
  staffCallPending,
} from './context.ts';
import type { CardTemplates, ReadProgress } from './ports.ts';
import type { AuditEvent } from '../domain/audit.ts';
import type { RegistryVerdict } from '../domain/registry.ts';

type Readiness = { ready: true } | { ready: false; reason: OutOfServiceReason };
type AuditFields = Omit<AuditEvent, 'sessionId' | 'durationMs'>;

const CARD_GONE_REASONS = new Set<SessionFailureReason>(['cardRemoved', 'readerRemoved']);
const WAITING_FOR_USER = new Set<SessionStep>(['awaitingFinger', 'staffAssist', 'result', 'returnData']);

export function kioskSetup(deps: FlowDeps) {
  const { settings } = deps;
  const audit = (context: FlowContext, event: AuditFields) =>
    deps.audit.record({
      ...event,
      ...(context.sessionId ? { sessionId: context.sessionId, durationMs: deps.clock.now().getTime() - context.sessionStartedAt } : {}),
    });
  const failed = (context: FlowContext, f: FlowContext['failure']) => ({
    failure: f,
    cardLifted: context.cardLifted || (f !== null && CARD_GONE_REASONS.has(f.reason)),
  });

  return setup({
    types: { context: {} as FlowContext, events: {} as FlowEvent, tags: {} as FlowTag },
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
      // A refusal is a failure of the step: it rejects, so the one error mapping handles it.
      validate: fromPromise<RegistryVerdict, { person: PersonData }>(async ({ input, signal }) => {
        const outcome = await deps.validator.validate(input.person, signal);
        const answer = splitOutcome(outcome);
        if (answer.refusal) throw new RegistryRefusedError(answer.refusal.kind);
        return answer.verdict;
      }),
    },
    delays: {
      idleTimeout: () => settings.idleTimeoutMs,
      idleWarning: () => settings.idleWarningMs,
      failureDisplay: () => settings.failureDisplayMs,
      outOfServiceRecheck: () => settings.outOfServiceRecheckMs,
    },
    guards: {
      // A pending staff call is not idleness: the taxpayer has gone to fetch help. Nor is the
      // taxpayer idle while staff work at the kiosk's own screen (its dashboard covers theirs).
      waitingForUser: ({ context }) =>
        context.step !== null && WAITING_FOR_USER.has(context.step) && !staffCallPending(context) && !context.staffAtKiosk,
      readinessOk: (_, r: Readiness) => r.ready,
      fingerMatched: (_, o: FingerAttemptOutcome) => o.kind === 'matched',
      attemptsLeft: ({ context }) => context.attempt < settings.maxFingerAttempts,
      cardLifted: ({ context }) => context.cardLifted,
      cardInReader: ({ context }) => context.cardInReader,
    },
    actions: {
      setStep: assign((_, step: SessionStep) => ({ step, staffStep: null })),
      setStaffStep: assign((_, staffStep: StaffStep) => ({ staffStep })),
      stepEntered: raise({ type: 'STEP_ENTERED' }),
      startSession: assign(() => ({ sessionId: deps.newSessionId(), sessionStartedAt: deps.clock.now().getTime(), ...FRESH_SESSION })),
      /** The session is over for the taxpayer: the card session ends and personal data is cleared. */
      endSession: enqueueActions(({ enqueue }) => {
        enqueue(() => deps.card.endSession());
        enqueue.assign(PERSONAL_DATA_CLEARED);
      }),
      auditSessionEnd: ({ context }) =>
        audit(context, { code: 'sessionEnd', outcome: context.failure?.reason ?? context.finishedWhy ?? 'aborted' }),
      clearSession: assign({ sessionId: null, step: null, staffStep: null, idleWarningEndsAt: null }),
      fail: assign(({ context }, reason: SessionFailureReason) => failed(context, failure(reason, stepName(context)))),
      /** An invoked step rejected: the one mapping turns its error into the failure. */
      failFromError: assign(({ context, event }) =>
        failed(context, failureOfError('error' in event ? event.error : undefined, stepName(context))),
      ),
      /** A registry refusal that stops service (quota gone, access refused) is told to readiness. */
      stopServiceOnRefusal: ({ event }) => {
        if (!('error' in event) || !(event.error instanceof RegistryRefusedError)) return;
        const stop = REGISTRY_REFUSALS[event.error.refusal].stopsService;
        if (stop) deps.readiness.stopService(stop, event.error.refusal);
      },
      finish: assign((_, why: NonNullable<FlowContext['finishedWhy']>) => ({ finishedWhy: why })),
      cardArrived: assign({ cardInReader: true }),
      staffAtKiosk: assign(({ event }) => ({ staffAtKiosk: event.type === 'STAFF_AT_KIOSK' ? event.present : false })),
      cardLeft: assign({ cardInReader: false, cardLifted: true }),
      recordProgress: assign(({ event }, phase: 'templates' | 'record') => ({
        progress:
          event.type === 'READ_PROGRESS'
            ? { phase, ratio: event.bytesTotal > 0 ? event.bytesRead / event.bytesTotal : 0 }
            : { phase, ratio: 0 },
      })),
      setOutOfService: assign((_, reason: OutOfServiceReason) => ({ outOfService: reason })),
      /** The end of an out-of-service period, so the semester report can count its hours. */
      auditBackInService: ({ context }) => {
        if (context.outOfService !== null) audit(context, { code: 'inService', outcome: context.outOfService });
      },
      clearOutOfService: assign({ outOfService: null }),
      audit: ({ context }, event: AuditFields) => audit(context, event),
    },
  });
}

export type KioskSetup = ReturnType<typeof kioskSetup>;

/** Card reads report progress to the machine itself, for the progress bar. */
export const progressToSelf = ({ self }: { self: { send(event: FlowEvent): void } }) => ({
  onProgress: (p: ReadProgress) => self.send({ type: 'READ_PROGRESS', ...p }),
});
