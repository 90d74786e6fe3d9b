/**
 * Demo personas: synthetic people with valid-looking NIKs. None is a real person; the names are
 * invented combinations and the numbers were made up to fit the NIK format. Each persona says
 * what is on its card chip, what the registry holds, and how its finger behaves, so the card
 * simulator, the fingerprint simulator and the Dukcapil simulator all serve from one source.
 * The daemon imports it only on first use (`import()`): see device/sim/persona-ids.ts.
 */
import type { Alamat, PersonData } from '../domain/record.ts';
import { PERSONA_IDS, type PersonaId } from './persona-ids.ts';

export { PERSONA_IDS, isPersonaId, type PersonaId } from './persona-ids.ts';

/** Elements a real card or registry also holds; the kiosk must drop them at the boundary. */
export interface NonPermittedElements {
  agama: string;
  golonganDarah: string;
  kewarganegaraan: string;
  namaIbu: string;
}

export interface Persona {
  id: PersonaId;
  title: { id: string; en: string };
  /** What the chip holds (biodata EF 6FF1). */
  card: PersonData;
  cardExtras: NonPermittedElements;
  /** What the civil registry answers for this NIK. */
  registry:
    | { status: 'active'; person: PersonData; extras: NonPermittedElements }
    | { status: 'deceased' | 'inactive'; person: PersonData; extras: NonPermittedElements }
    | { status: 'notFound' };
  /** The issuer's signature over the card data is broken (data altered after issue). */
  tamperedSignature: boolean;
  /** Finger: a seed for the synthetic master finger, and whether live impressions are usable. */
  finger: { seed: string; condition: 'good' | 'worn' };
  /** Finger position codes of the two templates on the card (ISO/IEC 19794-2: 2 right index, 7 left index). */
  fingerPositions: [number, number];
}

function alamat(
  jalan: string,
  rt: string,
  rw: string,
  kelurahan: string,
  kecamatan: string,
  kabupaten = 'KARANGANYAR',
  provinsi = 'JAWA TENGAH',
): Alamat {
  return { jalan, rt, rw, kelurahan, kecamatan, kabupaten, provinsi };
}

const extras = (agama: string, golonganDarah: string, namaIbu: string): NonPermittedElements => ({
  agama,
  golonganDarah,
  kewarganegaraan: 'WNI',
  namaIbu,
});

function person(p: PersonData): PersonData {
  return p;
}

const valid = person({
  nomorKk: '3313091503100012',
  nik: '3313091203880005',
  namaLengkap: 'BAGAS ARYA WIRANATA',
  jenisKelamin: 'LAKI-LAKI',
  tempatLahir: 'KARANGANYAR',
  tanggalLahir: '1988-03-12',
  jenisPekerjaan: 'WIRASWASTA',
  statusPerkawinan: 'KAWIN',
  alamat: alamat('JL. CEMPAKA WANGI NO. 17', '003', '006', 'BEJEN', 'KARANGANYAR'),
});

const addressChangedCard = person({
  nomorKk: '3313112009150004',
  nik: '3313115507920003',
  namaLengkap: 'RATNA KUSUMA LESTYANI',
  jenisKelamin: 'PEREMPUAN',
  tempatLahir: 'SURAKARTA',
  tanggalLahir: '1992-07-15',
  jenisPekerjaan: 'GURU',
  statusPerkawinan: 'BELUM KAWIN',
  alamat: alamat('JL. MELATI PUTIH NO. 4', '001', '002', 'JATEN', 'JATEN'),
});

const notFound = person({
  nomorKk: '3313020811070021',
  nik: '3313022208750011',
  namaLengkap: 'DARSONO HADI SAPUTRO',
  jenisKelamin: 'LAKI-LAKI',
  tempatLahir: 'KARANGANYAR',
  tanggalLahir: '1975-08-22',
  jenisPekerjaan: 'PETANI/PEKEBUN',
  statusPerkawinan: 'KAWIN',
  alamat: alamat('DUSUN NGLEBAK', '002', '001', 'JATIYOSO', 'JATIYOSO'),
});

const deceased = person({
  nomorKk: '3313140212980007',
  nik: '3313140906450002',
  namaLengkap: 'SUMARDI PRAWIRO JATMIKO',
  jenisKelamin: 'LAKI-LAKI',
  tempatLahir: 'KARANGANYAR',
  tanggalLahir: '1945-06-09',
  jenisPekerjaan: 'PENSIUNAN',
  statusPerkawinan: 'CERAI MATI',
  alamat: alamat('JL. KENANGA NO. 3', '004', '002', 'KEBAK', 'KEBAKKRAMAT'),
});

const inactive = person({
  nomorKk: '3313152703110009',
  nik: '3313156110800007',
  namaLengkap: 'SITI NURLAILA HANDAYANI',
  jenisKelamin: 'PEREMPUAN',
  tempatLahir: 'WONOGIRI',
  tanggalLahir: '1980-10-21',
  jenisPekerjaan: 'MENGURUS RUMAH TANGGA',
  statusPerkawinan: 'KAWIN',
  alamat: alamat('DUSUN GEBANG', '001', '004', 'GEBANG', 'MOJOGEDANG'),
});

const tampered = person({
  nomorKk: '3313100610120015',
  nik: '3313100404990004',
  namaLengkap: 'YOGA PRADIPTA NUGRAHA',
  jenisKelamin: 'LAKI-LAKI',
  tempatLahir: 'KARANGANYAR',
  tanggalLahir: '1999-04-04',
  jenisPekerjaan: 'PELAJAR/MAHASISWA',
  statusPerkawinan: 'BELUM KAWIN',
  alamat: alamat('JL. TERATAI NO. 21', '005', '003', 'PAPAHAN', 'TASIKMADU'),
});

const fingerUnreadable = person({
  nomorKk: '3313061408880003',
  nik: '3313064302600001',
  namaLengkap: 'PARTINI WIGATI RAHAYU',
  jenisKelamin: 'PEREMPUAN',
  tempatLahir: 'KARANGANYAR',
  tanggalLahir: '1960-02-03',
  jenisPekerjaan: 'PEDAGANG',
  statusPerkawinan: 'CERAI MATI',
  alamat: alamat('DUSUN PLUMBON', '002', '003', 'PLUMBON', 'TAWANGMANGU'),
});

const otherRegency = person({
  nomorKk: '3471012301140006',
  nik: '3471011705850006',
  namaLengkap: 'ANDREAS BIMO KURNIAWAN',
  jenisKelamin: 'LAKI-LAKI',
  tempatLahir: 'YOGYAKARTA',
  tanggalLahir: '1985-05-17',
  jenisPekerjaan: 'KARYAWAN SWASTA',
  statusPerkawinan: 'KAWIN',
  alamat: alamat('JL. SAWO KECIK NO. 9', '007', '002', 'TEGALPANGGUNG', 'DANUREJAN', 'KOTA YOGYAKARTA', 'DI YOGYAKARTA'),
});

const PERSONAS: Record<PersonaId, Persona> = {
  valid: {
    id: 'valid',
    title: { id: 'Semua data sesuai', en: 'Everything agrees' },
    card: valid,
    cardExtras: extras('ISLAM', 'O', 'SRI MULYANINGRUM'),
    registry: { status: 'active', person: valid, extras: extras('ISLAM', 'O', 'SRI MULYANINGRUM') },
    tamperedSignature: false,
    finger: { seed: 'valid-finger', condition: 'good' },
    fingerPositions: [2, 7],
  },
  'address-changed': {
    id: 'address-changed',
    title: { id: 'Alamat di Dukcapil berbeda dari kartu', en: 'Registry address differs from the card' },
    card: addressChangedCard,
    cardExtras: extras('KRISTEN', 'A', 'WULAN PURNAMASARI'),
    registry: {
      status: 'active',
      person: {
        ...addressChangedCard,
        alamat: alamat('PERUM GRIYA ASRI BLOK C NO. 8', '006', '011', 'NGRINGO', 'JATEN'),
      },
      extras: extras('KRISTEN', 'A', 'WULAN PURNAMASARI'),
    },
    tamperedSignature: false,
    finger: { seed: 'address-changed-finger', condition: 'good' },
    fingerPositions: [2, 7],
  },
  'not-found': {
    id: 'not-found',
    title: { id: 'NIK tidak ditemukan di Dukcapil', en: 'NIK not found in the registry' },
    card: notFound,
    cardExtras: extras('ISLAM', 'B', 'PAINEM SULASTRI'),
    registry: { status: 'notFound' },
    tamperedSignature: false,
    finger: { seed: 'not-found-finger', condition: 'good' },
    fingerPositions: [2, 7],
  },
  deceased: {
    id: 'deceased',
    title: { id: 'Tercatat meninggal dunia', en: 'Recorded as deceased' },
    card: deceased,
    cardExtras: extras('ISLAM', 'AB', 'KARSINAH'),
    registry: { status: 'deceased', person: deceased, extras: extras('ISLAM', 'AB', 'KARSINAH') },
    tamperedSignature: false,
    finger: { seed: 'deceased-finger', condition: 'good' },
    fingerPositions: [2, 7],
  },
  inactive: {
    id: 'inactive',
    title: { id: 'NIK tidak aktif', en: 'NIK inactive' },
    card: inactive,
    cardExtras: extras('ISLAM', '-', 'SUWARNI'),
    registry: { status: 'inactive', person: inactive, extras: extras('ISLAM', '-', 'SUWARNI') },
    tamperedSignature: false,
    finger: { seed: 'inactive-finger', condition: 'good' },
    fingerPositions: [1, 6],
  },
  'tampered-card': {
    id: 'tampered-card',
    title: { id: 'Tanda tangan digital kartu tidak sah', en: 'Card signature fails' },
    card: tampered,
    cardExtras: extras('KATOLIK', 'B', 'MARIA SETYOWATI'),
    registry: { status: 'active', person: tampered, extras: extras('KATOLIK', 'B', 'MARIA SETYOWATI') },
    tamperedSignature: true,
    finger: { seed: 'tampered-card-finger', condition: 'good' },
    fingerPositions: [2, 7],
  },
  'finger-unreadable': {
    id: 'finger-unreadable',
    title: { id: 'Sidik jari tidak terbaca: dibantu petugas', en: 'Fingerprint unreadable: staff assist' },
    card: fingerUnreadable,
    cardExtras: extras('ISLAM', 'O', 'SAMIYEM'),
    registry: { status: 'active', person: fingerUnreadable, extras: extras('ISLAM', 'O', 'SAMIYEM') },
    tamperedSignature: false,
    finger: { seed: 'finger-unreadable-finger', condition: 'worn' },
    fingerPositions: [2, 7],
  },
  'other-regency': {
    id: 'other-regency',
    title: { id: 'KTP-el dari luar Karanganyar', en: 'KTP-el issued outside Karanganyar' },
    card: otherRegency,
    cardExtras: extras('KATOLIK', 'A', 'CATARINA RETNO'),
    registry: { status: 'active', person: otherRegency, extras: extras('KATOLIK', 'A', 'CATARINA RETNO') },
    tamperedSignature: false,
    finger: { seed: 'other-regency-finger', condition: 'good' },
    fingerPositions: [2, 7],
  },
};

export function persona(id: PersonaId): Persona {
  return PERSONAS[id];
}

export function allPersonas(): Persona[] {
  return PERSONA_IDS.map((id) => PERSONAS[id]);
}

export function personaByNik(nik: string): Persona | undefined {
  return allPersonas().find((p) => p.card.nik === nik);
}
