/**
 * The daemon's code cache (device/boot.ts, #25): the first start of a release writes it to the
 * state folder after `ready`, later starts run with it and write nothing; a cache that is cut
 * short, random, damaged behind an intact header, made for another bundle, or refused by V8 is
 * ignored: the daemon starts, serves, and writes a good one again. The real daemon, as `npm start`
 * runs it. On the appliance the daemon only reads a cache root sealed (ANJUNGAN_CODE_CACHE) and
 * leaves its own as a candidate, which seal-code-cache.js (device/seal-code-cache.ts) takes once
 * per release, and never through a link.
 */
import t, { type Test } from 'tap';
import { createHash, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, linkSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildKiosk, spawnKiosk, type KioskProcess } from '../support/kiosk-process.ts';
import { findDemoTraces } from '../support/demo-traces.ts';
import { until } from '../support/until.ts';

const CACHE = 'code-cache.bin';

await buildKiosk();

function freshState(): string {
  const dir = mkdtempSync(join(tmpdir(), 'anjungan-code-cache-'));
  chmodSync(dir, 0o700);
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Starts the daemon on `stateDir`, waits for what it did with the cache, and stops it. */
async function start(t: Test, stateDir: string, env: Record<string, string> = {}): Promise<{ cache: string; kiosk: KioskProcess }> {
  const kiosk = await spawnKiosk({ ANJUNGAN_LOG_LEVEL: 'info', ...env }, { stateDir });
  try {
    const line = await until(
      () =>
        kiosk
          .output()
          .split('\n')
          .find((l) => l.includes('"event":"codeCache"')),
      'the codeCache log line',
      30_000,
    );
    const health = await fetch(`${kiosk.url}/healthz`);
    t.equal(health.status, 200, 'the daemon serves');
    return { cache: (JSON.parse(line) as { cache: string }).cache, kiosk };
  } finally {
    await kiosk.stop();
  }
}

/** The cache file as header and parts. */
function parse(file: Buffer): { header: { key: string; sha256: string; parts: Array<[string, number]> }; payload: Buffer } {
  const eol = file.indexOf(10);
  return { header: JSON.parse(file.subarray(0, eol).toString('utf8')), payload: file.subarray(eol + 1) };
}

function withHeader(header: object, payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), payload]);
}

const stateDir = freshState();
let good: Buffer;

t.test('the first start writes the cache after ready; the next runs with it and writes nothing', async (t) => {
  t.equal((await start(t, stateDir)).cache, 'saved', 'first start: saved');
  const file = join(stateDir, CACHE);
  const written = statSync(file);
  t.equal(written.mode & 0o777, 0o600, 'the owner’s only, as the rest of the state folder');
  good = readFileSync(file);
  t.same(
    findDemoTraces(stateDir).filter((h) => h.file.endsWith(CACHE)),
    [],
    'no persona or simulator in it',
  );
  t.equal((await start(t, stateDir)).cache, 'used', 'second start: used');
  const after = statSync(file);
  t.same([after.ino, after.mtimeMs], [written.ino, written.mtimeMs], 'not written again');
});

t.test('a damaged, foreign or refused cache never stops the daemon, and is written again', async (t) => {
  const { header, payload } = parse(good);
  const reheader = (h: typeof header, p: Buffer) => withHeader({ ...h, sha256: createHash('sha256').update(p).digest('hex') }, p);
  const [first, second] = header.parts;
  // The parts swapped, their lengths with them, and the checksum made right: only V8 can tell.
  const swapped = Buffer.concat([
    payload.subarray(first![1], first![1] + second![1]),
    payload.subarray(0, first![1]),
    payload.subarray(first![1] + second![1]),
  ]);
  const bad: Record<string, Buffer> = {
    'cut short': good.subarray(0, Math.floor(good.length / 2)),
    'random bytes': randomBytes(good.length),
    'damaged behind its header': Buffer.concat([good.subarray(0, good.length - 4096), randomBytes(4096)]),
    'of another bundle': reheader({ ...header, key: header.key.replace(/^\w+/, '0123456789abcdef') }, payload),
    'refused by V8 (parts of other chunks)': reheader(
      { ...header, parts: [[first![0], second![1]], [second![0], first![1]], ...header.parts.slice(2)] },
      swapped,
    ),
  };
  for (const [what, data] of Object.entries(bad)) {
    const dir = freshState();
    writeFileSync(join(dir, CACHE), data, { mode: 0o600 });
    t.equal((await start(t, dir)).cache, 'saved', `${what}: the daemon started and wrote a new cache`);
    t.equal((await start(t, dir)).cache, 'used', `${what}: which the next start uses`);
  }
});

const SEAL = new URL('../../dist/device/seal-code-cache.js', import.meta.url).pathname;
const seal = (candidate: string, sealed: string) =>
  execFileSync(process.execPath, [SEAL, candidate, sealed], { encoding: 'utf8', env: {} }).trim();

t.test('a sealed cache: the daemon reads it and leaves only a candidate, which the sealer takes once per release', async (t) => {
  const state = freshState();
  const sealedDir = freshState();
  chmodSync(sealedDir, 0o755);
  const sealed = join(sealedDir, CACHE);
  const candidate = join(state, 'code-cache.new');
  const env = { ANJUNGAN_CODE_CACHE: sealed };
  t.equal((await start(t, state, env)).cache, 'saved', 'first start: saved');
  t.ok(existsSync(candidate), 'as a candidate in the state folder');
  t.notOk(existsSync(join(state, CACHE)) || existsSync(sealed), 'and nowhere else');
  t.match(seal(candidate, sealed), /^code cache: sealed \d+ bytes/, 'the sealer takes it');
  t.equal(statSync(sealed).mode & 0o777, 0o644, 'readable by the daemon, written by the sealer only');
  t.notOk(existsSync(candidate), 'the candidate is gone');
  t.equal((await start(t, state, env)).cache, 'used', 'the next start runs with the sealed cache');
  t.notOk(existsSync(candidate), 'and leaves no candidate');

  const before = readFileSync(sealed);
  const { header } = parse(before);
  const forged = randomBytes(before.length - before.indexOf(10) - 1);
  const plant = (data: Buffer) => writeFileSync(candidate, data, { mode: 0o600 });
  plant(withHeader({ ...header, sha256: createHash('sha256').update(forged).digest('hex') }, forged));
  t.match(seal(candidate, sealed), /already sealed: candidate deleted/, 'a forged candidate for a sealed release is deleted');
  t.ok(readFileSync(sealed).equals(before) && !existsSync(candidate), 'the sealed cache unchanged');

  rmSync(sealed);
  const elsewhere = join(freshState(), 'secret');
  writeFileSync(elsewhere, before, { mode: 0o600 });
  symlinkSync(elsewhere, candidate);
  t.match(seal(candidate, sealed), /not a plain file/, 'a symbolic link is never followed');
  linkSync(elsewhere, candidate);
  t.match(seal(candidate, sealed), /not a plain file/, 'nor a second hard link');
  t.ok(!existsSync(sealed) && !existsSync(candidate) && existsSync(elsewhere), 'nothing sealed, the links deleted, their file kept');
  plant(withHeader({ ...header, key: header.key.replace(/^\w+/, '0123456789abcdef') }, before.subarray(before.indexOf(10) + 1)));
  t.match(seal(candidate, sealed), /not made for this release/, 'a candidate for another bundle is deleted');
  t.notOk(existsSync(sealed) || existsSync(candidate), 'and not sealed');
  const openDir = freshState();
  chmodSync(openDir, 0o777);
  plant(before);
  t.throws(() => seal(candidate, join(openDir, CACHE)), /not root's alone: not sealed/, 'never into a folder others may change');
  t.notOk(existsSync(join(openDir, CACHE)) || existsSync(candidate), 'nothing sealed, the candidate deleted');
  t.equal(seal(candidate, sealed), 'code cache: candidate not a plain file of its own: deleted', 'no candidate: nothing done');
});
