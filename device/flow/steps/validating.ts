/** Validating: one quota hit, one question to the registry about the card's NIK, a per-field comparison. */
import { assign } from 'xstate';
import { RegistryRefusedError } from '../../domain/failure.ts';
import type { KioskSetup } from '../setup.ts';
import { CARD_REMOVAL_ABORTS, STEP_EXITS } from './card-removal.ts';

export const validatingStep = (kiosk: KioskSetup) =>
  kiosk.createStateConfig({
    id: 'validating',
    tags: 'cardNeeded',
    entry: [{ type: 'setStep', params: 'validating' }, 'stepEntered'],
    invoke: {
      id: 'validate',
      src: 'validate',
      input: ({ context }) => ({ person: context.record!.person }),
      onDone: {
        target: 'result',
        actions: [
          assign({ verdict: ({ event }) => event.output }),
          {
            type: 'audit',
            params: ({ event, context }) => ({ code: 'validated' as const, outcome: event.output.kind, nik: context.record?.person.nik }),
          },
        ],
      },
      onError: {
        target: '#failed',
        actions: [
          {
            type: 'audit',
            params: ({ event }) => ({
              code: 'validated' as const,
              outcome: event.error instanceof RegistryRefusedError ? event.error.refusal : 'error',
            }),
          },
          'stopServiceOnRefusal',
          'failFromError',
        ],
      },
    },
    on: { ...CARD_REMOVAL_ABORTS, ...STEP_EXITS },
  });
