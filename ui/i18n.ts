/**
 * Every string the kiosk shows, in Bahasa Indonesia (default) and English. Screens pick texts
 * by the codes a view carries (failure reasons, out-of-service reasons, capture hints,
 * outcomes), so the daemon never sends prose and both languages stay complete by type.
 */
import type { KioskView, ResultOutcome } from '../device/view/protocol.ts';

export type Locale = 'id' | 'en';
export const LOCALES: readonly Locale[] = ['id', 'en'];

// Derived from the view protocol: ui/ imports nothing from device/ but the protocol.
type SessionFailureReason = Extract<KioskView, { screen: 'failed' }>['reason'];
type OutOfServiceReason = Extract<KioskView, { screen: 'outOfService' }>['reason'];
type ProvisioningItem = NonNullable<Extract<KioskView, { screen: 'outOfService' }>['missing']>[number];
type FingerFeedback = NonNullable<Extract<KioskView, { screen: 'awaitingFinger' }>['feedback']>;
type ReturnDataError = NonNullable<Extract<KioskView, { screen: 'returnData' }>['error']>;
type FinishedWhy = Extract<KioskView, { screen: 'finished' }>['why'];
type StaffWhy = Extract<KioskView, { screen: 'staffAssist' }>['why'];

/** A taxpayer-facing message: what happened (no code, no blame), and the one thing to do now. */
export interface Advice {
  title: string;
  action: string;
}

export interface Messages {
  appTitle: string;
  office: string;
  switchLanguage: string;
  reconnecting: string;
  cancel: string;
  tryAgain: string;
  done: string;
  /** Label of the session's reference code on the last screens of a session. */
  sessionReference: string;
  /** The discreet way into the staff dashboard (/staff/) on the screens staff use. */
  staffEntry: { label: string; name: string };
  /** The one-tap settings on every screen. */
  /** The one-tap settings: each button's short word, and the full name for assistive technology. */
  toolbar: { largeText: string; contrast: string; mute: string; muteShort: string; volume: string; volumeShort: string; settings: string };
  /** The step bar: where the taxpayer is in the session. */
  steps: {
    label: string;
    card: string;
    finger: string;
    check: string;
    result: string;
    current: string;
    /** The current step alone, where the header holds it (large text on the kiosk's panel). */
    inHeader: (at: number, of: number) => string;
  };
  welcome: { title: string; instruction: string; privacy: string };
  readingCard: { title: Record<'templates' | 'record', string>; keepCard: string; percent: (p: number) => string };
  finger: {
    title: (finger: string) => string;
    attempt: (n: number, of: number) => string;
    /** What the last touch needs (no match, a capture hint); a change of finger is told by otherFinger. */
    feedback: Record<Exclude<FingerFeedback, 'otherFinger'>, string>;
    /** The try now asks for the card's other finger (device/flow/asked-finger.ts). */
    otherFinger: (finger: string) => string;
    cannotGive: string;
    /** ISO/IEC 19794-2 finger position codes 1-10. */
    names: Record<number, string>;
    unknownFinger: string;
    leftHand: string;
    rightHand: string;
    handsAlt: (finger: string) => string;
  };
  staff: {
    callTitle: string;
    why: Record<StaffWhy, string>;
    /** Over the PIN pad once staff opened it. */
    padTitle: string;
    pinLabel: string;
    pinRejected: string;
    helpNeeded: string;
    staffButton: string;
    hidePad: string;
    attemptsLeft: (n: number) => string;
    lockedUntil: (time: string) => string;
    unlock: string;
    clear: string;
    backspace: string;
    readingRecord: string;
    compareTitle: string;
    compareInstruction: string;
    photoAlt: string;
    faceMatches: string;
    faceDiffers: string;
  };
  validating: { title: string; detail: string };
  result: {
    outcome: Record<ResultOutcome, Advice>;
    fieldHeader: string;
    cardHeader: string;
    registryHeader: string;
    agrees: string;
    differs: string;
    /** The registry sent nothing for this field: nothing was compared. */
    unknown: string;
    noRegistryValue: string;
    notCompared: string;
    linkReturnData: string;
    tableLabel: string;
    /** The table's pages: only whole rows, as many as the screen holds. */
    previousPage: string;
    nextPage: string;
    page: (at: number, of: number) => string;
    pageLabel: (at: number, of: number) => string;
    holdToShow: string;
  };
  returnData: {
    title: string;
    intro: string;
    nopLabel: string;
    nopHint: string;
    npwpdLabel: string;
    npwpdHint: string;
    digitCount: (n: number, of: number) => string;
    keptFor: string;
    error: Record<ReturnDataError, string>;
    submit: string;
    skip: string;
    letters: string;
    digits: string;
  };
  finished: { title: Record<FinishedWhy, string>; why: Record<FinishedWhy, string> };
  failed: {
    reason: Record<SessionFailureReason, Advice>;
    /** The way to try again, by where the card is now. */
    retryCardIn: string;
    retryCardOut: string;
    /** Where trying again cannot help and the card is still on the reader. */
    takeCard: string;
  };
  outOfService: {
    title: string;
    startingTitle: string;
    reason: Record<OutOfServiceReason, string>;
    /**
     * When the kiosk serves again, where it knows (outside access hours): the WIB time, and the
     * day when it is not today (closed at night or over a weekend).
     */
    reopensAt: (time: string) => string;
    reopensTomorrowAt: (time: string) => string;
    reopensOnAt: (weekday: string, time: string) => string;
    goToCounter: string;
    /** For the technician: what provisioning still lacks (notProvisioned), by item. */
    missing: { title: string; items: Record<ProvisioningItem, string> };
    /** Staff clearing the tamper lock on the kiosk itself. */
    tamperClear: { instruction: string; closeFirst: string };
  };
  idle: { title: string; countdown: (s: number) => string; continue: string; touchToContinue: string };
  demo: {
    panel: string;
    panelShort: string;
    hint: string;
    persona: string;
    insertCard: string;
    genuineFinger: string;
    strangerFinger: string;
    removeCard: string;
    lights: string;
    light: { green: string; amber: string; red: string };
    openEnclosure: string;
    closeEnclosure: string;
    failed: string;
  };
}

const id: Messages = {
  appTitle: 'Anjungan Verifikasi KTP-el',
  office: 'Badan Keuangan Daerah Kabupaten Karanganyar',
  switchLanguage: 'English',
  reconnecting: 'Menyambung kembali… Mohon tunggu sebentar.',
  cancel: 'Batal',
  tryAgain: 'Coba lagi',
  done: 'Selesai',
  sessionReference: 'Kode sesi untuk petugas',
  staffEntry: { label: 'Petugas', name: 'Petugas: buka dasbor petugas' },
  toolbar: {
    largeText: 'Huruf besar',
    contrast: 'Kontras',
    mute: 'Bisukan suara',
    muteShort: 'Bisu',
    volume: 'Volume suara',
    volumeShort: 'Volume',
    settings: 'Pengaturan tampilan dan suara',
  },
  steps: {
    label: 'Langkah',
    card: 'Kartu',
    finger: 'Sidik jari',
    check: 'Pemeriksaan',
    result: 'Hasil',
    current: 'langkah saat ini',
    inHeader: (at, of) => `Langkah ${at} dari ${of}`,
  },
  welcome: {
    title: 'Selamat datang',
    instruction: 'Letakkan KTP-el Anda di atas pembaca kartu.',
    privacy: 'Data KTP-el Anda hanya dipakai untuk pemeriksaan ini, lalu dihapus.',
  },
  readingCard: {
    title: { templates: 'Membaca KTP-el…', record: 'Membaca data KTP-el…' },
    keepCard: 'Biarkan kartu tetap di atas pembaca.',
    percent: (p) => `${p}%`,
  },
  finger: {
    title: (finger) => `Tempelkan ${finger} Anda pada pemindai sidik jari`,
    attempt: (n, of) => `Percobaan ${n} dari ${of}`,
    feedback: {
      noMatch: 'Sidik jari belum cocok. Tempelkan lagi jari yang sama.',
      pressLonger: 'Tahan jari sedikit lebih lama di pemindai.',
      cleanFinger: 'Bersihkan jari Anda, lalu tempelkan lagi.',
      placeCentered: 'Letakkan jari tepat di tengah pemindai.',
    },
    otherFinger: (finger) => `Sekarang ganti ke ${finger} Anda.`,
    cannotGive: 'Saya tidak bisa memberi sidik jari',
    names: {
      1: 'ibu jari kanan',
      2: 'telunjuk kanan',
      3: 'jari tengah kanan',
      4: 'jari manis kanan',
      5: 'kelingking kanan',
      6: 'ibu jari kiri',
      7: 'telunjuk kiri',
      8: 'jari tengah kiri',
      9: 'jari manis kiri',
      10: 'kelingking kiri',
    },
    unknownFinger: 'jari',
    leftHand: 'Tangan kiri',
    rightHand: 'Tangan kanan',
    handsAlt: (finger) => `Gambar kedua tangan; jari yang diminta: ${finger}, ditandai kuning bergaris`,
  },
  staff: {
    callTitle: 'Silakan tunggu petugas',
    why: {
      fingerNotMatched: 'Sidik jari tidak dapat dicocokkan. Petugas akan memeriksa identitas Anda.',
      taxpayerChoice: 'Petugas akan memeriksa identitas Anda tanpa sidik jari.',
    },
    padTitle: 'Petugas: masukkan PIN',
    pinLabel: 'PIN petugas',
    pinRejected: 'PIN tidak diterima. Masukkan lagi.',
    helpNeeded: 'Petugas sudah diberi tahu. Sesi tidak berakhir selama Anda menunggu.',
    staffButton: 'Petugas',
    hidePad: 'Tutup',
    attemptsLeft: (n) => `Sisa ${n} kali percobaan PIN`,
    lockedUntil: (time) => `PIN petugas terkunci sampai pukul ${time}`,
    unlock: 'Buka',
    clear: 'Hapus',
    backspace: 'Hapus satu',
    readingRecord: 'Membaca data KTP-el…',
    compareTitle: 'Petugas: bandingkan wajah',
    compareInstruction: 'Apakah wajah wajib pajak sesuai dengan foto pada KTP-el?',
    photoAlt: 'Foto pada KTP-el',
    faceMatches: 'Wajah sesuai',
    faceDiffers: 'Wajah tidak sesuai',
  },
  validating: {
    title: 'Memeriksa data kependudukan…',
    detail: 'Mohon tunggu. Biarkan kartu tetap di atas pembaca.',
  },
  result: {
    outcome: {
      verified: { title: 'Data sesuai', action: 'Data KTP-el Anda sesuai dengan data kependudukan.' },
      dataDiffers: {
        title: 'Sebagian data berbeda',
        action: 'Silakan perbarui data yang ditandai di kantor Disdukcapil.',
      },
      notFound: {
        title: 'Data belum ditemukan',
        action: 'Silakan datang ke kantor Disdukcapil dengan KTP-el Anda.',
      },
      deceased: {
        title: 'Data perlu diperiksa petugas',
        action: 'Silakan tunjukkan KTP-el Anda kepada petugas di loket.',
      },
      inactive: {
        title: 'Status NIK belum aktif',
        action: 'Silakan datang ke kantor Disdukcapil untuk mengaktifkannya.',
      },
      duplicateRecords: {
        title: 'Data tercatat ganda',
        action: 'Silakan datang ke kantor Disdukcapil untuk memperbaikinya.',
      },
    },
    fieldHeader: 'Data',
    cardHeader: 'KTP-el',
    registryHeader: 'Dukcapil',
    agrees: 'Sesuai',
    differs: 'Berbeda',
    unknown: 'Tidak ada data',
    noRegistryValue: '—',
    notCompared: 'Berikut data pada KTP-el Anda.',
    linkReturnData: 'Isi NOP/NPWPD',
    tableLabel: 'Tabel data KTP-el',
    previousPage: 'Sebelumnya',
    nextPage: 'Berikutnya',
    page: (at, of) => `${at}/${of}`,
    pageLabel: (at, of) => `Halaman ${at} dari ${of}`,
    holdToShow: 'Tahan untuk melihat',
  },
  returnData: {
    title: 'NOP PBB-P2 atau NPWPD',
    intro: 'Tidak wajib.',
    nopLabel: 'NOP PBB-P2',
    nopHint: '18 angka, contoh 33.13.010.001.001-0001.0',
    npwpdLabel: 'NPWPD',
    npwpdHint: 'Seperti pada kartu NPWPD, contoh P.2.0001234.33.13',
    digitCount: (n, of) => `${n} dari ${of} angka`,
    keptFor: 'Nomor ini dikirim ke Disdukcapil bersama NIK Anda.',
    error: {
      nopFormat: 'NOP harus 18 angka, diakhiri 0, 7 atau 9.',
      npwpdFormat: 'Samakan NPWPD dengan kartu NPWPD Anda.',
      nothingEntered: 'Isi NOP atau NPWPD, atau pilih "Lewati".',
    },
    submit: 'Simpan',
    skip: 'Lewati',
    letters: 'ABC',
    digits: '123',
  },
  finished: {
    title: {
      completed: 'Silakan ambil kartu Anda',
      cancelled: 'Silakan ambil kartu Anda',
      returnDataSaved: 'Silakan ambil kartu Anda',
      cardTaken: 'Terima kasih',
    },
    why: {
      completed: 'Terima kasih telah menggunakan anjungan ini.',
      cancelled: 'Pemeriksaan dibatalkan. Data Anda sudah dihapus.',
      returnDataSaved: 'NOP/NPWPD Anda sudah diterima. Terima kasih.',
      cardTaken: 'Pemeriksaan selesai. Data Anda sudah dihapus dari anjungan.',
    },
  },
  failed: {
    reason: {
      cardRemoved: { title: 'Kartu terangkat sebelum selesai', action: 'Biarkan kartu di atas pembaca sampai selesai.' },
      readerRemoved: { title: 'Pembaca kartu terputus sebentar', action: 'Bila terulang, silakan ke loket pelayanan.' },
      cardUnreadable: { title: 'Kartu belum terbaca', action: 'Letakkan kartu tepat di tengah pembaca dan jangan digeser.' },
      cardNotGenuine: { title: 'Kartu tidak dapat dibaca di anjungan ini', action: 'Silakan ke loket pelayanan.' },
      signatureInvalid: { title: 'Data kartu tidak dapat diperiksa di sini', action: 'Silakan ke loket pelayanan.' },
      samMissing: { title: 'Pembaca kartu sedang bermasalah', action: 'Silakan ke loket pelayanan.' },
      samRefused: { title: 'Pembaca kartu belum siap dipakai', action: 'Silakan ke loket pelayanan.' },
      sensorUnavailable: { title: 'Pemindai sidik jari sedang bermasalah', action: 'Bila terulang, silakan ke loket pelayanan.' },
      identityNotConfirmed: { title: 'Identitas belum dapat dipastikan', action: 'Silakan ke loket pelayanan dengan KTP-el Anda.' },
      uplinkUnavailable: { title: 'Pemeriksaan data belum dapat dilakukan', action: 'Silakan coba beberapa saat lagi.' },
      quotaReached: { title: 'Layanan anjungan hari ini sudah penuh', action: 'Silakan ke loket pelayanan.' },
      outsideAccessHours: {
        title: 'Di luar jam layanan pemeriksaan data',
        action: 'Silakan kembali pada jam layanan, atau ke loket pelayanan.',
      },
      registryRefused: { title: 'Data kependudukan belum dapat diperiksa', action: 'Silakan ke loket pelayanan.' },
      sessionTimeout: { title: 'Waktu habis', action: 'Pemeriksaan dihentikan agar data Anda tetap aman.' },
      internalError: { title: 'Terjadi gangguan sesaat', action: 'Mohon maaf. Bila terulang, silakan ke loket pelayanan.' },
    },
    retryCardIn: 'Untuk mencoba lagi: angkat KTP-el, lalu letakkan kembali.',
    retryCardOut: 'Untuk mencoba lagi: letakkan KTP-el di atas pembaca.',
    takeCard: 'Silakan ambil kartu Anda.',
  },
  outOfService: {
    title: 'Anjungan sedang tidak melayani',
    startingTitle: 'Anjungan sedang disiapkan',
    reason: {
      starting: 'Anjungan sedang dinyalakan. Mohon tunggu sebentar.',
      deactivated: 'Anjungan ini sudah tidak dipakai.',
      notProvisioned: 'Anjungan ini belum selesai disiapkan oleh teknisi.',
      diskFull: 'Penyimpanan anjungan hampir penuh. Petugas teknis perlu memeriksanya.',
      clockUnsynchronised: 'Jam anjungan belum tersinkron dengan server waktu.',
      agreementNotInForce: 'Layanan pemeriksaan KTP-el sedang ditutup.',
      samMissing: 'Pembaca kartu sedang diperbaiki.',
      samRefused: 'Pembaca kartu belum siap dipakai.',
      readerMissing: 'Pembaca kartu tidak tersambung.',
      quotaReached: 'Batas pemeriksaan hari ini sudah tercapai. Layanan buka lagi besok.',
      awaitingLease: 'Anjungan menunggu jatah pemeriksaan dari server pusat; kuota hari ini belum habis. Layanan segera dibuka kembali.',
      tamper: 'Anjungan sedang diperiksa petugas.',
      pausedByStaff: 'Layanan dihentikan sementara oleh petugas.',
      uplinkDown: 'Sambungan ke data kependudukan sedang terputus.',
      uplinkRejected: 'Akses ke data kependudukan sedang ditutup.',
      outsideAccessHours: 'Pemeriksaan data kependudukan sedang di luar jam layanan.',
    },
    reopensAt: (time) => `Layanan dibuka kembali hari ini pukul ${time} WIB.`,
    reopensTomorrowAt: (time) => `Layanan dibuka kembali besok pukul ${time} WIB.`,
    reopensOnAt: (weekday, time) => `Layanan dibuka kembali hari ${weekday} pukul ${time} WIB.`,
    goToCounter: 'Silakan ke loket pelayanan. Mohon maaf atas ketidaknyamanannya.',
    missing: {
      title: 'Untuk teknisi — belum diatur (anjungan-provision):',
      items: {
        config: 'konfigurasi: init',
        configInvalid: 'konfigurasi perlu diperiksa: doctor',
        credentials: 'berkas rahasia: init',
        dukcapilCredentials: 'kredensial Dukcapil: credentials set',
        uplink: 'alamat layanan Dukcapil dan CA: uplink set',
        issuerKey: 'kunci publik penerbit KTP-el: init --issuer-key',
        agreement: 'perjanjian kerja sama: agreement set',
        sam: 'SAM pembaca kartu: sam install',
        ntp: 'server waktu (NTP): time set',
        fingerprint: 'pemindai sidik jari: init',
        gpio: 'panel GPIO: init',
      },
    },
    tamperClear: {
      instruction: 'Petugas: periksa anjungan, tutup casing, lalu masukkan PIN.',
      closeFirst: 'Casing masih terbuka. Tutup casing terlebih dahulu.',
    },
  },
  idle: {
    title: 'Apakah Anda masih di sini?',
    countdown: (s) => `Pemeriksaan akan berhenti dalam ${s} detik.`,
    continue: 'Lanjutkan',
    touchToContinue: 'Sentuh Lanjutkan untuk meneruskan.',
  },
  demo: {
    panel: 'Tutup panel demo',
    panelShort: 'Demo',
    hint: 'Panel demo: meniru kartu dan jari sungguhan (dunia fisik).',
    persona: 'Persona',
    insertCard: 'Masukkan kartu',
    genuineFinger: 'Tempelkan jari (pemilik)',
    strangerFinger: 'Tempelkan jari (orang lain)',
    removeCard: 'Cabut kartu',
    lights: 'Lampu panel',
    light: { green: 'hijau', amber: 'kuning', red: 'merah' },
    openEnclosure: 'Buka casing (tamper)',
    closeEnclosure: 'Tutup casing',
    failed: 'Aksi demo gagal',
  },
};

const en: Messages = {
  appTitle: 'KTP-el Verification Kiosk',
  office: 'Regional Finance Agency of Karanganyar Regency',
  switchLanguage: 'Bahasa Indonesia',
  reconnecting: 'Reconnecting… Please wait a moment.',
  cancel: 'Cancel',
  tryAgain: 'Try again',
  done: 'Done',
  sessionReference: 'Session code for staff',
  staffEntry: { label: 'Staff', name: 'Staff: open the staff dashboard' },
  toolbar: {
    largeText: 'Large text',
    contrast: 'Contrast',
    mute: 'Mute sound',
    muteShort: 'Mute',
    volume: 'Sound volume',
    volumeShort: 'Volume',
    settings: 'Display and sound settings',
  },
  steps: {
    label: 'Steps',
    card: 'Card',
    finger: 'Fingerprint',
    check: 'Check',
    result: 'Result',
    current: 'current step',
    inHeader: (at, of) => `Step ${at} of ${of}`,
  },
  welcome: {
    title: 'Welcome',
    instruction: 'Place your KTP-el on the card reader.',
    privacy: 'Your KTP-el data is used for this check only, then deleted.',
  },
  readingCard: {
    title: { templates: 'Reading your KTP-el…', record: 'Reading your KTP-el data…' },
    keepCard: 'Keep the card on the reader.',
    percent: (p) => `${p}%`,
  },
  finger: {
    title: (finger) => `Place your ${finger} on the fingerprint scanner`,
    attempt: (n, of) => `Attempt ${n} of ${of}`,
    feedback: {
      noMatch: 'The fingerprint did not match yet. Place the same finger again.',
      pressLonger: 'Hold your finger on the scanner a little longer.',
      cleanFinger: 'Wipe your finger clean, then place it again.',
      placeCentered: 'Place your finger in the middle of the scanner.',
    },
    otherFinger: (finger) => `Now switch to your ${finger}.`,
    cannotGive: 'I cannot give a fingerprint',
    names: {
      1: 'right thumb',
      2: 'right index finger',
      3: 'right middle finger',
      4: 'right ring finger',
      5: 'right little finger',
      6: 'left thumb',
      7: 'left index finger',
      8: 'left middle finger',
      9: 'left ring finger',
      10: 'left little finger',
    },
    unknownFinger: 'finger',
    leftHand: 'Left hand',
    rightHand: 'Right hand',
    handsAlt: (finger) => `Picture of both hands; the finger asked for: ${finger}, marked yellow with stripes`,
  },
  staff: {
    callTitle: 'Please wait for staff',
    why: {
      fingerNotMatched: 'The fingerprint could not be matched. A staff member will check your identity.',
      taxpayerChoice: 'A staff member will check your identity without a fingerprint.',
    },
    padTitle: 'Staff: enter your PIN',
    pinLabel: 'Staff PIN',
    pinRejected: 'PIN not accepted. Enter it again.',
    helpNeeded: 'Staff have been told. The session does not end while you wait.',
    staffButton: 'Staff',
    hidePad: 'Close',
    attemptsLeft: (n) => `${n} PIN attempts left`,
    lockedUntil: (time) => `Staff PIN locked until ${time}`,
    unlock: 'Unlock',
    clear: 'Clear',
    backspace: 'Delete one',
    readingRecord: 'Reading your KTP-el data…',
    compareTitle: 'Staff: compare the face',
    compareInstruction: "Does the taxpayer's face match the photo on the KTP-el?",
    photoAlt: 'Photo on the KTP-el',
    faceMatches: 'Face matches',
    faceDiffers: 'Face does not match',
  },
  validating: {
    title: 'Checking the population records…',
    detail: 'Please wait. Keep the card on the reader.',
  },
  result: {
    outcome: {
      verified: { title: 'Your data matches', action: 'Your KTP-el data matches the population records.' },
      dataDiffers: {
        title: 'Some data differs',
        action: 'Please update the marked data at the Disdukcapil office.',
      },
      notFound: {
        title: 'No records found yet',
        action: 'Please visit the Disdukcapil office with your KTP-el.',
      },
      deceased: {
        title: 'Staff need to check the records',
        action: 'Please show your KTP-el to the staff at the counter.',
      },
      inactive: {
        title: 'The NIK is not active',
        action: 'Please visit the Disdukcapil office to have it activated.',
      },
      duplicateRecords: {
        title: 'The records appear twice',
        action: 'Please visit the Disdukcapil office to have them corrected.',
      },
    },
    fieldHeader: 'Data',
    cardHeader: 'KTP-el',
    registryHeader: 'Registry',
    agrees: 'Agrees',
    differs: 'Differs',
    unknown: 'No data',
    noRegistryValue: '—',
    notCompared: 'This is the data on your KTP-el.',
    linkReturnData: 'Add NOP/NPWPD',
    tableLabel: 'Table of KTP-el data',
    previousPage: 'Previous',
    nextPage: 'Next',
    page: (at, of) => `${at}/${of}`,
    pageLabel: (at, of) => `Page ${at} of ${of}`,
    holdToShow: 'Hold to show',
  },
  returnData: {
    title: 'NOP PBB-P2 or NPWPD',
    intro: 'Optional.',
    nopLabel: 'NOP PBB-P2',
    nopHint: '18 digits, e.g. 33.13.010.001.001-0001.0',
    npwpdLabel: 'NPWPD',
    npwpdHint: 'As on your NPWPD card, e.g. P.2.0001234.33.13',
    digitCount: (n, of) => `${n} of ${of} digits`,
    keptFor: 'These numbers are sent to Disdukcapil with your NIK.',
    error: {
      nopFormat: 'A NOP has 18 digits and ends in 0, 7 or 9.',
      npwpdFormat: 'Copy the NPWPD exactly as on your NPWPD card.',
      nothingEntered: 'Enter a NOP or an NPWPD, or choose "Skip".',
    },
    submit: 'Save',
    skip: 'Skip',
    letters: 'ABC',
    digits: '123',
  },
  finished: {
    title: {
      completed: 'Please take your card',
      cancelled: 'Please take your card',
      returnDataSaved: 'Please take your card',
      cardTaken: 'Thank you',
    },
    why: {
      completed: 'Thank you for using this kiosk.',
      cancelled: 'The check was cancelled. Your data has been deleted.',
      returnDataSaved: 'Your NOP/NPWPD has been received. Thank you.',
      cardTaken: 'The check is complete. Your data has been deleted from the kiosk.',
    },
  },
  failed: {
    reason: {
      cardRemoved: { title: 'The card was lifted too soon', action: 'Keep the card on the reader until it is done.' },
      readerRemoved: {
        title: 'The card reader was briefly disconnected',
        action: 'If it happens again, please go to the service counter.',
      },
      cardUnreadable: { title: 'The card could not be read yet', action: 'Place the card in the middle of the reader and keep it still.' },
      cardNotGenuine: { title: 'This card cannot be read at this kiosk', action: 'Please go to the service counter.' },
      signatureInvalid: { title: 'The card data cannot be checked here', action: 'Please go to the service counter.' },
      samMissing: { title: 'The card reader has a problem', action: 'Please go to the service counter.' },
      samRefused: { title: 'The card reader is not ready for use', action: 'Please go to the service counter.' },
      sensorUnavailable: {
        title: 'The fingerprint scanner has a problem',
        action: 'If it happens again, please go to the service counter.',
      },
      identityNotConfirmed: {
        title: 'Your identity could not be confirmed yet',
        action: 'Please go to the service counter with your KTP-el.',
      },
      uplinkUnavailable: { title: 'The records cannot be checked right now', action: 'Please try again in a little while.' },
      quotaReached: { title: "Today's kiosk service is fully used", action: 'Please go to the service counter.' },
      outsideAccessHours: {
        title: 'Outside the hours the records can be checked',
        action: 'Please come back during service hours, or go to the service counter.',
      },
      registryRefused: { title: 'The population records cannot be checked', action: 'Please go to the service counter.' },
      sessionTimeout: { title: 'Time is up', action: 'The check was stopped to keep your data safe.' },
      internalError: { title: 'A brief problem occurred', action: 'We apologise. If it happens again, please go to the service counter.' },
    },
    retryCardIn: 'To try again: lift your KTP-el, then place it back.',
    retryCardOut: 'To try again: place your KTP-el on the reader.',
    takeCard: 'Please take your card.',
  },
  outOfService: {
    title: 'This kiosk is not in service',
    startingTitle: 'The kiosk is getting ready',
    reason: {
      starting: 'The kiosk is starting up. Please wait a moment.',
      deactivated: 'This kiosk is no longer in use.',
      notProvisioned: 'This kiosk has not been fully set up by a technician yet.',
      diskFull: "The kiosk's storage is almost full. A technician needs to check it.",
      clockUnsynchronised: "The kiosk's clock is not yet synchronised with the time server.",
      agreementNotInForce: 'The KTP-el check service is closed at the moment.',
      samMissing: 'The card reader is being repaired.',
      samRefused: 'The card reader is not ready for use.',
      readerMissing: 'The card reader is not connected.',
      quotaReached: "Today's limit of checks has been reached. Service opens again tomorrow.",
      awaitingLease:
        "The kiosk is waiting for its share of checks from the central server; today's quota is not used up. Service resumes shortly.",
      tamper: 'Staff are checking the kiosk.',
      pausedByStaff: 'Service has been paused by staff.',
      uplinkDown: 'The connection to the population records is down.',
      uplinkRejected: 'Access to the population records is closed at the moment.',
      outsideAccessHours: 'The population records are outside their service hours.',
    },
    reopensAt: (time) => `Service resumes today at ${time} WIB.`,
    reopensTomorrowAt: (time) => `Service resumes tomorrow at ${time} WIB.`,
    reopensOnAt: (weekday, time) => `Service resumes on ${weekday} at ${time} WIB.`,
    goToCounter: 'Please go to the service counter. We apologise for the inconvenience.',
    missing: {
      title: 'For the technician — not set yet (anjungan-provision):',
      items: {
        config: 'configuration: init',
        configInvalid: 'configuration needs checking: doctor',
        credentials: 'secrets file: init',
        dukcapilCredentials: 'Dukcapil credentials: credentials set',
        uplink: 'Dukcapil endpoint and CA: uplink set',
        issuerKey: 'KTP-el issuer public key: init --issuer-key',
        agreement: 'data-access agreement: agreement set',
        sam: "card reader's SAM: sam install",
        ntp: 'time servers (NTP): time set',
        fingerprint: 'fingerprint sensor: init',
        gpio: 'GPIO panel: init',
      },
    },
    tamperClear: {
      instruction: 'Staff: check the kiosk, close the enclosure, then enter your PIN.',
      closeFirst: 'The enclosure is still open. Close it first.',
    },
  },
  idle: {
    title: 'Are you still there?',
    countdown: (s) => `The check stops in ${s} seconds.`,
    continue: 'Continue',
    touchToContinue: 'Touch Continue to go on.',
  },
  demo: {
    panel: 'Close demo panel',
    panelShort: 'Demo',
    hint: 'Demo panel: stands in for a real card and finger (the physical world).',
    persona: 'Persona',
    insertCard: 'Insert card',
    genuineFinger: 'Present finger (holder)',
    strangerFinger: 'Present finger (someone else)',
    removeCard: 'Remove card',
    lights: 'Panel lights',
    light: { green: 'green', amber: 'amber', red: 'red' },
    openEnclosure: 'Open enclosure (tamper)',
    closeEnclosure: 'Close enclosure',
    failed: 'Demo action failed',
  },
};

export const CATALOGUE: Record<Locale, Messages> = { id, en };

export function messages(locale: Locale): Messages {
  return CATALOGUE[locale];
}

export function fingerName(m: Messages, position: number): string {
  return m.finger.names[position] ?? m.finger.unknownFinger;
}
