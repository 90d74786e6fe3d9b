/**
 * Data balikan outbox (return data for Disdukcapil: NIK with NOP PBB-P2 and/or NPWPD). The one
 * record that must keep a NIK, so each entry is sealed with AES-256-GCM under the outbox key
 * from the credential file and never sits in the database in clear.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { ClockPort, ReturnDataEntry, ReturnDataPort } from '../flow/ports.ts';
import type { Db } from './db.ts';

export class ReturnDataOutbox implements ReturnDataPort {
  constructor(
    private readonly db: Db,
    private readonly key: Uint8Array,
    private readonly clock: ClockPort,
  ) {
    if (key.length !== 32) throw new Error('outbox key must be 32 bytes');
  }

  /**
   * Stores the entry once per idempotency key (the session's id): a retried submission of the
   * same session changes nothing.
   */
  enqueue(entry: ReturnDataEntry, idempotencyKey: string): void {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(entry), 'utf8'), cipher.final()]);
    const sealed = Buffer.concat([iv, cipher.getAuthTag(), body]);
    this.db
      .prepare('INSERT INTO return_data_outbox (queued_at, sealed, idempotency_key) VALUES (?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING')
      .run(this.clock.now().toISOString(), sealed, idempotencyKey);
  }

  pendingCount(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM return_data_outbox WHERE exported_at IS NULL').get() as { n: number }).n;
  }

  /** Entries written to a data balikan file (device/return-data/export.ts). */
  exportedCount(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM return_data_outbox WHERE exported_at IS NOT NULL').get() as { n: number }).n;
  }

  /** Opens the pending entries for an export; the caller marks them exported once written. */
  pending(): Array<{ id: number; queuedAt: string; entry: ReturnDataEntry }> {
    const rows = this.db.prepare('SELECT id, queued_at, sealed FROM return_data_outbox WHERE exported_at IS NULL ORDER BY id').all() as Array<{
      id: number;
      queued_at: string;
      sealed: Buffer;
    }>;
    return rows.map((r) => ({ id: r.id, queuedAt: r.queued_at, entry: this.open(r.sealed) }));
  }

  /** Marks entries written to a durable file; an entry already exported keeps its first time. */
  markExported(ids: number[]): void {
    const mark = this.db.prepare('UPDATE return_data_outbox SET exported_at = ? WHERE id = ? AND exported_at IS NULL');
    const at = this.clock.now().toISOString();
    this.db.transaction(() => ids.forEach((id) => mark.run(at, id)))();
  }

  private open(sealed: Buffer): ReturnDataEntry {
    const decipher = createDecipheriv('aes-256-gcm', this.key, sealed.subarray(0, 12));
    decipher.setAuthTag(sealed.subarray(12, 28));
    return JSON.parse(Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8')) as ReturnDataEntry;
  }
}
