/**
 * Parser for Dukcapil answers. Deployments differ in key casing, send NIK/NO_KK as JSON numbers,
 * dates as `YYYY-MM-DD` or `DD-MM-YYYY`, errors as a `RESPON` text in any casing or as a
 * `RESPONSE_CODE` 01-17 (the envelope is read by ./answer-envelope.ts, shared with data balikan). Everything maps to one typed answer. Only the nine permitted elements
 * (Pasal 3 (1) a) survive this module; every other key is dropped here, unread.
 */
import type { Alamat, PermittedField } from '../domain/record.ts';
import type { RegistryOutcome } from '../domain/registry.ts';
import { normalizeDate } from './normalize.ts';
import { answerEntries, responseCode, responText, type AnswerEntry } from './answer-envelope.ts';

/** The registry's view of one person: permitted elements only, null where the answer lacks one. */
export interface RegistryRecord {
  nomorKk: string | null;
  nik: string | null;
  namaLengkap: string | null;
  jenisKelamin: string | null;
  tempatLahir: string | null;
  /** ISO `YYYY-MM-DD` when the registry's date parses, else the registry's text. */
  tanggalLahir: string | null;
  jenisPekerjaan: string | null;
  statusPerkawinan: string | null;
  alamat: Alamat | null;
}

/** CALL_VERIFY_BY_ELEMEN answers per element: "Sesuai (100)", "Tidak Sesuai (59)", "Sesuai". */
export interface ElementVerdict {
  agrees: boolean;
  score: number | null;
}

type NonPersonOutcome = Exclude<RegistryOutcome, { kind: 'verified' } | { kind: 'dataDiffers' }>;

/** Why an answer was a service error; logged as a code, never with the body. */
export type ServiceProblem =
  | 'httpStatus'
  | 'redirect'
  | 'malformed'
  | 'emptyContent'
  | 'unknownCode'
  | 'unknownRespon'
  | 'incompleteParameters'
  | 'nikNotProcessable'
  /** A CALL_VERIFY_BY_ELEMEN answer that leaves an element we sent unjudged. */
  | 'incompleteAnswer';

export type RegistryAnswer =
  | { kind: 'record'; record: RegistryRecord }
  | { kind: 'elements'; elements: Partial<Record<PermittedField, ElementVerdict>> }
  | { kind: 'outcome'; outcome: NonPersonOutcome; problem?: ServiceProblem };

const serviceError = (problem: ServiceProblem): RegistryAnswer => ({
  kind: 'outcome',
  outcome: { kind: 'serviceError' },
  problem,
});

const outcome = (kind: NonPersonOutcome['kind'], problem?: ServiceProblem): RegistryAnswer =>
  problem
    ? { kind: 'outcome', outcome: { kind } as NonPersonOutcome, problem }
    : { kind: 'outcome', outcome: { kind } as NonPersonOutcome };

/** RESPONSE_CODE as documented for the service; 01 is "found", handled by the caller. */
const RESPONSE_CODES: Record<string, () => RegistryAnswer> = {
  '03': () => outcome('loginFailed'),
  '04': () => outcome('ipRefused'),
  '05': () => outcome('quotaReached'),
  '06': () => outcome('outsideHours'),
  '07': () => serviceError('incompleteParameters'),
  '08': () => serviceError('nikNotProcessable'),
  // Empty credentials: from our side it is the same fix as a failed login.
  '09': () => outcome('loginFailed'),
  '10': () => outcome('ipRefused'),
  '11': () => outcome('deceased'),
  '12': () => outcome('duplicateRecords'),
  '13': () => outcome('notFound'),
  '14': () => outcome('inactive'),
  '15': () => outcome('notFound'),
  '16': () => outcome('institutionInactive'),
  '17': () => outcome('userInactive'),
};

/** RESPON texts, matched case-insensitively; the order matters ("USER ID TIDAK AKTIF" is not "inactive"). */
const RESPON_RULES: Array<[RegExp, () => RegistryAnswer]> = [
  [/\bINSTANSI\b.*\b(TIDAK|NON) ?AKTIF\b/, () => outcome('institutionInactive')],
  [/\bUSER\b.*\b(TIDAK|NON) ?AKTIF\b/, () => outcome('userInactive')],
  [/\bKUOTA\b|\bQUOTA\b/, () => outcome('quotaReached')],
  [/\bIP\b/, () => outcome('ipRefused')],
  [/\bJAM\b/, () => outcome('outsideHours')],
  [/\bLOGIN\b|\bPASSWORD\b|\bUSER\b/, () => outcome('loginFailed')],
  [/\bMENINGGAL\b|\bWAFAT\b/, () => outcome('deceased')],
  [/\bGANDA\b|\bDUPLIKAT\b/, () => outcome('duplicateRecords')],
  [/\b(TIDAK|NON) ?AKTIF\b/, () => outcome('inactive')],
  [/\bTIDAK DITEMUKAN\b|\bNOT FOUND\b/, () => outcome('notFound')],
];

export function parseRegistryResponse(statusCode: number, body: string, verifyThreshold: number): RegistryAnswer {
  if (statusCode >= 300 && statusCode < 400) return serviceError('redirect');
  if (statusCode >= 500 || statusCode < 200) return serviceError('httpStatus');
  const entries = answerEntries(body);
  if (entries === null) return statusCode >= 400 ? serviceError('httpStatus') : serviceError('malformed');
  if (entries.length === 0) return serviceError('emptyContent');
  const answer = interpretEntries(entries, verifyThreshold);
  if (statusCode >= 400 && answer.kind !== 'outcome') return serviceError('httpStatus');
  return answer;
}

function interpretEntries(entries: AnswerEntry[], verifyThreshold: number): RegistryAnswer {
  const first = entries[0]!;
  const code = responseCode(first.get('RESPONSE_CODE'));
  const respon = first.get('RESPON');
  if (code !== null && code !== '01') {
    const byCode = RESPONSE_CODES[code];
    if (byCode) return byCode();
    return typeof respon === 'string' ? byResponText(respon) : serviceError('unknownCode');
  }
  const verdicts = elementVerdicts(first, verifyThreshold);
  if (verdicts) {
    // Every element we sent must be judged: a deployment that ignores the element names and
    // answers for the NIK alone would otherwise pass every card.
    return verdicts.complete ? { kind: 'elements', elements: verdicts.elements } : serviceError('incompleteAnswer');
  }
  const records = entries.filter((e) => e.has('NIK'));
  if (records.length > 1) return outcome('duplicateRecords');
  if (records.length === 1) return { kind: 'record', record: toRecord(records[0]!) };
  if (typeof respon === 'string') return byResponText(respon);
  return serviceError('malformed');
}

function byResponText(respon: string): RegistryAnswer {
  const text = responText(respon)!;
  for (const [pattern, answer] of RESPON_RULES) if (pattern.test(text)) return answer();
  return serviceError('unknownRespon');
}

function text(v: unknown): string | null {
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  return null;
}

function toRecord(e: AnswerEntry): RegistryRecord {
  const t = (key: string) => text(e.get(key));
  const rawDate = t('TGL_LHR');
  const jalan = t('ALAMAT');
  const parts = [t('NO_RT'), t('NO_RW'), t('KEL_NAME'), t('KEC_NAME'), t('KAB_NAME'), t('PROP_NAME')];
  const hasAddress = jalan !== null || parts.some((p) => p !== null);
  return {
    nomorKk: t('NO_KK'),
    nik: t('NIK'),
    namaLengkap: t('NAMA_LGKP'),
    jenisKelamin: t('JENIS_KLMIN'),
    tempatLahir: t('TMPT_LHR'),
    tanggalLahir: rawDate === null ? null : (normalizeDate(rawDate) ?? rawDate),
    jenisPekerjaan: t('JENIS_PKRJN'),
    statusPerkawinan: t('STATUS_KAWIN'),
    alamat: hasAddress
      ? {
          jalan: jalan ?? '',
          rt: parts[0] ?? '',
          rw: parts[1] ?? '',
          kelurahan: parts[2] ?? '',
          kecamatan: parts[3] ?? '',
          kabupaten: parts[4] ?? '',
          provinsi: parts[5] ?? '',
        }
      : null,
  };
}

const ELEMENT_KEYS: Array<[string, PermittedField]> = [
  ['NO_KK', 'nomorKk'],
  ['NIK', 'nik'],
  ['NAMA_LGKP', 'namaLengkap'],
  ['JENIS_KLMIN', 'jenisKelamin'],
  ['TMPT_LHR', 'tempatLahir'],
  ['TGL_LHR', 'tanggalLahir'],
  ['JENIS_PKRJN', 'jenisPekerjaan'],
  ['STATUS_KAWIN', 'statusPerkawinan'],
];
const ADDRESS_ELEMENT_KEYS = ['ALAMAT', 'NO_RT', 'NO_RW', 'KEL_NAME', 'KEC_NAME', 'KAB_NAME', 'PROP_NAME'];

const SESUAI = /^(TIDAK\s+)?SESUAI\s*(?:\(\s*([0-9]{1,3}(?:[.,][0-9]+)?)\s*\))?$/;

function elementVerdict(v: unknown, threshold: number): ElementVerdict | null {
  if (typeof v !== 'string') return null;
  const m = SESUAI.exec(v.trim().toUpperCase());
  if (!m) return null;
  const score = m[2] === undefined ? null : Number(m[2].replace(',', '.'));
  // The service applies TRESHOLD itself; applying it again guards a deployment that ignores it.
  return { agrees: m[1] === undefined && (score === null || score >= threshold), score };
}

/**
 * Per-element verdicts when the entry is a CALL_VERIFY_BY_ELEMEN answer, otherwise null;
 * `complete` when every element the request sends (request.ts) was judged.
 */
function elementVerdicts(
  e: AnswerEntry,
  threshold: number,
): { complete: boolean; elements: Partial<Record<PermittedField, ElementVerdict>> } | null {
  const out: Partial<Record<PermittedField, ElementVerdict>> = {};
  let any = false;
  let complete = true;
  for (const [key, field] of ELEMENT_KEYS) {
    const v = elementVerdict(e.get(key), threshold);
    if (v) {
      out[field] = v;
      any = true;
    } else complete = false;
  }
  const addressVerdicts = ADDRESS_ELEMENT_KEYS.map((k) => elementVerdict(e.get(k), threshold)).filter((v) => v !== null);
  if (addressVerdicts.length < ADDRESS_ELEMENT_KEYS.length) complete = false;
  if (addressVerdicts.length > 0) {
    any = true;
    const scores = addressVerdicts.map((v) => v.score).filter((s) => s !== null);
    out.alamat = {
      agrees: addressVerdicts.every((v) => v.agrees),
      score: scores.length > 0 ? Math.min(...scores) : null,
    };
  }
  return any ? { complete, elements: out } : null;
}
