/**
 * The update folder on the office LAN (config updates.source): an HTTPS folder holding, per
 * board, BOARD.json (what `make bundle` writes next to a bundle: its release, file name, size
 * and SHA-256) and the bundle itself. The same rules as the uplink: the host is an IP address the
 * egress firewall lets through, nothing but that host and port is contacted, redirects are not
 * followed, the server's certificate must chain to the pinned CA (and match the optional SPKI
 * pin), and every size and time is bounded. What is downloaded is only a candidate: the bundle
 * is installed through the same checks as one from a USB stick.
 */
import https from 'node:https';
import tls from 'node:tls';
import { createHash } from 'node:crypto';
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { isIP } from 'node:net';
import { checkRelease, type Release } from './release.ts';
import { spkiSha256 } from '../uplink/transport.ts';

export interface UpdateSource {
  url: string;
  caPem: string;
  spkiSha256?: string;
}

export interface FolderEntry {
  release: Release;
  file: string;
  size: number;
  sha256: string;
}

export type FolderFailure =
  'badUrl' | 'unreachable' | 'tlsRejected' | 'status' | 'tooLarge' | 'timeout' | 'badIndex' | 'digestMismatch' | 'sizeMismatch';

export class FolderError extends Error {
  override readonly name = 'FolderError';
  constructor(
    readonly failure: FolderFailure,
    detail: string,
  ) {
    super(detail);
  }
}

const INDEX_MAX_BYTES = 16 * 1024;
/** A bundle larger than this is not an appliance release (the arm64 root is about 2 GiB). */
export const BUNDLE_MAX_BYTES = 8 * 1024 ** 3;
const CONNECT_TIMEOUT_MS = 10_000;
/** No byte for this long: the transfer is given up (a large bundle may take long, but not stall). */
const STALL_TIMEOUT_MS = 60_000;
const INDEX_TIMEOUT_MS = 30_000;

/** The folder's base: https, an IP literal host (the firewall is loaded before DNS works), a path. */
export function folderBase(url: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new FolderError('badUrl', `updates.source.url is not a URL`);
  }
  if (u.protocol !== 'https:' || u.username || u.password || u.search || u.hash)
    throw new FolderError('badUrl', 'updates.source.url must be https://IP[:port]/path/ without user, query or fragment');
  if (isIP(u.hostname.replace(/^\[|\]$/g, '')) === 0)
    throw new FolderError('badUrl', 'updates.source.url must name the server by IP address (the egress firewall allows addresses only)');
  if (!u.pathname.endsWith('/')) u.pathname += '/';
  return u;
}

const FILE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}\.raucb$/;

export function parseFolderEntry(text: string, board: string): FolderEntry {
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new FolderError('badIndex', `${board}.json is not JSON`);
  }
  let release: Release;
  try {
    release = checkRelease(j, `${board}.json`);
  } catch (e) {
    throw new FolderError('badIndex', (e as Error).message);
  }
  if (release.compatible !== board) throw new FolderError('badIndex', `${board}.json describes a bundle for ${release.compatible}`);
  if (typeof j.file !== 'string' || !FILE.test(j.file)) throw new FolderError('badIndex', `${board}.json names no bundle file`);
  if (typeof j.size !== 'number' || !Number.isSafeInteger(j.size) || j.size <= 0 || j.size > BUNDLE_MAX_BYTES)
    throw new FolderError('badIndex', `${board}.json gives no usable size`);
  if (typeof j.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(j.sha256)) throw new FolderError('badIndex', `${board}.json gives no SHA-256`);
  return { release, file: j.file, size: j.size, sha256: j.sha256 };
}

/**
 * GETs one file of the folder into `sink`, refusing more than maxBytes. A sink that returns a
 * promise holds the transfer until it settles (the disk is slower than the LAN).
 */
function get(
  source: UpdateSource,
  name: string,
  maxBytes: number,
  totalTimeoutMs: number,
  sink: (chunk: Buffer) => void | Promise<void>,
): Promise<number> {
  const base = folderBase(source.url);
  const hostname = base.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    let settled = false;
    let received = 0;
    const done = (err: FolderError | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(total);
      clearTimeout(stall);
      if (err) {
        req.destroy();
        reject(err);
      } else resolve(received);
    };
    const req = https.request({
      agent: new https.Agent({ keepAlive: false }),
      host: hostname,
      port: base.port === '' ? 443 : Number(base.port),
      path: `${base.pathname}${encodeURIComponent(name)}`,
      method: 'GET',
      headers: { accept: '*/*', connection: 'close' },
      ca: [source.caPem],
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
      checkServerIdentity: (host: string, cert: tls.PeerCertificate) => {
        const identity = tls.checkServerIdentity(host, cert);
        if (identity) return identity;
        if (source.spkiSha256 !== undefined && spkiSha256(cert) !== source.spkiSha256)
          return new Error('the server public key does not match updates.source.spkiSha256');
        return undefined;
      },
    });
    const total = setTimeout(
      () => done(new FolderError('timeout', `${name}: no complete answer within ${totalTimeoutMs / 1000} s`)),
      totalTimeoutMs,
    );
    let stall = setTimeout(
      () => done(new FolderError('timeout', `${name}: no answer within ${CONNECT_TIMEOUT_MS / 1000} s`)),
      CONNECT_TIMEOUT_MS,
    );
    const rearm = () => {
      clearTimeout(stall);
      stall = setTimeout(() => done(new FolderError('timeout', `${name}: the transfer stalled`)), STALL_TIMEOUT_MS);
    };
    req.on('error', (e: NodeJS.ErrnoException) => {
      const tlsProblem = /CERT|SSL|TLS|self.signed|public key/i.test(`${e.code ?? ''} ${e.message}`);
      done(
        new FolderError(
          tlsProblem ? 'tlsRejected' : 'unreachable',
          `${name}: ${tlsProblem ? 'the server is not the pinned one' : 'cannot reach the folder'} (${e.code ?? e.message})`,
        ),
      );
    });
    req.on('response', (res) => {
      rearm();
      // Redirects included: the folder's answer is the file or nothing.
      if (res.statusCode !== 200) return done(new FolderError('status', `${name}: the folder answered ${res.statusCode}`));
      const announced = Number(res.headers['content-length'] ?? NaN);
      if (announced > maxBytes) return done(new FolderError('tooLarge', `${name}: ${announced} bytes is more than ${maxBytes}`));
      res.on('data', (chunk: Buffer) => {
        if (settled) return;
        received += chunk.length;
        if (received > maxBytes) return done(new FolderError('tooLarge', `${name}: more than ${maxBytes} bytes`));
        rearm();
        const held = sink(chunk);
        if (held) {
          res.pause();
          void held.then(() => res.resume());
        }
      });
      res.on('end', () => done(null));
      res.on('error', () => done(new FolderError('unreachable', `${name}: the transfer broke off`)));
    });
    req.end();
  });
}

export async function readFolderEntry(source: UpdateSource, board: string): Promise<FolderEntry> {
  const chunks: Buffer[] = [];
  await get(source, `${board}.json`, INDEX_MAX_BYTES, INDEX_TIMEOUT_MS, (c) => {
    chunks.push(c);
  });
  return parseFolderEntry(Buffer.concat(chunks).toString('utf8'), board);
}

/**
 * Downloads the entry's bundle to `path` (through `path.part`, renamed only once its size and
 * SHA-256 match the folder's entry).
 */
export async function downloadBundle(source: UpdateSource, entry: FolderEntry, path: string): Promise<void> {
  const part = `${path}.part`;
  const out = createWriteStream(part, { mode: 0o600 });
  const hash = createHash('sha256');
  let failed: unknown = null;
  try {
    // Generous: 2 GiB at 1 MB/s; the stall timeout catches a dead transfer long before.
    const received = await get(source, entry.file, entry.size, Math.max(600_000, (entry.size / 1_000_000) * 1000 * 2), (c) => {
      hash.update(c);
      if (!out.write(c)) return new Promise<void>((r) => out.once('drain', () => r()));
    });
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    if (received !== entry.size) throw new FolderError('sizeMismatch', `${entry.file}: ${received} bytes, the folder says ${entry.size}`);
    if (hash.digest('hex') !== entry.sha256) throw new FolderError('digestMismatch', `${entry.file}: its SHA-256 is not the folder's`);
    renameSync(part, path);
  } catch (e) {
    failed = e;
    out.destroy();
    rmSync(part, { force: true });
  }
  if (failed) throw failed;
}
