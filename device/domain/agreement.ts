/**
 * The agreement period (Pasal 5; extended by addendum, Pasal 10 (2)). Outside it the kiosk
 * verifies nobody. Dates are calendar days in WIB (Asia/Jakarta, UTC+7, no daylight saving).
 */
import { wibDate } from './wib.ts';

export interface AgreementPeriod {
  numbers: string[];
  /** First day in force, YYYY-MM-DD. */
  start: string;
  /** Last day in force, YYYY-MM-DD. */
  end: string;
}

export function agreementInForce(period: AgreementPeriod, at: Date): boolean {
  const today = wibDate(at);
  return period.start <= today && today <= period.end;
}

const DAY_MS = 86_400_000;

/** A real calendar day written YYYY-MM-DD (no 31 April). */
export function isCalendarDay(day: string): boolean {
  if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(day)) return false;
  const d = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === day;
}

/** Days still in force counting today (WIB), 0 once ended; null before it starts. */
export function daysInForceLeft(period: AgreementPeriod, at: Date): number | null {
  const today = wibDate(at);
  if (today < period.start) return null;
  if (today > period.end) return 0;
  return Math.round((Date.parse(`${period.end}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS) + 1;
}
