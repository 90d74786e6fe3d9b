/**
 * The one-page letter that goes with the SAM configuration file back to Disdukcapil (Juknis 4 f),
 * in Indonesian, as HTML (printed to PDF by device/report/pdf.ts, the Chromium binary itself, as
 * the image has Chromium but not playwright).
 */

export interface ReturnLetter {
  kioskId: string;
  site: string;
  officeAddress: string;
  agreementNumbers: string[];
  start: string;
  end: string;
  addenda: Array<{ number: string; until: string }>;
  samAtr: string | null;
  configurationSha256: string;
  reason: string;
  technician: string;
  /** YYYY-MM-DD in WIB. */
  date: string;
}

const MONTHS = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'];

export function tanggal(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return `${d} ${MONTHS[m! - 1]} ${y}`;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function letterHtml(l: ReturnLetter): string {
  const addenda = l.addenda.length
    ? `, sebagaimana diubah dengan addendum ${l.addenda.map((a) => `Nomor ${esc(a.number)} (berlaku sampai ${esc(tanggal(a.until))})`).join(', ')}`
    : '';
  return `<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<title>Pengembalian Berkas Konfigurasi SAM - ${esc(l.kioskId)}</title>
<style>
  @page { size: A4; margin: 25mm 22mm; }
  body { font-family: 'DejaVu Serif', serif; font-size: 11.5pt; line-height: 1.5; color: #000; }
  h1 { font-size: 13pt; text-align: center; margin: 0 0 1.2em; }
  table { border-collapse: collapse; margin: 0.8em 0; }
  td { padding: 0.15em 0.6em 0.15em 0; vertical-align: top; }
  code { font-family: 'DejaVu Sans Mono', monospace; font-size: 9pt; word-break: break-all; }
  .signature { margin-top: 3em; }
</style>
</head>
<body>
<p>${esc(l.site)}<br>${esc(l.officeAddress)}<br>${esc(tanggal(l.date))}</p>
<p>Kepada Yth.<br>Kepala Dinas Kependudukan dan Pencatatan Sipil<br>di tempat</p>
<h1>Perihal: Pengembalian Berkas Konfigurasi SAM untuk Penonaktifan</h1>
<p>Dengan hormat,</p>
<p>Sehubungan dengan Perjanjian Kerja Sama tentang Pemanfaatan Data Kependudukan Nomor ${esc(l.agreementNumbers.join(' dan '))},
yang berlaku sejak ${esc(tanggal(l.start))} sampai dengan ${esc(tanggal(l.end))}${addenda}, bersama ini kami mengembalikan
berkas konfigurasi SAM dari anjungan mandiri berikut untuk dinonaktifkan sesuai Petunjuk Teknis angka 4 huruf f.</p>
<table>
<tr><td>Kode anjungan</td><td>: ${esc(l.kioskId)}</td></tr>
<tr><td>ATR SAM</td><td>: <code>${esc(l.samAtr ?? 'tidak tercatat')}</code></td></tr>
<tr><td>SHA-256 berkas konfigurasi</td><td>: <code>${esc(l.configurationSha256)}</code></td></tr>
<tr><td>Alasan</td><td>: ${esc(l.reason)}</td></tr>
</table>
<p>Setelah paket pengembalian ini diperiksa, berkas konfigurasi SAM, kredensial akses, dan PCID dihapus dari anjungan
tersebut: berkasnya ditimpa di tempatnya, lalu seluruh ruang kosong partisi data ditimpa dan dibebaskan (TRIM), sehingga
salinan lama dari penulisan sebelumnya tidak lagi terbaca melalui sistem berkas. Kartu SD mengelola blok fisiknya sendiri
dan dapat menyimpan salinan pada blok yang telah dipensiunkan pengendalinya, yang tidak terjangkau oleh perangkat lunak
apa pun; karena itu penghapusan fisik hanya dapat dipastikan dengan menghancurkan kartu SD anjungan atau menyerahkannya
bersama paket ini. Anjungan tidak lagi melayani verifikasi data kependudukan.</p>
<p>Demikian kami sampaikan. Atas perhatian dan kerja samanya kami ucapkan terima kasih.</p>
<p class="signature">Teknisi pelaksana,<br><br><br>${esc(l.technician)}</p>
</body>
</html>
`;
}
