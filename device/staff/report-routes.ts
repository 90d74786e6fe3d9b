/**
 * The semester report for signed-in staff: `GET /report/semester/2026-2.xlsx` and `.pdf` under
 * /api/staff. Each download is audited with the operator's ID. One report is made at a time
 * (a PDF starts a browser); a second request meanwhile is told to retry.
 */
import { Type } from 'typebox';
import type { AuditPort } from '../flow/ports.ts';
import { operatorOf, type StaffRoutes } from './scope.ts';
import { semesterReportHtml } from '../report/html.ts';
import { PdfPrintError, printPdf, type PdfPrinterOptions } from '../report/pdf.ts';
import { computeSemesterReport, parseSemester, type SemesterReportDeps } from '../report/semester.ts';
import { semesterReportXlsx } from '../report/xlsx.ts';

export interface ReportRouteDeps extends SemesterReportDeps {
  audit: AuditPort;
  pdf: PdfPrinterOptions;
}

const ErrorBody = Type.Object({ error: Type.String(), message: Type.String() });

const CONTENT_TYPES = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
} as const;

export function reportRoutes(deps: ReportRouteDeps): StaffRoutes {
  let busy = false;
  return (scope) => {
    scope.get(
      '/report/semester/:file',
      {
        attachValidation: true,
        schema: {
          params: Type.Object({ file: Type.String({ maxLength: 16, pattern: '^[0-9]{4}-[12]\\.(xlsx|pdf)$' }) }),
          response: { 400: ErrorBody, 429: ErrorBody, 503: ErrorBody },
        },
      },
      async (req, reply) => {
        const badSemester = () =>
          reply.code(400).send({ error: 'badSemester', message: 'ask for YYYY-1.xlsx, YYYY-2.xlsx, YYYY-1.pdf or YYYY-2.pdf' });
        if (req.validationError) return badSemester();
        const [label, format] = (req.params as { file: string }).file.split('.') as [string, 'xlsx' | 'pdf'];
        let semester;
        try {
          semester = parseSemester(label);
        } catch {
          return badSemester();
        }
        if (busy) return reply.code(429).send({ error: 'busy', message: 'a report is being made; try again shortly' });
        busy = true;
        try {
          const report = await computeSemesterReport(deps, semester);
          const body = format === 'xlsx' ? await semesterReportXlsx(report) : await printPdf(semesterReportHtml(report), deps.pdf);
          deps.audit.record({ code: 'semesterReport', state: semester.label, outcome: format, staffId: operatorOf(req) });
          const name = `laporan-semester-${report.kiosk ? `${report.kiosk.id}-` : ''}${semester.label}.${format}`;
          return reply
            .header('content-type', CONTENT_TYPES[format])
            .header('content-disposition', `attachment; filename="${name}"`)
            .header('cache-control', 'no-store')
            .send(body);
        } catch (e) {
          if (e instanceof PdfPrintError) return reply.code(503).send({ error: 'pdfUnavailable', message: e.message });
          throw e;
        } finally {
          busy = false;
        }
      },
    );
  };
}
