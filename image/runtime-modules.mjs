// Prints the node_modules folders (relative to the checkout) that the bundled daemon needs at
// run time: the externals of build.mjs (dist/externals.json) and everything they depend on,
// resolved the way Node resolves them (nested node_modules first, then upwards).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const externals = JSON.parse(readFileSync('dist/externals.json', 'utf8'));
const seen = new Set();

function locate(name, fromDir) {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === '.' || dir === dirname(dir)) return null;
  }
}

function visit(name, fromDir, optional) {
  const dir = locate(name, fromDir);
  if (!dir) {
    if (optional) return;
    throw new Error(`runtime module not installed: ${name}`);
  }
  if (seen.has(dir)) return;
  seen.add(dir);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  for (const dep of Object.keys(pkg.dependencies ?? {})) visit(dep, dir, false);
  for (const dep of Object.keys(pkg.optionalDependencies ?? {})) visit(dep, dir, true);
}

for (const name of externals) visit(name, '.', true);
process.stdout.write([...seen].sort().join('\n') + '\n');
