/** What the report takes from the kiosk's configuration: its header figures and the PDF printer. */
import type { KioskConfig } from '../config.ts';
import { DEFAULT_PDF_PRINTER, type PdfPrinterOptions } from './pdf.ts';
import type { SemesterReportDeps } from './semester.ts';

export function reportHeaderFromConfig(config: KioskConfig): Pick<SemesterReportDeps, 'kiosk' | 'agreementNumbers' | 'dailyQuota'> {
  return {
    kiosk: config.kiosk ? { id: config.kiosk.id, site: config.kiosk.site, regionCode: config.kiosk.regionCode } : null,
    // The addenda that extended the agreement are part of it.
    agreementNumbers: [...config.agreement.numbers, ...(config.agreement.addenda ?? []).map((a) => a.number)],
    dailyQuota: config.uplink.dailyQuota,
  };
}

export function pdfPrinterFromConfig(config: KioskConfig): PdfPrinterOptions {
  return {
    chromiumPath: config.report?.chromiumPath ?? DEFAULT_PDF_PRINTER.chromiumPath,
    timeoutMs: config.report?.pdfTimeoutS !== undefined ? config.report.pdfTimeoutS * 1000 : DEFAULT_PDF_PRINTER.timeoutMs,
  };
}
