/**
 * `sam install|status`: the SAM's PCID and configuration file from Disdukcapil (SIFILMA
 * activation). Install proves the pair by opening the SAM exactly once through pcscd and stores
 * it only if the SAM accepted it: a SAM blocks after a few wrong opens, so nothing here retries.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createPcscBackend } from '../device/card/pcsc.ts';
import { createKtpProfile } from '../device/card/ktp-profile.ts';
import { SAM_OPEN_LENGTH } from '../device/card/sam-protocol.ts';
import { createLogger } from '../device/log.ts';
import type { KioskConfig } from '../device/config.ts';
import type { CommandContext, Outcome } from './context.ts';
import { badInput, EXIT, ProvisionError } from './errors.ts';
import { writeFileAtomic } from '../device/files.ts';
import { MODES } from './layout.ts';
import { scanReaders, type ReaderView } from './readers.ts';
import { loadConfigFile, loadCredentials, requireActive, saveCredentials } from './state.ts';
import { agreementState } from './agreement.ts';

const checkFailed = (message: string) => new ProvisionError(EXIT.checkFailed, message);

/** The configuration file as delivered: 32 raw bytes, or 64 hex digits (whitespace ignored). */
export function parseSamConfiguration(file: Buffer): Buffer | null {
  if (file.length === SAM_OPEN_LENGTH) return file;
  const text = file.toString('latin1').replace(/\s+/g, '');
  return /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : null;
}

function parsePcid(value: string): Buffer {
  const hex = value.replace(/[\s:]/g, '');
  if (!/^[0-9a-fA-F]*$/.test(hex) || hex.length % 2 !== 0) throw badInput('--pcid must be hexadecimal (0-9, a-f)');
  if (hex.length !== SAM_OPEN_LENGTH * 2)
    throw badInput(`--pcid must be ${SAM_OPEN_LENGTH} bytes (${SAM_OPEN_LENGTH * 2} hex digits); it has ${hex.length / 2}`);
  return Buffer.from(hex, 'hex');
}

export async function installSam(ctx: CommandContext, o: { pcid: string; config: string }): Promise<Outcome> {
  const l = ctx.layout;
  const pcid = parsePcid(o.pcid);
  let file: Buffer;
  try {
    file = readFileSync(o.config);
  } catch {
    throw badInput(`--config ${o.config} cannot be read`);
  }
  const configuration = parseSamConfiguration(file);
  if (!configuration) throw badInput(`--config ${o.config} is not a SAM configuration file (expected 32 bytes, or 64 hex digits)`);
  const config = loadConfigFile(l);
  requireActive(config);
  const credentials = loadCredentials(l);

  const scan = await scanReaders();
  const samView = scan.service === 'up' ? scan.readers.find((r) => new RegExp(config.card.samReaderPattern).test(r.name)) : undefined;
  ctx.progress('opening the SAM once through pcscd');
  const opened = await openSamOnce(config, { pcid, configuration });
  if (opened !== 'ready') {
    const why = {
      refused:
        'the SAM REFUSED this PCID and configuration; nothing was stored. It was tried once and will not be retried: a SAM blocks after a few wrong attempts. Check the PCID and file with Disdukcapil (SIFILMA) before trying again.',
      noService: 'pcscd is not running: start it (systemctl start pcscd) and run this again; the SAM was not touched',
      noReader: `no SAM reader (name matching /${config.card.samReaderPattern}/) is attached; the SAM was not touched`,
      noSam: 'the SAM reader is empty: insert the SAM and run this again; the SAM was not touched',
      unanswered: 'the SAM did not answer the open command; nothing was stored',
    }[opened];
    throw checkFailed(why);
  }
  const sha256 = createHash('sha256').update(file).digest('hex');
  writeFileAtomic(l.samConfigurationFile, file, MODES.secret);
  saveCredentials(l, {
    ...credentials,
    sam: {
      pcid: pcid.toString('hex'),
      configuration: configuration.toString('hex'),
      configurationSha256: sha256,
      ...(samView?.atr ? { atr: samView.atr } : {}),
      installedAt: ctx.now.toISOString(),
    },
  });
  return {
    data: { installed: true, opened: true, configurationSha256: sha256, atr: samView?.atr ?? null, reader: samView?.name ?? null },
    lines: [
      `SAM opened once with this PCID and configuration: the pair is right.`,
      `stored (0600); configuration file SHA-256 ${sha256}`,
      'Restart the kiosk service for it to use them.',
    ],
  };
}

type OpenResult = 'ready' | 'refused' | 'noService' | 'noReader' | 'noSam' | 'unanswered';

async function openSamOnce(config: KioskConfig, secret: { pcid: Buffer; configuration: Buffer }): Promise<OpenResult> {
  const backend = createPcscBackend({
    idReaderPattern: new RegExp(config.card.idReaderPattern),
    samReaderPattern: new RegExp(config.card.samReaderPattern),
    logger: createLogger({ level: 'silent' }),
    transmitTimeoutMs: config.card.transmitTimeoutMs,
  });
  await backend.start(() => undefined);
  try {
    const s = backend.snapshot();
    if (s.sam.status === 'serviceDown') return 'noService';
    if (s.sam.status === 'noReader') return 'noReader';
    if (s.sam.status !== 'present') return 'noSam';
    let channel;
    try {
      channel = await backend.connect('sam');
    } catch {
      return 'unanswered';
    }
    try {
      return await createKtpProfile({ issuerPublicKeyPem: '' }).openSam(channel, secret);
    } catch {
      return 'unanswered';
    } finally {
      await channel.close();
    }
  } finally {
    await backend.stop();
  }
}

export async function samStatus(ctx: CommandContext): Promise<Outcome> {
  const config = loadConfigFile(ctx.layout);
  const credentials = loadCredentials(ctx.layout);
  ctx.progress('asking pcscd for its readers (the SAM is not opened)');
  const scan = await scanReaders();
  const match = (p: string) => (r: ReaderView) => new RegExp(p).test(r.name);
  const samReader = scan.service === 'up' ? (scan.readers.find(match(config.card.samReaderPattern)) ?? null) : null;
  const agreement = agreementState(config.agreement, ctx.now);
  const state = scan.service !== 'up' ? 'pcscdDown' : !samReader ? 'noReader' : !samReader.present ? 'noSam' : 'present';
  const data = {
    state,
    reader: samReader?.name ?? null,
    atr: samReader?.atr ?? null,
    installed: credentials.sam !== undefined,
    installedAt: credentials.sam?.installedAt ?? null,
    configurationSha256: credentials.sam?.configurationSha256 ?? null,
    atrMatchesInstall: credentials.sam?.atr && samReader?.atr ? credentials.sam.atr === samReader.atr : null,
    agreement: { numbers: config.agreement.numbers, start: config.agreement.start, end: config.agreement.end, state: agreement.state },
    deactivated: config.deactivated ?? null,
  };
  return {
    data,
    lines: [
      `SAM reader: ${data.reader ?? 'none'} (${state})`,
      `ATR: ${data.atr ?? '-'}${data.atrMatchesInstall === false ? ' (DIFFERENT from the SAM installed)' : ''}`,
      `installed: ${data.installed ? `yes, ${data.installedAt}, configuration SHA-256 ${data.configurationSha256}` : 'no'}`,
      `serves agreement: ${config.agreement.numbers.join(', ') || 'none recorded'} (${config.agreement.start} to ${config.agreement.end}, ${agreement.state})`,
      ...(config.deactivated ? [`DEACTIVATED ${config.deactivated.at}`] : []),
    ],
    ...(state === 'present' ? {} : { exitCode: EXIT.checkFailed }),
  };
}
