/** Return data (data balikan): the taxpayer links a NOP PBB-P2 and/or NPWPD, queued sealed for Disdukcapil. */
import { assign } from 'xstate';
import { parseNop, parseNpwpd, ReturnDataFormatError } from '../../domain/nop.ts';
import type { FlowDeps, ReturnDataError } from '../context.ts';
import type { KioskSetup } from '../setup.ts';
import { CARD_REMOVAL_ENDS, STEP_EXITS } from './card-removal.ts';

export const returnDataStep = (kiosk: KioskSetup, deps: FlowDeps) => {
  const { npwpdPattern } = deps.settings;
  return kiosk.createStateConfig({
    tags: 'cardDone',
    entry: [{ type: 'setStep', params: 'returnData' }, 'stepEntered', assign({ returnDataError: null, returnDataSubmissions: 0 })],
    on: {
      ...CARD_REMOVAL_ENDS,
      ...STEP_EXITS,
      SUBMIT_RETURN_DATA: [
        {
          guard: ({ event }) => !event.nop?.trim() && !event.npwpd?.trim(),
          actions: assign({ returnDataError: 'nothingEntered', returnDataSubmissions: ({ context }) => context.returnDataSubmissions + 1 }),
        },
        {
          target: '#finished',
          guard: ({ event }) => returnDataErrorOf(event, npwpdPattern) === null,
          actions: [
            ({ context, event }) =>
              deps.returnData.enqueue(
                {
                  nik: context.record!.person.nik,
                  nop: event.nop?.trim() ? parseNop(event.nop) : null,
                  npwpd: event.npwpd?.trim() ? parseNpwpd(event.npwpd, npwpdPattern) : null,
                },
                context.sessionId!,
              ),
            { type: 'audit', params: { code: 'returnDataQueued' } },
            { type: 'finish', params: 'returnDataSaved' },
          ],
        },
        {
          actions: assign({
            returnDataError: ({ event }) => returnDataErrorOf(event, npwpdPattern),
            returnDataSubmissions: ({ context }) => context.returnDataSubmissions + 1,
          }),
        },
      ],
      SKIP_RETURN_DATA: { target: '#finished', actions: { type: 'finish', params: 'completed' } },
    },
  });
};

function returnDataErrorOf(event: { nop?: string; npwpd?: string }, npwpdPattern: RegExp): ReturnDataError | null {
  try {
    if (event.nop?.trim()) parseNop(event.nop);
    if (event.npwpd?.trim()) parseNpwpd(event.npwpd, npwpdPattern);
    return null;
  } catch (e) {
    if (e instanceof ReturnDataFormatError) return e.field === 'nop' ? 'nopFormat' : 'npwpdFormat';
    throw e;
  }
}
