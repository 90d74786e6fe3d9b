/**
 * Seals the daemon's code cache on the appliance (dist/appliance/seal-code-cache.js, run by root
 * from anjungan-code-cache.service when the daemon leaves a candidate; #25, docs/boot-time.md).
 *
 * A code cache is code the daemon runs at every start, unchecked by V8: one the daemon could
 * rewrite would let a daemon someone had taken over outlive a reboot on a read-only root. So the
 * daemon only reads the sealed cache (root's, 0644, in a root folder) and writes a candidate in
 * its own state folder; this takes the candidate only if it is made for the installed release
 * (this bundle, Node and CPU: the key device/boot.ts checks) and the sealed cache is not, and
 * deletes it in every case. Once a release's cache is sealed, nothing the daemon writes changes it.
 *
 * Usage: seal-code-cache.js CANDIDATE SEALED
 */
import { closeSync, constants, fstatSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { CACHE_MAX_BYTES, parseCodeCache } from './code-cache.ts';
import { writeFileAtomic } from './files.ts';

const [candidate, sealed] = process.argv.slice(2);
if (!candidate || !sealed) {
  console.error('usage: seal-code-cache.js CANDIDATE SEALED');
  process.exit(2);
}

/**
 * The candidate's bytes, if it is a plain file of the daemon's own: never through a symbolic link
 * (the daemon could point one at a secret, which would become a world-readable cache), a second
 * hard link, or a FIFO.
 */
function readCandidate(file: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.nlink !== 1 || stat.size > CACHE_MAX_BYTES) return undefined;
    const data = Buffer.alloc(stat.size);
    let at = 0;
    while (at < data.length) {
      const n = readSync(fd, data, at, data.length - at, at);
      if (n === 0) return undefined;
      at += n;
    }
    return data;
  } finally {
    closeSync(fd);
  }
}

function sealedFits(file: string): boolean {
  try {
    return parseCodeCache(readFileSync(file)).size > 0;
  } catch {
    return false;
  }
}

let outcome: string;
try {
  const data = readCandidate(candidate);
  if (!data) outcome = 'candidate not a plain file of its own: deleted';
  else if (parseCodeCache(data).size === 0) outcome = 'candidate not made for this release, or damaged: deleted';
  else if (sealedFits(sealed)) outcome = "this release's cache is already sealed: candidate deleted";
  else {
    // The folder, and every folder above it, is root's and only root's to change (or sticky, as
    // /tmp): else the daemon could move the sealed cache aside and put its own in its place. The
    // folder is made here on a data partition older than the cache.
    mkdirSync(dirname(sealed), { recursive: true, mode: 0o755 });
    for (let dir = dirname(sealed); ; dir = dirname(dir)) {
      const { uid, mode } = statSync(dir);
      if (uid !== 0 || ((mode & 0o022) !== 0 && (mode & 0o1000) === 0)) throw new Error(`${dir} is not root's alone: not sealed`);
      if (dir === dirname(dir)) break;
    }
    writeFileAtomic(sealed, data, 0o644);
    const dir = openSync(dirname(sealed), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
    outcome = `sealed ${data.length} bytes as ${sealed}`;
    // The daemon reads it as another user: a folder on the way that others cannot pass would leave
    // every start without it, silently.
    for (let dir = dirname(sealed); dir !== dirname(dir); dir = dirname(dir)) {
      if ((statSync(dir).mode & 0o001) === 0) outcome += ` (but the daemon cannot reach it: ${dir} is closed to others)`;
    }
  }
} finally {
  // Always: a candidate left behind would start this again at once (PathExists=).
  rmSync(candidate, { force: true });
}
console.log(`code cache: ${outcome}`);
