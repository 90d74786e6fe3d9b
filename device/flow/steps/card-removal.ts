/**
 * What lifting the card does, declared per step (as AusweisApp's states declare whether card
 * removal aborts them), and the two ways out every session step shares.
 */

/** Reading, finger, staff and validating steps need the card: lifting it (or losing the reader) aborts them. */
export const CARD_REMOVAL_ABORTS = {
  CARD_REMOVED: { target: '#failed', actions: ['cardLeft', { type: 'fail', params: 'cardRemoved' }] },
  READER_REMOVED: { target: '#failed', actions: ['cardLeft', { type: 'fail', params: 'readerRemoved' }] },
} as const;

/**
 * On the result and return-data steps the card has done its work: taking it ends the session
 * normally (a half-typed entry is dropped, nothing is stored).
 */
export const CARD_REMOVAL_ENDS = {
  CARD_REMOVED: { target: '#finished', actions: ['cardLeft', { type: 'finish', params: 'cardTaken' }] },
  READER_REMOVED: { target: '#finished', actions: ['cardLeft', { type: 'finish', params: 'completed' }] },
} as const;

/** From any step before the end: the taxpayer may cancel; silence past the warning times out. */
export const STEP_EXITS = {
  CANCEL: { target: '#finished', actions: { type: 'finish', params: 'cancelled' } },
  IDLE_EXPIRED: { target: '#failed', actions: { type: 'fail', params: 'sessionTimeout' } },
} as const;
