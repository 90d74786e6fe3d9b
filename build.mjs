// Bundles the daemon (Node, ESM) and the UI (browser) with esbuild.
import { build } from 'esbuild';
import { mkdir, copyFile, writeFile } from 'node:fs/promises';
import { buildPromptPack } from './build-prompts.mjs';
import { resolve } from 'node:path';

const external = ['better-sqlite3', '@pokusew/pcsclite', 'pino', 'thread-stream'];
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

// The demo bundle (`make demo`, the tests): every mode, simulators included.
await build({ ...daemon, entryPoints: ['device/main.ts', 'device/firewall.ts'], outdir: 'dist/device' });

// The production bundle the appliance runs (image/build-rootfs.sh): device/simulation.ts is
// replaced by its production stand-in, so nothing under device/sim/ (simulators, virtual cards,
// demo personas) is bundled. The build fails if anything else still reaches device/sim/.
const withoutSimulators = {
  name: 'without-simulators',
  setup(b) {
    b.onResolve({ filter: /\/simulation\.ts$/ }, (args) => ({ path: resolve(args.resolveDir, args.path.replace(/simulation\.ts$/, 'simulation.production.ts')) }));
    b.onResolve({ filter: /\/sim\// }, (args) => ({
      errors: [{ text: `the production bundle must not import ${args.path} (from ${args.importer})` }],
    }));
  },
};
await build({ ...daemon, entryPoints: ['device/main.ts', 'device/firewall.ts'], outdir: 'dist/appliance', plugins: [withoutSimulators] });

// The technician CLI, so a device runs it without tsx (provisioning/bin.mjs picks it up).
await build({
  entryPoints: ['provisioning/main.ts'],
  outdir: 'dist/provisioning',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  external,
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
});

// The kiosk UI and, beside it, the staff dashboard (served at /staff/ by both listeners).
await build({
  entryPoints: { main: 'ui/main.ts', 'dashboard/main': 'ui/dashboard/main.ts' },
  outdir: 'dist/ui',
  bundle: true,
  platform: 'browser',
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  logLevel: 'warning',
});
await mkdir('dist/ui', { recursive: true });
// What an installed tree must carry in node_modules next to the bundle (image/build-rootfs.sh).
await writeFile('dist/externals.json', JSON.stringify(external) + '\n');
await copyFile('ui/index.html', 'dist/ui/index.html');
await copyFile('ui/dashboard/index.html', 'dist/ui/dashboard/index.html');
await buildPromptPack('dist/ui');
