/**
 * `anjungan-provision report semester 2026-2 --out DIR`: the semester utilisation report as
 * XLSX and PDF, made from the kiosk's database opened read-only (the running daemon keeps
 * writing; nothing here changes the kiosk).
 */
import Database from 'better-sqlite3';
import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pdfPrinterFromConfig, reportHeaderFromConfig } from '../device/report/from-config.ts';
import { semesterReportHtml } from '../device/report/html.ts';
import { PdfPrintError, printPdf } from '../device/report/pdf.ts';
import { computeSemesterReport, parseSemester, SemesterFormatError, type Semester } from '../device/report/semester.ts';
import { semesterReportXlsx } from '../device/report/xlsx.ts';
import { DB_FILE } from '../device/store/db.ts';
import type { CommandContext, Outcome } from './context.ts';
import { badInput, EXIT, ProvisionError, wrongState } from './errors.ts';
import { takeFolderOwner, writeFileAtomic } from '../device/files.ts';
import { loadConfigFile } from './state.ts';

export interface SemesterReportOptions {
  out: string;
  /** `xlsx`, `pdf` or both (default), separated by commas. */
  format?: string;
}

export async function semesterReport(ctx: CommandContext, semesterText: string, o: SemesterReportOptions): Promise<Outcome> {
  let semester: Semester;
  try {
    semester = parseSemester(semesterText);
  } catch (e) {
    if (e instanceof SemesterFormatError) throw badInput(e.message);
    throw e;
  }
  const formats = (o.format ?? 'xlsx,pdf').split(',').map((f) => f.trim());
  if (formats.length === 0 || formats.some((f) => f !== 'xlsx' && f !== 'pdf')) throw badInput('--format takes xlsx, pdf or xlsx,pdf');
  const config = loadConfigFile(ctx.layout);
  const dbFile = join(ctx.layout.stateDir, DB_FILE);
  if (!existsSync(dbFile)) throw wrongState(`there is no kiosk database at ${dbFile}: the kiosk has not run yet, or --root is wrong`);
  const out = resolve(o.out);
  prepareOutputFolder(out);

  let db: Database.Database;
  try {
    db = new Database(dbFile, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw new ProvisionError(EXIT.failure, `the kiosk database ${dbFile} cannot be opened: ${(e as Error).message}`);
  }
  try {
    db.pragma('busy_timeout = 5000');
    ctx.progress(`computing semester ${semester.label}`);
    const report = await computeSemesterReport({ db, ...reportHeaderFromConfig(config), now: () => ctx.now }, semester);
    const base = join(out, `laporan-semester-${config.kiosk ? `${config.kiosk.id}-` : ''}${semester.label}`);
    const files: string[] = [];
    if (formats.includes('xlsx')) {
      writeFileAtomic(`${base}.xlsx`, await semesterReportXlsx(report), 0o644);
      files.push(`${base}.xlsx`);
    }
    if (formats.includes('pdf')) {
      ctx.progress('printing the PDF with Chromium');
      try {
        writeFileAtomic(`${base}.pdf`, await printPdf(semesterReportHtml(report), pdfPrinterFromConfig(config)), 0o644);
      } catch (e) {
        if (e instanceof PdfPrintError) {
          throw new ProvisionError(EXIT.failure, `${e.message}${files.length > 0 ? ` (written: ${files.join(', ')})` : ''}`);
        }
        throw e;
      }
      files.push(`${base}.pdf`);
    }
    const t = report.total;
    return {
      data: { semester: semester.label, files, sessions: t.sessions, quotaReachedDays: t.quotaReachedDays },
      lines: [
        `semester ${semester.label}: ${t.sessions} sessions, ${t.quotaReachedDays} days the quota ran out`,
        ...files.map((f) => `written: ${f}`),
      ],
    };
  } catch (e) {
    if (e instanceof ProvisionError) throw e;
    if ((e as Error).name === 'SqliteError') {
      throw new ProvisionError(EXIT.failure, `the kiosk database ${dbFile} cannot be read: ${(e as Error).message}`);
    }
    throw e;
  } finally {
    db.close();
    handOverSharedMemoryFiles(dbFile);
  }
}

/**
 * A read-only connection still creates the database's -wal and -shm files when they are absent
 * (the daemon stopped) and leaves them. Made by root they would lock the daemon's user out of
 * its own database, so they take the state folder's owner, as every file provisioning writes.
 */
function handOverSharedMemoryFiles(dbFile: string): void {
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(`${dbFile}${suffix}`)) takeFolderOwner(`${dbFile}${suffix}`);
  }
}

/** Creates the folder if needed and proves it takes files, before any work is done. */
function prepareOutputFolder(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    if (!statSync(dir).isDirectory()) throw new Error('not a folder');
    accessSync(dir, constants.W_OK);
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw badInput(`cannot write the report into ${dir} (${why}): choose a folder you can write to`);
  }
}
