/**
 * `npm run bench`: runs every benchmark module in this folder (each exports `bench()`) one after
 * another and prints one JSON object of named figures. Figures are measured, never asserted.
 * Progress goes to stderr so stdout stays one JSON object.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const modules = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .filter((f) => only.length === 0 || only.includes(f.replace(/\.ts$/, '')))
  .sort();

const figures: Record<string, number> = {};
for (const file of modules) {
  const started = Date.now();
  process.stderr.write(`bench: ${file} …\n`);
  const mod = (await import(pathToFileURL(join(here, file)).href)) as { bench?: () => Promise<Record<string, number>> };
  if (typeof mod.bench !== 'function') continue;
  Object.assign(figures, await mod.bench());
  process.stderr.write(`bench: ${file} done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
process.exit(0);
