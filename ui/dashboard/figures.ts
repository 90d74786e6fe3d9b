/**
 * The dashboard's pure figures, kept apart from the elements so they are tested without a
 * browser: the quota chart's bar geometry and the semesters a report can be asked for.
 */

/** The plot area inside the chart's 480×190 view box (room left of it for the scale, below for hours). */
export const PLOT = { left: 34, right: 470, top: 12, bottom: 160 };
export const HOURS = 24;

export interface Bar {
  hour: number;
  count: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The bars' geometry: heights in proportion to the counts, the largest count reaching the top. */
export function bars(perHour: readonly number[]): Bar[] {
  const counts = Array.from({ length: HOURS }, (_, h) => Math.max(0, Number(perHour[h]) || 0));
  const top = Math.max(1, ...counts);
  const slot = (PLOT.right - PLOT.left) / HOURS;
  const plotHeight = PLOT.bottom - PLOT.top;
  return counts.map((count, hour) => {
    const height = (count / top) * plotHeight;
    return { hour, count, x: PLOT.left + hour * slot + 1, y: PLOT.bottom - height, width: slot - 2, height };
  });
}

/** The semesters a report can be asked for: this one and the three before it, newest first. */
export function recentSemesters(now: Date): string[] {
  const year = Number(new Intl.DateTimeFormat('en-CA', { year: 'numeric', timeZone: 'Asia/Jakarta' }).format(now));
  const month = Number(new Intl.DateTimeFormat('en-CA', { month: 'numeric', timeZone: 'Asia/Jakarta' }).format(now));
  let y = year;
  let half = month <= 6 ? 1 : 2;
  const out: string[] = [];
  for (let i = 0; i < 4; i++) {
    out.push(`${y}-${half}`);
    if (half === 2) half = 1;
    else {
      half = 2;
      y -= 1;
    }
  }
  return out;
}
