/**
 * Which of the card's fingers a try asks for. A KTP-el carries two fingers. A holder whose
 * enrolment of the first is poor would fail every try on it, so the first half of the tries asks
 * for the first template's finger and the rest for the card's other finger. A touch is compared
 * only with the asked finger's template(s): the threshold is calibrated for 0.1 % false matches
 * per comparison, so an impostor gets one comparison per try (at most maxAttempts per session),
 * not one per template on the card.
 */
import type { FingerTemplate } from '../domain/finger-template.ts';

export interface AskedFinger {
  /** ISO/IEC 19794-2 finger position (0 when the card does not say). */
  fingerPosition: number;
  /** 1: the card's first finger; 2: its other finger. */
  cardFinger: 1 | 2;
  /** The card's templates of that finger (views of one finger): the only ones a touch is compared with. */
  templates: FingerTemplate[];
}

/**
 * The finger asked for on try `attempt` (1-based) of `maxAttempts`: the first template's finger
 * for the first half of the tries (rounded up), then the first template of a different finger
 * position, if the card has one; else the first finger throughout.
 */
export function askedFinger(templates: readonly FingerTemplate[], attempt: number, maxAttempts: number): AskedFinger {
  const first = templates[0];
  if (!first) return { fingerPosition: 0, cardFinger: 1, templates: [] };
  const other = templates.find((t) => t.fingerPosition !== first.fingerPosition);
  const asksOther = other !== undefined && attempt > Math.ceil(maxAttempts / 2);
  const fingerPosition = asksOther ? other.fingerPosition : first.fingerPosition;
  return { fingerPosition, cardFinger: asksOther ? 2 : 1, templates: templates.filter((t) => t.fingerPosition === fingerPosition) };
}
