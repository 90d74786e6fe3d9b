import t from 'tap';
import { OUT_OF_SERVICE_REASONS, SESSION_FAILURES, type SessionFailureReason } from '../../device/domain/failure.ts';
import { CATALOGUE, LOCALES, fingerName, messages, type Messages } from '../../ui/i18n.ts';

const failureReasons = Object.keys(SESSION_FAILURES) as SessionFailureReason[];

/** Every leaf string of a catalogue, with its path, functions called with sample arguments. */
function leaves(value: unknown, path = ''): [string, string][] {
  if (typeof value === 'string') return [[path, value]];
  if (typeof value === 'function') return [[path, String((value as (...a: unknown[]) => unknown)(3, 4))]];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => leaves(v, path ? `${path}.${k}` : k));
}

t.test('both languages have a non-empty text for every key, and they differ where words are involved', async (t) => {
  const id = new Map(leaves(CATALOGUE.id));
  const en = new Map(leaves(CATALOGUE.en));
  t.same([...id.keys()].sort(), [...en.keys()].sort(), 'same keys in both languages');
  for (const [key, text] of id) t.ok(text.trim().length > 0, `id ${key} is not empty`);
  for (const [key, text] of en) t.ok(text.trim().length > 0, `en ${key} is not empty`);
  const translated = [...id.keys()].filter((k) => id.get(k) !== en.get(k));
  t.ok(translated.length > leaves(CATALOGUE.id).length * 0.8, 'most texts are actually translated');
});

t.test('every session failure reason has a calm, actionable message in both languages', async (t) => {
  for (const locale of LOCALES) {
    const m = messages(locale);
    for (const reason of failureReasons) {
      const advice = m.failed.reason[reason];
      t.ok(advice, `${locale} ${reason}`);
      t.ok(advice.title.length > 3 && advice.action.length > 20, `${locale} ${reason} says what happened and what to do`);
      t.notMatch(
        advice.title + advice.action,
        /error|exception|[A-Z]{2,}_|undefined|null/i,
        `${locale} ${reason} has no technical wording`,
      );
    }
  }
});

t.test('only retriable failures suggest trying again', async (t) => {
  const tryAgain: Record<string, RegExp> = { id: /coba lagi|ulangi/i, en: /try again|again/i };
  for (const locale of LOCALES) {
    for (const reason of failureReasons) {
      const text = messages(locale).failed.reason[reason].action;
      if (!SESSION_FAILURES[reason].retriable) t.notMatch(text, tryAgain[locale]!, `${locale} ${reason} (fatal) does not invite a retry`);
    }
  }
});

t.test('every out-of-service reason has a message in both languages', async (t) => {
  for (const locale of LOCALES) {
    for (const reason of OUT_OF_SERVICE_REASONS) {
      t.ok((messages(locale).outOfService.reason[reason] ?? '').length > 10, `${locale} ${reason}`);
    }
  }
});

t.test('the screen never names the kiosk secrets or internals in an out-of-service message', async (t) => {
  for (const locale of LOCALES) {
    for (const reason of OUT_OF_SERVICE_REASONS) {
      t.notMatch(messages(locale).outOfService.reason[reason], /password|user id|pcid|\bIP\b|sandi|konfigurasi/i, `${locale} ${reason}`);
    }
  }
});

t.test('finger positions 1-10 name distinct fingers of the right hand (1-5) and the left hand (6-10)', async (t) => {
  const m: Messages = messages('en');
  const names = Array.from({ length: 10 }, (_, i) => fingerName(m, i + 1));
  t.equal(new Set(names).size, 10);
  t.match(names[0], /right thumb/);
  t.match(names[4], /right little/);
  t.match(names[5], /left thumb/);
  t.match(names[9], /left little/);
  t.equal(fingerName(messages('id'), 2), 'telunjuk kanan');
  t.equal(fingerName(m, 0), 'finger', 'an unknown position still reads as a sentence');
  t.equal(fingerName(m, 11), 'finger');
});

t.test('parameterised texts carry their numbers', async (t) => {
  t.equal(messages('id').finger.attempt(2, 4), 'Percobaan 2 dari 4');
  t.equal(messages('en').finger.attempt(2, 4), 'Attempt 2 of 4');
  t.match(messages('id').idle.countdown(17), /17 detik/);
});

t.test('taxpayer messages in plain language: no code, no jargon, no blame, one thing to do', async (t) => {
  const staffOnly =
    /^(demo|staff\.(padTitle|pinLabel|pinRejected|attemptsLeft|lockedUntil|unlock|clear|backspace|compareTitle|compareInstruction|photoAlt|faceMatches|faceDiffers)|outOfService\.tamperClear)/;
  for (const locale of LOCALES) {
    for (const [key, text] of leaves(CATALOGUE[locale])) {
      if (staffOnly.test(key)) continue;
      t.notMatch(text, /[a-z][A-Z]|\b(?=[0-9A-F]*[A-F])(?=[0-9A-F]*[0-9])[0-9A-F]{4}\b/, `${locale} ${key}: no code ("${text}")`);
      t.notMatch(
        text,
        /\berror\b|\bnull\b|undefined|tersegel|data balikan|tautkan|signature|tanda tangan/i,
        `${locale} ${key}: no jargon ("${text}")`,
      );
      t.notMatch(
        text,
        /palsu|\bfake\b|kesalahan Anda|your fault|tidak sah|not valid|invalid|ditolak Dukcapil|refused by|meninggal|deceased/i,
        `${locale} ${key}: no accusation ("${text}")`,
      );
    }
    for (const reason of failureReasons) {
      const { action } = messages(locale).failed.reason[reason];
      t.ok(action.split(/[.!?](\s|$)/).filter((s) => s.trim().length > 1).length <= 2, `${locale} ${reason}: a short advice ("${action}")`);
    }
  }
});
