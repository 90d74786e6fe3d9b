/**
 * Data balikan outbox (return data for Disdukcapil: NIK with NOP PBB-P2 and/or NPWPD). The one
 * record that must keep a NIK, so each entry is sealed with AES-256-GCM under the outbox key
 * from the credential file and never sits in the database in clear.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { ClockPort, ReturnDataEntry, ReturnDataPort } from '../flow/ports.ts';
import type { Db } from './db.ts';

/** Neither delivered by web service, nor exported to a file, nor forwarded to the fleet (which then does either). */
const PENDING = 'delivered_at IS NULL AND exported_at IS NULL AND forwarded_at IS NULL';

/** One entry on its way to the web service, under the key Disdukcapil de-duplicates by. */
export interface DeliveryItem {
  idempotencyKey: string;
  queuedAt: string;
  entry: ReturnDataEntry;
}

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
    const sealed = sealReturnData(this.key, entry);
    this.db
      .prepare(
        'INSERT INTO return_data_outbox (queued_at, sealed, idempotency_key) VALUES (?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING',
      )
      .run(this.clock.now().toISOString(), sealed, idempotencyKey);
  }

  /** Entries neither delivered nor exported: what Disdukcapil has not yet received by any method. */
  pendingCount(): number {
    return (this.db.prepare(`SELECT count(*) AS n FROM return_data_outbox WHERE ${PENDING}`).get() as { n: number }).n;
  }

  /** Entries Disdukcapil's web service confirmed (kept until purged). */
  deliveredCount(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM return_data_outbox WHERE delivered_at IS NOT NULL').get() as { n: number }).n;
  }

  /**
   * Counts for staff: pending and, of those, refused by the web service and given up on after
   * every try (dead letters); both are left for a file export.
   */
  counts(): { pending: number; delivered: number; exported: number; deliveryRefused: number; deadLettered: number } {
    return this.db
      .prepare(
        `SELECT
           coalesce(sum(CASE WHEN ${PENDING} THEN 1 ELSE 0 END), 0) AS pending,
           coalesce(sum(CASE WHEN delivered_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS delivered,
           coalesce(sum(CASE WHEN exported_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS exported,
           coalesce(sum(CASE WHEN ${PENDING} AND delivery_refused_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS deliveryRefused,
           coalesce(sum(CASE WHEN ${PENDING} AND dead_lettered_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS deadLettered
         FROM return_data_outbox`,
      )
      .get() as { pending: number; delivered: number; exported: number; deliveryRefused: number; deadLettered: number };
  }

  /** Pending entries the web service could not settle after every try: they wait for a file export. */
  deadLetteredCount(): number {
    return (
      this.db.prepare(`SELECT count(*) AS n FROM return_data_outbox WHERE ${PENDING} AND dead_lettered_at IS NOT NULL`).get() as {
        n: number;
      }
    ).n;
  }

  /** Entries written to a data balikan file (device/return-data/export.ts). */
  exportedCount(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM return_data_outbox WHERE exported_at IS NOT NULL').get() as { n: number }).n;
  }

  /** Opens the pending entries for an export; the caller marks them exported once written. */
  pending(): Array<{ id: number; queuedAt: string; entry: ReturnDataEntry }> {
    const rows = this.db.prepare(`SELECT id, queued_at, sealed FROM return_data_outbox WHERE ${PENDING} ORDER BY id`).all() as Array<{
      id: number;
      queued_at: string;
      sealed: Buffer;
    }>;
    return rows.map((r) => ({ id: r.id, queuedAt: r.queued_at, entry: this.open(r.sealed) }));
  }

  /**
   * Opens the oldest entries the web service should receive next: pending, not refused by it, not
   * given up on, and due (an entry it left unsettled waits its turn). An entry exported meanwhile
   * is never offered again.
   */
  deliveryBatch(limit: number): DeliveryItem[] {
    const rows = this.db
      .prepare(
        `SELECT idempotency_key AS key, queued_at AS queuedAt, sealed FROM return_data_outbox
         WHERE ${PENDING} AND delivery_refused_at IS NULL AND dead_lettered_at IS NULL AND (delivery_due_at IS NULL OR delivery_due_at <= ?)
         ORDER BY id LIMIT ?`,
      )
      .all(this.clock.now().toISOString(), limit) as Array<{ key: string; queuedAt: string; sealed: Buffer }>;
    return rows.map((r) => ({ idempotencyKey: r.key, queuedAt: r.queuedAt, entry: this.open(r.sealed) }));
  }

  /**
   * Records the web service's confirmation; an entry already confirmed keeps its first date.
   * `onMarked` runs inside the same transaction for each entry newly marked (e.g. its audit row),
   * so the mark and what goes with it are committed together or not at all.
   */
  markDelivered(idempotencyKeys: string[], onMarked: (idempotencyKey: string) => void = () => undefined): void {
    this.mark('delivered_at', idempotencyKeys, onMarked);
  }

  /** The web service refused these for good: they stay pending for a file export, not re-sent. */
  markDeliveryRefused(idempotencyKeys: string[], onMarked: (idempotencyKey: string) => void = () => undefined): void {
    this.mark('delivery_refused_at', idempotencyKeys, onMarked);
  }

  /**
   * The web service answered these without settling them (no answer for them, or a code that
   * neither confirms nor refuses): each counts one more try and waits `dueInMs(tries)` before the
   * next; at `maxAttempts` it is given up on (a dead letter, `onDeadLettered` in the same
   * transaction). Returns how many became dead letters.
   */
  markUnsettled(
    idempotencyKeys: string[],
    policy: { maxAttempts: number; dueInMs: (attempts: number) => number },
    onDeadLettered: (idempotencyKey: string) => void = () => undefined,
  ): number {
    const now = this.clock.now();
    const read = this.db.prepare(
      `SELECT delivery_attempts AS attempts FROM return_data_outbox WHERE idempotency_key = ? AND ${PENDING} AND delivery_refused_at IS NULL AND dead_lettered_at IS NULL`,
    );
    const defer = this.db.prepare('UPDATE return_data_outbox SET delivery_attempts = ?, delivery_due_at = ? WHERE idempotency_key = ?');
    const bury = this.db.prepare('UPDATE return_data_outbox SET delivery_attempts = ?, dead_lettered_at = ? WHERE idempotency_key = ?');
    let buried = 0;
    this.db.transaction(() => {
      for (const k of idempotencyKeys) {
        const row = read.get(k) as { attempts: number } | undefined;
        if (!row) continue;
        const attempts = row.attempts + 1;
        if (attempts >= policy.maxAttempts) {
          bury.run(attempts, now.toISOString(), k);
          onDeadLettered(k);
          buried += 1;
        } else defer.run(attempts, new Date(now.getTime() + policy.dueInMs(attempts)).toISOString(), k);
      }
    })();
    return buried;
  }

  private mark(column: 'delivered_at' | 'delivery_refused_at', keys: string[], onMarked: (key: string) => void): void {
    const mark = this.db.prepare(
      `UPDATE return_data_outbox SET ${column} = ? WHERE idempotency_key = ? AND delivered_at IS NULL AND ${column} IS NULL`,
    );
    const at = this.clock.now().toISOString();
    this.db.transaction(() => {
      for (const k of keys) if (mark.run(at, k).changes === 1) onMarked(k);
    })();
  }

  /** Pending entries for the fleet, oldest first, with their queue time (device/fleet/forwarder.ts). */
  forwardBatch(limit: number): DeliveryItem[] {
    const rows = this.db
      .prepare(`SELECT idempotency_key AS key, queued_at AS queuedAt, sealed FROM return_data_outbox WHERE ${PENDING} ORDER BY id LIMIT ?`)
      .all(limit) as Array<{ key: string; queuedAt: string; sealed: Buffer }>;
    return rows.map((r) => ({ idempotencyKey: r.key, queuedAt: r.queuedAt, entry: this.open(r.sealed) }));
  }

  /** The fleet holds these now; an entry handed over some other way meanwhile keeps that mark too. */
  markForwarded(idempotencyKeys: string[]): void {
    const mark = this.db.prepare('UPDATE return_data_outbox SET forwarded_at = ? WHERE idempotency_key = ? AND forwarded_at IS NULL');
    const at = this.clock.now().toISOString();
    this.db.transaction(() => idempotencyKeys.forEach((k) => mark.run(at, k)))();
  }

  forwardedCount(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM return_data_outbox WHERE forwarded_at IS NOT NULL').get() as { n: number }).n;
  }

  /**
   * Deletes entries Disdukcapil received more than `retentionDays` ago, confirmed by the web
   * service or written to an export file (secure_delete zeroes their pages). Never touches a
   * pending entry. Returns how many went.
   */
  purgeSettled(retentionDays: number): number {
    const cutoff = new Date(this.clock.now().getTime() - retentionDays * 86_400_000).toISOString();
    return this.db
      .prepare(
        'DELETE FROM return_data_outbox WHERE (delivered_at IS NOT NULL AND delivered_at <= ?) OR (exported_at IS NOT NULL AND exported_at <= ?) OR (forwarded_at IS NOT NULL AND forwarded_at <= ?)',
      )
      .run(cutoff, cutoff, cutoff).changes;
  }

  /** Marks entries written to a durable file; an entry already exported keeps its first time. */
  markExported(ids: number[]): void {
    const mark = this.db.prepare('UPDATE return_data_outbox SET exported_at = ? WHERE id = ? AND exported_at IS NULL');
    const at = this.clock.now().toISOString();
    this.db.transaction(() => ids.forEach((id) => mark.run(at, id)))();
  }

  private open(sealed: Buffer): ReturnDataEntry {
    return openReturnData(this.key, sealed);
  }
}

/** AES-256-GCM: 12-byte IV, 16-byte tag, then the entry's JSON (the fleet seals the same way). */
export function sealReturnData(key: Uint8Array, entry: ReturnDataEntry): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(entry), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

export function openReturnData(key: Uint8Array, sealed: Buffer): ReturnDataEntry {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
  decipher.setAuthTag(sealed.subarray(12, 28));
  return JSON.parse(Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8')) as ReturnDataEntry;
}
