/** Welcome: the kiosk is ready and waits for a KTP-el. */
import type { KioskSetup } from '../setup.ts';

export const welcomeStep = (kiosk: KioskSetup) =>
  kiosk.createStateConfig({
    entry: ['auditBackInService', { type: 'clearOutOfService' }],
    // A card put in while the kiosk could not take it (a failure on screen, out of service) is
    // read once the kiosk is ready, without the taxpayer pulling it out and trying again.
    always: { guard: 'cardInReader', target: 'session' },
    on: {
      CARD_INSERTED: { target: 'session', actions: 'cardArrived' },
      READINESS_CHANGED: 'booting',
      READER_REMOVED: { target: 'booting', actions: 'cardLeft' },
    },
  });
