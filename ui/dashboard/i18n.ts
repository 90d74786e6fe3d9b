/**
 * Every string the staff dashboard shows, Bahasa Indonesia first, English by the switch. The
 * daemon sends codes (health states, alert kinds, session outcomes); this maps them to words,
 * and an unknown code is shown as the code itself rather than hidden.
 */
import type { Locale } from '../i18n.ts';
import type { AlertKind } from './api.ts';

export interface DashboardMessages {
  title: string;
  office: string;
  switchLanguage: string;
  /** The one-tap large text, as on the kiosk screen (reset at sign-out). */
  largeText: string;
  /** Large text on a small screen: a section's panels one at a time. */
  previousPanel: string;
  nextPanel: string;
  panelLabel: (at: number, of: number) => string;
  backToKiosk: string;
  signOut: string;
  signedInAs: (operator: string) => string;
  connectionLost: string;
  actionFailed: string;
  signIn: {
    title: string;
    intro: string;
    userId: string;
    pin: string;
    submit: string;
    refused: string;
    locked: (until: string | null) => string;
    keyboard: string;
    backspace: string;
    clear: string;
    /** On the kiosk's screen: staff pick their user ID, then type the PIN. */
    pickOperator: string;
    pinFor: (operator: string) => string;
    otherOperator: string;
  };
  /** The sections of the dashboard, one at a time on a small screen (the kiosk's 800×480). */
  sections: {
    label: string;
    assist: string;
    alerts: string;
    kiosk: string;
    quota: string;
    returnData: string;
    report: string;
    sessions: string;
  };
  health: {
    title: string;
    names: { idReader: string; sam: string; sensor: string; uplink: string; tamper: string; disk: string };
    states: Record<string, string>;
    tamper: Record<string, string>;
    /** Kiosk screens by their code. */
    screens: Record<string, string>;
    diskFree: (free: string, total: string) => string;
    screen: (screen: string) => string;
    /** The last software update: what happened to the release it brought, and when (WIB). */
    update: Record<'installed' | 'booted' | 'markedGood' | 'rolledBack', (release: string, at: string) => string>;
  };
  quota: {
    title: string;
    used: (used: number, limit: number) => string;
    chartLabel: (total: number, peakHour: number | null, peak: number) => string;
    hour: string;
    hits: string;
    projected: (time: string) => string;
    notReachedToday: string;
    reached: string;
  };
  agreement: {
    title: string;
    inForce: string;
    notInForce: string;
    period: (start: string, end: string) => string;
    daysLeft: (n: number) => string;
  };
  alerts: {
    title: string;
    none: string;
    kinds: Record<AlertKind, string>;
    acknowledge: string;
    acknowledgedBy: (who: string | null, at: string) => string;
    open: (n: number) => string;
  };
  sessions: {
    title: string;
    none: string;
    reference: string;
    time: string;
    outcome: string;
    duration: string;
    seconds: (s: number) => string;
    outcomes: Record<string, string>;
    running: string;
  };
  kiosk: {
    title: string;
    running: string;
    paused: string;
    pause: string;
    resume: string;
  };
  assist: {
    title: string;
    idle: string;
    callStaff: string;
    unlock: string;
    readingRecord: string;
    waiting: string;
    compareFace: string;
    photoAlt: string;
    faceMatches: string;
    faceDiffers: string;
    /** Shown on a dashboard away from the kiosk (office LAN) while a taxpayer waits. */
    atKioskOnly: string;
  };
  returnData: {
    title: string;
    pending: string;
    delivered: string;
    exported: string;
    /** Pending entries the web service never settled after every try. */
    deadLettered: (n: number) => string;
    target: string;
    noTargets: string;
    format: string;
    export: string;
    /** Back from an export's result to the form (the result takes its place on a small screen). */
    exportAgain: string;
    exporting: string;
    exportedCount: (n: number) => string;
    checksum: string;
    download: (file: string) => string;
    /** At the kiosk (no downloads): where the files were written. */
    writtenTo: (target: string) => string;
    remaining: (n: number) => string;
    /** Why an export was refused, by the daemon's code. */
    refused: Record<string, string>;
  };
  report: {
    title: string;
    semester: string;
    semesterName: (year: string, half: '1' | '2') => string;
    xlsx: string;
    pdf: string;
    preparing: string;
    /** At the kiosk, which does not download: written to a stick instead. */
    target: string;
    exportXlsx: string;
    exportPdf: string;
    exported: (file: string, target: string) => string;
    noTargets: string;
    refused: Record<string, string>;
  };
}

/**
 * How a failed session ended, in staff terms (the taxpayer was told it without codes or blame;
 * staff need the cause). What to check comes with each session from the daemon (its hint).
 */
const FAILURE_NAMES: Record<Locale, Record<string, string>> = {
  id: {
    cardRemoved: 'Kartu terangkat',
    readerRemoved: 'Pembaca kartu terputus',
    cardUnreadable: 'Kartu tidak terbaca',
    cardNotGenuine: 'Kartu gagal autentikasi',
    signatureInvalid: 'Tanda tangan digital kartu tidak sah',
    samMissing: 'SAM tidak menjawab',
    samRefused: 'SAM menolak',
    sensorUnavailable: 'Pemindai sidik jari tidak tersedia',
    identityNotConfirmed: 'Wajah dinyatakan tidak sesuai',
    uplinkUnavailable: 'Dukcapil tidak terjangkau',
    quotaReached: 'Kuota habis',
    registryRefused: 'Ditolak Dukcapil',
    sessionTimeout: 'Waktu habis',
    internalError: 'Galat perangkat lunak',
  },
  en: {
    cardRemoved: 'Card lifted',
    readerRemoved: 'Card reader disconnected',
    cardUnreadable: 'Card unreadable',
    cardNotGenuine: 'Card failed authentication',
    signatureInvalid: "Card's digital signature invalid",
    samMissing: 'SAM not answering',
    samRefused: 'SAM refused',
    sensorUnavailable: 'Fingerprint scanner unavailable',
    identityNotConfirmed: 'Face judged not matching',
    uplinkUnavailable: 'Registry unreachable',
    quotaReached: 'Quota used up',
    registryRefused: 'Refused by the registry',
    sessionTimeout: 'Timed out',
    internalError: 'Software error',
  },
};

const id: DashboardMessages = {
  title: 'Dasbor Petugas',
  office: 'Anjungan Verifikasi KTP-el',
  switchLanguage: 'English',
  largeText: 'Huruf besar',
  previousPanel: 'Sebelumnya',
  nextPanel: 'Berikutnya',
  panelLabel: (at, of) => `Bagian ${at} dari ${of}`,
  backToKiosk: 'Kembali ke kiosk',
  signOut: 'Keluar',
  signedInAs: (operator) => `Masuk sebagai ${operator}`,
  connectionLost: 'Koneksi ke anjungan terputus. Mencoba lagi…',
  actionFailed: 'Tindakan gagal. Silakan coba lagi.',
  signIn: {
    title: 'Masuk petugas',
    intro: 'Masukkan ID pengguna dan PIN petugas Anda.',
    userId: 'ID pengguna',
    pin: 'PIN',
    submit: 'Masuk',
    refused:
      'ID pengguna atau PIN salah, atau akun tidak aktif. Setelah lima kali salah, perangkat ini harus menunggu sebelum mencoba lagi.',
    locked: (until) =>
      until
        ? `Terlalu banyak PIN salah dari perangkat ini: coba lagi setelah pukul ${until}.`
        : 'Terlalu banyak PIN salah dari perangkat ini: tunggu sebentar, lalu coba lagi.',
    keyboard: 'Papan ketik layar',
    backspace: 'Hapus satu',
    clear: 'Hapus semua',
    pickOperator: 'Pilih ID pengguna Anda',
    pinFor: (operator) => `PIN untuk ${operator}`,
    otherOperator: 'Ganti ID',
  },
  sections: {
    label: 'Bagian dasbor',
    assist: 'Bantuan',
    alerts: 'Peringatan',
    kiosk: 'Anjungan',
    quota: 'Kuota',
    returnData: 'Data balikan',
    report: 'Laporan',
    sessions: 'Sesi',
  },
  health: {
    title: 'Kondisi perangkat',
    names: {
      idReader: 'Pembaca KTP-el',
      sam: 'SAM',
      sensor: 'Pemindai sidik jari',
      uplink: 'Koneksi Dukcapil',
      tamper: 'Casing',
      disk: 'Penyimpanan',
    },
    states: {
      ready: 'Siap',
      missing: 'Tidak ada',
      noReader: 'Tidak terhubung',
      refused: 'Ditolak',
      error: 'Gangguan',
      unknown: 'Belum diketahui',
      down: 'Terputus',
      recovering: 'Mencoba tersambung lagi',
      accessRefused: 'Akses ditolak Dukcapil',
    },
    tamper: { closed: 'Tertutup', open: 'Terbuka', locked: 'Terkunci: perlu dibuka petugas dengan PIN di anjungan' },
    screens: {
      welcome: 'Siap melayani',
      readingCard: 'Membaca kartu',
      awaitingFinger: 'Menunggu sidik jari',
      staffAssist: 'Menunggu petugas',
      validating: 'Memeriksa ke Dukcapil',
      result: 'Menampilkan hasil',
      returnData: 'Mengisi NOP/NPWPD',
      finished: 'Sesi selesai',
      failed: 'Sesi gagal',
      outOfService: 'Tidak melayani',
    },
    diskFree: (free, total) => `${free} kosong dari ${total}`,
    screen: (screen) => `Anjungan: ${screen}`,
    update: {
      installed: (release, at) => `Pembaruan perangkat lunak ${release} terpasang ${at}, menunggu dicoba saat mulai ulang.`,
      booted: (release, at) => `Pembaruan perangkat lunak ${release} sedang diuji sejak ${at}.`,
      markedGood: (release, at) => `Pembaruan perangkat lunak ${release} berjalan baik dan dipakai sejak ${at}.`,
      rolledBack: (release, at) => `Pembaruan perangkat lunak ${release} dibatalkan ${at}: versi sebelumnya dipakai kembali.`,
    },
  },
  quota: {
    title: 'Kuota hari ini',
    used: (used, limit) => `${used} dari ${limit} akses NIK terpakai`,
    chartLabel: (total, peakHour, peak) =>
      peakHour === null
        ? `Akses NIK per jam hari ini: belum ada (${total})`
        : `Akses NIK per jam hari ini: ${total} akses, terbanyak ${peak} pada pukul ${String(peakHour).padStart(2, '0')}.00`,
    hour: 'Jam',
    hits: 'Akses',
    projected: (time) => `Dengan laju saat ini, batas kuota tercapai sekitar pukul ${time}.`,
    notReachedToday: 'Dengan laju saat ini, batas kuota tidak tercapai hari ini.',
    reached: 'Batas kuota hari ini sudah tercapai.',
  },
  agreement: {
    title: 'Perjanjian kerja sama',
    inForce: 'Berlaku',
    notInForce: 'Tidak berlaku',
    period: (start, end) => `${start} s.d. ${end}`,
    daysLeft: (n) => `Sisa ${n} hari`,
  },
  alerts: {
    title: 'Peringatan',
    none: 'Tidak ada peringatan.',
    kinds: {
      quota80: 'Kuota hari ini terpakai 80%',
      quota95: 'Kuota hari ini terpakai 95%',
      quotaReached: 'Kuota hari ini habis',
      accessRefused: 'Akses ke Dukcapil ditolak',
      tamper: 'Casing anjungan dibuka',
      helpNeeded: 'Wajib pajak memerlukan bantuan petugas',
      readerMissing: 'Pembaca KTP-el tidak kembali setelah dinyalakan ulang',
      signInThrottled: 'PIN petugas berulang kali salah: perangkat asalnya diperlambat (lihat log)',
      signInBurst: 'Banyak PIN petugas salah dalam beberapa menit: kemungkinan ada yang menebak PIN',
      returnDataDeadLetter: 'Data balikan yang tidak dapat dikirim: ekspor ke berkas',
      diskLow: 'Penyimpanan anjungan hampir penuh',
      crashLoop: 'Perangkat lunak anjungan berhenti berulang kali',
    },
    acknowledge: 'Tandai sudah ditangani',
    acknowledgedBy: (who, at) => `Ditangani${who ? ` oleh ${who}` : ''} pukul ${at}`,
    open: (n) => `${n} belum ditangani`,
  },
  sessions: {
    title: 'Sesi terakhir',
    none: 'Belum ada sesi.',
    reference: 'Kode',
    time: 'Waktu',
    outcome: 'Hasil',
    duration: 'Durasi',
    seconds: (s) => `${s} dtk`,
    outcomes: {
      ...FAILURE_NAMES.id,
      completed: 'Selesai',
      cardTaken: 'Selesai, kartu diambil',
      returnDataSaved: 'Selesai, NOP/NPWPD dicatat',
      cancelled: 'Dibatalkan',
      aborted: 'Dihentikan',
      interrupted: 'Terputus (anjungan berhenti)',
    },
    running: 'Sedang berjalan',
  },
  kiosk: {
    title: 'Layanan anjungan',
    running: 'Anjungan melayani.',
    paused: 'Anjungan dihentikan sementara.',
    pause: 'Hentikan sementara',
    resume: 'Lanjutkan layanan',
  },
  assist: {
    title: 'Verifikasi dibantu petugas',
    idle: 'Tidak ada wajib pajak yang menunggu bantuan.',
    callStaff: 'Wajib pajak menunggu bantuan. Pastikan Anda berada di depan anjungan, lalu buka pembacaan data kartu.',
    unlock: 'Buka untuk petugas',
    readingRecord: 'Membaca data KTP-el…',
    waiting: 'Menunggu anjungan…',
    compareFace: 'Bandingkan wajah wajib pajak dengan foto KTP-el ini.',
    photoAlt: 'Foto pada KTP-el',
    faceMatches: 'Wajah sesuai',
    faceDiffers: 'Wajah tidak sesuai',
    atKioskOnly:
      'Wajib pajak menunggu bantuan di anjungan. Verifikasi dibantu hanya dapat dilakukan di layar anjungan, di depan wajib pajak.',
  },
  returnData: {
    title: 'Data balikan',
    pending: 'Menunggu (belum dikirim atau diekspor)',
    delivered: 'Terkirim lewat layanan web',
    exported: 'Diekspor ke berkas',
    deadLettered: (n) => `${n} entri tidak dapat dikirim ke Dukcapil setelah beberapa kali mencoba: ekspor ke berkas.`,
    target: 'Tujuan ekspor',
    noTargets: 'Tidak ada tujuan ekspor (folder atau USB) yang tersedia.',
    format: 'Format berkas',
    export: 'Ekspor data balikan',
    exportAgain: 'Ekspor lagi',
    exporting: 'Mengekspor…',
    exportedCount: (n) => `${n} entri diekspor.`,
    checksum: 'SHA-256',
    download: (file) => `Unduh ${file}`,
    writtenTo: (target) => `Berkas ditulis ke ${target}:`,
    remaining: (n) => `${n} entri lagi menunggu ekspor berikutnya.`,
    refused: {
      nothingPending: 'Tidak ada data balikan yang menunggu ekspor.',
      targetRefused: 'Tujuan ekspor tidak tersedia lagi. Pilih tujuan lain.',
      targetUnavailable: 'Berkas tidak dapat ditulis ke tujuan ini (penuh atau dilepas?).',
      exportInProgress: 'Ekspor lain sedang berjalan. Tunggu sebentar.',
    },
  },
  report: {
    title: 'Laporan semester',
    semester: 'Semester',
    semesterName: (year, half) => `${year} semester ${half} (${half === '1' ? 'Januari–Juni' : 'Juli–Desember'})`,
    xlsx: 'Unduh XLSX',
    pdf: 'Unduh PDF',
    preparing: 'Menyiapkan laporan…',
    target: 'Tulis ke',
    exportXlsx: 'Ekspor XLSX ke USB',
    exportPdf: 'Ekspor PDF ke USB',
    exported: (file, target) => `Laporan ditulis ke ${target}: ${file}`,
    noTargets: 'Pasang USB untuk mengekspor laporan.',
    refused: {
      targetRefused: 'Tujuan tidak tersedia lagi. Pilih tujuan lain.',
      busy: 'Laporan lain sedang disiapkan. Tunggu sebentar.',
      pdfUnavailable: 'PDF tidak dapat dibuat saat ini. Coba XLSX.',
    },
  },
};

const en: DashboardMessages = {
  title: 'Staff dashboard',
  office: 'KTP-el Verification Kiosk',
  switchLanguage: 'Bahasa Indonesia',
  largeText: 'Large text',
  previousPanel: 'Previous',
  nextPanel: 'Next',
  panelLabel: (at, of) => `Part ${at} of ${of}`,
  backToKiosk: 'Back to the kiosk',
  signOut: 'Sign out',
  signedInAs: (operator) => `Signed in as ${operator}`,
  connectionLost: 'Connection to the kiosk lost. Retrying…',
  actionFailed: 'The action failed. Please try again.',
  signIn: {
    title: 'Staff sign-in',
    intro: 'Enter your staff user ID and PIN.',
    userId: 'User ID',
    pin: 'PIN',
    submit: 'Sign in',
    refused: 'Wrong user ID or PIN, or the account is not active. After five wrong PINs this device must wait before it tries again.',
    locked: (until) =>
      until
        ? `Too many wrong PINs from this device: try again after ${until}.`
        : 'Too many wrong PINs from this device: wait a moment, then try again.',
    keyboard: 'On-screen keyboard',
    backspace: 'Delete one',
    clear: 'Clear all',
    pickOperator: 'Choose your user ID',
    pinFor: (operator) => `PIN for ${operator}`,
    otherOperator: 'Change ID',
  },
  sections: {
    label: 'Dashboard sections',
    assist: 'Help',
    alerts: 'Alerts',
    kiosk: 'Kiosk',
    quota: 'Quota',
    returnData: 'Data balikan',
    report: 'Report',
    sessions: 'Sessions',
  },
  health: {
    title: 'Device health',
    names: {
      idReader: 'KTP-el reader',
      sam: 'SAM',
      sensor: 'Fingerprint scanner',
      uplink: 'Civil registry link',
      tamper: 'Enclosure',
      disk: 'Storage',
    },
    states: {
      ready: 'Ready',
      missing: 'Missing',
      noReader: 'Not connected',
      refused: 'Refused',
      error: 'Fault',
      unknown: 'Not known yet',
      down: 'Down',
      recovering: 'Reconnecting',
      accessRefused: 'Access refused by the registry',
    },
    tamper: { closed: 'Closed', open: 'Open', locked: 'Locked: staff must clear it with a PIN at the kiosk' },
    screens: {
      welcome: 'Ready to serve',
      readingCard: 'Reading a card',
      awaitingFinger: 'Waiting for a fingerprint',
      staffAssist: 'Waiting for staff',
      validating: 'Checking with the registry',
      result: 'Showing a result',
      returnData: 'Entering NOP/NPWPD',
      finished: 'Session finished',
      failed: 'Session failed',
      outOfService: 'Not in service',
    },
    diskFree: (free, total) => `${free} free of ${total}`,
    screen: (screen) => `Kiosk: ${screen}`,
    update: {
      installed: (release, at) => `Software update ${release} installed ${at}, to be tried at the next restart.`,
      booted: (release, at) => `Software update ${release} on trial since ${at}.`,
      markedGood: (release, at) => `Software update ${release} proved itself and is in use since ${at}.`,
      rolledBack: (release, at) => `Software update ${release} rolled back ${at}: the previous release runs again.`,
    },
  },
  quota: {
    title: "Today's quota",
    used: (used, limit) => `${used} of ${limit} NIK hits used`,
    chartLabel: (total, peakHour, peak) =>
      peakHour === null
        ? `NIK hits per hour today: none yet (${total})`
        : `NIK hits per hour today: ${total} hits, most ${peak} at ${String(peakHour).padStart(2, '0')}:00`,
    hour: 'Hour',
    hits: 'Hits',
    projected: (time) => `At this rate the quota runs out at about ${time}.`,
    notReachedToday: 'At this rate the quota does not run out today.',
    reached: "Today's quota has run out.",
  },
  agreement: {
    title: 'Data-access agreement',
    inForce: 'In force',
    notInForce: 'Not in force',
    period: (start, end) => `${start} to ${end}`,
    daysLeft: (n) => `${n} days left`,
  },
  alerts: {
    title: 'Alerts',
    none: 'No alerts.',
    kinds: {
      quota80: "80% of today's quota used",
      quota95: "95% of today's quota used",
      quotaReached: "Today's quota is used up",
      accessRefused: 'Civil registry refused access',
      tamper: 'Kiosk enclosure opened',
      helpNeeded: 'A taxpayer needs staff help',
      readerMissing: 'The KTP-el reader did not come back after a power cycle',
      signInThrottled: 'Repeated wrong staff PINs: the device they came from is slowed down (see the log)',
      signInBurst: 'Many wrong staff PINs within minutes: someone may be guessing',
      returnDataDeadLetter: 'Data balikan that could not be delivered: export it to a file',
      diskLow: "The kiosk's storage is almost full",
      crashLoop: 'The kiosk software stopped repeatedly',
    },
    acknowledge: 'Mark as handled',
    acknowledgedBy: (who, at) => `Handled${who ? ` by ${who}` : ''} at ${at}`,
    open: (n) => `${n} not handled yet`,
  },
  sessions: {
    title: 'Recent sessions',
    none: 'No sessions yet.',
    reference: 'Code',
    time: 'Time',
    outcome: 'Outcome',
    duration: 'Duration',
    seconds: (s) => `${s} s`,
    outcomes: {
      ...FAILURE_NAMES.en,
      completed: 'Completed',
      cardTaken: 'Completed, card taken',
      returnDataSaved: 'Completed, NOP/NPWPD recorded',
      cancelled: 'Cancelled',
      aborted: 'Stopped',
      interrupted: 'Interrupted (kiosk stopped)',
    },
    running: 'Running',
  },
  kiosk: {
    title: 'Kiosk service',
    running: 'The kiosk is serving.',
    paused: 'The kiosk is paused.',
    pause: 'Pause the kiosk',
    resume: 'Resume service',
  },
  assist: {
    title: 'Staff-assisted verification',
    idle: 'No taxpayer is waiting for help.',
    callStaff: 'A taxpayer is waiting for help. Make sure you are at the kiosk, then unlock the card read.',
    unlock: 'Unlock for staff',
    readingRecord: 'Reading the KTP-el data…',
    waiting: 'Waiting for the kiosk…',
    compareFace: "Compare the taxpayer's face with this KTP-el photo.",
    photoAlt: 'Photo on the KTP-el',
    faceMatches: 'Face matches',
    faceDiffers: 'Face does not match',
    atKioskOnly:
      "A taxpayer is waiting for help at the kiosk. The assisted verification can only be done on the kiosk's screen, in front of the taxpayer.",
  },
  returnData: {
    title: 'Data balikan',
    pending: 'Waiting (neither sent nor exported)',
    delivered: 'Delivered by web service',
    exported: 'Exported to a file',
    deadLettered: (n) =>
      `${n} ${n === 1 ? 'entry' : 'entries'} could not be delivered to the registry after several tries: export to a file.`,
    target: 'Export to',
    noTargets: 'No export target (folder or USB stick) is available.',
    format: 'File format',
    export: 'Export data balikan',
    exportAgain: 'Export again',
    exporting: 'Exporting…',
    exportedCount: (n) => `${n} entries exported.`,
    checksum: 'SHA-256',
    download: (file) => `Download ${file}`,
    writtenTo: (target) => `Files written to ${target}:`,
    remaining: (n) => `${n} more entries wait for the next export.`,
    refused: {
      nothingPending: 'No data balikan waits for export.',
      targetRefused: 'That export target is no longer available. Choose another.',
      targetUnavailable: 'The files could not be written there (full or removed?).',
      exportInProgress: 'Another export is running. Please wait.',
    },
  },
  report: {
    title: 'Semester report',
    semester: 'Semester',
    semesterName: (year, half) => `${year} semester ${half} (${half === '1' ? 'January–June' : 'July–December'})`,
    xlsx: 'Download XLSX',
    pdf: 'Download PDF',
    preparing: 'Preparing the report…',
    target: 'Write to',
    exportXlsx: 'Export XLSX to USB',
    exportPdf: 'Export PDF to USB',
    exported: (file, target) => `Report written to ${target}: ${file}`,
    noTargets: 'Plug in a USB stick to export the report.',
    refused: {
      targetRefused: 'That target is no longer available. Choose another.',
      busy: 'Another report is being prepared. Please wait.',
      pdfUnavailable: 'The PDF cannot be made right now. Try XLSX.',
    },
  },
};

export const DASHBOARD_CATALOGUE: Record<Locale, DashboardMessages> = { id, en };

export function dashboardMessages(locale: Locale): DashboardMessages {
  return DASHBOARD_CATALOGUE[locale];
}

/** A time of day in WIB (the kiosk's zone), HH:MM. */
export function wibTime(at: string | Date): string {
  const d = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(d.getTime())) return '—';
  return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Asia/Jakarta' }).format(d);
}

/** A date and time in WIB, YYYY-MM-DD HH:MM, the same in both languages. */
export function wibDateTime(at: string): string {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return '—';
  const day = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'Asia/Jakarta' }).format(d);
  return `${day} ${wibTime(d)}`;
}

/** Bytes as GB/MB with one decimal. */
export function bytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} GB`;
  return `${(n / 1e6).toFixed(1)} MB`;
}
