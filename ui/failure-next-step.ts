/**
 * The way on after a failure, by whether trying again can help and where the card is now: a
 * card still on the reader is lifted and placed back to retry, or taken; a card already off is
 * placed back, or nothing more is asked. Shared by the failure screen and its spoken prompt.
 */
export type FailureNextStep = 'retry-card-in' | 'retry-card-out' | 'take-card';

export function failureNextStepKey(view: { retriable: boolean; cardInReader: boolean }): FailureNextStep | null {
  if (view.retriable) return view.cardInReader ? 'retry-card-in' : 'retry-card-out';
  return view.cardInReader ? 'take-card' : null;
}
