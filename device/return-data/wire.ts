/**
 * The JSON wire format of data balikan delivery. No public specification of Disdukcapil's return
 * channel exists, so this follows the style of the NIK web service the uplink talks to
 * (DOMAIN.md): upper-case keys, the User ID, password and IP_USER in the body, and answers in a
 * `content` envelope whose items carry RESPON and RESPONSE_CODE. README documents it.
 *
 * Request:  { USER_ID, PASSWORD, IP_USER, JUMLAH, DATA: [{ IDEMPOTENCY_KEY, NIK, NOP_PBB, NPWPD, TGL_AKSES }] }
 * Response: { content: [{ IDEMPOTENCY_KEY, RESPON, RESPONSE_CODE }], numberOfElements }
 * A `content[0]` without IDEMPOTENCY_KEY answers the whole batch (e.g. "Login Gagal", code 03).
 * Answers are read as leniently as the NIK service's: keys in any casing, codes as numbers.
 */
import type { DukcapilCredentials } from '../uplink/endpoint.ts';
import type { DeliveryItem } from '../store/return-data-outbox.ts';
import { WIB_OFFSET_MS } from '../domain/wib.ts';
import { answerEntries, responseCode, responText, type AnswerEntry } from '../uplink/answer-envelope.ts';

export interface WireEntry {
  IDEMPOTENCY_KEY: string;
  NIK: string;
  NOP_PBB: string | null;
  NPWPD: string | null;
  /** The WIB day the taxpayer's data was accessed, `YYYY-MM-DD`. */
  TGL_AKSES: string;
}

export interface WireRequest {
  USER_ID: string;
  PASSWORD: string;
  IP_USER: string;
  JUMLAH: number;
  DATA: WireEntry[];
}

export interface WireAnswer {
  IDEMPOTENCY_KEY?: string;
  RESPON: string;
  RESPONSE_CODE?: string;
}

/** Recorded now, and recorded before (a retry): both confirm the entry. */
export const CONFIRMING_CODES = new Set(['01', '02']);
/** The entry itself is unusable (incomplete, cannot be processed, bad format): do not resend it. */
export const REFUSING_CODES = new Set(['07', '08', '15']);

export const RESPON = {
  accepted: { RESPON: 'Data Diterima', RESPONSE_CODE: '01' },
  duplicate: { RESPON: 'Data Sudah Ada', RESPONSE_CODE: '02' },
  loginFailed: { RESPON: 'Login Gagal', RESPONSE_CODE: '03' },
  incomplete: { RESPON: 'Parameter Tidak Lengkap', RESPONSE_CODE: '07' },
} as const;

export function wireRequest(items: DeliveryItem[], credentials: DukcapilCredentials): WireRequest {
  return {
    USER_ID: credentials.userId,
    PASSWORD: credentials.password,
    IP_USER: credentials.ipUser,
    JUMLAH: items.length,
    DATA: items.map((i) => ({
      IDEMPOTENCY_KEY: i.idempotencyKey,
      NIK: i.entry.nik,
      NOP_PBB: i.entry.nop,
      NPWPD: i.entry.npwpd,
      TGL_AKSES: new Date(Date.parse(i.queuedAt) + WIB_OFFSET_MS).toISOString().slice(0, 10),
    })),
  };
}

export type BatchVerdict =
  /** `unsettled`: keys sent that were neither confirmed nor refused (no answer, or a code we do not act on). */
  | { kind: 'answered'; confirmed: string[]; refused: string[]; unsettled: string[] }
  | { kind: 'batchRefused'; code: string }
  | { kind: 'malformed' };

/**
 * Reads the service's answer to a batch of `sentKeys`, as leniently as the NIK client reads its
 * answers (uplink/answer-envelope.ts: any key casing, numeric codes). Only keys that were sent
 * count: an answer about any other key is ignored.
 */
export function readAnswer(body: string, sentKeys: string[]): BatchVerdict {
  const entries = answerEntries(body);
  if (entries === null) return { kind: 'malformed' };
  const first = entries[0];
  if (first && typeof first.get('IDEMPOTENCY_KEY') !== 'string')
    return { kind: 'batchRefused', code: codeOf(first)?.slice(0, 8) ?? 'none' };
  const sent = new Set(sentKeys);
  const confirmed = new Set<string>();
  const refused = new Set<string>();
  for (const item of entries) {
    const key = item.get('IDEMPOTENCY_KEY');
    if (typeof key !== 'string' || !sent.has(key)) continue;
    const code = codeOf(item);
    if (code !== null && CONFIRMING_CODES.has(code)) confirmed.add(key);
    else if (code !== null && REFUSING_CODES.has(code)) refused.add(key);
  }
  for (const k of confirmed) refused.delete(k);
  return {
    kind: 'answered',
    confirmed: [...confirmed],
    refused: [...refused],
    unsettled: [...sent].filter((k) => !confirmed.has(k) && !refused.has(k)),
  };
}

const CODE_BY_RESPON = new Map(Object.values(RESPON).map((r) => [responText(r.RESPON)!, r.RESPONSE_CODE as string]));

/** RESPONSE_CODE when sent, else the code matching the RESPON text (some deployments send only RESPON). */
function codeOf(item: AnswerEntry): string | null {
  return responseCode(item.get('RESPONSE_CODE')) ?? CODE_BY_RESPON.get(responText(item.get('RESPON')) ?? '') ?? null;
}
