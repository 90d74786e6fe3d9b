/**
 * The report's rows, once for every output (XLSX, HTML): a group, a label in Bahasa Indonesia
 * and English, and how to read the figure from a month. Indonesian comes first everywhere.
 */
import type { Bilingual } from '../domain/failure.ts';
import { WIB_OFFSET_MS } from '../domain/wib.ts';
import {
  CARD_READ_OUTCOMES,
  OUT_OF_SERVICE_REPORT_REASONS,
  UPLINK_OUTCOMES,
  type CardReadOutcome,
  type MonthFigures,
  type OutOfServiceReportReason,
  type UplinkOutcome,
} from './semester.ts';

export interface ReportRow {
  group: Bilingual;
  label: Bilingual;
  value: (m: MonthFigures) => number;
  /** Hours are shown with one decimal; counts are whole. */
  hours?: true;
}

const CARD_READ_LABELS: Record<CardReadOutcome, Bilingual> = {
  read: { id: 'Terbaca', en: 'Read' },
  cardRemoved: { id: 'Kartu diangkat', en: 'Card lifted' },
  readerRemoved: { id: 'Pembaca terputus', en: 'Reader disconnected' },
  cardUnreadable: { id: 'Chip tidak terbaca', en: 'Chip unreadable' },
  cardNotGenuine: { id: 'Kartu tidak asli', en: 'Card not genuine' },
  samMissing: { id: 'SAM tidak ada', en: 'SAM missing' },
  samRefused: { id: 'SAM menolak', en: 'SAM refused' },
  sessionTimeout: { id: 'Waktu habis', en: 'Timed out' },
  internalError: { id: 'Galat perangkat lunak', en: 'Software error' },
  other: { id: 'Lainnya', en: 'Other' },
};

const UPLINK_LABELS: Record<UplinkOutcome, Bilingual> = {
  verified: { id: 'Data sesuai', en: 'Verified' },
  dataDiffers: { id: 'Data berbeda', en: 'Data differs' },
  notFound: { id: 'NIK tidak ditemukan', en: 'NIK not found' },
  deceased: { id: 'Meninggal', en: 'Deceased' },
  inactive: { id: 'NIK tidak aktif', en: 'NIK inactive' },
  duplicateRecords: { id: 'Data ganda', en: 'Duplicate records' },
  quotaReached: { id: 'Kuota habis', en: 'Quota reached' },
  loginFailed: { id: 'Login gagal', en: 'Login failed' },
  ipRefused: { id: 'IP ditolak', en: 'IP refused' },
  outsideHours: { id: 'Di luar jam akses', en: 'Outside access hours' },
  institutionInactive: { id: 'Lembaga tidak aktif', en: 'Institution inactive' },
  userInactive: { id: 'User ID tidak aktif', en: 'User ID inactive' },
  serviceError: { id: 'Jawaban tidak dapat dipakai', en: 'Unusable answer' },
  unavailable: { id: 'Layanan tidak terjangkau', en: 'Service unreachable' },
  error: { id: 'Galat', en: 'Error' },
  other: { id: 'Lainnya', en: 'Other' },
};

export const OUT_OF_SERVICE_LABELS: Record<OutOfServiceReportReason, Bilingual> = {
  starting: { id: 'Memulai', en: 'Starting' },
  deactivated: { id: 'Dinonaktifkan', en: 'Deactivated' },
  notProvisioned: { id: 'Belum disiapkan teknisi', en: 'Not provisioned' },
  diskFull: { id: 'Penyimpanan hampir penuh', en: 'Storage almost full' },
  clockUnsynchronised: { id: 'Jam belum sinkron', en: 'Clock not synchronised' },
  agreementNotInForce: { id: 'Perjanjian tidak berlaku', en: 'Agreement not in force' },
  samMissing: { id: 'SAM tidak ada', en: 'SAM missing' },
  samRefused: { id: 'SAM menolak', en: 'SAM refused' },
  readerMissing: { id: 'Pembaca tidak ada', en: 'Reader missing' },
  quotaReached: { id: 'Kuota habis', en: 'Quota used up' },
  awaitingLease: { id: 'Menunggu jatah kuota armada', en: 'Waiting for a fleet lease' },
  tamper: { id: 'Casing terbuka', en: 'Enclosure opened' },
  pausedByStaff: { id: 'Dijeda petugas', en: 'Paused by staff' },
  uplinkDown: { id: 'Layanan Dukcapil terputus', en: 'Dukcapil service down' },
  uplinkRejected: { id: 'Akses ditolak Dukcapil', en: 'Access refused by Dukcapil' },
  outsideAccessHours: { id: 'Di luar jam akses Dukcapil', en: 'Outside Dukcapil access hours' },
  unknown: { id: 'Tidak diketahui', en: 'Unknown' },
};

export const GROUPS = {
  sessions: { id: 'Sesi', en: 'Sessions' },
  cardReads: { id: 'Pembacaan KTP-el', en: 'KTP-el reads' },
  fingerprint: { id: 'Sidik jari', en: 'Fingerprint' },
  uplink: { id: 'Akses NIK ke Dukcapil', en: 'NIK requests to Dukcapil' },
  quota: { id: 'Kuota harian', en: 'Daily quota' },
  returnData: { id: 'Data balikan', en: 'Return data' },
  outOfService: { id: 'Tidak melayani (jam)', en: 'Out of service (hours)' },
} as const satisfies Record<string, Bilingual>;

export const REPORT_ROWS: ReportRow[] = [
  { group: GROUPS.sessions, label: { id: 'Jumlah sesi', en: 'Sessions' }, value: (m) => m.sessions },
  ...CARD_READ_OUTCOMES.map((k) => ({ group: GROUPS.cardReads, label: CARD_READ_LABELS[k], value: (m: MonthFigures) => m.cardReads[k] })),
  { group: GROUPS.fingerprint, label: { id: 'Cocok', en: 'Matched' }, value: (m) => m.fingerprint.pass },
  { group: GROUPS.fingerprint, label: { id: 'Tidak cocok', en: 'Not matched' }, value: (m) => m.fingerprint.fail },
  {
    group: GROUPS.fingerprint,
    label: { id: 'Tidak dapat memberi sidik jari', en: 'Could not give a finger' },
    value: (m) => m.fingerprint.noFingerGiven,
  },
  { group: GROUPS.fingerprint, label: { id: 'Diverifikasi petugas', en: 'Verified by staff' }, value: (m) => m.fingerprint.staffAssisted },
  ...UPLINK_OUTCOMES.map((k) => ({ group: GROUPS.uplink, label: UPLINK_LABELS[k], value: (m: MonthFigures) => m.uplink[k] })),
  { group: GROUPS.quota, label: { id: 'Akses terhitung kuota', en: 'Hits counted' }, value: (m) => m.quotaHits },
  { group: GROUPS.quota, label: { id: 'Hari kuota habis', en: 'Days the quota ran out' }, value: (m) => m.quotaReachedDays },
  { group: GROUPS.returnData, label: { id: 'Dicatat', en: 'Queued' }, value: (m) => m.returnData.queued },
  {
    group: GROUPS.returnData,
    label: { id: 'Terkirim lewat layanan web', en: 'Delivered by web service' },
    value: (m) => m.returnData.delivered,
  },
  { group: GROUPS.returnData, label: { id: 'Diekspor ke berkas', en: 'Exported to a file' }, value: (m) => m.returnData.exported },
  { group: GROUPS.returnData, label: { id: 'Menunggu', en: 'Pending' }, value: (m) => m.returnData.pending },
  ...OUT_OF_SERVICE_REPORT_REASONS.map((k) => ({
    group: GROUPS.outOfService,
    label: OUT_OF_SERVICE_LABELS[k],
    value: (m: MonthFigures) => m.outOfServiceHours[k],
    hours: true as const,
  })),
];

const MONTHS_ID = [
  'Januari',
  'Februari',
  'Maret',
  'April',
  'Mei',
  'Juni',
  'Juli',
  'Agustus',
  'September',
  'Oktober',
  'November',
  'Desember',
];

/** `2026-07` → `Juli 2026`. */
export function monthName(month: string): string {
  return `${MONTHS_ID[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;
}

/** A generation time in WIB, e.g. `1 Desember 2026 09.30 WIB`. */
export function wibTime(iso: string): string {
  const d = new Date(Date.parse(iso) + WIB_OFFSET_MS);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCDate()} ${MONTHS_ID[d.getUTCMonth()]} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}.${pad(d.getUTCMinutes())} WIB`;
}

/** One decimal for hours, with the Indonesian decimal comma. */
export function formatFigure(value: number, hours: boolean): string {
  return hours ? value.toFixed(1).replace('.', ',') : value.toLocaleString('id-ID');
}
