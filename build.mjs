// Bundles the daemon (Node, ESM) and the UI (browser) with esbuild. Run as a script it builds
// everything into dist/; the UI tests bundle the kiosk screens and the staff dashboard with the
// same recipe (buildKioskUi, buildDashboardUi) into folders of their own.
import { build, transform } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdir, copyFile, readdir, rm, writeFile } from 'node:fs/promises';
import { buildPromptPack } from './build-prompts.mjs';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Native addons stay node modules. pino is bundled (#25): loaded from node_modules it cost a
// Pi-class boot the resolution, reading and uncached compiling of some twenty files; the daemon
// logs to a file descriptor (device/log.ts), never through a transport, the one part of pino
// (its worker thread, thread-stream) that needs its files on disk.
const external = ['better-sqlite3', '@pokusew/pcsclite'];
/**
 * `node:http2` for fastify, loaded on first use: fastify's server.js requires it at start, for
 * the HTTP/2 servers it makes only when asked to (`http2: true`, which no server of ours is).
 * Loading it cost a start ~14 ms of CPU (~45 ms at 30 % of one core; #25, docs/boot-time.md).
 */
const lazyHttp2ForFastify = {
  name: 'lazy-http2-for-fastify',
  setup(b) {
    b.onResolve({ filter: /^(node:)?http2$/ }, (args) =>
      /[\\/]node_modules[\\/]fastify[\\/]lib[\\/]server\.js$/.test(args.importer)
        ? { path: 'http2', namespace: 'lazy-builtin' }
        : undefined,
    );
    b.onLoad({ filter: /^http2$/, namespace: 'lazy-builtin' }, () => ({
      contents: 'let http2;module.exports=new Proxy({},{get:(_,key)=>(http2??=require("node:http2"))[key]});',
      loader: 'js',
    }));
  },
};

const daemon = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  external,
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
};

/** The browser recipe, once for both pages. */
const browser = { bundle: true, platform: 'browser', format: 'esm', target: 'es2022', minify: true, sourcemap: true, logLevel: 'warning' };

/** The kiosk's screens with their page and spoken prompts, into `outdir`. */
export async function buildKioskUi(outdir) {
  await build({ ...browser, entryPoints: { main: 'ui/main.ts' }, outdir });
  await copyFile('ui/index.html', `${outdir}/index.html`);
  await buildPromptPack(outdir);
}

/** The staff dashboard and its page, into `outdir` (served at /staff/ by both listeners). */
export async function buildDashboardUi(outdir) {
  await build({ ...browser, entryPoints: { main: 'ui/dashboard/main.ts' }, outdir });
  await copyFile('ui/dashboard/index.html', `${outdir}/index.html`);
}

// Entry points: the daemon, the firewall loader, and the fingerprint extractor's worker thread
// (device/fingerprint/extractor-worker.ts loads extract-worker.js beside main.cjs).
const entryPoints = {
  main: 'device/main.ts',
  firewall: 'device/firewall-script.ts',
  'extract-worker': 'device/fingerprint/extract/worker.ts',
};

/**
 * The daemon into `outdir`: daemon.cjs holds what serving the first taxpayer needs; what it
 * imports dynamically (the simulators, exceljs for the report and the data balikan files) becomes
 * chunks beside it, parsed on first use (#25). The firewall loader and the worker stay one file each.
 * Without comments and blanks a Pi parses less before the first screen. The chunks are ASCII:
 * esbuild escapes strings and names, and the bundled licence notices (a name with an ä) go to a
 * `<chunk>.LEGAL.txt` beside each chunk, so that main.cjs can read a chunk as Latin-1, a copy,
 * instead of decoding UTF-8 (~10 ms of CPU for the 1.4 MB eager chunk; docs/boot-time.md); the
 * build fails on a chunk that is not ASCII.
 *
 * The daemon and its chunks are CommonJS, run by main.cjs (device/boot.ts) as scripts with V8's
 * code cache, which Node 20 keeps for scripts only. esbuild splits ES modules only: the daemon is
 * split as ES modules in memory, then each file becomes CommonJS, its `import()` of a chunk a
 * `require` on first use, its `import.meta.url` its own file's. Each file holds its module inside
 * the function CommonJS wraps a module in, which main.cjs compiles as read (~10 ms of CPU less
 * than joining 1.4 MB of source to a wrapper at every start); Node cannot run them directly.
 */
/** Each chunk of the daemon is a CommonJS module written inside the function Node would wrap it in. */
const CHUNK_WRAPPER = '(function (exports, require, module, __filename, __dirname) {';

async function buildDaemon(outdir, options = {}) {
  const { main, ...others } = entryPoints;
  const kiosk = {
    ...daemon,
    ...options,
    plugins: [lazyHttp2ForFastify, ...(options.plugins ?? [])],
    minifyWhitespace: true,
    minifySyntax: true,
    metafile: true,
  };
  const [split, ...built] = await Promise.all([
    build({
      ...kiosk,
      banner: {},
      entryPoints: { daemon: main },
      outdir,
      splitting: true,
      outExtension: { '.js': '.cjs' },
      sourcemap: 'inline',
      legalComments: 'external',
      write: false,
    }),
    build({ ...kiosk, entryPoints: others, outdir }),
  ]);
  const chunks = new Map();
  const legal = [];
  await mkdir(outdir, { recursive: true });
  for (const file of split.outputFiles) {
    const name = basename(file.path);
    if (name.endsWith('.LEGAL.txt')) {
      legal.push(name);
      await writeFile(resolve(outdir, name), file.text);
      continue;
    }
    const cjs = await transform(file.text, {
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      supported: { 'dynamic-import': false },
      define: { 'import.meta.url': '__bundleUrl' },
      banner: 'var __bundleUrl=require("node:url").pathToFileURL(__filename).href;',
      minifyWhitespace: true,
      sourcemap: 'external',
      sourcefile: name,
      logLevel: 'warning',
    });
    // main.cjs reads a chunk as Latin-1, the same text only for ASCII (device/boot.ts).
    const notAscii = /[^\x00-\x7f]/.exec(cjs.code);
    if (notAscii) throw new Error(`${name} is not ASCII (at ${notAscii.index}): main.cjs would misread it`);
    chunks.set(name, cjs.code);
    // Written as the function main.cjs compiles (device/boot.ts), so that the file is the script's
    // source as it stands; its map starts a line lower (a leading ";" is one generated line more).
    await writeFile(resolve(outdir, name), `${CHUNK_WRAPPER}\n${cjs.code}})\n//# sourceMappingURL=${name}.map\n`);
    const map = JSON.parse(cjs.map);
    await writeFile(resolve(outdir, `${name}.map`), JSON.stringify({ ...map, mappings: `;${map.mappings}` }));
  }
  // The code cache holds the chunks a start loads before its ready line (device/boot.ts): any of
  // them may be in it, so a cache is made for this set of chunks, named by a hash of them all.
  const id = createHash('sha256');
  for (const name of [...chunks.keys()].sort()) id.update(`${name}\0${chunks.get(name)}\0`);
  const bundle = { id: id.digest('hex').slice(0, 16) };
  const withBundle = { ...kiosk, banner: {}, outdir, define: { ANJUNGAN_BUNDLE: JSON.stringify(bundle) } };
  built.push(
    // CommonJS, so that its first lines run before Node loads its ES module loader (device/heap-flags.ts).
    await build({ ...withBundle, entryPoints: { main: 'device/boot.ts' }, format: 'cjs', outExtension: { '.js': '.cjs' } }),
    await build({ ...withBundle, entryPoints: { 'seal-code-cache': 'device/seal-code-cache.ts' } }),
  );
  // Chunks are named by their content: those of an earlier build are removed.
  const current = new Set([
    ...[...chunks.keys()].flatMap((name) => [name, `${name}.map`]).map((name) => resolve(outdir, name)),
    ...legal.map((name) => resolve(outdir, name)),
    ...built.flatMap((b) => Object.keys(b.metafile.outputs)).map((o) => resolve(o)),
  ]);
  for (const f of await readdir(outdir)) if (!current.has(resolve(outdir, f))) await rm(resolve(outdir, f));
}

async function buildAll() {
  // The demo bundle (`make demo`, the tests): every mode, simulators included.
  await buildDaemon('dist/device');

  // The production bundle the appliance runs (image/build-rootfs.sh): device/simulation.ts is
  // replaced by its production stand-in, so nothing under device/sim/ (simulators, virtual cards,
  // demo personas) is bundled. The build fails if anything else still reaches device/sim/.
  const withoutSimulators = {
    name: 'without-simulators',
    setup(b) {
      b.onResolve({ filter: /\/simulation\.ts$/ }, (args) => ({
        path: resolve(args.resolveDir, args.path.replace(/simulation\.ts$/, 'simulation.production.ts')),
      }));
      b.onResolve({ filter: /\/sim\// }, (args) => ({
        errors: [{ text: `the production bundle must not import ${args.path} (from ${args.importer})` }],
      }));
    },
  };
  await buildDaemon('dist/appliance', { plugins: [withoutSimulators] });

  // The technician CLI, so a device runs it without tsx (provisioning/bin.mjs picks it up).
  await build({ ...daemon, entryPoints: ['provisioning/main.ts'], outdir: 'dist/provisioning' });

  await mkdir('dist/ui/dashboard', { recursive: true });
  await buildKioskUi('dist/ui');
  await buildDashboardUi('dist/ui/dashboard');
  // The fleet service (fleet/, a BKD LAN server) and its dashboard, served at / by each instance.
  await build({ ...daemon, entryPoints: { main: 'fleet/main.ts' }, outdir: 'dist/fleet', external: [...external, 'pg-native'] });
  await build({ ...browser, entryPoints: { main: 'fleet/ui/main.ts' }, outdir: 'dist/fleet-ui' });
  await copyFile('fleet/ui/index.html', 'dist/fleet-ui/index.html');
  // What an installed tree must carry in node_modules next to the bundle (image/build-rootfs.sh).
  await writeFile('dist/externals.json', JSON.stringify(external) + '\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await buildAll();
