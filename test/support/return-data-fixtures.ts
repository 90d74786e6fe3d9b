/**
 * Synthetic data balikan for export tests: NIKs of the right shape (Karanganyar 33.13, made-up
 * dates and serials), NOPs and NPWPDs in the regency's formats, and values built to become a
 * formula in a spreadsheet if an export let them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Test } from 'tap';
import type { ReturnDataEntry } from '../../device/flow/ports.ts';
import { openDatabase, type Db } from '../../device/store/db.ts';
import { ReturnDataOutbox } from '../../device/store/return-data-outbox.ts';

export function syntheticEntry(n: number): ReturnDataEntry {
  const serial = String(n + 1).padStart(4, '0');
  const district = String((n % 17) + 1).padStart(2, '0');
  return {
    nik: `3313${district}${n % 2 ? '52' : '12'}0890${serial}`,
    nop: n % 3 === 2 ? null : `33.13.0${district}.00${n % 9}.001-${serial}.0`,
    npwpd: n % 3 === 1 ? null : `P.2.${String(1_000_000 + n).slice(-7)}.33.13`,
  };
}

/** Each begins with a character that starts a formula (or a tab/CR before one). */
export const FORMULA_LIKE: ReturnDataEntry[] = [
  { nik: '3313094507950101', nop: '=HYPERLINK("http://127.0.0.1/x","Klik")', npwpd: '+1+1' },
  { nik: '3313094507950102', nop: '-2+3', npwpd: '@SUM(A1:A2)' },
  { nik: '3313094507950103', nop: '\t=1+1', npwpd: '\r=cmd|"/c calc"!A1' },
  { nik: '3313094507950104', nop: '=1,2;"3"', npwpd: 'P.2.0001234.33.13' },
];

export interface OutboxFixture {
  dir: string;
  db: Db;
  outbox: ReturnDataOutbox;
  /** The outbox key, for a second connection (a restarted daemon, a child process). */
  key: Buffer;
  /** Entries in the order enqueued (the order pending() gives them). */
  entries: ReturnDataEntry[];
  queuedAt: string;
}

export function outboxWith(t: Test, entries: ReturnDataEntry[], prefix = 'anj14e-'): OutboxFixture {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}state-`));
  const db = openDatabase(dir);
  t.teardown(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const queuedAt = '2026-11-30T03:15:00.000Z';
  const key = randomBytes(32);
  const outbox = new ReturnDataOutbox(db, key, { now: () => new Date(queuedAt) });
  entries.forEach((e, i) => outbox.enqueue(e, `session-${i}`));
  return { dir, db, outbox, key, entries, queuedAt };
}

export function exportFolder(t: Test, prefix = 'anj14e-'): string {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}target-`));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** RFC 4180 reader, strict enough to fail on a stray quote. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') {
        quoted = false;
        i += 1;
        if (i < text.length && text[i] !== ',' && text[i] !== '\r') throw new Error(`stray character after a quote at ${i}`);
        continue;
      }
      field += c;
      i += 1;
      continue;
    }
    if (c === '"') {
      if (field !== '') throw new Error(`quote inside an unquoted field at ${i}`);
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else if (c === '\n' || c === '\r') {
      throw new Error(`bare line break at ${i}`);
    } else {
      field += c;
    }
    i += 1;
  }
  if (quoted) throw new Error('unterminated quote');
  if (field !== '' || row.length > 0) throw new Error('last line has no CRLF');
  return rows;
}
