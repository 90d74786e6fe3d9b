/**
 * The nine data elements the agreement permits (Pasal 3 (1) a). Every other element a card or
 * the registry returns is dropped at the boundary that parses it and never travels further.
 */
export const PERMITTED_FIELDS = [
  'nomorKk', // Nomor KK (family card number)
  'nik', // Nomor Induk Kependudukan
  'namaLengkap', // full name
  'jenisKelamin', // sex
  'tempatLahir', // place of birth
  'tanggalLahir', // date of birth, ISO YYYY-MM-DD
  'jenisPekerjaan', // occupation
  'statusPerkawinan', // marital status
  'alamat', // current address (street, RT/RW, village, district, regency, province)
] as const;

export type PermittedField = (typeof PERMITTED_FIELDS)[number];

/** Sex as the card and registry spell it, normalised. */
export type JenisKelamin = 'LAKI-LAKI' | 'PEREMPUAN';

/** The address as structured parts; compared part by part and shown composed. */
export interface Alamat {
  jalan: string;
  rt: string;
  rw: string;
  kelurahan: string;
  kecamatan: string;
  kabupaten: string;
  provinsi: string;
}

/** The nine permitted elements of one person, as read from one source (card or registry). */
export interface PersonData {
  nomorKk: string;
  nik: string;
  namaLengkap: string;
  jenisKelamin: JenisKelamin;
  tempatLahir: string;
  tanggalLahir: string;
  jenisPekerjaan: string;
  statusPerkawinan: string;
  alamat: Alamat;
}

/**
 * What one card read yields: the nine permitted elements, the photo (shown only to staff in the
 * assisted path) and whether the issuer's digital signature over everything read verified.
 * Lives in the flow's session context only.
 */
export interface CardRecord {
  person: PersonData;
  photo: { mime: string; bytes: Uint8Array };
  signatureValid: boolean;
}

export const FIELD_LABELS: Record<PermittedField, { id: string; en: string }> = {
  nomorKk: { id: 'Nomor KK', en: 'Family card number' },
  nik: { id: 'NIK', en: 'NIK' },
  namaLengkap: { id: 'Nama lengkap', en: 'Full name' },
  jenisKelamin: { id: 'Jenis kelamin', en: 'Sex' },
  tempatLahir: { id: 'Tempat lahir', en: 'Place of birth' },
  tanggalLahir: { id: 'Tanggal lahir', en: 'Date of birth' },
  jenisPekerjaan: { id: 'Jenis pekerjaan', en: 'Occupation' },
  statusPerkawinan: { id: 'Status perkawinan', en: 'Marital status' },
  alamat: { id: 'Alamat sekarang', en: 'Current address' },
};

export function formatAlamat(a: Alamat): string {
  return `${a.jalan} RT ${a.rt}/RW ${a.rw}, ${a.kelurahan}, ${a.kecamatan}, ${a.kabupaten}, ${a.provinsi}`;
}

/** Display form of one field. */
export function displayField(p: PersonData, key: PermittedField): string {
  return key === 'alamat' ? formatAlamat(p.alamat) : p[key];
}
