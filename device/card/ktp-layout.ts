/**
 * The file layout of the KTP-el as our reference profile reads it (the vendor's exact layout is
 * under NDA; a vendor profile replaces this module and ktp-profile.ts together). Pure encoders
 * and decoders, shared by the read profile and the virtual card's personalisation.
 *
 * DF 7F0A holds: 6FF0 directory (EF sizes, so progress knows the total before reading),
 * 6FF1 biodata, 6FF2 photo, 6FF3 signature image, 6FF4/6FF5 finger minutiae (ISO/IEC 19794-2
 * card format, see fingerprint/card-file.ts), 6FF6 the issuer's ECDSA P-256 signature over
 * 6FF1-6FF5.
 */
import { verify } from 'node:crypto';
import type { PersonData, JenisKelamin } from '../domain/record.ts';
import { concatBytes } from './apdu.ts';
import { decodeSingleTlv, decodeTlvs, encodeConstructed, encodeTlv, requireTlv, TlvError, type Tlv } from './tlv.ts';

export const DF_KTP = 0x7f0a;

/**
 * The most plain bytes one READ BINARY returns on the reference card: extended-length APDUs
 * (ISO/IEC 7816-4), answered from an I/O buffer of 1 KB. An assumption of our reference profile,
 * as the vendor's card specification is under NDA: a vendor profile states its card's own limit
 * (short APDUs only: 223 bytes, the most whose protected response fits 256). The virtual card
 * refuses a longer Le with 6700.
 */
export const MAX_READ_BINARY = 0x400;

/**
 * The short EF identifier a READ BINARY can name a file by instead of selecting it first (ISO/IEC
 * 7816-4: without a '88' tag in its control parameters, an EF's short identifier is the five
 * low bits of its file identifier; 6FF0-6FF6 give 10-16). The reference card accepts them; a
 * card that refuses them is read through SELECT (ktp-profile.ts).
 */
export function shortFileId(fid: number): number {
  return fid & 0x1f;
}

export const EF = {
  directory: 0x6ff0,
  biodata: 0x6ff1,
  photo: 0x6ff2,
  signatureImage: 0x6ff3,
  finger1: 0x6ff4,
  finger2: 0x6ff5,
  digitalSignature: 0x6ff6,
} as const;

/** The files the issuer's signature covers, in the order they are hashed. */
export const SIGNED_EFS = [EF.biodata, EF.photo, EF.signatureImage, EF.finger1, EF.finger2] as const;

export type CardLayoutErrorCode = 'directory' | 'biodata' | 'image' | 'signatureFile' | 'missingFile';

/** Card content that does not follow the layout. Never carries the content. */
export class CardLayoutError extends Error {
  override readonly name = 'CardLayoutError';
  constructor(readonly code: CardLayoutErrorCode) {
    super(`card content malformed (${code})`);
  }
}

function guarded<T>(code: CardLayoutErrorCode, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof TlvError || e instanceof CardLayoutError || e instanceof TypeError || e instanceof RangeError)
      throw new CardLayoutError(code);
    throw e;
  }
}

// ---- Directory (6FF0) ----------------------------------------------------------------------------

const TAG_DIRECTORY = 0x70;
const TAG_ENTRY = 0xa0;
const TAG_FID = 0x83;
const TAG_SIZE = 0x80;

export type Directory = Map<number, number>;

export function encodeDirectory(sizes: Directory): Uint8Array {
  const entries = [...sizes].map(([fid, size]) =>
    encodeConstructed(TAG_ENTRY, [
      encodeTlv(TAG_FID, Uint8Array.of(fid >> 8, fid & 0xff)),
      encodeTlv(TAG_SIZE, Uint8Array.of(size >> 8, size & 0xff)),
    ]),
  );
  return encodeConstructed(TAG_DIRECTORY, entries);
}

/**
 * The fewest bytes a directory listing the six files the read needs can take (one-byte lengths,
 * two-byte sizes): a first read of this many never runs past the end of a directory that works.
 */
export const MIN_DIRECTORY_LENGTH = encodeDirectory(
  new Map(Object.values(EF).flatMap((fid) => (fid === EF.directory ? [] : [[fid, 0] as [number, number]]))),
).length;

export function decodeDirectory(bytes: Uint8Array): Directory {
  return guarded('directory', () => {
    const top = decodeSingleTlv(bytes);
    if (top.tag !== TAG_DIRECTORY) throw new CardLayoutError('directory');
    const out: Directory = new Map();
    for (const e of decodeTlvs(top.value)) {
      if (e.tag !== TAG_ENTRY) throw new CardLayoutError('directory');
      const parts = decodeTlvs(e.value);
      const fid = requireTlv(parts, TAG_FID).value;
      const size = requireTlv(parts, TAG_SIZE).value;
      if (fid.length !== 2 || size.length !== 2) throw new CardLayoutError('directory');
      out.set((fid[0]! << 8) | fid[1]!, (size[0]! << 8) | size[1]!);
    }
    return out;
  });
}

// ---- Biodata (6FF1) --------------------------------------------------------------------------------

const TAG_BIODATA = 0x71;

/** Tags of the nine permitted elements (alamat in seven parts). */
const PERMITTED_TAGS = {
  nik: 0x5f01,
  nomorKk: 0x5f02,
  namaLengkap: 0x5f03,
  jenisKelamin: 0x5f04,
  tempatLahir: 0x5f05,
  /** On the chip as DD-MM-YYYY, as printed on the card. */
  tanggalLahir: 0x5f06,
  jenisPekerjaan: 0x5f07,
  statusPerkawinan: 0x5f08,
  jalan: 0x5f10,
  rt: 0x5f11,
  rw: 0x5f12,
  kelurahan: 0x5f13,
  kecamatan: 0x5f14,
  kabupaten: 0x5f15,
  provinsi: 0x5f16,
} as const;

/** Elements the chip also holds that the agreement does not permit; the decoder never reads them. */
export const NON_PERMITTED_TAGS = {
  agama: 0x5f20,
  golonganDarah: 0x5f21,
  kewarganegaraan: 0x5f22,
  namaIbu: 0x5f23,
  berlakuHingga: 0x5f24,
} as const;

export type NonPermittedCardElements = Partial<Record<keyof typeof NON_PERMITTED_TAGS, string>>;

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function isoToCardDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}-${m}-${y}`;
}

function cardDateToIso(s: string): string {
  const m = /^(\d{2})-(\d{2})-(\d{4})$/.exec(s);
  if (!m) throw new CardLayoutError('biodata');
  const [, d, mo, y] = m;
  const day = Number(d);
  const month = Number(mo);
  if (month < 1 || month > 12 || day < 1 || day > 31) throw new CardLayoutError('biodata');
  return `${y}-${mo}-${d}`;
}

/** Personalisation side: the biodata EF as the issuer writes it. */
export function encodeBiodata(p: PersonData, extras: NonPermittedCardElements): Uint8Array {
  const fields: [number, string][] = [
    [PERMITTED_TAGS.nik, p.nik],
    [PERMITTED_TAGS.nomorKk, p.nomorKk],
    [PERMITTED_TAGS.namaLengkap, p.namaLengkap],
    [PERMITTED_TAGS.jenisKelamin, p.jenisKelamin],
    [PERMITTED_TAGS.tempatLahir, p.tempatLahir],
    [PERMITTED_TAGS.tanggalLahir, isoToCardDate(p.tanggalLahir)],
    [NON_PERMITTED_TAGS.agama, extras.agama ?? ''],
    [NON_PERMITTED_TAGS.golonganDarah, extras.golonganDarah ?? ''],
    [PERMITTED_TAGS.statusPerkawinan, p.statusPerkawinan],
    [PERMITTED_TAGS.jenisPekerjaan, p.jenisPekerjaan],
    [NON_PERMITTED_TAGS.kewarganegaraan, extras.kewarganegaraan ?? ''],
    [NON_PERMITTED_TAGS.namaIbu, extras.namaIbu ?? ''],
    [NON_PERMITTED_TAGS.berlakuHingga, extras.berlakuHingga ?? ''],
    [PERMITTED_TAGS.jalan, p.alamat.jalan],
    [PERMITTED_TAGS.rt, p.alamat.rt],
    [PERMITTED_TAGS.rw, p.alamat.rw],
    [PERMITTED_TAGS.kelurahan, p.alamat.kelurahan],
    [PERMITTED_TAGS.kecamatan, p.alamat.kecamatan],
    [PERMITTED_TAGS.kabupaten, p.alamat.kabupaten],
    [PERMITTED_TAGS.provinsi, p.alamat.provinsi],
  ];
  return encodeConstructed(
    TAG_BIODATA,
    fields.map(([tag, v]) => encodeTlv(tag, utf8.encode(v))),
  );
}

/**
 * Reader side: the nine permitted elements and nothing else. Elements under other tags are
 * skipped without being decoded, so they never exist as strings in the kiosk's memory.
 */
export function decodeBiodata(bytes: Uint8Array): PersonData {
  return guarded('biodata', () => {
    const top = decodeSingleTlv(bytes);
    if (top.tag !== TAG_BIODATA) throw new CardLayoutError('biodata');
    const items = decodeTlvs(top.value);
    const text = (tag: number): string => {
      const found = items.filter((i: Tlv) => i.tag === tag);
      if (found.length !== 1) throw new CardLayoutError('biodata');
      const s = strictUtf8.decode(found[0]!.value);
      if (s.length === 0 || s.length > 200) throw new CardLayoutError('biodata');
      return s;
    };
    const nik = text(PERMITTED_TAGS.nik);
    const nomorKk = text(PERMITTED_TAGS.nomorKk);
    if (!/^\d{16}$/.test(nik) || !/^\d{16}$/.test(nomorKk)) throw new CardLayoutError('biodata');
    const jk = text(PERMITTED_TAGS.jenisKelamin);
    if (jk !== 'LAKI-LAKI' && jk !== 'PEREMPUAN') throw new CardLayoutError('biodata');
    return {
      nomorKk,
      nik,
      namaLengkap: text(PERMITTED_TAGS.namaLengkap),
      jenisKelamin: jk as JenisKelamin,
      tempatLahir: text(PERMITTED_TAGS.tempatLahir),
      tanggalLahir: cardDateToIso(text(PERMITTED_TAGS.tanggalLahir)),
      jenisPekerjaan: text(PERMITTED_TAGS.jenisPekerjaan),
      statusPerkawinan: text(PERMITTED_TAGS.statusPerkawinan),
      alamat: {
        jalan: text(PERMITTED_TAGS.jalan),
        rt: text(PERMITTED_TAGS.rt),
        rw: text(PERMITTED_TAGS.rw),
        kelurahan: text(PERMITTED_TAGS.kelurahan),
        kecamatan: text(PERMITTED_TAGS.kecamatan),
        kabupaten: text(PERMITTED_TAGS.kabupaten),
        provinsi: text(PERMITTED_TAGS.provinsi),
      },
    };
  });
}

// ---- Images (6FF2 photo, 6FF3 signature image) ------------------------------------------------------

const TAG_PHOTO = 0x5f40;
const TAG_SIGNATURE_IMAGE = 0x5f43;

export function encodeImage(kind: 'photo' | 'signatureImage', png: Uint8Array): Uint8Array {
  return encodeTlv(kind === 'photo' ? TAG_PHOTO : TAG_SIGNATURE_IMAGE, png);
}

const PNG_MAGIC = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
const JPEG_MAGIC = Uint8Array.of(0xff, 0xd8, 0xff);

export function decodeImage(kind: 'photo' | 'signatureImage', bytes: Uint8Array): { mime: string; bytes: Uint8Array } {
  return guarded('image', () => {
    const tlv = decodeSingleTlv(bytes);
    if (tlv.tag !== (kind === 'photo' ? TAG_PHOTO : TAG_SIGNATURE_IMAGE)) throw new CardLayoutError('image');
    const starts = (magic: Uint8Array) => magic.every((b, i) => tlv.value[i] === b);
    if (starts(PNG_MAGIC)) return { mime: 'image/png', bytes: tlv.value };
    if (starts(JPEG_MAGIC)) return { mime: 'image/jpeg', bytes: tlv.value };
    throw new CardLayoutError('image');
  });
}

// ---- Issuer signature (6FF6) ------------------------------------------------------------------------

const TAG_SIGNATURE = 0x5f37;

/** What the issuer signs: for each signed EF, its FID (2 bytes), length (4 bytes) and content. */
export function signedContent(files: ReadonlyMap<number, Uint8Array>): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const fid of SIGNED_EFS) {
    const content = files.get(fid);
    if (!content) throw new CardLayoutError('missingFile');
    const n = content.length;
    parts.push(Uint8Array.of(fid >> 8, fid & 0xff, n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff), content);
  }
  return concatBytes(...parts);
}

/** ECDSA P-256 signature as r || s (64 bytes) in tag 5F37. */
export function encodeSignatureFile(rs: Uint8Array): Uint8Array {
  return encodeTlv(TAG_SIGNATURE, rs);
}

export function decodeSignatureFile(bytes: Uint8Array): Uint8Array {
  return guarded('signatureFile', () => {
    const tlv = decodeSingleTlv(bytes);
    if (tlv.tag !== TAG_SIGNATURE || tlv.value.length !== 64) throw new CardLayoutError('signatureFile');
    return tlv.value;
  });
}

/** True when the issuer's signature verifies over the signed EFs with the configured public key. */
export function verifyIssuerSignature(files: ReadonlyMap<number, Uint8Array>, rs: Uint8Array, issuerPublicKeyPem: string): boolean {
  return verify('sha256', signedContent(files), { key: issuerPublicKeyPem, dsaEncoding: 'ieee-p1363' }, rs);
}
