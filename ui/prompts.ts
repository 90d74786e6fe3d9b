/**
 * Spoken prompts: what the kiosk says on each screen and after each feedback, taken from the
 * UI's own strings, and the file each is kept in. The files form a prompt pack (`prompts/`
 * beside the UI bundle) generated at build time with espeak-ng; a technician may replace any
 * file with a recorded voice of the same name (docs/speech.md). A prompt has parts (a title, an
 * instruction) spoken with a short pause between them. Pure: the build (build-prompts.mjs) and
 * the page share it.
 */
import type { KioskView } from '../device/view/protocol.ts';
import { failureNextStepKey } from './failure-next-step.ts';
import { CATALOGUE, fingerName, LOCALES, type Locale, type Messages } from './i18n.ts';

export interface Prompt {
  /** File name stem: the pack holds `<key>.<locale>.opus`. */
  key: string;
  /** What is said, part by part; a pause of PART_PAUSE_MS separates the parts. */
  parts: Record<Locale, string[]>;
}

/** The pause between a prompt's parts (title, then instruction), in the pack and in a recording. */
export const PART_PAUSE_MS = 600;

/** Short sounds, language-free: the idle warning, a card taken at the end, an error. */
export const SOUNDS = {
  timeoutWarning: 'sound-timeout-warning.wav',
  cardTaken: 'sound-card-taken.wav',
  error: 'sound-error.wav',
} as const;
export type Sound = keyof typeof SOUNDS;

/** The finger attempts the pack speaks ("attempt n of m"), for any limit up to this. */
export const MAX_SPOKEN_ATTEMPTS = 6;

export function promptFile(key: string, locale: Locale): string {
  return `${key}.${locale}.opus`;
}

type Parts = (m: Messages) => string[];
type Keys<T> = (keyof T & string)[];
const keysOf = <T extends object>(o: T) => Object.keys(o) as Keys<T>;

function promptParts(): Map<string, Parts> {
  const id = CATALOGUE.id;
  const p = new Map<string, Parts>();
  p.set('welcome', (m) => [m.welcome.title, m.welcome.instruction]);
  p.set('starting', (m) => [m.outOfService.startingTitle, m.outOfService.reason.starting]);
  for (const reason of keysOf(id.outOfService.reason)) {
    if (reason === 'starting') continue;
    p.set(`out-of-service-${reason}`, (m) =>
      reason === 'tamper'
        ? [m.outOfService.title, m.outOfService.reason.tamper]
        : [m.outOfService.title, m.outOfService.reason[reason], m.outOfService.goToCounter],
    );
  }
  p.set('reading-card-templates', (m) => [m.readingCard.title.templates, m.readingCard.keepCard]);
  p.set('reading-card-record', (m) => [m.readingCard.title.record, m.readingCard.keepCard]);
  for (let finger = 0; finger <= 10; finger++) p.set(`finger-${finger}`, (m) => [m.finger.title(fingerName(m, finger))]);
  for (const feedback of keysOf(id.finger.feedback)) p.set(`finger-feedback-${feedback}`, (m) => [m.finger.feedback[feedback]]);
  for (let finger = 0; finger <= 10; finger++) p.set(`finger-other-${finger}`, (m) => [m.finger.otherFinger(fingerName(m, finger))]);
  for (let of = 1; of <= MAX_SPOKEN_ATTEMPTS; of++) {
    for (let n = 1; n <= of; n++) p.set(`finger-attempt-${n}-of-${of}`, (m) => [m.finger.attempt(n, of)]);
  }
  for (const why of keysOf(id.staff.why)) p.set(`staff-call-${why}`, (m) => [m.staff.callTitle, m.staff.why[why], m.staff.helpNeeded]);
  p.set('staff-pin-rejected', (m) => [m.staff.pinRejected]);
  p.set('staff-reading-record', (m) => [m.staff.readingRecord]);
  p.set('staff-compare-face', (m) => [m.staff.compareTitle, m.staff.compareInstruction]);
  p.set('validating', (m) => [m.validating.title, m.validating.detail]);
  for (const outcome of keysOf(id.result.outcome))
    p.set(`result-${outcome}`, (m) => [m.result.outcome[outcome].title, m.result.outcome[outcome].action]);
  p.set('return-data', (m) => [m.returnData.title, m.returnData.intro]);
  for (const error of keysOf(id.returnData.error)) p.set(`return-data-error-${error}`, (m) => [m.returnData.error[error]]);
  for (const why of keysOf(id.finished.why)) p.set(`finished-${why}`, (m) => [m.finished.title[why], m.finished.why[why]]);
  for (const reason of keysOf(id.failed.reason))
    p.set(`failed-${reason}`, (m) => [m.failed.reason[reason].title, m.failed.reason[reason].action]);
  p.set('failed-next-retry-card-in', (m) => [m.failed.retryCardIn]);
  p.set('failed-next-retry-card-out', (m) => [m.failed.retryCardOut]);
  p.set('failed-next-take-card', (m) => [m.failed.takeCard]);
  p.set('idle-warning', (m) => [m.idle.title, m.idle.touchToContinue]);
  return p;
}

/** Every prompt in every language: what the build speaks and what the pack must hold. */
export function promptCatalogue(): Prompt[] {
  return [...promptParts()].map(([key, parts]) => ({
    key,
    parts: Object.fromEntries(LOCALES.map((l) => [l, parts(CATALOGUE[l])])) as Record<Locale, string[]>,
  }));
}

/**
 * What a view says, in order: a screen's prompt, or on a repeated step the feedback that
 * brought it back (a finger attempt, a refused PIN, a refused number) and then where it stands.
 */
export function promptKeysFor(view: KioskView): string[] {
  switch (view.screen) {
    case 'welcome':
      return ['welcome'];
    case 'outOfService':
      return [view.reason === 'starting' ? 'starting' : `out-of-service-${view.reason}`];
    case 'readingCard':
      return [`reading-card-${view.phase}`];
    case 'awaitingFinger': {
      const position = view.fingerPosition >= 1 && view.fingerPosition <= 10 ? view.fingerPosition : 0;
      const finger = `finger-${position}`;
      if (view.attempt <= 1 && view.feedback === null) return [finger];
      const attempt =
        view.maxAttempts <= MAX_SPOKEN_ATTEMPTS && view.attempt <= view.maxAttempts
          ? [`finger-attempt-${view.attempt}-of-${view.maxAttempts}`]
          : [];
      // A change of finger names the finger now asked for.
      const feedback =
        view.feedback === 'otherFinger' ? `finger-other-${position}` : view.feedback ? `finger-feedback-${view.feedback}` : finger;
      return [feedback, ...attempt];
    }
    case 'staffAssist':
      if (view.step === 'callStaff') return view.pinRejected ? ['staff-pin-rejected'] : [`staff-call-${view.why}`];
      return [view.step === 'readingRecord' ? 'staff-reading-record' : 'staff-compare-face'];
    case 'validating':
      return ['validating'];
    case 'result':
      return [`result-${view.outcome}`];
    case 'returnData':
      return [view.error ? `return-data-error-${view.error}` : 'return-data'];
    case 'finished':
      return [`finished-${view.why}`];
    case 'failed': {
      const next = failureNextStepKey(view);
      return [`failed-${view.reason}`, ...(next ? [`failed-next-${next}`] : [])];
    }
  }
}

/**
 * What a view says and what makes it news: a view that repeats the last one (a progress step,
 * a countdown) is not said again, but a repeated refusal (the same wrong number submitted again,
 * another wrong staff PIN) is.
 */
export function utterance(view: KioskView): { keys: string[]; id: string } {
  const keys = promptKeysFor(view);
  const news =
    view.screen === 'returnData' ? view.submissions : view.screen === 'staffAssist' && view.pinRejected ? view.staffPin.attemptsLeft : '';
  return { keys, id: `${keys.join(' ')}#${news}` };
}

/** The sound that marks a change of view, if any: the idle warning, an error, a card taken. */
export function soundFor(previous: KioskView | null, view: KioskView): Sound | null {
  if (view.idleWarning && !previous?.idleWarning) return 'timeoutWarning';
  if (view.screen === 'failed' && previous?.screen !== 'failed') return 'error';
  if (view.screen === 'finished' && view.why === 'cardTaken' && !(previous?.screen === 'finished' && previous.why === 'cardTaken'))
    return 'cardTaken';
  return null;
}
