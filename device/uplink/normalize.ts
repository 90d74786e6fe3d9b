/**
 * Normal forms for comparing what the card says with what the registry says. Card and registry
 * spell the same fact differently (case, spacing, "JL." vs "JALAN", "L" vs "LAKI-LAKI",
 * `10-03-1987` vs `1987-03-10`); these functions map each spelling to one form. Pure.
 */

/**
 * Upper case, punctuation to spaces, runs of spaces collapsed. The typographic apostrophe is
 * written \u2019: one character beyond Latin-1 in the daemon's bundle makes V8 hold all its text at
 * two bytes a character (#25).
 */
export function normalizeText(s: string): string {
  return s
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[.,;:'"`\u2019/\\()_-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Abbreviations common in Indonesian addresses, each mapped to its full word. Applied per token
 * after punctuation is gone, so "JL.", "JL" and "Jl" all become "JALAN".
 */
const ADDRESS_ABBREVIATIONS: Record<string, string> = {
  JL: 'JALAN',
  JLN: 'JALAN',
  GG: 'GANG',
  DS: 'DESA',
  DSN: 'DUSUN',
  DK: 'DUKUH',
  DKH: 'DUKUH',
  KEL: 'KELURAHAN',
  KEC: 'KECAMATAN',
  KAB: 'KABUPATEN',
  KOTAMADYA: 'KOTA',
  PROV: 'PROVINSI',
  PROP: 'PROVINSI',
  NO: 'NOMOR',
  NMR: 'NOMOR',
  PERUM: 'PERUMAHAN',
  KOMP: 'KOMPLEK',
  KOMPLEKS: 'KOMPLEK',
  BLK: 'BLOK',
  KP: 'KAMPUNG',
  KAMP: 'KAMPUNG',
  LK: 'LINGKUNGAN',
  LING: 'LINGKUNGAN',
  RT: 'RT',
  RW: 'RW',
};

export function normalizeAddressText(s: string): string {
  return normalizeText(s)
    .split(' ')
    .filter((t) => t !== '')
    .map((t) => ADDRESS_ABBREVIATIONS[t] ?? stripLeadingZeros(t))
    .join(' ');
}

/** Words that only say what kind of region a name is, when the field already says it. */
const REGION_KIND_WORDS = new Set(['DESA', 'KELURAHAN', 'KECAMATAN', 'KABUPATEN', 'PROVINSI']);

/**
 * Region names: "KAB. KARANGANYAR" and "KARANGANYAR" name the same regency in the KAB_NAME
 * field. "KOTA" is kept: Kota Semarang and Kabupaten Semarang are different regions.
 */
export function normalizeRegionName(s: string): string {
  const tokens = normalizeAddressText(s)
    .split(' ')
    .filter((t) => t !== '');
  const leading = tokens.length > 1 && REGION_KIND_WORDS.has(tokens[0]!) ? tokens.slice(1) : tokens;
  return leading.join(' ');
}

/** RT/RW numbers: "003", "3" and "03" are one neighbourhood. */
export function normalizeRtRw(s: string): string {
  const t = s.trim();
  return /^[0-9]+$/.test(t) ? stripLeadingZeros(t) : normalizeText(t);
}

function stripLeadingZeros(t: string): string {
  return /^0+[0-9]+$/.test(t) ? t.replace(/^0+(?=[0-9])/, '') : t;
}

/** Digits only: NIK and Nomor KK may come as numbers or with separators. */
export function normalizeDigits(s: string): string {
  return s.replace(/[^0-9]/g, '');
}

const MALE = new Set(['L', 'LK', 'LAKI', 'LAKI LAKI', 'LAKILAKI', 'PRIA', 'M', 'MALE', '1']);
const FEMALE = new Set(['P', 'PR', 'PEREMPUAN', 'WANITA', 'F', 'FEMALE', '2']);

/** Sex in the normal form of the card, or null for a spelling we do not know. */
export function normalizeGender(s: string): 'LAKI-LAKI' | 'PEREMPUAN' | null {
  const t = normalizeText(s);
  if (MALE.has(t)) return 'LAKI-LAKI';
  if (FEMALE.has(t)) return 'PEREMPUAN';
  return null;
}

/**
 * A calendar date as ISO `YYYY-MM-DD`. Registries send `YYYY-MM-DD`, `DD-MM-YYYY` (also with
 * `/`), sometimes with a time part; anything else, or an impossible date, is null.
 */
export function normalizeDate(s: string): string | null {
  const t = s.trim();
  let y: number, m: number, d: number;
  let match = /^([0-9]{4})[-/]([0-9]{1,2})[-/]([0-9]{1,2})(?:[T ][0-9:.]+Z?)?$/.exec(t);
  if (match) {
    [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else {
    match = /^([0-9]{1,2})[-/]([0-9]{1,2})[-/]([0-9]{4})$/.exec(t);
    if (!match) return null;
    [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
  }
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** `YYYY-MM-DD` to the registry's customary `DD-MM-YYYY`. */
export function isoToDmy(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}-${m}-${y}`;
}
