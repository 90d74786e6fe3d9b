/**
 * Technician commands leave evidence: every command that changes the kiosk is recorded in the
 * kiosk's audit trail (code technicianCommand, state = the command, outcome = its exit code; never
 * its arguments, which may name operators) once there is one, and on a running kiosk also in the
 * journal, which keeps the commands run before `init` made the audit trail.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AuditLog } from '../device/store/audit-log.ts';
import { DB_FILE, openDatabase } from '../device/store/db.ts';
import { readCredentials } from '../device/store/credentials.ts';
import type { Layout } from './layout.ts';

/** The commands that change something; reading ones (show, list, check, doctor) leave no row. */
export const AUDITED_COMMANDS = new Set([
  'init',
  'credentials set',
  'uplink set',
  'agreement set',
  'agreement extend',
  'sam install',
  'operators add',
  'operators disable',
  'operators roster',
  'return-data export',
  'staff-lan enable',
  'staff-lan disable',
  'network set',
  'time set',
  'deactivate',
]);

export function auditTechnicianCommand(l: Layout, command: string, exitCode: number, now: Date, onKiosk: boolean): void {
  if (!AUDITED_COMMANDS.has(command)) return;
  if (onKiosk) {
    try {
      execFileSync(
        'logger',
        ['--tag', 'anjungan-provision', '--priority', 'auth.notice', `technician command: ${command}: exit ${exitCode}`],
        { stdio: 'ignore', timeout: 5000 },
      );
    } catch {
      // the journal is evidence beside the audit trail, not a condition of the command
    }
  }
  const db = join(l.stateDir, DB_FILE);
  // Only into a database the daemon made: root must not create the daemon's files.
  if (!existsSync(db)) return;
  let auditKey: string;
  try {
    auditKey = readCredentials(l.credentialFile).auditKey;
  } catch {
    return;
  }
  const store = openDatabase(l.stateDir);
  try {
    new AuditLog(store, Buffer.from(auditKey, 'hex'), { now: () => now }).record({
      code: 'technicianCommand',
      state: command,
      outcome: String(exitCode),
      staffId: 'anjungan-provision',
    });
  } finally {
    store.close();
  }
  // SQLite's journal files made by root stay the daemon's (it owns the state folder).
  if (process.getuid?.() === 0) {
    const owner = statSync(l.stateDir);
    for (const f of [DB_FILE, `${DB_FILE}-wal`, `${DB_FILE}-shm`])
      if (existsSync(join(l.stateDir, f))) chownSync(join(l.stateDir, f), owner.uid, owner.gid);
  }
}
