/** Booting: the readiness check that runs at start, after every session and while out of service. */
import type { KioskSetup } from '../setup.ts';

export const bootingStep = (kiosk: KioskSetup) =>
  kiosk.createStateConfig({
    invoke: {
      id: 'checkReadiness',
      src: 'checkReadiness',
      onDone: [
        { guard: { type: 'readinessOk', params: ({ event }) => event.output }, target: 'welcome' },
        {
          target: 'outOfService',
          actions: { type: 'setOutOfService', params: ({ event }) => (event.output.ready ? 'uplinkDown' : event.output.reason) },
        },
      ],
      onError: { target: 'outOfService', actions: { type: 'setOutOfService', params: 'uplinkDown' } },
    },
  });
