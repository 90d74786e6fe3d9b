/**
 * Awaiting finger: capture a live finger and match it 1:1 against the card's template of the
 * finger asked for (asked-finger.ts: the card's first finger, then its other); after the last
 * attempt, staff.
 */
import { assign } from 'xstate';
import type { FingerAttemptOutcome, FlowContext, FlowSettings } from '../context.ts';
import { askedFinger } from '../asked-finger.ts';
import type { KioskSetup } from '../setup.ts';
import { CARD_REMOVAL_ABORTS, STEP_EXITS } from './card-removal.ts';

export const awaitingFingerStep = (kiosk: KioskSetup, settings: Pick<FlowSettings, 'maxFingerAttempts'>) => {
  const asked = (context: FlowContext, attempt = context.attempt) =>
    askedFinger(context.templates ?? [], attempt, settings.maxFingerAttempts);
  // Which try and which of the card's fingers (1 or 2): no minutiae, no score, no finger of a person.
  const attemptState = (context: FlowContext) => `try-${context.attempt}/finger-${asked(context).cardFinger}`;
  const auditAttempt = {
    type: 'audit' as const,
    params: ({ context, event }: { context: FlowContext; event: { output: FingerAttemptOutcome } }) => ({
      code: 'fingerAttempt' as const,
      state: attemptState(context),
      outcome: event.output.kind,
    }),
  };
  return kiosk.createStateConfig({
    tags: 'cardNeeded',
    entry: [{ type: 'setStep', params: 'awaitingFinger' }, 'stepEntered'],
    invoke: {
      id: 'captureFinger',
      src: 'captureFinger',
      input: ({ context }) => {
        const finger = asked(context);
        return { fingerPosition: finger.fingerPosition, templates: finger.templates };
      },
      onDone: [
        {
          guard: { type: 'fingerMatched', params: ({ event }) => event.output },
          target: 'readingRecord',
          actions: [{ type: 'audit', params: ({ context }) => ({ code: 'fingerMatched' as const, state: attemptState(context) }) }],
        },
        {
          guard: 'attemptsLeft',
          target: 'awaitingFinger',
          reenter: true,
          actions: [
            auditAttempt,
            assign({
              attempt: ({ context }) => context.attempt + 1,
              // A change of finger is said before anything about the last touch, which was of the other finger.
              fingerFeedback: ({ context, event }) =>
                asked(context, context.attempt + 1).cardFinger !== asked(context).cardFinger
                  ? 'otherFinger'
                  : event.output.kind === 'poorQuality'
                    ? event.output.hint
                    : 'noMatch',
            }),
          ],
        },
        {
          target: 'staffAssist',
          actions: [auditAttempt, assign({ staffAssistWhy: 'fingerNotMatched' })],
        },
      ],
      onError: { target: '#failed', actions: 'failFromError' },
    },
    on: {
      ...CARD_REMOVAL_ABORTS,
      ...STEP_EXITS,
      CANNOT_GIVE_FINGER: { target: 'staffAssist', actions: assign({ staffAssistWhy: 'taxpayerChoice' }) },
    },
  });
};
