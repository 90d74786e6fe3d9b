/**
 * The daemon's code cache file (#25, docs/boot-time.md), shared by main.cjs (device/boot.ts), which
 * reads it and writes it, and seal-code-cache.js (device/seal-code-cache.ts), which root runs on
 * the appliance to make the daemon's candidate a cache the daemon can no longer change.
 *
 * The file is a JSON line (key, checksum, the parts' names and lengths) and the parts. Its own
 * checksum guards V8, which does not check the code it is given in a release build; it proves
 * nothing against whoever wrote the file, which is why the appliance's daemon only reads it.
 */
import { createHash } from 'node:crypto';

/** The build's description of the daemon (build.mjs): its id, a hash of all its chunks. */
declare const ANJUNGAN_BUNDLE: { id: string };

/** Far above a real cache (~1.6 MB): a larger file is not read. */
export const CACHE_MAX_BYTES = 32 << 20;
/** What a cache fits: V8 also checks its own version, the source and its flags, and says so (cachedDataRejected). */
export const CACHE_KEY = `${ANJUNGAN_BUNDLE.id} node ${process.version} v8 ${process.versions.v8} ${process.arch}`;

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** The cached code of each chunk, or none if the file does not fit this bundle, Node and CPU or is damaged. */
export function parseCodeCache(data: Buffer): Map<string, Buffer> {
  const none = new Map<string, Buffer>();
  if (data.length > CACHE_MAX_BYTES) return none;
  const eol = data.indexOf(10);
  if (eol < 0) return none;
  let header: { key?: unknown; sha256?: unknown; parts?: unknown };
  try {
    header = JSON.parse(data.subarray(0, eol).toString('utf8')) as typeof header;
  } catch {
    return none;
  }
  const payload = data.subarray(eol + 1);
  if (header.key !== CACHE_KEY || !Array.isArray(header.parts) || header.sha256 !== sha256(payload)) return none;
  const parts = new Map<string, Buffer>();
  let at = 0;
  for (const part of header.parts as unknown[]) {
    if (!Array.isArray(part) || typeof part[0] !== 'string' || !Number.isSafeInteger(part[1])) return none;
    const length = part[1] as number;
    if (length < 0 || at + length > payload.length) return none;
    parts.set(part[0], payload.subarray(at, (at += length)));
  }
  return at === payload.length ? parts : none;
}

/** The file of these parts, for this bundle, Node and CPU. */
export function encodeCodeCache(parts: ReadonlyArray<readonly [string, Buffer]>): Buffer {
  const payload = Buffer.concat(parts.map(([, data]) => data));
  const header = { key: CACHE_KEY, sha256: sha256(payload), parts: parts.map(([name, data]) => [name, data.length]) };
  return Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), payload]);
}
