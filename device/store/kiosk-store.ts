/** The kiosk's store: one SQLite file in the state folder, and the parts that keep their state in it. */
import type { ClockPort } from '../flow/ports.ts';
import type { Logger } from '../log.ts';
import { AuditLog } from './audit-log.ts';
import type { Credentials } from './credentials.ts';
import { openDatabase, type Db } from './db.ts';
import { KioskFlags } from './kiosk-flags.ts';
import { ReturnDataOutbox } from './return-data-outbox.ts';

export interface KioskStore {
  db: Db;
  flags: KioskFlags;
  audit: AuditLog;
  outbox: ReturnDataOutbox;
  close(): void;
}

export function openKioskStore(stateDir: string, keys: Pick<Credentials, 'auditKey' | 'outboxKey'>, clock: ClockPort): KioskStore {
  const db = openDatabase(stateDir);
  return {
    db,
    flags: new KioskFlags(db, clock),
    audit: new AuditLog(db, Buffer.from(keys.auditKey, 'hex'), clock),
    outbox: new ReturnDataOutbox(db, Buffer.from(keys.outboxKey, 'hex'), clock),
    close: () => db.close(),
  };
}

/** The daemon started: audited, and sessions a crash or power cut left open are closed in the trail. */
export function recordDaemonStart(audit: AuditLog, logger: Pick<Logger, 'warn'>): void {
  audit.record({ code: 'daemonStarted' });
  const interrupted = audit.closeInterruptedSessions();
  if (interrupted > 0)
    logger.warn({ event: 'sessionsInterrupted', count: interrupted }, 'sessions cut by a crash closed in the audit trail');
}
