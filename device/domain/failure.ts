/**
 * The failure taxonomy: every way a session can end badly, every reason the kiosk can be out of
 * service, and the one mapping from what a port reports (a DeviceError, a registry refusal, an
 * unexpected error) to the SessionFailure the flow carries. The mappings are records over closed
 * unions, so a new code does not compile until it has a reason and a staff message.
 *
 * Split as web-eid does: retriable failures offer "try again", fatal ones do not. The taxpayer's
 * message for each reason lives in the UI's catalogue; the staff message, in both languages, is
 * here. None of them carries personal data or secrets.
 */
import type { RegistryOutcome, RegistryRefusal, RegistryVerdict } from './registry.ts';

/** A text in both UI languages: Bahasa Indonesia first, English. */
export interface Bilingual {
  id: string;
  en: string;
}

interface FailureRule {
  retriable: boolean;
  staff: Bilingual;
}

export const SESSION_FAILURES = {
  cardRemoved: {
    retriable: true,
    staff: { id: 'KTP-el terangkat sebelum langkah ini selesai.', en: 'The KTP-el was lifted before this step finished.' },
  },
  readerRemoved: {
    retriable: true,
    staff: {
      id: 'Pembaca KTP-el terputus (USB atau layanan PC/SC). Periksa kabel pembaca.',
      en: 'The KTP-el reader was disconnected (USB or the PC/SC service). Check the reader cable.',
    },
  },
  cardUnreadable: {
    retriable: true,
    staff: {
      id: 'Chip tidak menjawab dengan benar; lihat kode status. Jika berulang pada kartu yang sama, kartu mungkin rusak.',
      en: 'The chip did not answer properly; see the status word. If it repeats with the same card, the card may be damaged.',
    },
  },
  cardNotGenuine: {
    retriable: false,
    staff: {
      id: 'Kartu gagal autentikasi dengan SAM: bukan KTP-el asli atau kunci kartu tidak dikenal.',
      en: 'The card failed authentication with the SAM: not a genuine KTP-el, or its keys are unknown.',
    },
  },
  signatureInvalid: {
    retriable: false,
    staff: {
      id: 'Tanda tangan digital penerbit atas data chip tidak sah. Layani di loket dengan pemeriksaan manual.',
      en: "The issuer's digital signature over the chip data does not verify. Serve at the counter with a manual check.",
    },
  },
  samMissing: {
    retriable: false,
    staff: {
      id: 'SAM tidak menjawab atau tercabut; anjungan berhenti melayani sampai SAM terbuka lagi. Periksa pembaca SAM.',
      en: 'The SAM stopped answering or was removed; the kiosk stops serving until it opens again. Check the SAM reader.',
    },
  },
  samRefused: {
    retriable: false,
    staff: {
      id: 'SAM menolak PCID/konfigurasi; tidak dicoba lagi sampai dinyalakan ulang. Teknisi harus memeriksa aktivasi SAM.',
      en: 'The SAM refused the PCID/configuration; not retried until restart. A technician must check the SAM activation.',
    },
  },
  sensorUnavailable: {
    retriable: true,
    staff: {
      id: 'Pemindai sidik jari tidak tersedia. Periksa kabel pemindai.',
      en: 'The fingerprint sensor is not available. Check the sensor cable.',
    },
  },
  identityNotConfirmed: {
    retriable: false,
    staff: {
      id: 'Petugas menyatakan wajah tidak sesuai dengan foto kartu.',
      en: 'Staff judged that the face does not match the card photo.',
    },
  },
  uplinkUnavailable: {
    retriable: true,
    staff: {
      id: 'Layanan Dukcapil tidak terjangkau atau jawabannya tidak dapat dipakai; lihat jenis penolakan.',
      en: 'The Dukcapil service was unreachable or its answer unusable; see the refusal kind.',
    },
  },
  quotaReached: {
    retriable: false,
    staff: {
      id: 'Kuota harian NIK (bersama semua anjungan dengan User ID ini) habis; layanan berhenti sampai besok (WIB).',
      en: 'The daily NIK quota (shared by every kiosk on this User ID) is used up; service stops until tomorrow (WIB).',
    },
  },
  outsideAccessHours: {
    retriable: false,
    staff: {
      id: 'Dukcapil di luar jam akses (kode 06); anjungan berhenti melayani sampai jam akses berikutnya (uplink.accessHours).',
      en: 'Dukcapil is outside its access hours (code 06); the kiosk stops serving until the next access window (uplink.accessHours).',
    },
  },
  registryRefused: {
    retriable: false,
    staff: {
      id: 'Dukcapil menolak akses kita; layanan berhenti sampai petugas memeriksa kredensial.',
      en: 'Dukcapil refused our access; service stops until staff check the credentials.',
    },
  },
  sessionTimeout: {
    retriable: true,
    staff: { id: 'Tidak ada aktivitas sampai batas waktu sesi.', en: 'No activity until the session timed out.' },
  },
  internalError: {
    retriable: true,
    staff: {
      id: 'Galat tak terduga di perangkat lunak; lihat nama galat dan log. Laporkan jika berulang.',
      en: 'An unexpected software error; see the error name and the log. Report it if it repeats.',
    },
  },
} as const satisfies Record<string, FailureRule>;

export type SessionFailureReason = keyof typeof SESSION_FAILURES;

export const OUT_OF_SERVICE_REASONS = [
  'starting',
  'deactivated',
  /** Provisioning is not complete: the screen lists what is missing (device/provisioning-state.ts). */
  'notProvisioned',
  /** The data partition is below its reserve: out of service before SQLite cannot write. */
  'diskFull',
  /** The clock is not NTP-synchronised: the agreement window, the quota day and TLS need it. */
  'clockUnsynchronised',
  'agreementNotInForce',
  'samMissing',
  'samRefused',
  'readerMissing',
  'quotaReached',
  /**
   * A kiosk in a fleet holds no hit while the day's shared quota is not spent: no lease yet, or the
   * fleet refuses it more until its leases settle. Back when a lease comes.
   */
  'awaitingLease',
  'tamper',
  'pausedByStaff',
  'uplinkDown',
  'uplinkRejected',
  /** Dukcapil's access hours are over (configured hours, or a code 06 answer): back at the next window. */
  'outsideAccessHours',
] as const;

export type OutOfServiceReason = (typeof OUT_OF_SERVICE_REASONS)[number];

/** The out-of-service reasons a session can learn of and readiness must then keep to. */
export type ServiceStop = Extract<OutOfServiceReason, 'quotaReached' | 'uplinkRejected' | 'outsideAccessHours'>;

type RefusalKind = RegistryRefusal['kind'];

/**
 * What each registry refusal means for the taxpayer (the session failure), for the kiosk
 * (whether it stops serving) and for staff. A refusal says nothing about the person.
 */
export const REGISTRY_REFUSALS = {
  quotaReached: {
    reason: 'quotaReached',
    stopsService: 'quotaReached',
    staff: { id: 'Dukcapil: kuota akses hari ini telah habis.', en: "Dukcapil: today's access quota is used up." },
  },
  loginFailed: {
    reason: 'registryRefused',
    stopsService: 'uplinkRejected',
    staff: { id: 'Dukcapil: login gagal. Periksa User ID dan kata sandi.', en: 'Dukcapil: login failed. Check the User ID and password.' },
  },
  ipRefused: {
    reason: 'registryRefused',
    stopsService: 'uplinkRejected',
    staff: {
      id: 'Dukcapil: alamat IP tidak sesuai. Periksa IP_USER dan jaringan.',
      en: 'Dukcapil: IP address not accepted. Check IP_USER and the network.',
    },
  },
  institutionInactive: {
    reason: 'registryRefused',
    stopsService: 'uplinkRejected',
    staff: { id: 'Dukcapil: lembaga tidak aktif. Hubungi Disdukcapil.', en: 'Dukcapil: institution inactive. Contact Disdukcapil.' },
  },
  userInactive: {
    reason: 'registryRefused',
    stopsService: 'uplinkRejected',
    staff: { id: 'Dukcapil: User ID tidak aktif. Hubungi Disdukcapil.', en: 'Dukcapil: User ID inactive. Contact Disdukcapil.' },
  },
  outsideHours: {
    reason: 'outsideAccessHours',
    stopsService: 'outsideAccessHours',
    staff: { id: 'Dukcapil: di luar jam akses.', en: 'Dukcapil: outside access hours.' },
  },
  serviceError: {
    reason: 'uplinkUnavailable',
    stopsService: null,
    staff: { id: 'Dukcapil menjawab dengan jawaban yang tidak dapat dipakai.', en: 'Dukcapil sent an answer that cannot be used.' },
  },
  unavailable: {
    reason: 'uplinkUnavailable',
    stopsService: null,
    staff: {
      id: 'Dukcapil tidak terjangkau (jaringan, TLS atau pemutus sirkuit terbuka).',
      en: 'Dukcapil unreachable (network, TLS, or the circuit breaker is open).',
    },
  },
} as const satisfies Record<RefusalKind, { reason: SessionFailureReason; stopsService: ServiceStop | null; staff: Bilingual }>;

/** The codes an error crossing a port carries; each is also the session failure's reason. */
export type DeviceErrorCode = Extract<
  SessionFailureReason,
  | 'cardRemoved'
  | 'readerRemoved'
  | 'cardUnreadable'
  | 'cardNotGenuine'
  | 'signatureInvalid'
  | 'samMissing'
  | 'samRefused'
  | 'sensorUnavailable'
  | 'internalError'
>;

/**
 * What a failure says beyond its reason, for staff and field reports: the ISO 7816 status word
 * of the command that failed (`6A82`), the PC/SC error (`80100069`), the part of the KTP-el
 * layout that did not decode, the registry's refusal kind, or an unexpected error's class name.
 * Never personal data, never an APDU's data.
 */
export type FailureDetail =
  | { kind: 'statusWord'; value: string }
  | { kind: 'readerError'; value: string }
  | { kind: 'cardLayout'; value: string }
  | { kind: 'sensorError'; value: string }
  | { kind: 'registryRefusal'; value: RefusalKind }
  | { kind: 'unexpectedError'; value: string };

export type DeviceErrorDetail = Extract<FailureDetail, { kind: 'statusWord' | 'readerError' | 'cardLayout' | 'sensorError' }>;

/** A failure as the flow carries it: the typed reason, the state that was running, the detail. */
export interface SessionFailure {
  reason: SessionFailureReason;
  state: string;
  detail: FailureDetail | null;
}

/**
 * Errors crossing a port carry one of these codes. Messages are fixed English text for logs;
 * they never include card data, NIKs, credentials or APDU payloads.
 */
export class DeviceError extends Error {
  override readonly name = 'DeviceError';
  constructor(
    readonly reason: DeviceErrorCode,
    message: string,
    readonly detail?: DeviceErrorDetail,
  ) {
    super(message);
  }
}

/** The registry answered about the service or our access, not about the person. */
export class RegistryRefusedError extends Error {
  override readonly name = 'RegistryRefusedError';
  constructor(readonly refusal: RefusalKind) {
    super(`registry refused: ${refusal}`);
  }
}

/** A registry outcome as an answer about the person (a verdict) or a refusal. */
export function splitOutcome(
  outcome: RegistryOutcome,
): { verdict: RegistryVerdict; refusal: null } | { verdict: null; refusal: RegistryRefusal } {
  switch (outcome.kind) {
    case 'verified':
    case 'dataDiffers':
    case 'notFound':
    case 'deceased':
    case 'inactive':
    case 'duplicateRecords':
      return { verdict: outcome, refusal: null };
    case 'quotaReached':
    case 'loginFailed':
    case 'ipRefused':
    case 'outsideHours':
    case 'institutionInactive':
    case 'userInactive':
    case 'serviceError':
    case 'unavailable':
      return { verdict: null, refusal: outcome };
  }
}

/** A failure the flow decides itself (card lifted, timeout, face differs…). */
export function failure(reason: SessionFailureReason, state: string): SessionFailure {
  return { reason, state, detail: null };
}

/** The one mapping from anything a step threw to the failure the taxpayer and staff see. */
export function failureOfError(error: unknown, state: string): SessionFailure {
  if (error instanceof DeviceError) return { reason: error.reason, state, detail: error.detail ?? null };
  if (error instanceof RegistryRefusedError) {
    return { reason: REGISTRY_REFUSALS[error.refusal].reason, state, detail: { kind: 'registryRefusal', value: error.refusal } };
  }
  // Only the class name: an unexpected error's message may quote what it choked on.
  const name = error instanceof Error ? error.name.slice(0, 40) : typeof error;
  return { reason: 'internalError', state, detail: { kind: 'unexpectedError', value: name } };
}

/** What staff read for a failure: the refusal's own message where there is one, else the reason's. */
export function staffMessage(f: SessionFailure): Bilingual {
  return f.detail?.kind === 'registryRefusal' ? REGISTRY_REFUSALS[f.detail.value].staff : SESSION_FAILURES[f.reason].staff;
}

export function isRetriable(reason: SessionFailureReason): boolean {
  return SESSION_FAILURES[reason].retriable;
}
