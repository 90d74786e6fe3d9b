/**
 * Spoken prompts: what the kiosk says on each screen, taken from the UI's own strings, and the
 * file each is kept in. The files form a prompt pack (`prompts/` beside the UI bundle) generated
 * at build time with espeak-ng; a technician may replace any file with a recorded voice of the
 * same name. Pure: the build (build-prompts.mjs) and the page share it.
 */
import type { KioskView } from '../device/view/protocol.ts';
import { CATALOGUE, fingerName, LOCALES, type Locale, type Messages } from './i18n.ts';

export interface Prompt {
  /** File name stem: the pack holds `<key>.<locale>.opus`. */
  key: string;
  text: Record<Locale, string>;
}

/** Short sounds, language-free: the idle warning, a card taken at the end, an error. */
export const SOUNDS = {
  timeoutWarning: 'sound-timeout-warning.wav',
  cardTaken: 'sound-card-taken.wav',
  error: 'sound-error.wav',
} as const;
export type Sound = keyof typeof SOUNDS;

export function promptFile(key: string, locale: Locale): string {
  return `${key}.${locale}.opus`;
}

type Texts = (m: Messages) => string;
const join = (...parts: string[]) => parts.join(' ');

function promptTexts(): Map<string, Texts> {
  const id = CATALOGUE.id;
  const p = new Map<string, Texts>();
  p.set('welcome', (m) => join(m.welcome.title, m.welcome.instruction));
  p.set('starting', (m) => join(m.outOfService.startingTitle, m.outOfService.reason.starting));
  for (const reason of Object.keys(id.outOfService.reason) as (keyof Messages['outOfService']['reason'])[]) {
    if (reason !== 'starting') p.set(`out-of-service-${reason}`, (m) => join(m.outOfService.title, m.outOfService.reason[reason], m.outOfService.goToCounter));
  }
  p.set('reading-card-templates', (m) => join(m.readingCard.title.templates, m.readingCard.keepCard));
  p.set('reading-card-record', (m) => join(m.readingCard.title.record, m.readingCard.keepCard));
  for (let finger = 0; finger <= 10; finger++) p.set(`finger-${finger}`, (m) => m.finger.title(fingerName(m, finger)));
  for (const why of Object.keys(id.staff.why) as (keyof Messages['staff']['why'])[]) {
    p.set(`staff-call-${why}`, (m) => join(m.staff.callTitle, m.staff.why[why]));
  }
  p.set('staff-reading-record', (m) => m.staff.readingRecord);
  p.set('staff-compare-face', (m) => join(m.staff.compareTitle, m.staff.compareInstruction));
  p.set('validating', (m) => join(m.validating.title, m.validating.detail));
  for (const outcome of Object.keys(id.result.outcome) as (keyof Messages['result']['outcome'])[]) {
    p.set(`result-${outcome}`, (m) => join(m.result.outcome[outcome].title, m.result.outcome[outcome].action));
  }
  p.set('return-data', (m) => join(m.returnData.title, m.returnData.keptFor));
  for (const why of Object.keys(id.finished.why) as (keyof Messages['finished']['why'])[]) {
    p.set(`finished-${why}`, (m) => join(m.finished.title[why], m.finished.why[why]));
  }
  for (const reason of Object.keys(id.failed.reason) as (keyof Messages['failed']['reason'])[]) {
    p.set(`failed-${reason}-retry`, (m) => join(m.failed.reason[reason].title, m.failed.reason[reason].action, `${m.tryAgain}: ${m.failed.retryHow}`));
    p.set(`failed-${reason}`, (m) => join(m.failed.reason[reason].title, m.failed.reason[reason].action, m.finished.title.completed));
  }
  p.set('idle-warning', (m) => join(m.idle.title, m.idle.continue));
  return p;
}

/** Every prompt in every language: what the build speaks and what the pack must hold. */
export function promptCatalogue(): Prompt[] {
  return [...promptTexts()].map(([key, texts]) => ({
    key,
    text: Object.fromEntries(LOCALES.map((l) => [l, texts(CATALOGUE[l])])) as Record<Locale, string>,
  }));
}

/** The prompt for what a view shows. */
export function promptKeyFor(view: KioskView): string {
  switch (view.screen) {
    case 'welcome':
      return 'welcome';
    case 'outOfService':
      return view.reason === 'starting' ? 'starting' : `out-of-service-${view.reason}`;
    case 'readingCard':
      return `reading-card-${view.phase}`;
    case 'awaitingFinger':
      return `finger-${view.fingerPosition >= 1 && view.fingerPosition <= 10 ? view.fingerPosition : 0}`;
    case 'staffAssist':
      return view.step === 'callStaff' ? `staff-call-${view.why}` : view.step === 'readingRecord' ? 'staff-reading-record' : 'staff-compare-face';
    case 'validating':
      return 'validating';
    case 'result':
      return `result-${view.outcome}`;
    case 'returnData':
      return 'return-data';
    case 'finished':
      return `finished-${view.why}`;
    case 'failed':
      return view.retriable ? `failed-${view.reason}-retry` : `failed-${view.reason}`;
  }
}
