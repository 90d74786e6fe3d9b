/** Result: the registry's answer and the card's fields, side by side; the taxpayer may link return data. */
import type { KioskSetup } from '../setup.ts';
import { CARD_REMOVAL_ENDS, STEP_EXITS } from './card-removal.ts';

export const resultStep = (kiosk: KioskSetup) =>
  kiosk.createStateConfig({
    tags: 'cardDone',
    entry: [{ type: 'setStep', params: 'result' }, 'stepEntered'],
    on: {
      ...CARD_REMOVAL_ENDS,
      ...STEP_EXITS,
      LINK_RETURN_DATA: {
        guard: ({ context }) => context.verdict?.kind === 'verified' || context.verdict?.kind === 'dataDiffers',
        target: 'returnData',
      },
      FINISH: { target: '#finished', actions: { type: 'finish', params: 'completed' } },
    },
  });
