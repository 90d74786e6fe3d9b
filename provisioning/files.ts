/**
 * File writes that survive a power cut: temp file, fsync, rename, fsync of the folder. New files
 * take the owner of their folder when run as root, so a tree made for the daemon's user stays
 * readable by it.
 */
import { chownSync, closeSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function takeFolderOwner(path: string): void {
  if (process.getuid?.() !== 0) return;
  const d = statSync(dirname(path));
  chownSync(path, d.uid, d.gid);
}

export function writeFileAtomic(path: string, data: string | Uint8Array, mode: number): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', mode);
  try {
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

/** Overwrites a file with zeros and fsyncs before unlinking it, so its bytes do not linger in it. */
export function eraseFile(path: string): void {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return;
  }
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, Buffer.alloc(size));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  unlinkSync(path);
  fsyncDir(dirname(path));
}
