/**
 * Checking an update bundle before anything is written: RAUC verifies its signature against the
 * kiosk's keyring (`rauc info`), the payload is checked block by block against the signed verity
 * root hash in user space (`veritysetup verify`: RAUC itself leaves that to the kernel while it
 * writes, which would stop a damaged bundle only halfway through a slot), then its board and
 * release are compared with the running ones. Each refusal is typed and says what to do.
 */
import { openSync, readSync, closeSync, statSync } from 'node:fs';
import { checkRelease, compareReleases, describe, ReleaseFormatError, type Release } from './release.ts';
import type { Run } from './run.ts';

export type BundleRefusal =
  | { code: 'unreadable'; detail: string }
  | { code: 'untrusted'; detail: string }
  | { code: 'damaged' }
  | { code: 'formatNotAllowed'; format: string; allowed: string[] }
  | { code: 'foreignBoard'; bundle: string; kiosk: string }
  | { code: 'notNewer'; bundle: Release; running: Release };

export function refusalMessage(r: BundleRefusal): string {
  switch (r.code) {
    case 'unreadable':
      return `this file is not an update bundle (${r.detail}); nothing was written`;
    case 'untrusted':
      return `the bundle's signature does not verify: not signed by a key this kiosk trusts, or altered after signing (${r.detail}); nothing was written`;
    case 'damaged':
      return 'the bundle is damaged or was altered after signing (its content does not match its signature); copy it again; nothing was written';
    case 'formatNotAllowed':
      return `the bundle is in RAUC's '${r.format}' format; this kiosk installs only ${r.allowed.join(', ')} bundles (make bundle makes verity ones); nothing was written`;
    case 'foreignBoard':
      return `the bundle is for '${r.bundle}', this kiosk is '${r.kiosk}'; nothing was written`;
    case 'notNewer':
      return compareReleases(r.bundle, r.running) === 0
        ? `release ${describe(r.bundle)} is the one running; nothing was written`
        : `the bundle holds release ${describe(r.bundle)}, older than the running ${describe(r.running)}; nothing was written`;
  }
}

export class BundleRefused extends Error {
  override readonly name = 'BundleRefused';
  constructor(readonly refusal: BundleRefusal) {
    super(refusalMessage(refusal));
  }
}

export interface BundleInfo {
  release: Release;
  format: string;
  /** The verity parameters the signed manifest carries (verity bundles). */
  verity: { salt: string; hash: string; size: number } | null;
}

/** Reads `rauc info`'s text (RAUC 1.8 and later write `Key:<spaces or tab>'value'`). */
export function parseRaucInfo(text: string): BundleInfo {
  const field = (name: string) => {
    const m = new RegExp(`^\\s*${name}:\\s+'?([^'\\n]*?)'?\\s*$`, 'm').exec(text);
    return m ? m[1]! : undefined;
  };
  const format = (field('Bundle Format') ?? 'plain').split(/\s/)[0]!;
  const release = { compatible: field('Compatible'), version: field('Version'), build: field('Build') };
  const salt = field('Verity Salt');
  const hash = field('Verity Hash');
  const size = Number(field('Verity Size'));
  return {
    release: checkBundleRelease(release),
    format,
    verity: salt && hash && Number.isSafeInteger(size) && size > 0 ? { salt, hash, size } : null,
  };
}

function checkBundleRelease(r: Record<string, string | undefined>): Release {
  try {
    return checkRelease(r, 'the bundle');
  } catch (e) {
    if (e instanceof ReleaseFormatError) throw new BundleRefused({ code: 'unreadable', detail: e.message });
    throw e;
  }
}

/** The bundle's payload size: the file minus the signature and its 8-byte big-endian length. */
function payloadSize(path: string): number {
  const size = statSync(path).size;
  const fd = openSync(path, 'r');
  try {
    const tail = Buffer.alloc(8);
    readSync(fd, tail, 0, 8, size - 8);
    const signature = Number(tail.readBigUInt64BE());
    return size - 8 - signature;
  } finally {
    closeSync(fd);
  }
}

export async function inspectBundle(
  run: Run,
  opts: { bundle: string; raucConf: string; formats: Set<string>; running: Release },
): Promise<BundleInfo> {
  const info = await run('rauc', [`--conf=${opts.raucConf}`, 'info', opts.bundle]);
  if (info.code !== 0) {
    const detail = lastLine(info.stderr) || `rauc info exited with ${info.code}`;
    const format = /Bundle format '(\w+)' not allowed/.exec(detail);
    if (format) throw new BundleRefused({ code: 'formatNotAllowed', format: format[1]!, allowed: [...opts.formats].sort() });
    if (/signature verification failed|Failed to verify|no signature|signer/i.test(detail))
      throw new BundleRefused({ code: 'untrusted', detail });
    throw new BundleRefused({ code: 'unreadable', detail });
  }
  const parsed = parseRaucInfo(info.stdout);
  if (parsed.release.compatible !== opts.running.compatible) {
    throw new BundleRefused({ code: 'foreignBoard', bundle: parsed.release.compatible, kiosk: opts.running.compatible });
  }
  if (!opts.formats.has(parsed.format))
    throw new BundleRefused({ code: 'formatNotAllowed', format: parsed.format, allowed: [...opts.formats].sort() });
  // A plain bundle's signature covers its whole payload: rauc info has checked it already.
  if (parsed.format === 'verity') await verifyPayload(run, opts.bundle, parsed.verity);
  if (compareReleases(parsed.release, opts.running) <= 0)
    throw new BundleRefused({ code: 'notNewer', bundle: parsed.release, running: opts.running });
  return parsed;
}

async function verifyPayload(run: Run, bundle: string, verity: BundleInfo['verity']): Promise<void> {
  if (!verity) throw new BundleRefused({ code: 'damaged' });
  const data = payloadSize(bundle) - verity.size;
  if (data <= 0 || data % 4096 !== 0) throw new BundleRefused({ code: 'damaged' });
  const verified = await run('veritysetup', [
    'verify',
    '--no-superblock',
    '--format=1',
    '--hash=sha256',
    '--data-block-size=4096',
    '--hash-block-size=4096',
    `--data-blocks=${data / 4096}`,
    `--hash-offset=${data}`,
    `--salt=${verity.salt}`,
    bundle,
    bundle,
    verity.hash,
  ]);
  if (verified.code !== 0) throw new BundleRefused({ code: 'damaged' });
}

const lastLine = (s: string) =>
  s
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^rauc-Message/.test(l))
    .at(-1) ?? '';
