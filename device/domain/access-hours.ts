/**
 * Dukcapil's access hours (jam akses): the registry answers code 06 "Di Luar Jam Akses" outside
 * them, and every question asked then still costs a quota hit. With the hours configured
 * (`uplink.accessHours`, WIB), the kiosk does not ask outside them; when the registry says 06
 * anyway (hours not configured, or changed), the kiosk stops until the next window opens, or for
 * a fixed time when the hours it knows say it is open now.
 */
import { WIB_OFFSET_MS } from './wib.ts';

/** In WIB: `from` (inclusive) before `to` (exclusive), `HH:MM`; `weekdays` ISO (1 Monday .. 7 Sunday), every day if absent. */
export interface AccessHours {
  from: string;
  to: string;
  weekdays?: number[];
}

/** How long the kiosk waits after a 06 answer when the configured hours cannot say when access opens. */
export const OUTSIDE_HOURS_RETRY_MS = 60 * 60_000;

const DAY_MS = 86_400_000;

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

/** What is wrong with configured hours (empty when they can be used). */
export function accessHoursProblems(hours: AccessHours): string[] {
  const clock = /^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$/;
  if (!clock.test(hours.from) || !clock.test(hours.to)) return ['/uplink/accessHours from and to must be HH:MM (WIB)'];
  if (minutes(hours.from) >= minutes(hours.to)) return ['/uplink/accessHours/from must be before to (one window a day, WIB)'];
  return [];
}

/** WIB midnight of `now`'s WIB day, as epoch ms, and that day's ISO weekday. */
function wibDay(now: Date): { midnight: number; weekday: number } {
  const wib = now.getTime() + WIB_OFFSET_MS;
  const midnight = Math.floor(wib / DAY_MS) * DAY_MS - WIB_OFFSET_MS;
  const weekday = ((new Date(wib).getUTCDay() + 6) % 7) + 1;
  return { midnight, weekday };
}

const onDay = (hours: AccessHours, weekday: number) => hours.weekdays === undefined || hours.weekdays.includes(weekday);

export function accessWindowOpen(hours: AccessHours, now: Date): boolean {
  const { midnight, weekday } = wibDay(now);
  const t = now.getTime();
  return onDay(hours, weekday) && t >= midnight + minutes(hours.from) * 60_000 && t < midnight + minutes(hours.to) * 60_000;
}

/** The next time a window opens after `now` (within a week; null when no weekday is allowed). */
export function nextAccessOpening(hours: AccessHours, now: Date): Date | null {
  const { midnight, weekday } = wibDay(now);
  for (let d = 0; d <= 7; d++) {
    const opens = midnight + d * DAY_MS + minutes(hours.from) * 60_000;
    if (opens > now.getTime() && onDay(hours, ((weekday - 1 + d) % 7) + 1)) return new Date(opens);
  }
  return null;
}

/** Until when the kiosk stays out of service after the registry answered 06 at `now`. */
export function outsideHoursUntil(hours: AccessHours | null, now: Date): Date {
  const fallback = new Date(now.getTime() + OUTSIDE_HOURS_RETRY_MS);
  if (hours === null || accessWindowOpen(hours, now)) return fallback;
  return nextAccessOpening(hours, now) ?? fallback;
}
