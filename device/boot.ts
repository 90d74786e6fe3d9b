/**
 * The daemon's entry in a bundle (dist/device/main.js, dist/appliance/main.js; build.mjs). It
 * runs the daemon (daemon.cjs and its chunks, CommonJS) as scripts with V8's code cache, which
 * Node 20 keeps for scripts only, not for ES modules (#25, docs/boot-time.md): a start that finds
 * the cache skips parsing and compiling what the start that wrote it had run.
 *
 * The cache is one file in the state folder (code-cache.bin, the data partition: the image's root
 * is read-only), written once, 5 s after the first `ready` of a release, and read at every later
 * start. One that is missing, damaged, or made for another bundle, Node or CPU is ignored, and
 * written anew. Only the chunks every start runs are cached: what is loaded on first use
 * (exceljs, the demo's simulators) is compiled as it comes.
 */
import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import type { Logger } from './log.ts';

/** The build's description of the daemon (build.mjs): its id (a hash of the cached chunks) and those chunks. */
declare const ANJUNGAN_BUNDLE: { id: string; eager: string[] };

const CACHE_FILE = 'code-cache.bin';
/** Far above a real cache (~1.6 MB): a larger file is not read. */
const CACHE_MAX_BYTES = 32 << 20;
const CACHE_SAVE_DELAY_MS = 5000;
/** What a cache fits: V8 also checks its own version, the source and its flags, and says so (cachedDataRejected). */
const CACHE_KEY = `${ANJUNGAN_BUNDLE.id} node ${process.version} v8 ${process.versions.v8} ${process.arch}`;

const here = dirname(fileURLToPath(import.meta.url));

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/**
 * The cached code of each chunk, or none. The file is a JSON line (key, checksum, parts) and the
 * parts: its own checksum guards V8, which does not check the code it is given in a release build.
 */
function readCodeCache(file: string): Map<string, Buffer> {
  const none = new Map<string, Buffer>();
  let data: Buffer;
  try {
    if (statSync(file).size > CACHE_MAX_BYTES) return none;
    data = readFileSync(file);
  } catch {
    return none;
  }
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

/** Written beside, then renamed over: a power cut leaves the old file or the new one (or none). */
function writeCodeCache(file: string, scripts: Map<string, Script>): number {
  const parts = [...scripts].map(([name, script]) => [name, script.createCachedData()] as const);
  const payload = Buffer.concat(parts.map(([, data]) => data));
  const header = { key: CACHE_KEY, sha256: sha256(payload), parts: parts.map(([name, data]) => [name, data.length]) };
  const partial = `${file}.tmp`;
  const fd = openSync(partial, 'w', 0o600);
  try {
    writeFileSync(fd, Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), payload]));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(partial, file);
  return payload.length;
}

const stateDir = process.env.ANJUNGAN_STATE_DIR;
// Only where the daemon will write its state: a folder set in the configuration file instead is
// known after the configuration is read, too late for the code it would save.
const cacheFile = stateDir ? resolve(stateDir, CACHE_FILE) : undefined;
const cached = cacheFile ? readCodeCache(cacheFile) : new Map<string, Buffer>();
const eagerScripts = new Map<string, Script>();
let cacheFits = true;
const modules = new Map<string, { exports: unknown }>();

/** A chunk of the daemon, as Node would load a CommonJS file, but compiled with its cached code. */
function load(name: string): unknown {
  const known = modules.get(name);
  if (known) return known.exports;
  const filename = join(here, name);
  const module = { exports: {} as unknown, filename, id: filename };
  modules.set(name, module);
  const eager = ANJUNGAN_BUNDLE.eager.includes(name);
  const cachedData = eager ? cached.get(name) : undefined;
  const source = `(function (exports, require, module, __filename, __dirname) {${readFileSync(filename, 'utf8')}\n})`;
  const script = new Script(source, { filename, ...(cachedData ? { cachedData } : {}) });
  if (eager) {
    eagerScripts.set(name, script);
    if (!cachedData || script.cachedDataRejected) cacheFits = false;
  }
  const nodeRequire = createRequire(filename);
  const require = Object.assign((id: string) => (id.startsWith('./') && id.endsWith('.cjs') ? load(id.slice(2)) : nodeRequire(id)), {
    resolve: nodeRequire.resolve,
    cache: nodeRequire.cache,
    main: nodeRequire.main,
  });
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, require, module, filename, here);
  return module.exports;
}

/** The cache of this start's eager chunks, for the next start. */
function saveCodeCache(file: string, log: Logger): void {
  try {
    const bytes = writeCodeCache(file, eagerScripts);
    log.info({ event: 'codeCache', cache: 'saved', bytes }, 'code cache saved for the next start');
  } catch (err) {
    // The next start compiles as this one did, and tries again.
    log.warn({ event: 'codeCache', cache: 'notSaved', reason: (err as Error).message }, 'code cache not saved');
  }
  eagerScripts.clear();
}

const daemon = load('daemon.cjs') as { runDaemon(): Promise<Logger> };
// Every eager chunk is compiled by now (loaded in one go): the file's 1.5 MB need not stay in memory.
cached.clear();
const logger = await daemon.runDaemon();
if (!cacheFile) logger.info({ event: 'codeCache', cache: 'none' }, 'no code cache: ANJUNGAN_STATE_DIR is not set');
else if (cacheFits) logger.info({ event: 'codeCache', cache: 'used' }, 'started with the code cache');
// A few seconds after ready, not at once: its ~30 ms of CPU here (~0.1 s of a Pi's quota) would
// hold up the ready line's reader and the screen's first requests. Not holding the daemon up
// either: one stopped sooner writes none, and the next start tries again.
else setTimeout(() => saveCodeCache(cacheFile, logger), CACHE_SAVE_DELAY_MS).unref();
if (cacheFits || !cacheFile) eagerScripts.clear();
