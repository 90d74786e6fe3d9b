/**
 * The daemon's code cache (device/boot.ts, #25): the first start of a release writes it to the
 * state folder after `ready`, later starts run with it and write nothing; a cache that is cut
 * short, random, damaged behind an intact header, made for another bundle, or refused by V8 is
 * ignored: the daemon starts, serves, and writes a good one again. The real daemon, as `npm start`
 * runs it.
 */
import t, { type Test } from 'tap';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
async function start(t: Test, stateDir: string): Promise<{ cache: string; kiosk: KioskProcess }> {
  const kiosk = await spawnKiosk({ ANJUNGAN_LOG_LEVEL: 'info' }, { stateDir });
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
