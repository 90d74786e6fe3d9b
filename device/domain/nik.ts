/**
 * NIK: 16 digits = province(2) regency(2) district(2) DDMMYY (day + 40 for women) serial(4).
 * No check digit. Region codes are those of first registration and go stale after regional
 * splits, so an unknown region is never a rejection (Pasal 3 (2) e: any issuing region).
 */
export class NikFormatError extends Error {
  override readonly name = 'NikFormatError';
  constructor(readonly code: 'length' | 'digits' | 'birthDate' | 'serial') {
    super(`NIK is malformed (${code})`); // never echoes the value: it is personal data
  }
}

export interface NikParts {
  provinsi: string;
  kabupaten: string;
  kecamatan: string;
  /** Day and month of birth; the century is not encoded. */
  birthDay: number;
  birthMonth: number;
  birthYear2: number;
  jenisKelamin: 'LAKI-LAKI' | 'PEREMPUAN';
  serial: string;
}

export function parseNik(nik: string): NikParts {
  if (nik.length !== 16) throw new NikFormatError('length');
  if (!/^[0-9]{16}$/.test(nik)) throw new NikFormatError('digits');
  let day = Number(nik.slice(6, 8));
  const month = Number(nik.slice(8, 10));
  const year2 = Number(nik.slice(10, 12));
  const female = day > 40;
  if (female) day -= 40;
  if (day < 1 || day > 31 || month < 1 || month > 12) throw new NikFormatError('birthDate');
  const serial = nik.slice(12);
  if (serial === '0000') throw new NikFormatError('serial');
  return {
    provinsi: nik.slice(0, 2),
    kabupaten: nik.slice(2, 4),
    kecamatan: nik.slice(4, 6),
    birthDay: day,
    birthMonth: month,
    birthYear2: year2,
    jenisKelamin: female ? 'PEREMPUAN' : 'LAKI-LAKI',
    serial,
  };
}

export function isValidNik(nik: string): boolean {
  try {
    parseNik(nik);
    return true;
  } catch {
    return false;
  }
}

/** Karanganyar's regency code (33.13); used for statistics only, never to refuse anyone. */
export const KARANGANYAR = { provinsi: '33', kabupaten: '13' } as const;
