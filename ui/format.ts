/**
 * Pure display helpers for the screens. Validation stays on the daemon; these only shape what
 * the taxpayer types so it reads like the number printed on their tax documents.
 */

export const NOP_DIGITS = 18;
/** Where the NOP's separators go: after digit n comes this character (33.13.010.001.001-0001.0). */
const NOP_SEPARATORS: Record<number, string> = { 2: '.', 4: '.', 7: '.', 10: '.', 13: '-', 17: '.' };

/** Keeps the digits of what was typed, at most 18, and lays them out as a NOP. */
export function maskNop(input: string): string {
  const digits = input.replace(/[^0-9]/g, '').slice(0, NOP_DIGITS);
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    const sep = NOP_SEPARATORS[i];
    if (sep !== undefined && i > 0) out += sep;
    out += digits[i];
  }
  return out;
}

export function nopDigitCount(masked: string): number {
  return masked.replace(/[^0-9]/g, '').length;
}

/** NPWPD formats vary by regency: keep letters, digits, dots and dashes, upper-cased. */
export function cleanNpwpd(input: string): string {
  return input
    .toUpperCase()
    .replace(/[^A-Z0-9.\-]/g, '')
    .slice(0, 32);
}

/**
 * A NIK or No KK as a passer-by may see it: the six-digit region code and the last four
 * digits, the middle (which holds the birth date) hidden.
 */
export function maskIdNumber(value: string): string {
  const digits = value.replace(/\s/g, '');
  if (digits.length < 12) return '•'.repeat(digits.length);
  return `${digits.slice(0, 6)}${'•'.repeat(digits.length - 10)}${digits.slice(-4)}`;
}

/** Progress 0..1 from the view as a whole percentage, clamped against bad values. */
export function percent(progress: number): number {
  if (!Number.isFinite(progress)) return 0;
  return Math.round(Math.min(1, Math.max(0, progress)) * 100);
}

/** Whole seconds left before a deadline, never negative. */
export function secondsUntil(deadlineMs: number, nowMs: number): number {
  return Math.max(0, Math.ceil((deadlineMs - nowMs) / 1000));
}

/** The intent payload for return data: empty fields are left out, not sent blank. */
export function returnDataIntent(nop: string, npwpd: string): { type: 'submitReturnData'; nop?: string; npwpd?: string } {
  const intent: { type: 'submitReturnData'; nop?: string; npwpd?: string } = { type: 'submitReturnData' };
  if (nop.trim() !== '') intent.nop = nop.trim();
  if (npwpd.trim() !== '') intent.npwpd = npwpd.trim();
  return intent;
}
