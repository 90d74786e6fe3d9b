#!/usr/bin/env node
// anjungan-provision launcher. In a checkout (TypeScript sources and tsx present) it runs the
// sources, so it is never out of date; otherwise the bundle build.mjs made, which runs on import
// (a device's /usr/local/bin/anjungan-provision runs that bundle directly).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const source = fileURLToPath(new URL('./main.ts', import.meta.url));
const bundle = fileURLToPath(new URL('../dist/provisioning/main.js', import.meta.url));
const tsx = existsSync(source) ? await import('tsx/esm/api').catch(() => null) : null;
if (tsx) tsx.register();
await import(pathToFileURL(tsx ? source : bundle).href);
