/**
 * The kiosk's flow: one XState machine from boot to "take your card". Pure: every side effect
 * is an actor or action built from the ports in FlowDeps (setup.ts), so tests run it on fakes.
 *
 * Shape (after Governikus AusweisApp): each session step, one file under steps/, does one thing
 * and either continues or fails; every failure funnels into the single `failed` step with a
 * typed reason, the name of the step that was running and a detail (domain/failure.ts). Each
 * step declares what lifting the card does there (steps/card-removal.ts). Ending the session
 * (`finished` or `failed`) clears every piece of personal data.
 *
 *   booting ─▶ welcome ─▶ session: readingTemplates ─▶ awaitingFinger ─▶ readingRecord ─▶ validating ─▶ result ─▶ returnData
 *      ▲  │                          (staffAssist after the last finger attempt)            └─▶ finished | failed ─┘
 *      │  └─▶ outOfService                                                       (alongside: inactivity)
 */
import type { ActorRefFrom, SnapshotFrom } from 'xstate';
import { FRESH_SESSION, type FlowDeps } from './context.ts';
import { kioskSetup } from './setup.ts';
import { awaitingFingerStep } from './steps/awaiting-finger.ts';
import { bootingStep } from './steps/booting.ts';
import { failedStep } from './steps/failed.ts';
import { finishedStep } from './steps/finished.ts';
import { inactivityRegion } from './steps/inactivity.ts';
import { outOfServiceStep } from './steps/out-of-service.ts';
import { readingRecordStep } from './steps/reading-record.ts';
import { readingTemplatesStep } from './steps/reading-templates.ts';
import { resultStep } from './steps/result.ts';
import { returnDataStep } from './steps/return-data.ts';
import { staffAssistStep } from './steps/staff-assist.ts';
import { validatingStep } from './steps/validating.ts';
import { welcomeStep } from './steps/welcome.ts';

export { MAX_FINGER_ATTEMPTS, OUT_OF_SERVICE_RECHECK_MS, staffCallPending } from './context.ts';
export type { FingerAttemptOutcome, FlowContext, FlowDeps, FlowEvent, FlowSettings, ReturnDataError, SessionStep } from './context.ts';

export function createKioskMachine(deps: FlowDeps) {
  const kiosk = kioskSetup(deps);
  return kiosk.createMachine({
    id: 'kiosk',
    initial: 'booting',
    context: () => ({
      outOfService: null,
      sessionId: null,
      sessionStartedAt: 0,
      step: null,
      staffStep: null,
      cardInReader: deps.card.health().cardPresent,
      staffAtKiosk: false,
      ...FRESH_SESSION,
    }),
    on: {
      TAMPER: { target: '.outOfService', actions: { type: 'setOutOfService', params: 'tamper' } },
      // Wherever no step takes them, reader events only keep the card's presence up to date.
      CARD_INSERTED: { actions: 'cardArrived' },
      CARD_REMOVED: { actions: 'cardLeft' },
      READER_REMOVED: { actions: 'cardLeft' },
      STAFF_AT_KIOSK: { actions: 'staffAtKiosk' },
    },
    states: {
      booting: bootingStep(kiosk),
      outOfService: outOfServiceStep(kiosk),
      welcome: welcomeStep(kiosk),
      session: {
        type: 'parallel',
        entry: ['startSession', { type: 'audit', params: { code: 'sessionStart' } }],
        exit: ['endSession', 'auditSessionEnd', 'clearSession'],
        states: {
          steps: {
            initial: 'readingTemplates',
            states: {
              readingTemplates: readingTemplatesStep(kiosk),
              awaitingFinger: awaitingFingerStep(kiosk, deps.settings),
              staffAssist: staffAssistStep(kiosk),
              readingRecord: readingRecordStep(kiosk),
              validating: validatingStep(kiosk),
              result: resultStep(kiosk),
              returnData: returnDataStep(kiosk, deps),
              finished: finishedStep(kiosk),
              failed: failedStep(kiosk),
            },
          },
          inactivity: inactivityRegion(kiosk, deps),
        },
      },
    },
  });
}

export type KioskMachine = ReturnType<typeof createKioskMachine>;
export type KioskActor = ActorRefFrom<KioskMachine>;
export type KioskSnapshot = SnapshotFrom<KioskMachine>;
