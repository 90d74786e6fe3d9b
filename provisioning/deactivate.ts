/**
 * `deactivate`: at the end of the agreement, the return package for Disdukcapil (the SAM
 * configuration file as installed, a manifest with every file's SHA-256, and a letter as HTML
 * and PDF), written, fsynced and verified by reading it back; only then are the SAM material and
 * the uplink credentials erased and the kiosk marked deactivated. A marker in the state folder
 * records a verified package, so a crash before the erase is completed by running it again.
 * Data balikan still pending is not part of the package: the technician is told how many entries
 * wait, and the outbox key stays, so `return-data export` still writes them after the erase.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import * as Type from 'typebox/type';
import * as Value from 'typebox/value';
import { wibDate } from '../device/domain/wib.ts';
import { DB_FILE, openDatabase } from '../device/store/db.ts';
import { ReturnDataOutbox } from '../device/store/return-data-outbox.ts';
import type { Credentials } from '../device/store/credentials.ts';
import type { KioskConfig } from '../device/config.ts';
import type { CommandContext, Outcome } from './context.ts';
import { badInput, EXIT, ProvisionError, wrongState } from './errors.ts';
import { fsyncDir, writeFileAtomic } from '../device/files.ts';
import { eraseFile, overwriteFreeSpace } from './files.ts';
import { onRunningKiosk } from './system.ts';
import { execFileSync } from 'node:child_process';
import type { Layout } from './layout.ts';
import { MODES } from './layout.ts';
import { letterHtml } from './return-letter.ts';
import { pdfPrinterFromConfig } from '../device/report/from-config.ts';
import { PdfPrintError, printPdf } from '../device/report/pdf.ts';
import { readSecrets } from './secret-input.ts';
import { loadConfigFile, loadCredentials, saveConfigFile, saveCredentials } from './state.ts';

export const PACKAGE_FILES = {
  sam: 'konfigurasi-sam.bin',
  html: 'surat-pengembalian.html',
  pdf: 'surat-pengembalian.pdf',
  manifest: 'manifest.json',
} as const;

/** Tests only: kill the process between a verified package and the erase. */
const CRASH_ENV = 'ANJUNGAN_PROVISION_TEST_CRASH';

const PendingSchema = Type.Object(
  { out: Type.String(), manifestSha256: Type.String(), reason: Type.String(), at: Type.String() },
  { additionalProperties: false },
);

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

export interface DeactivateOptions {
  out: string;
  reason: string;
  technician: string;
  yes?: boolean;
}

export async function deactivate(ctx: CommandContext, o: DeactivateOptions): Promise<Outcome> {
  const l = ctx.layout;
  const config = loadConfigFile(l);
  if (config.deactivated) throw wrongState(`this kiosk is already deactivated (${config.deactivated.at})`);
  if (o.reason.trim() === '' || o.reason.length > 500) throw badInput('--reason must say why, in up to 500 characters');
  if (o.technician.trim() === '' || o.technician.length > 100) throw badInput('--technician must name who does this');
  const credentials = loadCredentials(l);
  const pending = readPending(l);
  if (!pending && !credentials.sam) throw wrongState('no SAM is installed on this kiosk: there is nothing to return');

  if (!o.yes) await confirm(ctx, config.kiosk?.id ?? 'kiosk');

  let out = pending?.out ?? o.out;
  let reused = false;
  if (pending && verifyPackage(pending.out, pending.manifestSha256)) {
    reused = true;
    ctx.progress(`a verified return package from an earlier run is in ${pending.out}: completing the erase`);
  } else {
    if (!credentials.sam || !existsSync(l.samConfigurationFile)) {
      throw new ProvisionError(
        EXIT.failure,
        'the SAM configuration is no longer on this kiosk and no verified return package exists: contact the project',
      );
    }
    out = o.out;
    const existing = existsSync(out) ? readdirSync(out) : [];
    if (existing.length > 0 && !(pending && pending.out === out)) throw badInput(`--out ${out} is not empty: choose a new folder`);
    ctx.progress('writing the return package (the letter is rendered by Chromium)');
    const manifestSha256 = await writePackage(ctx, config, credentials as Credentials & { sam: NonNullable<Credentials['sam']> }, out, o);
    if (!verifyPackage(out, manifestSha256))
      throw new ProvisionError(EXIT.failure, `the return package in ${out} did not verify when read back: nothing was erased`);
    writeFileAtomic(
      l.deactivationPendingFile,
      JSON.stringify({ out, manifestSha256, reason: o.reason, at: ctx.now.toISOString() }),
      MODES.secret,
    );
  }
  if (ctx.env[CRASH_ENV] === 'after-package') process.kill(process.pid, 'SIGKILL');

  ctx.progress('erasing the SAM material and the uplink credentials');
  const { sam: _sam, dukcapil: _dukcapil, ...kept } = loadCredentials(l);
  saveCredentials(l, kept);
  eraseFile(l.samConfigurationFile);
  const reason = pending?.reason ?? o.reason;
  saveConfigFile(l, { ...config, deactivated: { at: ctx.now.toISOString(), reason } });
  // Before the marker goes: a run cut here overwrites again when run again.
  const wipe = overwriteWhatWeCan(ctx, l);
  unlinkSync(l.deactivationPendingFile);
  fsyncDir(l.stateDir);
  const pendingReturnData = pendingReturnDataCount(l, kept.outboxKey);
  return {
    data: {
      deactivated: true,
      package: out,
      completedEarlierPackage: reused,
      files: Object.values(PACKAGE_FILES),
      pendingReturnData,
      freeSpaceOverwrittenBytes: wipe.bytes,
      trimmed: wipe.trimmed,
    },
    lines: [
      `return package verified in ${out}: ${Object.values(PACKAGE_FILES).join(', ')}`,
      'SAM configuration, PCID and Dukcapil credentials erased; the kiosk is deactivated.',
      ...wipe.lines,
      'What this cannot guarantee: an SD card may keep copies in blocks its controller retired, which no software reaches.',
      'For certain erasure destroy the card, or hand it over with the package.',
      'Start the kiosk service again (systemctl start anjungan): it shows "out of service" and serves nobody until `anjungan-provision init`.',
      'Deliver the package and the SAM to Disdukcapil.',
      ...(pendingReturnData > 0
        ? [
            `WARNING: ${pendingReturnData} data balikan entries were neither delivered nor exported; Disdukcapil is still owed them.`,
            'Write them to a stick with `anjungan-provision return-data export --format xlsx --out DIR` and hand them over with the package.',
          ]
        : []),
    ],
  };
}

/**
 * The erased files were overwritten in place (eraseFile) or replaced by an atomic write, which
 * leaves the old copy in freed blocks: on the kiosk the daemon is stopped, the data partition's
 * free space overwritten and then discarded (fstrim), so the file system holds no old copy. Off
 * a kiosk (`--root`) nothing is stopped or overwritten, and the lines say so.
 */
function overwriteWhatWeCan(ctx: CommandContext, l: Layout): { bytes: number | null; trimmed: boolean; lines: string[] } {
  if (!onRunningKiosk(ctx)) return { bytes: null, trimmed: false, lines: ['free space NOT overwritten: not on a running kiosk (--root)'] };
  execFileSync('systemctl', ['stop', 'anjungan.service'], { stdio: 'ignore', timeout: 60_000 });
  ctx.progress('overwriting the free space of the data partition (old copies of the secrets); this takes minutes on a large card');
  const bytes = overwriteFreeSpace(l.stateDir, (n) => ctx.progress(`${Math.floor(n / 1048576)} MB overwritten`));
  let trimmed = false;
  try {
    const mount = execFileSync('findmnt', ['-n', '-o', 'TARGET', '-T', l.stateDir], { encoding: 'utf8' }).trim();
    execFileSync('fstrim', [mount], { stdio: 'ignore', timeout: 600_000 });
    trimmed = true;
  } catch {
    // a card reader or card without discard: the overwrite stands alone
  }
  return {
    bytes,
    trimmed,
    lines: [
      `free space of the data partition overwritten with zeros (${Math.floor(bytes / 1048576)} MB)${trimmed ? ' and discarded (fstrim)' : '; discard not supported by this card'}`,
      'the kiosk service was stopped for it',
    ],
  };
}

/** Entries Disdukcapil has received by no method (counted, never opened); 0 without a database. */
function pendingReturnDataCount(l: Layout, outboxKey: string): number {
  if (!existsSync(join(l.stateDir, DB_FILE))) return 0;
  const db = openDatabase(l.stateDir);
  try {
    return new ReturnDataOutbox(db, Buffer.from(outboxKey, 'hex'), { now: () => new Date() }).pendingCount();
  } finally {
    db.close();
  }
}

function readPending(l: Layout): { out: string; manifestSha256: string; reason: string } | null {
  if (!existsSync(l.deactivationPendingFile)) return null;
  let data: unknown = null;
  try {
    data = JSON.parse(readFileSync(l.deactivationPendingFile, 'utf8'));
  } catch {
    data = null;
  }
  return Value.Check(PendingSchema, data) ? data : null;
}

async function confirm(ctx: CommandContext, kioskId: string): Promise<void> {
  if (!ctx.secrets.stdin.isTTY) throw badInput('deactivate asks for typed confirmation: run it in a terminal, or pass --yes in a script');
  const expected = `DEACTIVATE ${kioskId}`;
  const [typed] = await readSecrets(ctx.secrets, [`Type "${expected}" to erase the SAM material after the package is written`]);
  if (typed !== expected) throw badInput('not confirmed: nothing was changed');
}

async function writePackage(
  ctx: CommandContext,
  config: KioskConfig,
  credentials: Credentials & { sam: NonNullable<Credentials['sam']> },
  out: string,
  o: DeactivateOptions,
): Promise<string> {
  const samFile = readFileSync(ctx.layout.samConfigurationFile);
  const samSha = sha256(samFile);
  if (credentials.sam.configurationSha256 && samSha !== credentials.sam.configurationSha256) {
    throw new ProvisionError(
      EXIT.failure,
      'the stored SAM configuration file no longer matches the SHA-256 recorded at install: nothing was erased',
    );
  }
  const a = config.agreement;
  const html = letterHtml({
    kioskId: config.kiosk?.id ?? '-',
    site: config.kiosk?.site ?? '-',
    officeAddress: config.kiosk?.officeAddress ?? '',
    agreementNumbers: a.numbers,
    start: a.start,
    end: a.end,
    addenda: (a.addenda ?? []).map((x) => ({ number: x.number, until: x.until })),
    samAtr: credentials.sam.atr ?? null,
    configurationSha256: samSha,
    reason: o.reason,
    technician: o.technician,
    date: wibDate(ctx.now),
  });
  let pdf: Buffer;
  try {
    pdf = await printPdf(html, pdfPrinterFromConfig(config));
  } catch (e) {
    if (e instanceof PdfPrintError)
      throw new ProvisionError(EXIT.failure, `the letter could not be printed to PDF (${e.message}): nothing was erased`);
    throw e;
  }
  const files: Array<[string, Buffer]> = [
    [PACKAGE_FILES.sam, samFile],
    [PACKAGE_FILES.html, Buffer.from(html, 'utf8')],
    [PACKAGE_FILES.pdf, pdf],
  ];
  mkdirSync(out, { recursive: true, mode: 0o700 });
  for (const [name, bytes] of files) writeFileAtomic(join(out, name), bytes, MODES.secret);
  const manifest = {
    kind: 'anjungan SAM return package',
    kioskId: config.kiosk?.id ?? null,
    site: config.kiosk?.site ?? null,
    regionCode: config.kiosk?.regionCode ?? null,
    samAtr: credentials.sam.atr ?? null,
    samInstalledAt: credentials.sam.installedAt ?? null,
    agreement: { numbers: a.numbers, start: a.start, end: a.end, addenda: a.addenda ?? [] },
    reason: o.reason,
    technician: o.technician,
    createdAt: ctx.now.toISOString(),
    files: files.map(([name, bytes]) => ({ name, bytes: bytes.length, sha256: sha256(bytes) })),
  };
  const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
  writeFileAtomic(join(out, PACKAGE_FILES.manifest), manifestBytes, MODES.secret);
  return sha256(manifestBytes);
}

/** Reads the package back from disk: the manifest is the one written, every file matches it. */
export function verifyPackage(out: string, manifestSha256: string): boolean {
  try {
    const manifestBytes = readFileSync(join(out, PACKAGE_FILES.manifest));
    if (sha256(manifestBytes) !== manifestSha256) return false;
    const manifest = JSON.parse(manifestBytes.toString('utf8')) as { files: Array<{ name: string; bytes: number; sha256: string }> };
    if (manifest.files.length !== 3) return false;
    return manifest.files.every((f) => {
      const bytes = readFileSync(join(out, f.name));
      return bytes.length === f.bytes && sha256(bytes) === f.sha256;
    });
  } catch {
    return false;
  }
}
