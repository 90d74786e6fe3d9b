/**
 * The daily NIK quota (kuota akses harian), shared by every kiosk on the User ID: the levels of
 * use staff are alerted at, and the one name for "the day's quota is gone", `quotaReached`. The
 * registry's refusal, the session failure, the reason the kiosk is out of service, the kiosk flag
 * and the staff alert all carry that name, so the audit trail and the report match one word.
 */

/** Percent of the daily limit at which staff are alerted; 100 is the quota gone. */
export const QUOTA_ALERT_LEVELS = [80, 95, 100] as const;
export type QuotaAlertLevel = (typeof QUOTA_ALERT_LEVELS)[number];

/** The staff alert kind of each level. */
export const QUOTA_ALERT_KINDS = { 80: 'quota80', 95: 'quota95', 100: 'quotaReached' } as const satisfies Record<QuotaAlertLevel, string>;

/** Whether a day's use has reached `level` percent of its limit. */
export function quotaLevelReached(usage: { used: number; limit: number }, level: QuotaAlertLevel): boolean {
  return usage.used * 100 >= usage.limit * level;
}
