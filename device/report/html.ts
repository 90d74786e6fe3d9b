/**
 * The semester report as one printable HTML page (A4 landscape), Bahasa Indonesia first with
 * English beside it: a header (site, agreement numbers, semester, generation time), inline SVG
 * charts, and the full table. Self-contained: no script, no external resource (the page's CSP
 * forbids fetching anything), so Chromium prints it offline.
 */
import { escapeHtml } from './html-escape.ts';
import { formatFigure, monthName, OUT_OF_SERVICE_LABELS, REPORT_ROWS, wibTime } from './rows.ts';
import { OUT_OF_SERVICE_REPORT_REASONS, type SemesterReport } from './semester.ts';
import { stackedBarChart } from './svg.ts';

const COLORS = [
  '#1b6ca8',
  '#e07b1a',
  '#3a9d5d',
  '#c23b3b',
  '#7a5ab5',
  '#8c6d3f',
  '#d4a017',
  '#4a8f9e',
  '#b05c8a',
  '#666666',
  '#2f4f4f',
  '#999999',
];

export function semesterReportHtml(report: SemesterReport): string {
  const { semester, months } = report;
  const short = months.map((m) => monthName(m.month).slice(0, 3));
  const count = (v: number) => formatFigure(Math.round(v), false);
  const hours = (v: number) => formatFigure(v, true);
  const charts = [
    stackedBarChart({
      title: 'Sesi per bulan',
      subtitle: 'Sessions per month',
      categories: short,
      series: [{ label: 'Sesi / Sessions', color: COLORS[0]!, values: months.map((m) => m.sessions) }],
      format: count,
    }),
    stackedBarChart({
      title: 'Sidik jari',
      subtitle: 'Fingerprint: matched, not matched, verified by staff',
      categories: short,
      series: [
        { label: 'Cocok / Matched', color: COLORS[2]!, values: months.map((m) => m.fingerprint.pass) },
        { label: 'Tidak cocok / Not matched', color: COLORS[3]!, values: months.map((m) => m.fingerprint.fail) },
        { label: 'Diverifikasi petugas / By staff', color: COLORS[1]!, values: months.map((m) => m.fingerprint.staffAssisted) },
      ],
      format: count,
    }),
    stackedBarChart({
      title: 'Akses NIK ke Dukcapil',
      subtitle: 'NIK requests by outcome',
      categories: short,
      series: [
        { label: 'Data sesuai / Verified', color: COLORS[2]!, values: months.map((m) => m.uplink.verified) },
        { label: 'Data berbeda / Differs', color: COLORS[6]!, values: months.map((m) => m.uplink.dataDiffers) },
        {
          label: 'Jawaban lain / Other answers',
          color: COLORS[4]!,
          values: months.map((m) => m.uplink.notFound + m.uplink.deceased + m.uplink.inactive + m.uplink.duplicateRecords),
        },
        {
          label: 'Ditolak, gagal / Refused, failed',
          color: COLORS[3]!,
          values: months.map((m) => {
            const u = m.uplink;
            return (
              u.quotaReached +
              u.loginFailed +
              u.ipRefused +
              u.outsideHours +
              u.institutionInactive +
              u.userInactive +
              u.serviceError +
              u.unavailable +
              u.error +
              u.other
            );
          }),
        },
      ],
      format: count,
    }),
    stackedBarChart({
      title: 'Tidak melayani (jam)',
      subtitle: 'Out-of-service hours by reason',
      categories: short,
      series: OUT_OF_SERVICE_REPORT_REASONS.filter((r) => report.total.outOfServiceHours[r] > 0).map((r, i) => ({
        label: `${OUT_OF_SERVICE_LABELS[r].id} / ${OUT_OF_SERVICE_LABELS[r].en}`,
        color: COLORS[(i + 3) % COLORS.length]!,
        values: months.map((m) => m.outOfServiceHours[r]),
      })),
      format: hours,
    }),
    stackedBarChart({
      title: 'Data balikan',
      subtitle: 'Return data by month queued: delivered by web service, exported to a file, pending',
      categories: short,
      series: [
        {
          label: 'Terkirim lewat layanan web / Delivered by web service',
          color: COLORS[2]!,
          values: months.map((m) => m.returnData.delivered),
        },
        { label: 'Diekspor ke berkas / Exported to a file', color: COLORS[3]!, values: months.map((m) => m.returnData.exported) },
        { label: 'Menunggu / Pending', color: COLORS[1]!, values: months.map((m) => m.returnData.pending) },
      ],
      format: count,
    }),
  ];

  const rows: string[] = [];
  let group = '';
  for (const r of REPORT_ROWS) {
    if (r.group.id !== group) {
      group = r.group.id;
      rows.push(
        `<tr class="grp"><th colspan="${months.length + 2}">${escapeHtml(r.group.id)} <span class="en">/ ${escapeHtml(r.group.en)}</span></th></tr>`,
      );
    }
    const cells = [...months, report.total].map((m) => `<td>${escapeHtml(formatFigure(r.value(m), r.hours === true))}</td>`).join('');
    rows.push(`<tr><th>${escapeHtml(r.label.id)} <span class="en">/ ${escapeHtml(r.label.en)}</span></th>${cells}</tr>`);
  }
  const kiosk = report.kiosk ? `${report.kiosk.site} (${report.kiosk.id}, kode wilayah ${report.kiosk.regionCode})` : '-';
  const title = `Laporan Pemanfaatan Anjungan KTP-el, Semester ${semester.half} Tahun ${semester.year}`;
  return `<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(title)}</title>
<style>
@page { size: A4 landscape; margin: 10mm; }
body { font-family: 'DejaVu Sans', 'Liberation Sans', sans-serif; font-size: 9pt; color: #111; margin: 0; }
h1 { font-size: 15pt; margin: 0 0 2pt; }
.en { color: #555; font-weight: normal; }
p.en { margin: 0 0 6pt; font-style: italic; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 1pt 10pt; margin: 0 0 8pt; }
dt { font-weight: bold; }
dd { margin: 0; }
.charts { display: flex; flex-wrap: wrap; gap: 6pt; margin-bottom: 8pt; }
.charts svg { border: 1px solid #ccc; }
svg .t { font: bold 10px sans-serif; } svg .s { font: 8px sans-serif; fill: #555; } svg .a { font: 7.5px sans-serif; fill: #333; }
svg .g { stroke: #ddd; stroke-width: 0.6; }
table { border-collapse: collapse; width: 100%; page-break-before: always; }
th, td { border: 1px solid #bbb; padding: 1.5pt 4pt; }
td { text-align: right; font-variant-numeric: tabular-nums; }
thead th { background: #e8eef4; }
tr.grp th { background: #f3f3f3; text-align: left; }
tbody th { text-align: left; font-weight: normal; }
footer { margin-top: 6pt; color: #555; }
</style>
</head>
<body>
<header>
<h1>${escapeHtml(title)}</h1>
<p class="en">Kiosk utilisation report, semester ${semester.half} of ${semester.year}</p>
<dl>
<dt>Lokasi <span class="en">/ Site</span></dt><dd>${escapeHtml(kiosk)}</dd>
<dt>Nomor perjanjian <span class="en">/ Agreement numbers</span></dt><dd>${escapeHtml(report.agreementNumbers.join(', ') || '-')}</dd>
<dt>Semester</dt><dd>${escapeHtml(`${semester.label}: ${monthName(semester.months[0]!)} - ${monthName(semester.months[5]!)}`)}</dd>
<dt>Dibuat <span class="en">/ Generated</span></dt><dd>${escapeHtml(wibTime(report.generatedAt))}</dd>
<dt>Kuota harian <span class="en">/ Daily quota</span></dt><dd>${escapeHtml(count(report.dailyQuota))}</dd>
<dt>Hari kuota habis <span class="en">/ Days the quota ran out</span></dt><dd>${escapeHtml(count(report.total.quotaReachedDays))}</dd>
</dl>
</header>
<section class="charts">
${charts.join('\n')}
</section>
<table>
<thead><tr><th>Uraian <span class="en">/ Figure</span></th>${months.map((m) => `<th>${escapeHtml(monthName(m.month))}</th>`).join('')}<th>Jumlah <span class="en">/ Total</span></th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
<footer>Tanpa data pribadi: hanya jumlah dan jam, bulan menurut WIB. <span class="en">No personal data: counts and hours only, months in WIB.</span></footer>
</body>
</html>
`;
}
