/**
 * Every state the taxpayer's screen can be in, as the views the daemon pushes: each screen, each
 * reason, outcome, error, finger feedback and attempt, with long (synthetic) values where a
 * value's length matters. Shared by the layout tests and the speech tests, so "every screen"
 * means the same list in both.
 */
import { OUT_OF_SERVICE_REASONS, SESSION_FAILURES, type SessionFailureReason } from '../../device/domain/failure.ts';
import { FIELD_LABELS, PERMITTED_FIELDS, type PermittedField } from '../../device/domain/record.ts';
import type { KioskView, ResultField, ResultOutcome } from '../../device/view/protocol.ts';

export type ViewBody = KioskView extends infer V ? (V extends KioskView ? Omit<V, 'seq' | 'idleWarning' | 'demo'> : never) : never;

export interface NamedView {
  name: string;
  view: ViewBody;
  idleWarning?: { secondsLeft: number };
  /** Taps after the view is shown (e.g. opening the staff PIN pad). */
  open?: string[];
}

/** A synthetic person with long values: the longest name and address the table must hold. */
const CARD: Record<PermittedField, string> = {
  nik: '3313115507920003',
  nomorKk: '3313110101090007',
  namaLengkap: 'RADEN AJENG SRI WAHYUNINGSIH KUSUMAWARDHANI',
  tempatLahir: 'KARANGANYAR',
  tanggalLahir: '15-07-1992',
  jenisKelamin: 'PEREMPUAN',
  jenisPekerjaan: 'PEGAWAI NEGERI SIPIL (PNS)',
  statusPerkawinan: 'CERAI MATI',
  alamat: 'PERUMAHAN GRIYA ASRI PERMAI BLOK C NO. 18 RT 006/RW 011, NGRINGO, JATEN, KARANGANYAR, JAWA TENGAH',
};

export const NINE_FIELDS: ResultField[] = PERMITTED_FIELDS.map((key) => ({
  key,
  label: FIELD_LABELS[key],
  card: CARD[key],
  registry: CARD[key],
  agrees: true,
}));

const withAddressMoved: ResultField[] = NINE_FIELDS.map((f) =>
  f.key === 'alamat'
    ? { ...f, registry: 'JL. MELATI PUTIH NO. 4 RT 001/RW 002, JATEN, JATEN, KARANGANYAR, JAWA TENGAH', agrees: false }
    : f,
);
/** Compared, but the registry sent nothing for the occupation: unknown, not "differs". */
const withOneUnknown: ResultField[] = withAddressMoved.map((f) =>
  f.key === 'jenisPekerjaan' ? { ...f, registry: null, agrees: null } : f,
);
const notCompared: ResultField[] = NINE_FIELDS.map((f) => ({ ...f, registry: null, agrees: null }));

export const PHOTO = `data:image/svg+xml;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="30" height="40"><rect width="30" height="40" fill="#888"/></svg>').toString('base64')}`;
const NO_PIN_LIMIT = { attemptsLeft: null, lockedUntil: null };
const staffMessage = { id: 'Pesan untuk petugas', en: 'Message for staff' };
const REFERENCE = '3F9A01BC';

function resultView(outcome: ResultOutcome): ViewBody {
  const compared = outcome === 'verified' || outcome === 'dataDiffers';
  return {
    screen: 'result',
    outcome,
    fields: outcome === 'verified' ? NINE_FIELDS : outcome === 'dataDiffers' ? withOneUnknown : notCompared,
    compared,
    canLinkReturnData: compared,
    reference: REFERENCE,
  };
}

/** Where the card is when each failure shows (lifted for the card's own failures, else still on the reader). */
const CARD_OFF = new Set<SessionFailureReason>(['cardRemoved', 'readerRemoved']);

export function allViews(): NamedView[] {
  const views: NamedView[] = [{ name: 'welcome', view: { screen: 'welcome' } }];
  for (const reason of OUT_OF_SERVICE_REASONS) views.push({ name: `outOfService-${reason}`, view: { screen: 'outOfService', reason } });
  // The longest reopening line: a weekday, not today or tomorrow.
  const wibToday = new Date(Date.now() + 7 * 3600_000);
  const opensIn3Days = new Date(Date.UTC(wibToday.getUTCFullYear(), wibToday.getUTCMonth(), wibToday.getUTCDate() + 3)).toISOString(); // 07:00 WIB
  views.push({
    name: 'outOfService-outsideAccessHours-reopens',
    view: { screen: 'outOfService', reason: 'outsideAccessHours', reopensAt: opensIn3Days },
  });
  views.push(
    { name: 'readingCard-templates', view: { screen: 'readingCard', phase: 'templates', progress: 0.4 } },
    { name: 'readingCard-record', view: { screen: 'readingCard', phase: 'record', progress: 0.8 } },
    { name: 'awaitingFinger', view: { screen: 'awaitingFinger', attempt: 1, maxAttempts: 4, fingerPosition: 7, feedback: null } },
    {
      name: 'awaitingFinger-unknownFinger',
      view: { screen: 'awaitingFinger', attempt: 1, maxAttempts: 4, fingerPosition: 0, feedback: null },
    },
    {
      name: 'awaitingFinger-noMatch',
      view: { screen: 'awaitingFinger', attempt: 2, maxAttempts: 4, fingerPosition: 3, feedback: 'noMatch' },
    },
    {
      name: 'awaitingFinger-pressLonger',
      view: { screen: 'awaitingFinger', attempt: 3, maxAttempts: 4, fingerPosition: 8, feedback: 'pressLonger' },
    },
    {
      name: 'awaitingFinger-cleanFinger',
      view: { screen: 'awaitingFinger', attempt: 4, maxAttempts: 4, fingerPosition: 10, feedback: 'cleanFinger' },
    },
    // The try asks for the card's other finger: the longest finger names ('jari tengah kanan', 'right middle finger').
    {
      name: 'awaitingFinger-otherFinger',
      view: { screen: 'awaitingFinger', attempt: 3, maxAttempts: 4, fingerPosition: 3, feedback: 'otherFinger' },
    },
    {
      name: 'awaitingFinger-placeCentered',
      view: { screen: 'awaitingFinger', attempt: 2, maxAttempts: 4, fingerPosition: 1, feedback: 'placeCentered' },
    },
  );
  for (const why of ['fingerNotMatched', 'taxpayerChoice'] as const) {
    views.push({
      name: `staffAssist-${why}`,
      view: { screen: 'staffAssist', step: 'callStaff', why, pinRejected: false, helpNeeded: true, staffPin: NO_PIN_LIMIT, photo: null },
    });
  }
  views.push(
    {
      name: 'staffAssist-pinPad',
      view: {
        screen: 'staffAssist',
        step: 'callStaff',
        why: 'fingerNotMatched',
        pinRejected: false,
        helpNeeded: true,
        staffPin: { attemptsLeft: 5, lockedUntil: null },
        photo: null,
      },
      open: ['staff-pad-open'],
    },
    {
      name: 'staffAssist-pinRejected',
      view: {
        screen: 'staffAssist',
        step: 'callStaff',
        why: 'fingerNotMatched',
        pinRejected: true,
        helpNeeded: true,
        staffPin: { attemptsLeft: 2, lockedUntil: null },
        photo: null,
      },
      open: ['staff-pad-open'],
    },
    {
      name: 'staffAssist-pinLocked',
      view: {
        screen: 'staffAssist',
        step: 'callStaff',
        why: 'fingerNotMatched',
        pinRejected: true,
        helpNeeded: true,
        staffPin: { attemptsLeft: 0, lockedUntil: Date.now() + 15 * 60_000 },
        photo: null,
      },
    },
    {
      name: 'staffAssist-readingRecord',
      view: {
        screen: 'staffAssist',
        step: 'readingRecord',
        why: 'taxpayerChoice',
        pinRejected: false,
        helpNeeded: false,
        staffPin: NO_PIN_LIMIT,
        photo: null,
      },
    },
    {
      name: 'staffAssist-compareFace',
      view: {
        screen: 'staffAssist',
        step: 'compareFace',
        why: 'fingerNotMatched',
        pinRejected: false,
        helpNeeded: false,
        staffPin: NO_PIN_LIMIT,
        photo: PHOTO,
      },
    },
    { name: 'validating', view: { screen: 'validating' } },
  );
  for (const outcome of ['verified', 'dataDiffers', 'notFound', 'deceased', 'inactive', 'duplicateRecords'] as const) {
    views.push({ name: `result-${outcome}`, view: resultView(outcome) });
  }
  views.push({ name: 'returnData', view: { screen: 'returnData', error: null, submissions: 0 } });
  views.push({ name: 'returnData-npwpd', view: { screen: 'returnData', error: null, submissions: 0 }, open: ['npwpd-input'] });
  views.push({
    name: 'returnData-letters',
    view: { screen: 'returnData', error: null, submissions: 0 },
    open: ['npwpd-input', 'key-mode'],
  });
  for (const error of ['nopFormat', 'npwpdFormat', 'nothingEntered'] as const) {
    views.push({ name: `returnData-${error}`, view: { screen: 'returnData', error, submissions: 1 } });
  }
  for (const why of ['completed', 'cancelled', 'returnDataSaved', 'cardTaken'] as const) {
    views.push({ name: `finished-${why}`, view: { screen: 'finished', why, reference: REFERENCE } });
  }
  for (const reason of Object.keys(SESSION_FAILURES) as SessionFailureReason[]) {
    views.push({
      name: `failed-${reason}`,
      view: {
        screen: 'failed',
        reason,
        state: 'readingRecord',
        retriable: SESSION_FAILURES[reason].retriable,
        cardInReader: !CARD_OFF.has(reason),
        detail: { kind: 'statusWord', value: '6A82' },
        staffMessage,
        reference: REFERENCE,
      },
    });
  }
  views.push({ name: 'idleWarning', view: resultView('dataDiffers'), idleWarning: { secondsLeft: 20 } });
  return views;
}
