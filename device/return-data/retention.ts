/**
 * Data balikan is the one record that keeps a NIK, and only until Disdukcapil has it: entries
 * confirmed by the web service or written to an export file are deleted `retentionDays` later,
 * whether or not the site delivers by web service. Pending entries are never deleted. A pass
 * runs at start and hourly.
 */
import type { Logger } from '../log.ts';
import type { ReturnDataOutbox } from '../store/return-data-outbox.ts';

export const DEFAULT_RETENTION_DAYS = 30;
const PURGE_EVERY_MS = 60 * 60_000;

export interface RetentionDeps {
  outbox: Pick<ReturnDataOutbox, 'purgeSettled'>;
  retentionDays: number;
  logger: Logger;
}

/** One pass; returns how many entries went. A store error is logged and left to the next pass. */
export function purgeSettledReturnData(deps: RetentionDeps): number {
  try {
    const purged = deps.outbox.purgeSettled(deps.retentionDays);
    if (purged > 0) deps.logger.info({ event: 'returnDataPurged', count: purged }, 'settled data balikan purged after retention');
    return purged;
  } catch (err) {
    deps.logger.error(
      { event: 'returnDataPurgeFailed', error: (err as Error).name },
      'data balikan purge failed: tried again within the hour',
    );
    return 0;
  }
}

/** Runs a pass now and every hour; the returned function stops it. */
export function startReturnDataRetention(deps: RetentionDeps): () => void {
  purgeSettledReturnData(deps);
  const timer = setInterval(() => purgeSettledReturnData(deps), PURGE_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
