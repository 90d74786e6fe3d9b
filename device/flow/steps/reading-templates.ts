/** Reading templates: authenticate the card through the SAM and read only the fingerprint templates. */
import { assign } from 'xstate';
import { progressToSelf, type KioskSetup } from '../setup.ts';
import { CARD_REMOVAL_ABORTS, STEP_EXITS } from './card-removal.ts';

export const readingTemplatesStep = (kiosk: KioskSetup) =>
  kiosk.createStateConfig({
    tags: 'cardNeeded',
    entry: [{ type: 'setStep', params: 'readingTemplates' }, 'stepEntered'],
    invoke: {
      id: 'readTemplates',
      src: 'readTemplates',
      input: progressToSelf,
      onDone: {
        target: 'awaitingFinger',
        actions: [assign({ templates: ({ event }) => event.output.templates }), { type: 'audit', params: { code: 'templatesRead' } }],
      },
      onError: { target: '#failed', actions: 'failFromError' },
    },
    on: {
      ...CARD_REMOVAL_ABORTS,
      ...STEP_EXITS,
      READ_PROGRESS: { actions: { type: 'recordProgress', params: 'templates' } },
    },
  });
