/**
 * Data balikan at the fleet: the kiosks forward their entries (idempotent by entry key), and the
 * fleet hands each to Disdukcapil once, by web service or in an export file, with the kiosk
 * worker's wire format, transport and retry delays (device/return-data/).
 *
 * Delivery is a PostgreSQL work queue: a worker claims the due entries with
 * `FOR UPDATE SKIP LOCKED` inside its transaction, so two fleet instances deliver side by side
 * without taking the same entry, and an instance killed mid-batch releases its claim with its
 * connection (the entries are offered again; the service de-duplicates by key).
 *
 * Every entry has its own retry time. An entry the service answers with a code we do not know,
 * or does not answer at all, waits longer each time (the delay doubles) while those behind it go
 * on; after `maxAttempts` it is set aside for a file export (a dead letter) and counted for the
 * administrator. A failure of the whole batch (service down, login refused) backs off the worker
 * instead and charges no entry.
 */
import type { Pool, PoolClient } from 'pg';
import { inTransaction } from './postgres/pool.ts';
import type { Logger } from '../device/log.ts';
import type { ReturnDataEntry } from '../device/flow/ports.ts';
import { openReturnData, sealReturnData, type DeliveryItem } from '../device/store/return-data-outbox.ts';
import { retryDelayMs, returnDataTransport, sleep, type ReturnDataEndpoint } from '../device/return-data/delivery.ts';
import { readAnswer, wireRequest } from '../device/return-data/wire.ts';
import type { DukcapilCredentials } from '../device/uplink/endpoint.ts';
import type { UplinkTransport } from '../device/uplink/transport.ts';
import type { ForwardedEntry } from '../device/fleet/protocol.ts';

export interface FleetDeliverySettings {
  batchSize: number;
  idleIntervalMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  /** Answers without a known code before an entry is set aside for a file export. */
  maxAttempts: number;
}

export const DEFAULT_FLEET_DELIVERY: FleetDeliverySettings = {
  batchSize: 50,
  idleIntervalMs: 30_000,
  retryBaseMs: 5_000,
  retryMaxMs: 30 * 60_000,
  maxAttempts: 8,
};

/** Pending: Disdukcapil has it by no method yet. */
const PENDING = 'delivered_at IS NULL AND exported_at IS NULL';

export class FleetReturnData {
  constructor(
    private readonly pool: Pool,
    private readonly key: Uint8Array,
    private readonly now: () => Date,
  ) {
    if (key.length !== 32) throw new Error('the fleet outbox key must be 32 bytes');
  }

  /**
   * Stores what a kiosk forwarded. An entry key seen before from the same kiosk is accepted again
   * (the kiosk lost our answer); one that belongs to another kiosk's entry is a conflict and is
   * not stored, so the sender keeps it.
   */
  async receive(kioskId: string, entries: ForwardedEntry[]): Promise<{ accepted: string[]; conflict: string[] }> {
    const at = this.now();
    return inTransaction(this.pool, async (client) => {
      const keys = entries.map((e) => e.key);
      const inserted = await client.query<{ entry_key: string }>(
        `INSERT INTO return_data (entry_key, kiosk_id, queued_at, received_at, sealed, next_attempt_at)
         SELECT k, $1, q, $2, s, $2 FROM unnest($3::text[], $4::timestamptz[], $5::bytea[]) AS x(k, q, s)
         ON CONFLICT (entry_key) DO NOTHING RETURNING entry_key`,
        [
          kioskId,
          at,
          keys,
          entries.map((e) => e.queuedAt),
          entries.map((e) => sealReturnData(this.key, { nik: e.nik, nop: e.nop, npwpd: e.npwpd })),
        ],
      );
      const fresh = new Set(inserted.rows.map((r) => r.entry_key));
      const owners = await client.query<{ entry_key: string; kiosk_id: string }>(
        'SELECT entry_key, kiosk_id FROM return_data WHERE entry_key = ANY($1::text[])',
        [keys],
      );
      const ownerOf = new Map(owners.rows.map((r) => [r.entry_key, r.kiosk_id]));
      await client.query("INSERT INTO fleet_event (at, code, kiosk_id, item_count) VALUES ($1, 'returnDataReceived', $2, $3)", [
        at,
        kioskId,
        fresh.size,
      ]);
      const accepted = keys.filter((k) => ownerOf.get(k) === kioskId);
      return { accepted, conflict: keys.filter((k) => ownerOf.has(k) && ownerOf.get(k) !== kioskId) };
    });
  }

  async counts(): Promise<{ pending: number; delivered: number; exported: number; setAside: number; due: number }> {
    const r = await this.pool.query<Record<string, string>>(
      `SELECT count(*) FILTER (WHERE ${PENDING}) AS pending,
              count(*) FILTER (WHERE delivered_at IS NOT NULL) AS delivered,
              count(*) FILTER (WHERE exported_at IS NOT NULL) AS exported,
              count(*) FILTER (WHERE ${PENDING} AND refused_at IS NOT NULL) AS set_aside,
              count(*) FILTER (WHERE ${PENDING} AND refused_at IS NULL AND next_attempt_at <= $1) AS due
       FROM return_data`,
      [this.now()],
    );
    const x = r.rows[0]!;
    return {
      pending: Number(x.pending),
      delivered: Number(x.delivered),
      exported: Number(x.exported),
      setAside: Number(x.set_aside),
      due: Number(x.due),
    };
  }

  /** Pending entries, oldest first, opened for an export file (at most `limit`). */
  async pendingForExport(client: PoolClient, limit: number): Promise<Array<{ key: string; queuedAt: string; entry: ReturnDataEntry }>> {
    const r = await client.query<{ entry_key: string; queued_at: Date; sealed: Buffer }>(
      `SELECT entry_key, queued_at, sealed FROM return_data WHERE ${PENDING} ORDER BY queued_at, entry_key LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    return r.rows.map((x) => ({ key: x.entry_key, queuedAt: x.queued_at.toISOString(), entry: openReturnData(this.key, x.sealed) }));
  }

  /** Deletes entries Disdukcapil received (either way) more than `retentionDays` ago, and old export files. */
  async purgeSettled(retentionDays: number): Promise<number> {
    const cutoff = new Date(this.now().getTime() - retentionDays * 86_400_000);
    const r = await this.pool.query(
      'DELETE FROM return_data WHERE (delivered_at IS NOT NULL AND delivered_at <= $1) OR (exported_at IS NOT NULL AND exported_at <= $1)',
      [cutoff],
    );
    await this.pool.query('DELETE FROM return_data_export WHERE created_at <= $1', [cutoff]);
    return r.rowCount ?? 0;
  }

  openSealed(sealed: Buffer): ReturnDataEntry {
    return openReturnData(this.key, sealed);
  }
}

export type FleetBatchResult =
  | { kind: 'idle' }
  | { kind: 'answered'; sent: number; confirmed: number; refused: number; unanswered: number }
  | { kind: 'failed'; reason: string };

export interface FleetDeliveryDeps {
  pool: Pool;
  returnData: FleetReturnData;
  transport: UplinkTransport;
  path: string;
  credentials: DukcapilCredentials;
  settings: FleetDeliverySettings;
  now: () => Date;
  logger: Logger;
  random?: () => number;
}

/** The fleet's delivery worker (one per instance; they share the queue). */
export class FleetDelivery {
  private failures = 0;
  private loop: Promise<void> | null = null;
  private readonly stopping = new AbortController();
  private readonly random: () => number;

  constructor(private readonly deps: FleetDeliveryDeps) {
    this.random = deps.random ?? Math.random;
  }

  /** Claims the due entries, sends them as one batch, records each answer; all in one transaction. */
  async deliverBatch(signal: AbortSignal): Promise<FleetBatchResult> {
    const { pool, transport, path, credentials, settings, logger } = this.deps;
    const at = this.deps.now();
    return inTransaction(pool, async (client) => {
      const claimed = await client.query<{ entry_key: string; queued_at: Date; sealed: Buffer; attempts: number }>(
        `SELECT entry_key, queued_at, sealed, attempts FROM return_data
         WHERE ${PENDING} AND refused_at IS NULL AND next_attempt_at <= $1
         ORDER BY next_attempt_at, queued_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [at, settings.batchSize],
      );
      if (claimed.rows.length === 0) {
        return { kind: 'idle' };
      }
      const items: DeliveryItem[] = claimed.rows.map((r) => ({
        idempotencyKey: r.entry_key,
        queuedAt: r.queued_at.toISOString(),
        entry: this.deps.returnData.openSealed(r.sealed),
      }));
      const keys = items.map((i) => i.idempotencyKey);
      const result = await transport.post(path, JSON.stringify(wireRequest(items, credentials)), { signal, onSent: () => undefined });
      let failure: string | null = null;
      let verdict: ReturnType<typeof readAnswer> | null = null;
      if (result.kind === 'failure') failure = result.failure;
      else if (result.statusCode !== 200) failure = `status${result.statusCode}`;
      else {
        verdict = readAnswer(result.body, keys);
        if (verdict.kind === 'malformed') failure = 'malformedAnswer';
        else if (verdict.kind === 'batchRefused') failure = `refused${verdict.code}`;
      }
      if (failure !== null || verdict === null || verdict.kind !== 'answered') {
        return { kind: 'failed', reason: failure ?? 'unknown' };
      }
      const done = this.deps.now();
      await client.query(
        'UPDATE return_data SET delivered_at = $2, last_failure = NULL WHERE entry_key = ANY($1::text[]) AND delivered_at IS NULL',
        [verdict.confirmed, done],
      );
      await client.query(
        "UPDATE return_data SET refused_at = $2, refused_code = 'refused' WHERE entry_key = ANY($1::text[]) AND refused_at IS NULL",
        [verdict.refused, done],
      );
      const answered = new Set([...verdict.confirmed, ...verdict.refused]);
      const unanswered = claimed.rows.filter((r) => !answered.has(r.entry_key));
      for (const r of unanswered) {
        const attempts = r.attempts + 1;
        if (attempts >= settings.maxAttempts) {
          await client.query(
            "UPDATE return_data SET attempts = $2, refused_at = $3, refused_code = 'unanswered', last_failure = 'unanswered' WHERE entry_key = $1",
            [r.entry_key, attempts, done],
          );
        } else {
          const retryAt = new Date(done.getTime() + retryDelayMs(attempts, settings, this.random));
          await client.query(
            "UPDATE return_data SET attempts = $2, next_attempt_at = $3, last_failure = 'unanswered' WHERE entry_key = $1",
            [r.entry_key, attempts, retryAt],
          );
        }
      }
      await client.query("INSERT INTO fleet_event (at, code, item_count, outcome) VALUES ($1, 'returnDataDelivered', $2, $3)", [
        done,
        verdict.confirmed.length,
        `refused:${verdict.refused.length},unanswered:${unanswered.length}`,
      ]);
      logger.info(
        {
          event: 'fleetReturnDataDelivered',
          sent: keys.length,
          confirmed: verdict.confirmed.length,
          refused: verdict.refused.length,
          unanswered: unanswered.length,
        },
        'data balikan batch answered',
      );
      return {
        kind: 'answered',
        sent: keys.length,
        confirmed: verdict.confirmed.length,
        refused: verdict.refused.length,
        unanswered: unanswered.length,
      };
    });
  }

  start(): void {
    if (!this.loop) this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop;
    this.deps.transport.close();
  }

  private async run(): Promise<void> {
    const signal = this.stopping.signal;
    while (!signal.aborted) {
      let result: FleetBatchResult;
      try {
        result = await this.deliverBatch(signal);
      } catch (err) {
        // The database went away mid-batch: nothing was marked; the claim ended with the connection.
        result = { kind: 'failed', reason: (err as Error).name ?? 'error' };
      }
      if (signal.aborted) break;
      await sleep(this.nextDelay(result), signal);
    }
  }

  private nextDelay(result: FleetBatchResult): number {
    const { settings, logger } = this.deps;
    if (result.kind === 'failed') {
      this.failures += 1;
      const retryInMs = retryDelayMs(this.failures, settings, this.random);
      logger.warn(
        { event: 'fleetReturnDataDeliveryFailed', reason: result.reason, failures: this.failures, retryInMs },
        'data balikan delivery failed: will retry',
      );
      return retryInMs;
    }
    this.failures = 0;
    return result.kind === 'idle' ? settings.idleIntervalMs : 0;
  }
}

export function startFleetDelivery(deps: Omit<FleetDeliveryDeps, 'transport' | 'path'> & { endpoint: ReturnDataEndpoint }): FleetDelivery {
  const { transport, path } = returnDataTransport(deps.endpoint);
  const delivery = new FleetDelivery({ ...deps, transport, path });
  delivery.start();
  return delivery;
}
