/**
 * File writes that survive a power cut: temp file, fsync, rename, fsync of the folder. Shared by
 * the daemon (its code cache), root's seal of that cache and the technician's CLI (provisioning/).
 */
import { chownSync, closeSync, fchmodSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Run as root, a new file takes the owner of its folder, so a tree made for the daemon's user stays
 * readable by it. Only when they differ: root's own services may lack CAP_CHOWN (the code cache's seal).
 */
export function takeFolderOwner(path: string): void {
  if (process.getuid?.() !== 0) return;
  const d = statSync(dirname(path));
  const f = statSync(path);
  if (f.uid !== d.uid || f.gid !== d.gid) chownSync(path, d.uid, d.gid);
}

/**
 * Written beside, then renamed over: a power cut leaves the old file or the new one. The file gets
 * exactly `mode` (the process's umask does not narrow it: root's sealed code cache must stay
 * readable by the daemon).
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, mode: number): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', mode);
  try {
    fchmodSync(fd, mode);
    writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkSync(tmp);
    throw e;
  }
  closeSync(fd);
  takeFolderOwner(tmp);
  renameSync(tmp, path);
  fsyncDir(dirname(path));
}
