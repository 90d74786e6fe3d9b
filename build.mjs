// Bundles the daemon (Node, ESM) and the UI (browser) with esbuild.
import { build } from 'esbuild';
import { mkdir, copyFile, writeFile } from 'node:fs/promises';
import { buildPromptPack } from './build-prompts.mjs';

const external = ['better-sqlite3', '@pokusew/pcsclite', 'onoff', 'pino', 'thread-stream'];

await build({
  entryPoints: ['device/main.ts', 'device/firewall.ts'],
  outdir: 'dist/device',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  external,
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
});

// The technician CLI, so a device runs it without tsx (provisioning/bin.mjs picks it up).
await build({
  entryPoints: ['provisioning/main.ts'],
  outdir: 'dist/provisioning',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  external: [...external, 'playwright-core'],
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
});

await build({
  entryPoints: ['ui/main.ts'],
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
await buildPromptPack('dist/ui');
