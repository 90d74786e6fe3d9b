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

/** A taxpayer-facing message: what happened, and what to do now. */
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
  toolbar: { largeText: string; contrast: string; sound: string; mute: string; volume: string; settings: string };
  /** The step bar: where the taxpayer is in the session. */
  steps: { label: string; card: string; finger: string; check: string; result: string; current: string };
  welcome: { title: string; instruction: string; privacy: string };
  readingCard: { title: Record<'templates' | 'record', string>; keepCard: string; percent: (p: number) => string };
  finger: {
    title: (finger: string) => string;
    attempt: (n: number, of: number) => string;
    feedback: Record<FingerFeedback, string>;
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
    noRegistryValue: string;
    notCompared: string;
    linkReturnData: string;
    tableLabel: string;
    moreRows: (n: number) => string;
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
    retryHow: string;
    staffCodeLabel: string;
    /** Names of the steps a failure can happen in, for the staff line. */
    stateNames: Record<string, string>;
  };
  outOfService: {
    title: string;
    startingTitle: string;
    reason: Record<OutOfServiceReason, string>;
    /** When the kiosk serves again, where it knows (outside access hours). */
    reopensAt: (time: string) => string;
    goToCounter: string;
    /** For the technician: what provisioning still lacks (notProvisioned), by item. */
    missing: { title: string; items: Record<ProvisioningItem, string> };
    /** Staff clearing the tamper lock on the kiosk itself. */
    tamperClear: { instruction: string; closeFirst: string };
  };
  idle: { title: string; countdown: (s: number) => string; continue: string };
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
  reconnecting: 'Menghubungkan kembali ke anjungan…',
  cancel: 'Batal',
  tryAgain: 'Coba lagi',
  done: 'Selesai',
  sessionReference: 'Kode sesi (sebutkan kepada petugas bila perlu)',
  staffEntry: { label: 'Petugas', name: 'Petugas: buka dasbor petugas' },
  toolbar: { largeText: 'Huruf besar', contrast: 'Kontras tinggi', sound: 'Suara', mute: 'Bisukan suara', volume: 'Volume suara', settings: 'Pengaturan tampilan dan suara' },
  steps: { label: 'Langkah', card: 'Kartu', finger: 'Sidik jari', check: 'Pemeriksaan', result: 'Hasil', current: 'langkah saat ini' },
  welcome: {
    title: 'Selamat datang',
    instruction: 'Letakkan KTP-el Anda di atas pembaca kartu untuk memulai.',
    privacy: 'Data Anda hanya dipakai untuk verifikasi ini dan tidak disimpan.',
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
      cleanFinger: 'Bersihkan jari dan kaca pemindai, lalu coba lagi.',
      placeCentered: 'Letakkan jari tepat di tengah pemindai.',
    },
    cannotGive: 'Saya tidak dapat memberikan sidik jari',
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
    callTitle: 'Mohon panggil petugas',
    why: {
      fingerNotMatched: 'Sidik jari tidak dapat dicocokkan. Petugas akan membantu memeriksa identitas Anda.',
      taxpayerChoice: 'Petugas akan membantu memeriksa identitas Anda tanpa sidik jari.',
    },
    pinLabel: 'PIN petugas',
    pinRejected: 'PIN salah. Silakan ulangi.',
    helpNeeded: 'Petugas sedang dipanggil. Silakan tunggu; sesi tidak akan berakhir selama menunggu.',
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
    title: 'Memeriksa data ke Dukcapil…',
    detail: 'Mohon tunggu sebentar. Biarkan kartu tetap di atas pembaca.',
  },
  result: {
    outcome: {
      verified: { title: 'Data terverifikasi', action: 'Data KTP-el Anda sesuai dengan data kependudukan.' },
      dataDiffers: {
        title: 'Sebagian data berbeda',
        action: 'Data yang berbeda ditandai di bawah. Silakan perbarui data Anda di Disdukcapil.',
      },
      notFound: {
        title: 'NIK tidak ditemukan',
        action: 'NIK Anda tidak ditemukan di data kependudukan. Silakan hubungi Disdukcapil.',
      },
      deceased: {
        title: 'NIK tercatat meninggal dunia',
        action: 'Data kependudukan mencatat NIK ini meninggal dunia. Silakan hubungi petugas di loket.',
      },
      inactive: {
        title: 'NIK tidak aktif',
        action: 'NIK ini tercatat tidak aktif. Silakan hubungi Disdukcapil untuk mengaktifkannya.',
      },
      duplicateRecords: {
        title: 'Data ganda',
        action: 'NIK ini tercatat lebih dari satu kali. Silakan hubungi Disdukcapil.',
      },
    },
    fieldHeader: 'Data',
    cardHeader: 'KTP-el',
    registryHeader: 'Dukcapil',
    agrees: 'Sesuai',
    differs: 'Berbeda',
    noRegistryValue: '—',
    notCompared: 'Dukcapil tidak mengirim data untuk dibandingkan; berikut data pada KTP-el Anda.',
    linkReturnData: 'Tambahkan NOP/NPWPD',
    tableLabel: 'Tabel data KTP-el',
    moreRows: (n) => `${n} baris lagi di bawah — geser ke atas untuk melihat`,
    holdToShow: 'Tahan untuk melihat',
  },
  returnData: {
    title: 'Tautkan NOP PBB-P2 / NPWPD',
    intro: 'Isi salah satu atau keduanya. Anda dapat melewati langkah ini.',
    nopLabel: 'NOP PBB-P2',
    nopHint: '18 angka, contoh 33.13.010.001.001-0001.0',
    npwpdLabel: 'NPWPD',
    npwpdHint: 'Sesuai kartu NPWPD Anda, contoh P.2.0001234.33.13',
    digitCount: (n, of) => `${n} dari ${of} angka`,
    keptFor: 'NIK Anda dan NOP/NPWPD yang Anda isi disimpan tersegel untuk Disdukcapil (data balikan).',
    error: {
      nopFormat: 'NOP harus 18 angka dan diakhiri kode 0, 7 atau 9. Periksa kembali.',
      npwpdFormat: 'Format NPWPD tidak dikenali. Contoh: P.2.0001234.33.13. Periksa kembali kartu NPWPD Anda.',
      nothingEntered: 'Isi NOP atau NPWPD terlebih dahulu, atau pilih "Selesai tanpa NOP/NPWPD".',
    },
    submit: 'Simpan NOP/NPWPD',
    skip: 'Selesai tanpa NOP/NPWPD',
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
      cancelled: 'Sesi dibatalkan. Tidak ada data yang disimpan.',
      returnDataSaved: 'NOP/NPWPD Anda telah dicatat. Terima kasih.',
      cardTaken: 'Verifikasi selesai. Data Anda sudah dihapus dari layar.',
    },
  },
  failed: {
    reason: {
      cardRemoved: {
        title: 'Kartu terangkat',
        action: 'KTP-el terangkat sebelum selesai dibaca. Letakkan kembali dan biarkan sampai selesai.',
      },
      readerRemoved: {
        title: 'Pembaca kartu terputus',
        action: 'Pembaca kartu sempat terputus. Silakan coba lagi; jika berulang, panggil petugas.',
      },
      cardUnreadable: {
        title: 'Kartu tidak terbaca',
        action: 'Letakkan KTP-el tepat di tengah pembaca dan jangan digeser, lalu coba lagi.',
      },
      cardNotGenuine: {
        title: 'Kartu tidak dapat diverifikasi',
        action: 'Kartu ini tidak dikenali sebagai KTP-el. Silakan menuju loket pelayanan.',
      },
      signatureInvalid: {
        title: 'Tanda tangan digital kartu tidak sah',
        action: 'Data pada chip KTP-el tidak dapat dipastikan keasliannya. Silakan menuju loket pelayanan.',
      },
      samMissing: {
        title: 'Modul keamanan pembaca tidak menjawab',
        action: 'Kartu tidak dapat dibaca saat ini. Ambil KTP-el Anda dan silakan menuju loket pelayanan.',
      },
      samRefused: {
        title: 'Modul keamanan pembaca tidak dapat digunakan',
        action: 'Kartu tidak dapat dibaca di anjungan ini. Ambil KTP-el Anda dan silakan menuju loket pelayanan.',
      },
      sensorUnavailable: {
        title: 'Pemindai sidik jari bermasalah',
        action: 'Pemindai sidik jari sedang tidak dapat digunakan. Silakan coba lagi atau panggil petugas.',
      },
      identityNotConfirmed: {
        title: 'Identitas tidak dapat dipastikan',
        action: 'Verifikasi tidak dapat dilanjutkan. Silakan menuju loket pelayanan dengan KTP-el Anda.',
      },
      uplinkUnavailable: {
        title: 'Layanan Dukcapil tidak terjangkau',
        action: 'Koneksi ke Dukcapil sedang terganggu. Silakan coba lagi dalam beberapa menit.',
      },
      quotaReached: {
        title: 'Kuota verifikasi hari ini habis',
        action: 'Verifikasi NIK hari ini sudah mencapai batas. Layanan tersedia kembali besok; silakan menuju loket pelayanan.',
      },
      outsideAccessHours: {
        title: 'Di luar jam akses Dukcapil',
        action: 'Layanan Dukcapil sedang di luar jam akses, jadi NIK tidak dapat diperiksa sekarang. Silakan kembali pada jam layanan, atau menuju loket pelayanan.',
      },
      registryRefused: {
        title: 'Permintaan ditolak Dukcapil',
        action: 'Layanan Dukcapil menolak permintaan ini. Silakan menuju loket pelayanan.',
      },
      sessionTimeout: {
        title: 'Waktu habis',
        action: 'Sesi berakhir karena tidak ada aktivitas. Silakan mulai lagi.',
      },
      internalError: {
        title: 'Terjadi gangguan',
        action: 'Anjungan mengalami gangguan sesaat. Silakan coba lagi; jika berulang, panggil petugas.',
      },
    },
    retryHow: 'angkat KTP-el Anda dari pembaca, lalu letakkan kembali.',
    staffCodeLabel: 'Untuk petugas',
    stateNames: {
      readingTemplates: 'membaca sidik jari pada kartu',
      readingRecord: 'membaca data kartu',
      awaitingFinger: 'pemindaian sidik jari',
      staffAssist: 'bantuan petugas',
      validating: 'pemeriksaan ke Dukcapil',
      result: 'hasil',
      returnData: 'data balikan',
    },
  },
  outOfService: {
    title: 'Anjungan sedang tidak melayani',
    startingTitle: 'Anjungan sedang disiapkan',
    reason: {
      starting: 'Anjungan sedang dinyalakan. Mohon tunggu sebentar.',
      deactivated: 'Anjungan ini sudah tidak digunakan.',
      notProvisioned: 'Anjungan ini belum selesai disiapkan oleh teknisi.',
      diskFull: 'Penyimpanan anjungan hampir penuh. Petugas teknis perlu memeriksanya.',
      clockUnsynchronised: 'Jam anjungan belum tersinkron dengan server waktu.',
      agreementNotInForce: 'Layanan verifikasi sedang tidak tersedia.',
      samMissing: 'Modul keamanan pembaca kartu tidak terpasang.',
      samRefused: 'Modul keamanan pembaca kartu tidak dapat digunakan.',
      readerMissing: 'Pembaca kartu tidak terhubung.',
      quotaReached: 'Kuota verifikasi hari ini telah habis. Layanan tersedia kembali besok.',
      tamper: 'Anjungan memerlukan pemeriksaan petugas.',
      pausedByStaff: 'Anjungan dihentikan sementara oleh petugas.',
      uplinkDown: 'Koneksi ke layanan Dukcapil sedang terputus.',
      uplinkRejected: 'Akses ke layanan Dukcapil sedang ditolak.',
      outsideAccessHours: 'Di Luar Jam Akses: layanan Dukcapil sedang tutup.',
    },
    reopensAt: (time) => `Layanan dibuka kembali pukul ${time} WIB.`,
    goToCounter: 'Silakan menuju loket pelayanan. Mohon maaf atas ketidaknyamanannya.',
    missing: {
      title: 'Untuk teknisi — belum diatur (anjungan-provision):',
      items: {
        config: 'konfigurasi: init',
        configInvalid: 'konfigurasi tidak sah: doctor',
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
      instruction: 'Petugas: periksa anjungan, tutup casing, lalu masukkan PIN untuk membuka kunci.',
      closeFirst: 'Casing masih terbuka. Tutup casing terlebih dahulu.',
    },
  },
  idle: {
    title: 'Apakah Anda masih di sini?',
    countdown: (s) => `Sesi akan berakhir dalam ${s} detik.`,
    continue: 'Lanjutkan',
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
  reconnecting: 'Reconnecting to the kiosk…',
  cancel: 'Cancel',
  tryAgain: 'Try again',
  done: 'Done',
  sessionReference: 'Session code (quote it to staff if needed)',
  staffEntry: { label: 'Staff', name: 'Staff: open the staff dashboard' },
  toolbar: { largeText: 'Large text', contrast: 'High contrast', sound: 'Sound', mute: 'Mute sound', volume: 'Sound volume', settings: 'Display and sound settings' },
  steps: { label: 'Steps', card: 'Card', finger: 'Fingerprint', check: 'Check', result: 'Result', current: 'current step' },
  welcome: {
    title: 'Welcome',
    instruction: 'Place your KTP-el on the card reader to begin.',
    privacy: 'Your data is used for this check only and is not stored.',
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
      cleanFinger: 'Clean your finger and the scanner glass, then try again.',
      placeCentered: 'Place your finger in the middle of the scanner.',
    },
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
    callTitle: 'Please call a staff member',
    why: {
      fingerNotMatched: 'Your fingerprint could not be matched. A staff member will help check your identity.',
      taxpayerChoice: 'A staff member will help check your identity without a fingerprint.',
    },
    pinLabel: 'Staff PIN',
    pinRejected: 'Wrong PIN. Please try again.',
    helpNeeded: 'Staff have been called. Please wait; the session does not end while you wait.',
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
    title: 'Checking with the civil registry…',
    detail: 'Please wait a moment. Keep the card on the reader.',
  },
  result: {
    outcome: {
      verified: { title: 'Data verified', action: 'Your KTP-el data matches the civil registry.' },
      dataDiffers: {
        title: 'Some data differs',
        action: 'The differing data is marked below. Please update your data at Disdukcapil.',
      },
      notFound: {
        title: 'NIK not found',
        action: 'Your NIK was not found in the civil registry. Please contact Disdukcapil.',
      },
      deceased: {
        title: 'NIK recorded as deceased',
        action: 'The civil registry records this NIK as deceased. Please see the staff at the counter.',
      },
      inactive: {
        title: 'NIK inactive',
        action: 'This NIK is recorded as inactive. Please contact Disdukcapil to reactivate it.',
      },
      duplicateRecords: {
        title: 'Duplicate records',
        action: 'This NIK is recorded more than once. Please contact Disdukcapil.',
      },
    },
    fieldHeader: 'Data',
    cardHeader: 'KTP-el',
    registryHeader: 'Registry',
    agrees: 'Agrees',
    differs: 'Differs',
    noRegistryValue: '—',
    notCompared: 'The registry sent no data to compare with; this is the data on your KTP-el.',
    linkReturnData: 'Add NOP/NPWPD',
    tableLabel: 'Table of KTP-el data',
    moreRows: (n) => `${n} more rows below — swipe up to see them`,
    holdToShow: 'Hold to show',
  },
  returnData: {
    title: 'Link your NOP PBB-P2 / NPWPD',
    intro: 'Fill in one or both. You may skip this step.',
    nopLabel: 'NOP PBB-P2',
    nopHint: '18 digits, e.g. 33.13.010.001.001-0001.0',
    npwpdLabel: 'NPWPD',
    npwpdHint: 'As on your NPWPD card, e.g. P.2.0001234.33.13',
    digitCount: (n, of) => `${n} of ${of} digits`,
    keptFor: 'Your NIK and the NOP/NPWPD you enter are kept sealed for Disdukcapil (data balikan).',
    error: {
      nopFormat: 'The NOP must be 18 digits ending in code 0, 7 or 9. Please check it.',
      npwpdFormat: 'The NPWPD format was not recognised. Example: P.2.0001234.33.13. Please check your NPWPD card.',
      nothingEntered: 'Enter a NOP or an NPWPD first, or choose "Finish without NOP/NPWPD".',
    },
    submit: 'Save NOP/NPWPD',
    skip: 'Finish without NOP/NPWPD',
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
      cancelled: 'The session was cancelled. No data was kept.',
      returnDataSaved: 'Your NOP/NPWPD has been recorded. Thank you.',
      cardTaken: 'The check is complete. Your data has been cleared from the screen.',
    },
  },
  failed: {
    reason: {
      cardRemoved: {
        title: 'Card lifted',
        action: 'The KTP-el was lifted before reading finished. Place it back and leave it until done.',
      },
      readerRemoved: {
        title: 'Card reader disconnected',
        action: 'The card reader was briefly disconnected. Please try again; if it repeats, call a staff member.',
      },
      cardUnreadable: {
        title: 'Card could not be read',
        action: 'Place the KTP-el in the middle of the reader without moving it, then try again.',
      },
      cardNotGenuine: {
        title: 'Card could not be verified',
        action: 'This card was not recognised as a KTP-el. Please go to the service counter.',
      },
      signatureInvalid: {
        title: "The card's digital signature is not valid",
        action: 'The data on the KTP-el chip could not be confirmed as genuine. Please go to the service counter.',
      },
      samMissing: {
        title: "The reader's security module is not answering",
        action: 'The card cannot be read right now. Take your KTP-el and please go to the service counter.',
      },
      samRefused: {
        title: "The reader's security module cannot be used",
        action: 'Cards cannot be read at this kiosk. Take your KTP-el and please go to the service counter.',
      },
      sensorUnavailable: {
        title: 'Fingerprint scanner problem',
        action: 'The fingerprint scanner cannot be used right now. Please try again or call a staff member.',
      },
      identityNotConfirmed: {
        title: 'Identity could not be confirmed',
        action: 'The check cannot continue. Please go to the service counter with your KTP-el.',
      },
      uplinkUnavailable: {
        title: 'Civil registry unreachable',
        action: 'The connection to the civil registry is disturbed. Please try again in a few minutes.',
      },
      quotaReached: {
        title: "Today's verification quota is used up",
        action: 'NIK checks have reached their limit for today; the service resumes tomorrow. Please go to the service counter.',
      },
      outsideAccessHours: {
        title: 'Outside the registry’s access hours',
        action: 'The civil registry service is outside its access hours, so the NIK cannot be checked now. Please come back during service hours, or go to the service counter.',
      },
      registryRefused: {
        title: 'Request refused by the registry',
        action: 'The civil registry service refused this request. Please go to the service counter.',
      },
      sessionTimeout: {
        title: 'Time is up',
        action: 'The session ended because nothing happened for a while. Please start again.',
      },
      internalError: {
        title: 'Something went wrong',
        action: 'The kiosk had a brief problem. Please try again; if it repeats, call a staff member.',
      },
    },
    retryHow: 'lift your KTP-el off the reader, then place it back.',
    staffCodeLabel: 'For staff',
    stateNames: {
      readingTemplates: 'reading the fingerprints on the card',
      readingRecord: 'reading the card data',
      awaitingFinger: 'fingerprint scan',
      staffAssist: 'staff assistance',
      validating: 'registry check',
      result: 'result',
      returnData: 'data balikan',
    },
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
      agreementNotInForce: 'The verification service is not available at the moment.',
      samMissing: "The card reader's security module is not installed.",
      samRefused: "The card reader's security module cannot be used.",
      readerMissing: 'The card reader is not connected.',
      quotaReached: "Today's verification quota is used up. Service resumes tomorrow.",
      tamper: 'The kiosk needs to be checked by staff.',
      pausedByStaff: 'The kiosk has been paused by staff.',
      uplinkDown: 'The connection to the civil registry is down.',
      uplinkRejected: 'Access to the civil registry is being refused.',
      outsideAccessHours: 'Outside access hours: the civil registry service is closed.',
    },
    reopensAt: (time) => `Service resumes at ${time} WIB.`,
    goToCounter: 'Please go to the service counter. We apologise for the inconvenience.',
    missing: {
      title: 'For the technician — not set yet (anjungan-provision):',
      items: {
        config: 'configuration: init',
        configInvalid: 'configuration not valid: doctor',
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
      instruction: 'Staff: check the kiosk, close the enclosure, then enter your PIN to unlock it.',
      closeFirst: 'The enclosure is still open. Close it first.',
    },
  },
  idle: {
    title: 'Are you still there?',
    countdown: (s) => `The session ends in ${s} seconds.`,
    continue: 'Continue',
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
