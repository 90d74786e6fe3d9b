/**
 * Semester report figures, on a whole semester (2026-2, 184 days) of 1,000 sessions a day
 * written into a real SQLite database by the test generator (about 1.5 million audit rows):
 * - report_semester_ms: compute the figures, write the XLSX and print the PDF with Chromium,
 *   as one staff download of each format costs.
 * - report_semester_compute_ms, report_semester_xlsx_ms, report_semester_pdf_ms: its parts.
 * - report_semester_longest_block_ms: the longest the computation held the event loop (the
 *   kiosk's screen and flow share the daemon), from perf_hooks' event-loop delay histogram.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import { semesterReportHtml } from '../../device/report/html.ts';
import { printPdf } from '../../device/report/pdf.ts';
import { computeSemesterReport, parseSemester } from '../../device/report/semester.ts';
import { semesterReportXlsx } from '../../device/report/xlsx.ts';
import { openDatabase } from '../../device/store/db.ts';
import { writeSemesterLog } from '../report/semester-log.ts';

export async function bench(): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'anj14r-bench-'));
  try {
    const db = openDatabase(join(dir, 'state'));
    writeSemesterLog(db, { semester: '2026-2', sessionsPerDay: 1000, dailyQuota: 1000, seed: 1 });
    const deps = {
      db,
      kiosk: { id: 'KRA-01', site: 'BKD Kabupaten Karanganyar', regionCode: '33.13' },
      agreementNumbers: ['473.3/2741.12/XI/2022', '473.3/215.1/XI/2022'],
      dailyQuota: 1000,
      now: () => new Date('2027-01-04T00:00:00Z'),
    };
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const t0 = performance.now();
    const report = await computeSemesterReport(deps, parseSemester('2026-2'));
    const t1 = performance.now();
    loop.disable();
    await semesterReportXlsx(report);
    const t2 = performance.now();
    await printPdf(semesterReportHtml(report));
    const t3 = performance.now();
    db.close();
    return {
      report_semester_ms: Math.round(t3 - t0),
      report_semester_compute_ms: Math.round(t1 - t0),
      report_semester_xlsx_ms: Math.round(t2 - t1),
      report_semester_pdf_ms: Math.round(t3 - t2),
      report_semester_longest_block_ms: Math.round(loop.max / 1e6),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
