/**
 * One semester report over every kiosk (DOMAIN.md rule 9: one report per agreement), from the
 * same figures each kiosk's own report is made of (device/report/semester.ts MonthFigures): each
 * kiosk sends its months, the fleet keeps the latest per kiosk and month, and adds them up.
 * Per kiosk and in total, as XLSX (a sheet for the total, one for the kiosks side by side, one per
 * kiosk) and PDF (the kiosk report's page for the total, then the kiosks side by side).
 *
 * Every figure is a sum of the kiosks' figures, except the days the quota ran out: one User ID
 * has one quota, so a day counts once however many kiosks saw it go (and the fleet adds the days
 * its own ledger handed out the whole quota).
 */
import ExcelJS from 'exceljs';
import type { Pool } from 'pg';
import { inTransaction } from './postgres/pool.ts';
import { escapeHtml } from '../device/report/html-escape.ts';
import { semesterReportHtml } from '../device/report/html.ts';
import { formatFigure, REPORT_ROWS } from '../device/report/rows.ts';
import { sumMonths, type MonthFigures, type Semester, type SemesterReport } from '../device/report/semester.ts';
import { addSemesterSheet } from '../device/report/xlsx.ts';
import type { FiguresRequest } from '../device/fleet/protocol.ts';
import { wibDate } from '../device/domain/wib.ts';

export interface FleetReportHeader {
  agreementNumbers: string[];
  dailyQuota: number;
}

export interface FleetSemesterReport {
  semester: Semester;
  generatedAt: string;
  /** Each kiosk's own report, as it sent its figures (months it sent nothing for are zero). */
  kiosks: SemesterReport[];
  /** The kiosks added up, month by month. */
  total: SemesterReport;
}

export async function storeKioskFigures(pool: Pool, kioskId: string, figures: FiguresRequest, at: Date): Promise<void> {
  await inTransaction(pool, async (client) => {
    for (const m of figures.months) {
      const dates = figures.quotaReachedDates.filter((d) => d.startsWith(m.month));
      await client.query(
        `INSERT INTO kiosk_month_figures (kiosk_id, month, figures, quota_exhausted_dates, computed_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (kiosk_id, month) DO UPDATE SET figures = excluded.figures, quota_exhausted_dates = excluded.quota_exhausted_dates, computed_at = excluded.computed_at`,
        [kioskId, m.month, JSON.stringify(m), JSON.stringify(dates), at],
      );
    }
  });
}

function emptyMonth(month: string): MonthFigures {
  const zero = sumMonths([]);
  return { ...zero, month };
}

/**
 * Figures from a kiosk on an earlier release: before #22 they have no `exported` (their delivered
 * counted both); before awaitingLease, no hours for it (they were counted as quotaReached).
 */
function withExported(f: MonthFigures): MonthFigures {
  return {
    ...f,
    returnData: { ...f.returnData, exported: f.returnData.exported ?? 0 },
    outOfServiceHours: { ...f.outOfServiceHours, awaitingLease: f.outOfServiceHours.awaitingLease ?? 0 },
  };
}

export async function computeFleetReport(
  pool: Pool,
  header: FleetReportHeader,
  semester: Semester,
  now: Date,
): Promise<FleetSemesterReport> {
  const kiosks = (await pool.query<{ id: string; site: string }>('SELECT id, site FROM kiosk ORDER BY id')).rows;
  const rows = (
    await pool.query<{ kiosk_id: string; month: string; figures: MonthFigures; quota_exhausted_dates: string[] }>(
      'SELECT kiosk_id, month, figures, quota_exhausted_dates FROM kiosk_month_figures WHERE month = ANY($1::text[])',
      [semester.months],
    )
  ).rows;
  const fleetExhausted = (
    await pool.query<{ day: string }>('SELECT day FROM quota_day WHERE committed >= daily_limit AND day >= $1::date AND day < $2::date', [
      wibDate(new Date(semester.from)),
      wibDate(new Date(semester.until)),
    ])
  ).rows.map((r) => r.day);
  const generatedAt = now.toISOString();
  const base = { semester, agreementNumbers: header.agreementNumbers, dailyQuota: header.dailyQuota, generatedAt };
  const allDates = new Set(fleetExhausted);
  const perKiosk: SemesterReport[] = [];
  for (const k of kiosks) {
    const mine = rows.filter((r) => r.kiosk_id === k.id);
    // A kiosk that never sent figures for the semester (enrolled later, or silent) is left out.
    if (mine.length === 0) continue;
    const months = semester.months.map((m) => withExported(mine.find((r) => r.month === m)?.figures ?? emptyMonth(m)));
    const dates = mine.flatMap((r) => r.quota_exhausted_dates).sort();
    for (const d of dates) allDates.add(d);
    perKiosk.push({
      ...base,
      kiosk: { id: k.id, site: k.site, regionCode: '' },
      months,
      total: sumMonths(months),
      quotaReachedDates: dates,
    });
  }
  const totalMonths = semester.months.map((m, i) => {
    const sum = sumMonths(perKiosk.map((k) => k.months[i]!));
    sum.quotaReachedDays = [...allDates].filter((d) => d.startsWith(m)).length;
    return { ...sum, month: m };
  });
  const total: SemesterReport = {
    ...base,
    kiosk: { id: 'semua', site: `Semua anjungan (${perKiosk.length}) / All kiosks`, regionCode: '' },
    months: totalMonths,
    total: sumMonths(totalMonths),
    quotaReachedDates: [...allDates].sort(),
  };
  return { semester, generatedAt, kiosks: perKiosk, total };
}

export async function fleetReportXlsx(report: FleetSemesterReport): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'anjungan fleet';
  book.created = new Date(report.generatedAt);
  addSemesterSheet(book, 'Semua anjungan', report.total);
  const side = book.addWorksheet('Per anjungan');
  side.addRow(['Uraian', 'Description', ...report.kiosks.map((k) => k.kiosk!.id), 'Jumlah / Total']).font = { bold: true };
  side.addRow(['Lokasi', 'Site', ...report.kiosks.map((k) => k.kiosk!.site), '']);
  for (const r of REPORT_ROWS) {
    const value = (m: MonthFigures) => (r.hours ? Math.round(r.value(m) * 10) / 10 : r.value(m));
    side.addRow([r.label.id, r.label.en, ...report.kiosks.map((k) => value(k.total)), value(report.total.total)]);
  }
  side.getColumn(1).width = 30;
  side.getColumn(2).width = 26;
  // Sheet names: at most 31 characters, none of []:*?/\ (kiosk IDs have none of them).
  for (const k of report.kiosks) addSemesterSheet(book, `Anjungan ${k.kiosk!.id}`.slice(0, 31), k);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** The total's page (the kiosk report's own layout), then a table with the kiosks side by side. */
export function fleetReportHtml(report: FleetSemesterReport): string {
  const head = report.kiosks
    .map((k) => `<th>${escapeHtml(k.kiosk!.id)}<br><span class="en">${escapeHtml(k.kiosk!.site)}</span></th>`)
    .join('');
  const rows = REPORT_ROWS.map((r) => {
    const cells = [...report.kiosks.map((k) => k.total), report.total.total]
      .map((m) => `<td>${escapeHtml(formatFigure(r.value(m), r.hours === true))}</td>`)
      .join('');
    return `<tr><th>${escapeHtml(r.label.id)} <span class="en">/ ${escapeHtml(r.label.en)}</span></th>${cells}</tr>`;
  }).join('\n');
  const table = `<table>
<caption><strong>Per anjungan <span class="en">/ Per kiosk</span>, semester ${escapeHtml(report.semester.label)}</strong></caption>
<thead><tr><th>Uraian <span class="en">/ Figure</span></th>${head}<th>Jumlah <span class="en">/ Total</span></th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
`;
  return semesterReportHtml(report.total).replace('</body>', `${table}</body>`);
}
