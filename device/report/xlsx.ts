/** The semester report as an XLSX workbook (exceljs): the header, one row per figure, one column per month. */
import ExcelJS from 'exceljs';
import { monthName, REPORT_ROWS, wibTime } from './rows.ts';
import type { SemesterReport } from './semester.ts';

export const REPORT_SHEET = 'Laporan Semester';

export async function semesterReportXlsx(report: SemesterReport): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'anjungan';
  book.created = new Date(report.generatedAt);
  addSemesterSheet(book, REPORT_SHEET, report);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** One report's sheet (the fleet report adds one per kiosk and one for the total). */
export function addSemesterSheet(book: ExcelJS.Workbook, name: string, report: SemesterReport): void {
  const sheet = book.addWorksheet(name);
  const { semester } = report;
  const span = `${monthName(semester.months[0]!)} - ${monthName(semester.months[5]!)}`;
  // Text from the configuration is written as plain strings: exceljs never turns a string into a formula.
  sheet.addRow([`Laporan pemanfaatan anjungan KTP-el, semester ${semester.half} tahun ${semester.year}`]).font = { bold: true, size: 14 };
  sheet.addRow([`Kiosk utilisation report, semester ${semester.half} of ${semester.year}`]).font = { italic: true };
  sheet.addRow(['Lokasi / Site', report.kiosk ? `${report.kiosk.site} (${report.kiosk.id}, ${report.kiosk.regionCode})` : '-']);
  sheet.addRow(['Nomor perjanjian / Agreement numbers', report.agreementNumbers.join(', ') || '-']);
  sheet.addRow(['Semester', `${semester.label} (${span})`]);
  sheet.addRow(['Dibuat / Generated', `${wibTime(report.generatedAt)} (${report.generatedAt})`]);
  sheet.addRow(['Kuota harian / Daily quota', report.dailyQuota]);
  sheet.addRow([]);
  const header = sheet.addRow(['Kelompok / Group', 'Uraian', 'Description', ...semester.months.map(monthName), 'Jumlah / Total']);
  header.font = { bold: true };
  for (const r of REPORT_ROWS) {
    const values = [...report.months, report.total].map((m) => (r.hours ? Math.round(r.value(m) * 10) / 10 : r.value(m)));
    const row = sheet.addRow([`${r.group.id} / ${r.group.en}`, r.label.id, r.label.en, ...values]);
    if (r.hours) for (let c = 4; c <= 10; c++) row.getCell(c).numFmt = '0.0';
  }
  sheet.addRow([]);
  sheet.addRow(['Hari kuota habis / Days the quota ran out', report.quotaReachedDates.join(', ') || '-']);
  sheet.addRow(['Catatan / Note', 'Tanpa data pribadi: hanya jumlah dan jam. / No personal data: counts and hours only.']);
  sheet.getColumn(1).width = 34;
  sheet.getColumn(2).width = 30;
  sheet.getColumn(3).width = 26;
  for (let c = 4; c <= 10; c++) sheet.getColumn(c).width = 15;
}
