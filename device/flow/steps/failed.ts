/**
 * Failed: the one ending of every failure (AusweisApp's single error funnel), with the typed
 * reason, the step that was running and the detail. Personal data is already gone.
 */
import type { KioskSetup } from '../setup.ts';

export const failedStep = (kiosk: KioskSetup) =>
  kiosk.createStateConfig({
    id: 'failed',
    entry: [
      {
        type: 'audit',
        params: ({ context }) => ({ code: 'sessionFailed' as const, state: context.failure?.state, outcome: context.failure?.reason }),
      },
      { type: 'setStep', params: 'failed' },
      'endSession',
    ],
    on: {
      CARD_REMOVED: { target: '#kiosk.booting', actions: 'cardLeft' },
      READER_REMOVED: { target: '#kiosk.booting', actions: 'cardLeft' },
    },
    after: { failureDisplay: { guard: 'cardLifted', target: '#kiosk.booting' } },
  });
