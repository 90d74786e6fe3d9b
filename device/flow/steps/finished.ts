/** Finished: "take your card". Personal data is already gone; the session closes when the card leaves. */
import type { KioskSetup } from '../setup.ts';

export const finishedStep = (kiosk: KioskSetup) =>
  kiosk.createStateConfig({
    id: 'finished',
    entry: [{ type: 'setStep', params: 'finished' }, 'endSession'],
    on: {
      CARD_REMOVED: { target: '#kiosk.booting', actions: 'cardLeft' },
      READER_REMOVED: { target: '#kiosk.booting', actions: 'cardLeft' },
    },
    after: { failureDisplay: { guard: 'cardLifted', target: '#kiosk.booting' } },
  });
