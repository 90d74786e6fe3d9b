/**
 * NOP PBB-P2 (tax object number for land and building tax): 18 digits = province(2)
 * regency(2) district(3) village(3) block(3) serial(4) code(1), shown
 * `33.13.010.001.001-0001.0`; the code is 0 single, 7 structure, 9 joint.
 * NPWPD (regional taxpayer number) has no national format: each regency sets its own, so its
 * pattern comes from configuration.
 */
export class ReturnDataFormatError extends Error {
  override readonly name = 'ReturnDataFormatError';
  constructor(
    readonly field: 'nop' | 'npwpd',
    readonly code: 'format' | 'code' | 'empty',
  ) {
    super(`${field.toUpperCase()} is malformed (${code})`);
  }
}

const NOP_CODES = new Set(['0', '7', '9']);

/** Accepts the 18 digits with or without the usual dots and dash; returns the 18 digits. */
export function parseNop(input: string): string {
  const digits = input.replace(/[.\-\s]/g, '');
  if (!/^[0-9]{18}$/.test(digits)) throw new ReturnDataFormatError('nop', 'format');
  if (!NOP_CODES.has(digits[17]!)) throw new ReturnDataFormatError('nop', 'code');
  return digits;
}

export function formatNop(digits: string): string {
  const d = parseNop(digits);
  return `${d.slice(0, 2)}.${d.slice(2, 4)}.${d.slice(4, 7)}.${d.slice(7, 10)}.${d.slice(10, 13)}-${d.slice(13, 17)}.${d.slice(17)}`;
}

export function parseNpwpd(input: string, pattern: RegExp): string {
  const v = input.trim().toUpperCase();
  if (v === '') throw new ReturnDataFormatError('npwpd', 'empty');
  if (!pattern.test(v)) throw new ReturnDataFormatError('npwpd', 'format');
  return v;
}
