/**
 * vpcd has one card slot and one SAM slot for the whole machine: test files that put virtual
 * cards into them (tap runs files in parallel) take turns through this lock, a folder holding
 * the owner's PID. A lock left by a process that died is taken over.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const LOCK = '/tmp/anjungan-vpcd-slots.lock';

function ownerAlive(): boolean {
  try {
    const pid = Number(readFileSync(join(LOCK, 'pid'), 'utf8'));
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists (another user's); anything else: no owner (or not written yet).
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Waits (up to `timeoutMs`) for the vpcd slots; returns the release function. */
export async function takeVpcdSlots(timeoutMs = 600_000): Promise<() => void> {
  const deadline = Date.now() + timeoutMs;
  let deadOwnerSince: number | null = null;
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'pid'), String(process.pid));
      let released = false;
      return () => {
        if (released) return;
        released = true;
        rmSync(LOCK, { recursive: true, force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    // An owner that has not written its PID yet gets a second before it is called dead.
    if (ownerAlive()) deadOwnerSince = null;
    else if (deadOwnerSince === null) deadOwnerSince = Date.now();
    else if (Date.now() - deadOwnerSince > 1000) rmSync(LOCK, { recursive: true, force: true });
    if (Date.now() > deadline) throw new Error(`${LOCK} held for ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
