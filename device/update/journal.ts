/**
 * The update journal: one small JSON file on the data partition (next to RAUC's own status),
 * written atomically at each step of an update so that whichever slot boots next knows where
 * the update stands: installed (waiting for the reboot), booted (on trial), marked good, or
 * rolled back (and why). RAUC's status says which slot booted; this says what was meant.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { checkRelease, type Release } from './release.ts';

export type Slot = 'A' | 'B';
export type UpdateState = 'installed' | 'booted' | 'markedGood' | 'rolledBack';
/** Why an update was rolled back: its trial failed the checks, or it never reached them. */
export type RollbackReason = 'checkFailed' | 'failedBoot' | 'neverChecked';

export interface UpdateJournal {
  state: UpdateState;
  /** The slot the update was written to. */
  slot: Slot;
  release: Release;
  /** The release that was running when it was installed (the one a rollback returns to). */
  from: Release;
  /** When the state was reached (ISO). */
  at: string;
  reason?: RollbackReason;
  /** What the trial boot did not show (rolled back after checkFailed). */
  missing?: string[];
  /** When the slot left running resumed the kiosk the update had paused: the update is settled. */
  resumedAt?: string;
}

export function readJournal(path: string): UpdateJournal | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  let j: UpdateJournal;
  try {
    j = JSON.parse(text) as UpdateJournal;
    checkRelease(j.release, 'journal release');
    checkRelease(j.from, 'journal from');
  } catch {
    // A journal that cannot be read decides nothing: the slots' states still do.
    return null;
  }
  if (!['installed', 'booted', 'markedGood', 'rolledBack'].includes(j.state) || (j.slot !== 'A' && j.slot !== 'B')) return null;
  return j;
}

export function writeJournal(path: string, j: UpdateJournal): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', 0o644);
  try {
    writeSync(fd, `${JSON.stringify(j, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  const dir = openSync(dirname(path), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}
