/**
 * The daemon's entry in a bundle (dist/device/main.cjs, dist/appliance/main.cjs; build.mjs). It
 * runs the daemon (daemon.cjs and its chunks, CommonJS) as scripts with V8's code cache, which
 * Node 20 keeps for scripts only, not for ES modules (#25, docs/boot-time.md): a start that finds
 * the cache skips parsing and compiling what the start that wrote it had run.
 *
 * The cache (device/code-cache.ts) is made once, 5 s after the first `ready` of a release, and
 * read at every later start. One that is missing, damaged, or made for another bundle, Node or CPU
 * is ignored and made anew. The cache holds the chunks the start loaded before its ready line (in
 * demo mode the simulators too, but not the demo's personas: device/sim/persona-ids.ts); what is
 * loaded after (exceljs, the report) is compiled as it comes.
 *
 * Where: by default code-cache.bin in the state folder, read and written there (`npm start`, the
 * demo, the bench). A code cache is code the daemon runs, so the appliance's unit names a cache
 * the daemon can only read (ANJUNGAN_CODE_CACHE, root's, on the data partition): the daemon then
 * writes its cache as a candidate, code-cache.new in the state folder, which root seals once per
 * release (anjungan-code-cache.service), and cannot change the code of its later starts.
 */
import './heap-flags.ts';
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { Script } from 'node:vm';
import { CACHE_MAX_BYTES, encodeCodeCache, parseCodeCache } from './code-cache.ts';
import { writeFileAtomic } from './files.ts';
import type { Logger } from './log.ts';

const CACHE_FILE = 'code-cache.bin';
const CANDIDATE_FILE = 'code-cache.new';
const CACHE_SAVE_DELAY_MS = 5000;

// main.cjs is CommonJS: its heap flags are set back before Node loads the ES module loader (device/heap-flags.ts).
const here = __dirname;

function readCodeCache(file: string): Map<string, Buffer> {
  try {
    if (statSync(file).size > CACHE_MAX_BYTES) return new Map();
    return parseCodeCache(readFileSync(file));
  } catch {
    return new Map();
  }
}

const stateDir = process.env.ANJUNGAN_STATE_DIR;
const sealedFile = process.env.ANJUNGAN_CODE_CACHE;
// Only where the daemon will write its state: a folder set in the configuration file instead is
// known after the configuration is read, too late for the code it would save.
const cacheFile = sealedFile ? resolve(sealedFile) : stateDir ? resolve(stateDir, CACHE_FILE) : undefined;
const saveFile = stateDir ? resolve(stateDir, sealedFile ? CANDIDATE_FILE : CACHE_FILE) : undefined;
const cached = cacheFile ? readCodeCache(cacheFile) : new Map<string, Buffer>();
/** The chunks loaded before ready, which the cache is made of; none once the daemon is ready. */
let startScripts: Map<string, Script> | null = new Map();
let cacheFits = true;
const modules = new Map<string, { exports: unknown }>();

/** A chunk of the daemon, as Node would load a CommonJS file, but compiled with its cached code. */
function load(name: string): unknown {
  const known = modules.get(name);
  if (known) return known.exports;
  const filename = join(here, name);
  const module = { exports: {} as unknown, filename, id: filename };
  modules.set(name, module);
  const cachedData = startScripts ? cached.get(name) : undefined;
  // The file is a CommonJS module already inside its wrapper function, and ASCII (build.mjs): read
  // as Latin-1 it is a plain copy, where decoding UTF-8 cost ~10 ms of CPU for the eager chunk.
  const script = new Script(readFileSync(filename, 'latin1'), { filename, ...(cachedData ? { cachedData } : {}) });
  if (startScripts) {
    startScripts.set(name, script);
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

/** The cache of the chunks this start loaded before ready, for the next start. */
function saveCodeCache(file: string, scripts: Map<string, Script>, log: Logger): void {
  try {
    const data = encodeCodeCache([...scripts].map(([name, script]) => [name, script.createCachedData()] as const));
    writeFileAtomic(file, data, 0o600);
    log.info({ event: 'codeCache', cache: 'saved', bytes: data.length, file }, 'code cache saved for the next start');
  } catch (err) {
    // The next start compiles as this one did, and tries again.
    log.warn({ event: 'codeCache', cache: 'notSaved', reason: (err as Error).message }, 'code cache not saved');
  }
}

const daemon = load('daemon.cjs') as { runDaemon(): Promise<Logger> };
// A daemon that fails to start rejects: unhandled, Node prints it and exits with 1.
void daemon.runDaemon().then(afterReady);

/** Once the daemon is ready: whether its start used the cache, and if not, the cache saved later. */
function afterReady(logger: Logger): void {
  const scripts = startScripts!;
  startScripts = null;
  // Every chunk of the start is compiled by now: the file's 1.5 MB need not stay in memory.
  cached.clear();
  if (!cacheFile) logger.info({ event: 'codeCache', cache: 'none' }, 'no code cache: ANJUNGAN_STATE_DIR is not set');
  else if (cacheFits) logger.info({ event: 'codeCache', cache: 'used' }, 'started with the code cache');
  else if (!saveFile)
    logger.warn({ event: 'codeCache', cache: 'notSaved', reason: 'ANJUNGAN_STATE_DIR is not set' }, 'code cache not saved');
  // A few seconds after ready, not at once: its ~30 ms of CPU here (~0.1 s of a Pi's quota) would
  // hold up the ready line's reader and the screen's first requests. Not holding the daemon up
  // either: one stopped sooner writes none, and the next start tries again.
  else setTimeout(() => saveCodeCache(saveFile, scripts, logger), CACHE_SAVE_DELAY_MS).unref();
}
