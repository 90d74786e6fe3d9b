/**
 * device/heap-flags.ts: the daemon starts with the heap flags of `npm start` (and of
 * anjungan.service), then sets them back to V8's defaults. Its heap must keep the limits the flags
 * made, and V8 must take a code cache made by a Node without flags, as Node's cache of its own
 * built-in modules is: with the flags still set, V8 refuses it (the flag hash differs) and every
 * built-in the daemon loads is compiled from source.
 */
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const startFlags = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start
  .split(/\s+/)
  .filter((a) => a.startsWith('--'));
const dir = mkdtempSync(join(tmpdir(), 'anjungan-heap-flags-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

// A script and its code cache, made by a Node started without flags.
const script = join(dir, 'script.js');
writeFileSync(script, 'function add(a, b) { return a + b; }\nadd(1, 2);\n');
const cacheFile = join(dir, 'script.cache');
execFileSync(process.execPath, [
  '-e',
  `const vm = require('node:vm'), fs = require('node:fs');
   const s = new vm.Script(fs.readFileSync(${JSON.stringify(script)}, 'utf8'));
   s.runInThisContext();
   fs.writeFileSync(${JSON.stringify(cacheFile)}, s.createCachedData());`,
]);

/** Under the start's flags, after importing heap-flags.ts or not: the cache taken or not, and the heap's limits. */
function probe(withHeapFlags: boolean): { rejected: boolean; heapLimitMb: number; youngMaxMb: number } {
  const program = `
    ${withHeapFlags ? "await import('./device/heap-flags.ts');" : ''}
    const vm = await import('node:vm'), fs = await import('node:fs'), v8 = await import('node:v8');
    const s = new vm.Script(fs.readFileSync(${JSON.stringify(script)}, 'utf8'), { cachedData: fs.readFileSync(${JSON.stringify(cacheFile)}) });
    // Enough short- and long-lived garbage for V8 to grow its young generation to its limit.
    const kept = [];
    let youngMax = 0;
    for (let i = 0; i < 300000; i++) {
      const o = { n: i, list: new Array(16).fill(i) };
      if (i % 16 === 0) kept.push(o);
      if (kept.length > 20000) kept.length = 0;
      if (i % 2000 === 0) youngMax = Math.max(youngMax, v8.getHeapSpaceStatistics().find((x) => x.space_name === 'new_space').space_size);
    }
    process.stdout.write(JSON.stringify({
      rejected: s.cachedDataRejected,
      heapLimitMb: v8.getHeapStatistics().heap_size_limit / 2 ** 20,
      youngMaxMb: youngMax / 2 ** 20,
    }));`;
  const out = execFileSync(process.execPath, [...startFlags, '--import=tsx', '--input-type=module', '-e', program], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    encoding: 'utf8',
  });
  return JSON.parse(out) as { rejected: boolean; heapLimitMb: number; youngMaxMb: number };
}

t.test('npm start sizes the heap with flags', async (t) => {
  t.ok(startFlags.includes('--max-old-space-size=48'), 'old space capped at 48 MB');
  t.ok(startFlags.includes('--max-semi-space-size=1'), 'semi-spaces of 1 MB');
  t.ok(startFlags.includes('--initial-old-space-size=16'), 'an old space of 16 MB to start with');
});

t.test('with the flags still set, V8 refuses a cache made without them', async (t) => {
  const { rejected, heapLimitMb } = probe(false);
  t.equal(rejected, true, 'refused: the flag hash differs');
  t.ok(heapLimitMb < 64, `the heap is capped (${heapLimitMb.toFixed(1)} MB)`);
});

t.test('with the flags set back, V8 takes the cache and the heap keeps its limits', async (t) => {
  const { rejected, heapLimitMb, youngMaxMb } = probe(true);
  t.equal(rejected, false, 'taken');
  t.ok(heapLimitMb < 64, `old space still capped (heap limit ${heapLimitMb.toFixed(1)} MB; V8's default here is gigabytes)`);
  t.ok(youngMaxMb <= 2, `young generation still small (grew to ${youngMaxMb.toFixed(1)} MB; 16 MB by default)`);
});

t.test('setting the flags back loads no built-in module', async (t) => {
  // Each built-in loaded while the flags are set is compiled without Node's cache (and node:v8
  // alone loads some twenty): the reset must come before any of them.
  const program = `
    const before = new Set(process.moduleLoadList);
    await import('./device/heap-flags.ts');
    process.stdout.write(JSON.stringify(process.moduleLoadList.filter((m) => !before.has(m) && m.startsWith('NativeModule '))));`;
  const loaded = JSON.parse(
    execFileSync(process.execPath, [...startFlags, '--import=tsx', '--input-type=module', '-e', program], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      encoding: 'utf8',
    }),
  ) as string[];
  t.same(loaded, [], 'no built-in loaded by it');
});
