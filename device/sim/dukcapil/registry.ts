/**
 * The simulated civil registry: answers both Dukcapil methods from the demo personas, in the
 * shapes field deployments send (envelope, key casing, NIK as a JSON number, `DD-MM-YYYY`
 * dates, RESPON texts, RESPONSE_CODE). It also sends the elements the kiosk must drop
 * (agama, golongan darah, nama ibu, ...), as a real registry does. Pure.
 */
import type { PersonData } from '../../domain/record.ts';
import { loadPersonas } from '../load-personas.ts';
import type { NonPermittedElements } from '../personas.ts';

export interface ResponseStyle {
  keyCase: 'upper' | 'lower';
  /** NIK and NO_KK as JSON numbers rather than strings. */
  numericIds: boolean;
  dateFormat: 'iso' | 'dmy';
  /** Casing of RESPON texts. */
  responCase: 'title' | 'upper' | 'lower';
  /** Whether answers carry RESPONSE_CODE (some deployments send only RESPON). */
  withResponseCode: boolean;
}

export const DEFAULT_STYLE: ResponseStyle = {
  keyCase: 'upper',
  numericIds: true,
  dateFormat: 'dmy',
  responCase: 'title',
  withResponseCode: true,
};

/** Result codes and texts as documented for the service. */
export const REFUSALS = {
  loginFailed: ['03', 'Login Gagal'],
  ipMismatch: ['04', 'IP Address Tidak Sesuai'],
  quotaReached: ['05', 'Kuota Akses Hari ini telah Habis'],
  outsideHours: ['06', 'Diluar Jam Akses Layanan'],
  incompleteParameters: ['07', 'Parameter Tidak Lengkap'],
  emptyCredentials: ['09', 'User Id Atau Password Kosong'],
  invalidSourceIp: ['10', 'Ip Tidak Valid'],
  deceased: ['11', 'Data Ditemukan, Status Meninggal Dunia'],
  notFound: ['13', 'Data Tidak Ditemukan'],
  inactive: ['14', 'Data Ditemukan, Status Nik Tidak Aktif'],
  badNikFormat: ['15', 'Data Tidak Ditemukan, Format Nik Salah'],
  institutionInactive: ['16', 'Instansi Tidak Aktif'],
  userInactive: ['17', 'User Id Tidak Aktif'],
} as const satisfies Record<string, readonly [string, string]>;

export type RefusalName = keyof typeof REFUSALS;

export function envelope(content: Array<Record<string, unknown>>): Record<string, unknown> {
  return {
    content,
    lastPage: true,
    numberOfElements: content.length,
    sort: null,
    totalElements: content.length,
    firstPage: true,
    number: 0,
    size: content.length,
  };
}

export function refusal(name: RefusalName, style: ResponseStyle): Record<string, unknown> {
  const [code, text] = REFUSALS[name];
  const entry: Record<string, unknown> = { RESPON: caseRespon(text, style) };
  if (style.withResponseCode) entry.RESPONSE_CODE = code;
  return envelope([casedKeys(entry, style)]);
}

function caseRespon(text: string, style: ResponseStyle): string {
  if (style.responCase === 'upper') return text.toUpperCase();
  if (style.responCase === 'lower') return text.toLowerCase();
  return text;
}

function casedKeys(o: Record<string, unknown>, style: ResponseStyle): Record<string, unknown> {
  return style.keyCase === 'upper' ? o : Object.fromEntries(Object.entries(o).map(([k, v]) => [k.toLowerCase(), v]));
}

/** One registry record, with the non-permitted elements a real answer also carries. */
export function registryRecord(p: PersonData, extras: NonPermittedElements, style: ResponseStyle): Record<string, unknown> {
  const [y, m, d] = p.tanggalLahir.split('-');
  const id = (s: string) => (style.numericIds ? Number(s) : s);
  const record: Record<string, unknown> = {
    NO_KK: id(p.nomorKk),
    NIK: id(p.nik),
    NAMA_LGKP: p.namaLengkap,
    JENIS_KLMIN: p.jenisKelamin,
    TMPT_LHR: p.tempatLahir,
    TGL_LHR: style.dateFormat === 'iso' ? p.tanggalLahir : `${d}-${m}-${y}`,
    STATUS_KAWIN: p.statusPerkawinan,
    JENIS_PKRJN: p.jenisPekerjaan,
    ALAMAT: p.alamat.jalan,
    NO_RT: Number(p.alamat.rt),
    NO_RW: Number(p.alamat.rw),
    KEL_NAME: p.alamat.kelurahan,
    KEC_NAME: p.alamat.kecamatan,
    KAB_NAME: p.alamat.kabupaten,
    PROP_NAME: p.alamat.provinsi,
    NO_PROP: Number(p.nik.slice(0, 2)),
    NO_KAB: Number(p.nik.slice(2, 4)),
    NO_KEC: Number(p.nik.slice(4, 6)),
    NO_KEL: 2001,
    AGAMA: extras.agama,
    GOL_DARAH: extras.golonganDarah,
    KEWARGANEGARAAN: extras.kewarganegaraan,
    NAMA_LGKP_IBU: extras.namaIbu,
    PDDK_AKH: 'SLTA/SEDERAJAT',
  };
  if (style.withResponseCode) record.RESPONSE_CODE = '01';
  return casedKeys(record, style);
}

/** What the registry knows about a NIK. */
export type RegistryLookup = { kind: 'active'; person: PersonData; extras: NonPermittedElements } | { kind: 'refused'; name: RefusalName };

export async function lookup(nik: string): Promise<RegistryLookup> {
  if (!/^[0-9]{16}$/.test(nik)) return { kind: 'refused', name: 'badNikFormat' };
  // On first use: the simulator's start need not load the personas (device/sim/persona-ids.ts).
  const { personaByNik } = await loadPersonas();
  const p = personaByNik(nik);
  if (!p || p.registry.status === 'notFound') return { kind: 'refused', name: 'notFound' };
  if (p.registry.status === 'deceased') return { kind: 'refused', name: 'deceased' };
  if (p.registry.status === 'inactive') return { kind: 'refused', name: 'inactive' };
  return { kind: 'active', person: p.registry.person, extras: p.registry.extras };
}

/** CALL_NIK: the record, or two when the registry holds duplicates for this NIK. */
export function callNikAnswer(
  found: Extract<RegistryLookup, { kind: 'active' }>,
  style: ResponseStyle,
  duplicate: boolean,
): Record<string, unknown> {
  const record = registryRecord(found.person, found.extras, style);
  return envelope(duplicate ? [record, { ...record }] : [record]);
}

/**
 * CALL_VERIFY_BY_ELEMEN: each element sent is scored against the registry ("Sesuai (NN)"),
 * with a simple similarity so small spelling differences score high and different values low.
 */
export function verifyAnswer(
  found: Extract<RegistryLookup, { kind: 'active' }>,
  requested: Map<string, unknown>,
  threshold: number,
  style: ResponseStyle,
): Record<string, unknown> {
  const p = found.person;
  const truth: Record<string, string> = {
    NIK: p.nik,
    NO_KK: p.nomorKk,
    NAMA_LGKP: p.namaLengkap,
    JENIS_KLMIN: p.jenisKelamin,
    TMPT_LHR: p.tempatLahir,
    TGL_LHR: p.tanggalLahir.split('-').reverse().join('-'),
    JENIS_PKRJN: p.jenisPekerjaan,
    STATUS_KAWIN: p.statusPerkawinan,
    ALAMAT: p.alamat.jalan,
    NO_RT: String(Number(p.alamat.rt)),
    NO_RW: String(Number(p.alamat.rw)),
    KEL_NAME: p.alamat.kelurahan,
    KEC_NAME: p.alamat.kecamatan,
    KAB_NAME: p.alamat.kabupaten,
    PROP_NAME: p.alamat.provinsi,
  };
  const entry: Record<string, unknown> = {};
  for (const [key, expected] of Object.entries(truth)) {
    const given = requested.get(key);
    if (given === undefined || given === null) continue;
    const givenText = key === 'NO_RT' || key === 'NO_RW' ? String(Number(given)) : String(given);
    const score = similarity(givenText, expected);
    entry[key] = `${score >= threshold ? 'Sesuai' : 'Tidak Sesuai'} (${score})`;
  }
  if (style.withResponseCode) entry.RESPONSE_CODE = '01';
  return envelope([casedKeys(entry, style)]);
}

/** 0-100 from the Levenshtein distance of the upper-cased, trimmed texts. */
export function similarity(a: string, b: string): number {
  const x = a.trim().toUpperCase();
  const y = b.trim().toUpperCase();
  if (x === y) return 100;
  const longest = Math.max(x.length, y.length);
  if (longest === 0) return 100;
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i += 1) {
    const row = [i];
    for (let j = 1; j <= y.length; j += 1) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return Math.floor((100 * (longest - prev[y.length]!)) / longest);
}
