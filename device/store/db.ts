/**
 * The embedded store: one SQLite file in the state folder (better-sqlite3, WAL, synchronous
 * FULL so a committed row survives a power cut). Schema changes are numbered migrations
 * applied in order inside one transaction each.
 */
import Database from 'better-sqlite3';
import { closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATIONS } from './migrations.ts';

export type Db = Database.Database;

/** The state folder or database is open to other users: the daemon refuses to start. */
export class StatePermissionError extends Error {
  override readonly name = 'StatePermissionError';
  constructor(path: string, mode: number) {
    super(`${path} is open to other users (mode ${(mode & 0o777).toString(8)}); it must be 0700 for a folder, 0600 for a file`);
  }
}

function refuseIfOpenToOthers(path: string): void {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch {
    return; // not there yet: created below with the owner's bits only
  }
  if ((mode & 0o077) !== 0) throw new StatePermissionError(path, mode);
}

/** The daemon's database file in its state folder. */
export const DB_FILE = 'anjungan.sqlite';

export function openDatabase(stateDir: string, fileName = DB_FILE): Db {
  // The audit trail, outbox and lockout are the owner's only: a folder or file others can read
  // is a misconfiguration to fix, not to work around.
  refuseIfOpenToOthers(stateDir);
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const path = join(stateDir, fileName);
  refuseIfOpenToOthers(path);
  // Created 0600 before SQLite opens it; SQLite gives its journal files the same mode.
  closeSync(openSync(path, 'a', 0o600));
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // Freed pages are zeroed so nothing deleted lingers in the file.
  db.pragma('secure_delete = ON');
  // better-sqlite3 builds SQLite with a 16 MB page cache, which a kiosk's database fills page by
  // page as its audit trail grows (#25: RSS +2 MB per 1,000 sessions, outside the JS heap).
  // SQLite's own default of 2 MB holds the pages each session touches many times over; the rest
  // is read from the kernel's file cache, which gives memory back when the board needs it.
  // (Negative: in KiB.)
  db.pragma('cache_size = -2000');
  migrate(db);
  return db;
}

/**
 * Every pending migration in one transaction: all of them or none (a crash leaves the schema the
 * next start finds and migrates again). One commit, so one fsync: a fresh store's 17 commits
 * cost a first start ~30 ms of waiting on the disk and a few ms of CPU (#25).
 */
export function migrate(db: Db): void {
  db.transaction(() => {
    db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    const applied = new Set(
      db
        .prepare('SELECT version FROM schema_migrations')
        .all()
        .map((r) => (r as { version: number }).version),
    );
    const pending = [...MIGRATIONS].sort((a, b) => a.version - b.version).filter((m) => !applied.has(m.version));
    const record = db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)');
    for (const m of pending) {
      db.exec(m.sql);
      record.run(m.version, new Date().toISOString());
    }
  })();
}
