/**
 * The semester report for signed-in staff: `GET /report/semester/2026-2.xlsx` and `.pdf` under
 * /api/staff, or written to a USB stick (`POST /report/semester/export`), for the kiosk's own
 * browser, which may not download. Each report is audited with the operator's ID. One report is
 * made at a time (a PDF starts a browser); a second request meanwhile is told to retry.
 */
import { open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Static } from 'typebox';
import * as Type from 'typebox/type';
import { ExportTargetRefused, type ExportTargets } from '../return-data/export-targets.ts';
import type { AuditPort } from '../flow/ports.ts';
import { operatorOf, type StaffRoutes } from './scope.ts';
import { semesterReportHtml } from '../report/html.ts';
import { PdfPrintError, printPdf, type PdfPrinterOptions } from '../report/pdf.ts';
import { computeSemesterReport, parseSemester, type SemesterReportDeps } from '../report/semester.ts';

export interface ReportRouteDeps extends SemesterReportDeps {
  audit: AuditPort;
  pdf: PdfPrinterOptions;
  /** Where a report may be written: the sticks and folder the data balikan export offers. */
  targets: Pick<ExportTargets, 'resolve'>;
}

const ErrorBody = Type.Object({ error: Type.String(), message: Type.String() });

const CONTENT_TYPES = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
} as const;

const ReportFile = Type.String({ maxLength: 16, pattern: '^[0-9]{4}-[12]\\.(xlsx|pdf)$' });
const ExportBody = Type.Object(
  { file: ReportFile, target: Type.String({ minLength: 1, maxLength: 4096 }) },
  { additionalProperties: false },
);
const ExportReply = Type.Object({ file: Type.String(), target: Type.String() });

type Made = { name: string; body: Buffer; label: string; format: 'xlsx' | 'pdf' };

export function reportRoutes(deps: ReportRouteDeps): StaffRoutes {
  let busy = false;
  /** Makes one report (or says why not): shared by the download and the export to a stick. */
  const make = async (
    file: string,
    send: (made: Made) => Promise<unknown>,
    refuse: (code: 400 | 429 | 503, error: string, message: string) => unknown,
  ) => {
    const [label, format] = file.split('.') as [string, 'xlsx' | 'pdf'];
    let semester;
    try {
      semester = parseSemester(label);
    } catch {
      return refuse(400, 'badSemester', 'ask for YYYY-1.xlsx, YYYY-2.xlsx, YYYY-1.pdf or YYYY-2.pdf');
    }
    if (busy) return refuse(429, 'busy', 'a report is being made; try again shortly');
    busy = true;
    try {
      const report = await computeSemesterReport(deps, semester);
      // exceljs is loaded on the first report asked for, not at the kiosk's start (#25).
      const body =
        format === 'xlsx'
          ? await (await import('../report/xlsx.ts')).semesterReportXlsx(report)
          : await printPdf(semesterReportHtml(report), deps.pdf);
      const name = `laporan-semester-${report.kiosk ? `${report.kiosk.id}-` : ''}${semester.label}.${format}`;
      return await send({ name, body: Buffer.from(body), label: semester.label, format });
    } catch (e) {
      if (e instanceof PdfPrintError) return refuse(503, 'pdfUnavailable', e.message);
      throw e;
    } finally {
      busy = false;
    }
  };

  return (scope) => {
    scope.get(
      '/report/semester/:file',
      {
        attachValidation: true,
        schema: { params: Type.Object({ file: ReportFile }), response: { 400: ErrorBody, 429: ErrorBody, 503: ErrorBody } },
      },
      async (req, reply) => {
        const refuse = (code: 400 | 429 | 503, error: string, message: string) => reply.code(code).send({ error, message });
        if (req.validationError) return refuse(400, 'badSemester', 'ask for YYYY-1.xlsx, YYYY-2.xlsx, YYYY-1.pdf or YYYY-2.pdf');
        return make(
          (req.params as { file: string }).file,
          async (made) => {
            deps.audit.record({ code: 'semesterReport', state: made.label, outcome: made.format, staffId: operatorOf(req) });
            return reply
              .header('content-type', CONTENT_TYPES[made.format])
              .header('content-disposition', `attachment; filename="${made.name}"`)
              .header('cache-control', 'no-store')
              .send(made.body);
          },
          refuse,
        );
      },
    );

    scope.post<{ Body: Static<typeof ExportBody> }>(
      '/report/semester/export',
      {
        attachValidation: true,
        schema: { body: ExportBody, response: { 200: ExportReply, 400: ErrorBody, 409: ErrorBody, 429: ErrorBody, 503: ErrorBody } },
      },
      async (req, reply) => {
        const refuse = (code: 400 | 409 | 429 | 503, error: string, message: string) => reply.code(code).send({ error, message });
        if (req.validationError) return refuse(400, 'badRequest', 'name a report file (YYYY-1.pdf …) and an offered target');
        let target;
        try {
          target = deps.targets.resolve(req.body.target);
        } catch (e) {
          if (e instanceof ExportTargetRefused) return refuse(409, e.code, e.message);
          throw e;
        }
        return make(
          req.body.file,
          async (made) => {
            await writeReplacing(join(target.id, made.name), made.body);
            deps.audit.record({ code: 'semesterReport', state: made.label, outcome: `${made.format}-export`, staffId: operatorOf(req) });
            return { file: made.name, target: target.label };
          },
          refuse,
        );
      },
    );
  };
}

/** Writes a file whole or not at all: a temporary file, fsynced, renamed over the name (an earlier export of the same report). */
async function writeReplacing(path: string, data: Buffer): Promise<void> {
  const temporary = `${path}.tmp`;
  const handle = await open(temporary, 'w', 0o644);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (e) {
    await handle.close();
    await unlink(temporary).catch(() => undefined);
    throw e;
  }
  await handle.close();
  await rename(temporary, path);
}
