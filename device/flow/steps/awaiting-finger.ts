/** Awaiting finger: capture a live finger and match it 1:1 against the card; after the last attempt, staff. */
import { assign } from 'xstate';
import type { KioskSetup } from '../setup.ts';
import { CARD_REMOVAL_ABORTS, STEP_EXITS } from './card-removal.ts';

export const awaitingFingerStep = (kiosk: KioskSetup) =>
  kiosk.createStateConfig({
    tags: 'cardNeeded',
    entry: [{ type: 'setStep', params: 'awaitingFinger' }, 'stepEntered'],
    invoke: {
      id: 'captureFinger',
      src: 'captureFinger',
      input: ({ context }) => ({ fingerPosition: context.templates?.[0]?.fingerPosition ?? 0, templates: context.templates ?? [] }),
      onDone: [
        {
          guard: { type: 'fingerMatched', params: ({ event }) => event.output },
          target: 'readingRecord',
          actions: [{ type: 'audit', params: { code: 'fingerMatched' } }],
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
      ...CARD_REMOVAL_ABORTS,
      ...STEP_EXITS,
      CANNOT_GIVE_FINGER: { target: 'staffAssist', actions: assign({ staffAssistWhy: 'taxpayerChoice' }) },
    },
  });
