/**
 * Prints the report's HTML page to PDF with the Chromium binary itself (headless
 * --print-to-pdf), as the image has Chromium but not playwright. The kiosk browser's locked-down
 * policies (no developer tools, which headless printing needs; one URL) are bound into that
 * browser's unit only (anjungan-kiosk.service), so they do not stop this one. The page and the browser
 * profile live in a private temporary folder removed afterwards; the browser gets no network
 * (no proxy reachable, every host name unresolvable; the page's CSP allows no script and no fetch)
 * and a bounded time.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface PdfPrinterOptions {
  chromiumPath: string;
  timeoutMs: number;
}

/**
 * Debian's Chromium binary itself, not its /usr/bin/chromium wrapper script: the wrapper reads
 * /proc/cpuinfo, which anjungan.service hides (ProcSubset=pid), and gives up.
 */
export const DEFAULT_PDF_PRINTER: PdfPrinterOptions = { chromiumPath: '/usr/lib/chromium/chromium', timeoutMs: 60_000 };

/** Chromium could not print the page: missing binary, a crash, or out of time. No HTML in the message. */
export class PdfPrintError extends Error {
  override readonly name = 'PdfPrintError';
  constructor(readonly code: 'chromiumMissing' | 'chromiumFailed' | 'timeout') {
    super(
      {
        chromiumMissing: 'the Chromium binary was not found at the configured path',
        chromiumFailed: 'Chromium did not produce the PDF',
        timeout: 'Chromium did not finish printing the report in time',
      }[code],
    );
  }
}

export async function printPdf(html: string, options: PdfPrinterOptions = DEFAULT_PDF_PRINTER): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'anjungan-report-'));
  try {
    const page = join(dir, 'report.html');
    const out = join(dir, 'report.pdf');
    await writeFile(page, html, { mode: 0o600 });
    const args = [
      '--headless',
      '--no-sandbox',
      // The zygote needs namespaces, which anjungan.service forbids (RestrictNamespaces=yes).
      '--no-zygote',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-extensions',
      '--proxy-server=socks5://127.0.0.1:9',
      '--host-resolver-rules=MAP * ~NOTFOUND',
      `--user-data-dir=${join(dir, 'profile')}`,
      '--no-pdf-header-footer',
      `--print-to-pdf=${out}`,
      pathToFileURL(page).href,
    ];
    // Its home and caches in the same private folder: the daemon's user has no home to write to.
    const env = { ...process.env, HOME: dir, XDG_CONFIG_HOME: join(dir, 'config'), XDG_CACHE_HOME: join(dir, 'cache') };
    await run(options.chromiumPath, args, env, options.timeoutMs);
    let pdf: Buffer;
    try {
      pdf = await readFile(out);
    } catch {
      throw new PdfPrintError('chromiumFailed');
    }
    if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-') throw new PdfPrintError('chromiumFailed');
    return pdf;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    // Its own process group, so a timeout ends Chromium's helper processes too.
    const child = spawn(command, args, { stdio: 'ignore', detached: true, env });
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
      reject(new PdfPrintError('timeout'));
    }, timeoutMs);
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new PdfPrintError(e.code === 'ENOENT' || e.code === 'EACCES' ? 'chromiumMissing' : 'chromiumFailed'));
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new PdfPrintError('chromiumFailed'));
    });
  });
}
