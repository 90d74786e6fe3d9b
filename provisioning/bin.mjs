#!/usr/bin/env node
// anjungan-provision launcher. In a checkout (TypeScript sources and tsx present) it runs the
// sources, so it is never out of date; on a device, the bundle build.mjs made.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const source = fileURLToPath(new URL('./cli.ts', import.meta.url));
const bundle = fileURLToPath(new URL('../dist/provisioning/cli.js', import.meta.url));
let cli;
let tsx = null;
if (existsSync(source)) tsx = await import('tsx/esm/api').catch(() => null);
if (tsx) {
  tsx.register();
  cli = await import(pathToFileURL(source).href);
} else {
  cli = await import(pathToFileURL(bundle).href);
}
await cli.main();
