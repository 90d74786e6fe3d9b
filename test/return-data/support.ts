/** Shared pieces of the data balikan delivery tests: synthetic entries, a kiosk store, a log sink. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, type Logger } from '../../device/log.ts';
import type { ReturnDataEntry } from '../../device/flow/ports.ts';
import { openDatabase, type Db } from '../../device/store/db.ts';
import { ReturnDataOutbox } from '../../device/store/return-data-outbox.ts';

/** Synthetic entry number `i`: a NIK in the test region, with a NOP, an NPWPD or both. */
export function syntheticEntry(i: number): ReturnDataEntry {
  const n = String(i).padStart(6, '0');
  return {
    nik: `331399${n}0001`.slice(0, 16),
    nop: i % 3 === 2 ? null : `33.13.010.${n.slice(0, 3)}.${n.slice(3)}-0001.0`,
    npwpd: i % 3 === 1 ? null : `P.2.0${n}.33.13`,
  };
}

export interface Store {
  dir: string;
  db: Db;
  outbox: ReturnDataOutbox;
  close(): void;
}

export function openStore(key: Uint8Array, clock: { now(): Date }, prefix = 'anj14d-'): Store {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const db = openDatabase(dir);
  return {
    dir,
    db,
    outbox: new ReturnDataOutbox(db, key, clock),
    close: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every personal or secret value of the given entries that must never reach a log. */
export function forbiddenInLogs(entries: ReturnDataEntry[], secrets: string[]): string[] {
  return [...entries.flatMap((e) => [e.nik, e.nop, e.npwpd].filter((v): v is string => v !== null)), ...secrets];
}
