/**
 * Data balikan delivery by web service: a worker that sends the outbox's pending entries, in
 * batches, to the one configured Disdukcapil endpoint through the uplink's transport (pinned CA,
 * optional SPKI pin, only the configured host and port, bounded sizes and times).
 *
 * Exactly-once in effect: every entry carries its idempotency key; the service records a key
 * once and answers a repeat as already recorded. The kiosk marks an entry delivered only on the
 * service's confirmation, after the response, so a crash or a lost answer means a resend that
 * the service de-duplicates, never a loss. A batch the service did not answer backs the worker
 * off exponentially with jitter; an entry it answered without settling backs off on its own and
 * after `maxEntryAttempts` becomes a dead letter (left for a file export, shown to staff), so no
 * entry can hold the others back.
 * Settled entries are purged by ./retention.ts.
 */
import { X509Certificate } from 'node:crypto';
import type { AuditPort, ClockPort } from '../flow/ports.ts';
import type { Logger } from '../log.ts';
import type { ReturnDataOutbox } from '../store/return-data-outbox.ts';
import type { DukcapilCredentials } from '../uplink/endpoint.ts';
import { createTransport, type UplinkTransport } from '../uplink/transport.ts';
import { readAnswer, wireRequest } from './wire.ts';

export interface ReturnDataEndpoint {
  /** Full https URL of the return-data method, e.g. `https://10.0.0.5:8443/dukcapil/get_json/BKD/DATA_BALIKAN`. */
  url: string;
  /** The pinned CA (PEM); there is no switch to turn verification off. */
  caPem: string;
  /** Optional pin of the server's public key: base64 SHA-256 of its DER SubjectPublicKeyInfo. */
  spkiSha256?: string;
  connectTimeoutMs: number;
  totalTimeoutMs: number;
}

export interface DeliverySettings {
  /** Entries per request (1-200): bounds the request body at about 40 KiB. */
  batchSize: number;
  /** How often to look for new entries when the outbox was empty. */
  idleIntervalMs: number;
  /** First retry delay after a failed batch; doubles per failure up to `retryMaxMs`, with jitter. */
  retryBaseMs: number;
  retryMaxMs: number;
  /**
   * An entry the service answered without settling waits this long before its next try, doubling
   * per try up to `entryRetryMaxMs` (with jitter); meanwhile the batches move on to other entries.
   */
  entryRetryBaseMs: number;
  entryRetryMaxMs: number;
  /** Tries after which an unsettled entry is given up on (a dead letter, left for a file export). */
  maxEntryAttempts: number;
}

/** An entry left unsettled is tried 8 times over about a day (5 min doubling to 6 h) before it is a dead letter. */
export const DEFAULT_DELIVERY: DeliverySettings = {
  batchSize: 50,
  idleIntervalMs: 60_000,
  retryBaseMs: 5_000,
  retryMaxMs: 30 * 60_000,
  entryRetryBaseMs: 5 * 60_000,
  entryRetryMaxMs: 6 * 60 * 60_000,
  maxEntryAttempts: 8,
};

export type ReturnDataConfigProblem = 'url' | 'caPem' | 'spkiSha256' | 'timeouts' | 'batchSize' | 'retry';

/** A delivery configuration the worker refuses to run with; the message names the setting, never its value. */
export class ReturnDataConfigError extends Error {
  override readonly name = 'ReturnDataConfigError';
  constructor(readonly problem: ReturnDataConfigProblem) {
    super(`data balikan delivery configuration invalid: ${problem}`);
  }
}

export type BatchResult =
  | { kind: 'idle' }
  /** `deferred`: unsettled entries that wait for another try; `deadLettered`: those given up on now. */
  | { kind: 'answered'; confirmed: number; refused: number; deferred: number; deadLettered: number }
  | { kind: 'failed'; reason: string };

/** Resolves and checks the endpoint once; the worker never derives a destination from a response. */
export function returnDataTransport(endpoint: ReturnDataEndpoint): { transport: UplinkTransport; path: string } {
  let url: URL;
  try {
    url = new URL(endpoint.url);
  } catch {
    throw new ReturnDataConfigError('url');
  }
  if (url.protocol !== 'https:' || url.username || url.password || url.search || url.hash) throw new ReturnDataConfigError('url');
  try {
    if (!new X509Certificate(endpoint.caPem).ca) throw new ReturnDataConfigError('caPem');
  } catch {
    throw new ReturnDataConfigError('caPem');
  }
  if (endpoint.spkiSha256 !== undefined && !/^[A-Za-z0-9+/]{43}=$/.test(endpoint.spkiSha256)) throw new ReturnDataConfigError('spkiSha256');
  const okMs = (ms: number) => Number.isFinite(ms) && ms > 0 && ms <= 600_000;
  if (!okMs(endpoint.connectTimeoutMs) || !okMs(endpoint.totalTimeoutMs) || endpoint.connectTimeoutMs > endpoint.totalTimeoutMs) {
    throw new ReturnDataConfigError('timeouts');
  }
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const path = url.pathname;
  const transport = createTransport(
    { host: hostname, port: url.port === '' ? 443 : Number(url.port), hostname, pathFor: () => path },
    { caPem: endpoint.caPem, ...(endpoint.spkiSha256 !== undefined ? { spkiSha256: endpoint.spkiSha256 } : {}) },
    { connectTimeoutMs: endpoint.connectTimeoutMs, totalTimeoutMs: endpoint.totalTimeoutMs },
  );
  return { transport, path };
}

function checkSettings(s: DeliverySettings): void {
  if (!Number.isInteger(s.batchSize) || s.batchSize < 1 || s.batchSize > 200) throw new ReturnDataConfigError('batchSize');
  if (!(s.retryBaseMs > 0) || !(s.retryMaxMs >= s.retryBaseMs) || !(s.idleIntervalMs > 0)) throw new ReturnDataConfigError('retry');
  if (
    !(s.entryRetryBaseMs > 0) ||
    !(s.entryRetryMaxMs >= s.entryRetryBaseMs) ||
    !Number.isInteger(s.maxEntryAttempts) ||
    s.maxEntryAttempts < 1
  ) {
    throw new ReturnDataConfigError('retry');
  }
}

/** Delay before retry number `failures` (1, 2, ...): exponential, capped, with equal jitter. */
export function retryDelayMs(
  failures: number,
  settings: Pick<DeliverySettings, 'retryBaseMs' | 'retryMaxMs'>,
  random: () => number,
): number {
  const ceiling = Math.min(settings.retryMaxMs, settings.retryBaseMs * 2 ** Math.min(failures - 1, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export interface DeliveryDeps {
  outbox: ReturnDataOutbox;
  transport: UplinkTransport;
  path: string;
  credentials: DukcapilCredentials;
  clock: ClockPort;
  logger: Logger;
  settings: DeliverySettings;
  /** Gets one row per entry confirmed, refused or given up on, under the entry's session id (the semester report counts them). */
  audit?: AuditPort;
  /** Told how many entries just became dead letters (a staff alert). */
  onDeadLettered?: (count: number) => void;
  random?: () => number;
}

export class ReturnDataDelivery {
  private readonly random: () => number;
  private failures = 0;
  private loop: Promise<void> | null = null;
  private readonly stopping = new AbortController();

  constructor(private readonly deps: DeliveryDeps) {
    checkSettings(deps.settings);
    this.random = deps.random ?? Math.random;
  }

  /** Sends one batch of the oldest pending entries and records what the service confirmed. */
  async deliverBatch(signal: AbortSignal): Promise<BatchResult> {
    const { outbox, transport, path, credentials, logger } = this.deps;
    const items = outbox.deliveryBatch(this.deps.settings.batchSize);
    if (items.length === 0) return { kind: 'idle' };
    const keys = items.map((i) => i.idempotencyKey);
    const started = Date.now();
    const result = await transport.post(path, JSON.stringify(wireRequest(items, credentials)), { signal, onSent: () => undefined });
    if (result.kind === 'failure') return { kind: 'failed', reason: result.failure };
    if (result.statusCode !== 200) return { kind: 'failed', reason: `status${result.statusCode}` };
    const verdict = readAnswer(result.body, keys);
    if (verdict.kind === 'malformed') return { kind: 'failed', reason: 'malformedAnswer' };
    if (verdict.kind === 'batchRefused') return { kind: 'failed', reason: `refused${verdict.code}` };
    const { audit, settings } = this.deps;
    outbox.markDelivered(verdict.confirmed, (sessionId) => audit?.record({ code: 'returnDataDelivered', sessionId }));
    outbox.markDeliveryRefused(verdict.refused, (sessionId) => audit?.record({ code: 'returnDataDeliveryRefused', sessionId }));
    // An entry the service did not settle waits its own turn: the next batch starts with others,
    // so a few entries the service cannot take never hold the rest back.
    const deadLettered = outbox.markUnsettled(
      verdict.unsettled,
      {
        maxAttempts: settings.maxEntryAttempts,
        dueInMs: (tries) =>
          retryDelayMs(tries, { retryBaseMs: settings.entryRetryBaseMs, retryMaxMs: settings.entryRetryMaxMs }, this.random),
      },
      (sessionId) => audit?.record({ code: 'returnDataDeadLettered', sessionId }),
    );
    const answered = {
      confirmed: verdict.confirmed.length,
      refused: verdict.refused.length,
      deferred: verdict.unsettled.length - deadLettered,
      deadLettered,
    };
    logger.info({ event: 'returnDataDelivered', sent: keys.length, ...answered, ms: Date.now() - started }, 'data balikan batch answered');
    if (verdict.refused.length > 0) {
      logger.warn(
        { event: 'returnDataRefused', count: verdict.refused.length },
        'data balikan entries refused by the service: left for a file export',
      );
    }
    if (deadLettered > 0) {
      logger.warn(
        { event: 'returnDataDeadLettered', count: deadLettered },
        'data balikan entries never settled by the service: left for a file export',
      );
      this.deps.onDeadLettered?.(deadLettered);
    }
    return { kind: 'answered', ...answered };
  }

  start(): void {
    if (this.loop) return;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop;
    this.deps.transport.close();
  }

  private async run(): Promise<void> {
    const signal = this.stopping.signal;
    while (!signal.aborted) {
      let delay: number;
      try {
        const result = await this.deliverBatch(signal);
        if (signal.aborted) break;
        delay = this.nextDelay(result);
      } catch (err) {
        // A store error (disk full, locked): the entries are still in the outbox; try later.
        delay = this.nextDelay({ kind: 'failed', reason: (err as Error).name ?? 'error' });
      }
      if (signal.aborted) break;
      await sleep(delay, signal);
    }
  }

  private nextDelay(result: BatchResult): number {
    const { settings, logger } = this.deps;
    // Only a batch the service did not answer backs the worker off; entries answered but not
    // settled have their own backoff (markUnsettled), so the worker goes on with the next batch.
    if (result.kind === 'failed') {
      this.failures += 1;
      const retryInMs = retryDelayMs(this.failures, settings, this.random);
      logger.warn(
        { event: 'returnDataDeliveryFailed', reason: result.reason, failures: this.failures, retryInMs },
        'data balikan delivery failed: will retry',
      );
      return retryInMs;
    }
    this.failures = 0;
    return result.kind === 'idle' ? settings.idleIntervalMs : 0;
  }
}

/** Waits `ms`, or less when `signal` aborts (a worker stopping); never rejects. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** What the daemon calls: starts the worker for one endpoint; `stop()` ends it and its transport. */
export function startReturnDataDelivery(deps: {
  outbox: ReturnDataOutbox;
  endpoint: ReturnDataEndpoint;
  credentials: DukcapilCredentials;
  clock: ClockPort;
  logger: Logger;
  audit?: AuditPort;
  onDeadLettered?: (count: number) => void;
  settings?: Partial<DeliverySettings>;
}): { delivery: ReturnDataDelivery; stop(): Promise<void> } {
  const { transport, path } = returnDataTransport(deps.endpoint);
  const delivery = new ReturnDataDelivery({
    outbox: deps.outbox,
    transport,
    path,
    credentials: deps.credentials,
    clock: deps.clock,
    logger: deps.logger,
    ...(deps.audit ? { audit: deps.audit } : {}),
    ...(deps.onDeadLettered ? { onDeadLettered: deps.onDeadLettered } : {}),
    settings: { ...DEFAULT_DELIVERY, ...deps.settings },
  });
  delivery.start();
  return { delivery, stop: () => delivery.stop() };
}
