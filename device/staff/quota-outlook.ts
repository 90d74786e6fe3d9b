/**
 * Today's quota for the staff dashboard: hits per WIB hour and when, at the current rate, the
 * daily limit will be reached. Read from the quota ledger's table (device/uplink/quota-ledger.ts);
 * a hit counts unless it was released, as in the ledger.
 */
import type { Db } from '../store/db.ts';
import type { QuotaUsage } from '../uplink/quota-ledger.ts';
import { WIB_OFFSET_MS } from '../domain/wib.ts';

export interface QuotaOutlook extends QuotaUsage {
  /** Hits reserved in each WIB hour of the day, 00:00-00:59 first. */
  perHour: number[];
  /** ISO time the limit is (or was) reached; null when not reached today at the current rate. */
  projectedLimitAt: string | null;
}

const HOUR_MS = 3_600_000;
/** The rate is taken over the last hour, or since the day's first hit if that is more recent. */
export const RATE_WINDOW_MS = HOUR_MS;
/** …but over at least this long, so two hits a minute apart are not read as 60 an hour. */
export const MIN_RATE_WINDOW_MS = 15 * 60_000;

/**
 * When `limit` hits will have been used, continuing at the rate of the recent hits. `hitTimes`
 * are today's counted hits (epoch ms, ascending). The time the limit was reached if it already
 * was; null with no recent hits or when the projection falls after the WIB day's end (the quota
 * renews at midnight).
 */
export function projectLimitAt(hitTimes: readonly number[], limit: number, now: number, dayEnd: number): number | null {
  if (hitTimes.length >= limit) return hitTimes[limit - 1] ?? now;
  const first = hitTimes[0];
  if (first === undefined) return null;
  const windowStart = Math.max(now - RATE_WINDOW_MS, first);
  const windowMs = Math.max(now - windowStart, MIN_RATE_WINDOW_MS);
  const recent = hitTimes.filter((t) => t >= windowStart).length;
  if (recent === 0) return null;
  const at = now + ((limit - hitTimes.length) * windowMs) / recent;
  return at < dayEnd ? Math.ceil(at) : null;
}

export function quotaOutlook(db: Db, usage: QuotaUsage, now: Date): QuotaOutlook {
  const hitTimes = db
    .prepare<[string], { reserved_at: string }>("SELECT reserved_at FROM quota_hit WHERE day = ? AND state <> 'released' ORDER BY id")
    .all(usage.day)
    .map((r) => Date.parse(r.reserved_at));
  const perHour = new Array<number>(24).fill(0);
  for (const t of hitTimes) perHour[new Date(t + WIB_OFFSET_MS).getUTCHours()]! += 1;
  const dayEnd = Date.parse(`${usage.day}T00:00:00+07:00`) + 24 * HOUR_MS;
  const projected = projectLimitAt(hitTimes, usage.limit, now.getTime(), dayEnd);
  const { day, used, limit } = usage;
  return { day, used, limit, perHour, projectedLimitAt: projected === null ? null : new Date(projected).toISOString() };
}
