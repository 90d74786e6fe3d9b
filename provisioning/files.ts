/**
 * Erasing what the kiosk held when it is taken down: the free space overwritten, files overwritten
 * before they are removed. (Writing files atomically: device/files.ts.)
 */
import { closeSync, fsyncSync, openSync, readdirSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { fsyncDir } from '../device/files.ts';

/**
 * Overwrites the free space of the file system holding `dir` with zeros (a file grown until the
 * file system is full, synced, then removed): the blocks older copies of rewritten files were
 * left in (every atomic write leaves one) no longer hold them, as far as the file system can
 * reach. What an SD card's controller keeps in blocks it retired, no software can reach.
 */
export function overwriteFreeSpace(dir: string, progress: (bytes: number) => void = () => undefined): number {
  // A run cut short left its file behind (and the disk full): it goes first.
  for (const old of readdirSync(dir).filter((f) => f.startsWith('.anjungan-wipe-'))) unlinkSync(`${dir}/${old}`);
  const path = `${dir}/.anjungan-wipe-${process.pid}`;
  const chunk = Buffer.alloc(1 << 20);
  const fd = openSync(path, 'w', 0o600);
  let written = 0;
  try {
    for (;;) {
      let n: number;
      try {
        n = writeSync(fd, chunk);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOSPC') break;
        throw e;
      }
      written += n;
      if (n < chunk.length) break;
      if (written % (256 << 20) === 0) progress(written);
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
    unlinkSync(path);
    fsyncDir(dir);
  }
  return written;
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
