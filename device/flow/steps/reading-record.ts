/** Reading record: after the finger matched, read biodata and photo and verify the issuer's signature. */
import { assign } from 'xstate';
import { progressToSelf, type KioskSetup } from '../setup.ts';
import { CARD_REMOVAL_ABORTS, STEP_EXITS } from './card-removal.ts';

export const readingRecordStep = (kiosk: KioskSetup) =>
  kiosk.createStateConfig({
    tags: 'cardNeeded',
    entry: [{ type: 'setStep', params: 'readingRecord' }, 'stepEntered', assign({ progress: { phase: 'record', ratio: 0 } })],
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
      ...CARD_REMOVAL_ABORTS,
      ...STEP_EXITS,
      READ_PROGRESS: { actions: { type: 'recordProgress', params: 'record' } },
    },
  });
