/**
 * Small inline SVG charts for the printable report: stacked bars per month with a legend. Our
 * own few lines rather than a chart library: the page must render offline, without scripts.
 */
import { escapeHtml } from './html-escape.ts';

export interface ChartSeries {
  label: string;
  color: string;
  values: number[];
}

export interface BarChart {
  title: string;
  subtitle: string;
  categories: string[];
  series: ChartSeries[];
  /** How a value is written on the axis (hours with a decimal comma, counts whole). */
  format: (v: number) => string;
}

const W = 340;
const H = 230;
const PAD = { left: 46, right: 8, top: 34, bottom: 62 };

/** A round axis maximum at or above the largest stack (1, 2 or 5 times a power of ten). */
export function axisMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

export function stackedBarChart(c: BarChart): string {
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const totals = c.categories.map((_, i) => c.series.reduce((s, x) => s + (x.values[i] ?? 0), 0));
  const max = axisMax(Math.max(0, ...totals));
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const band = plotW / c.categories.length;
  const barW = band * 0.6;
  const parts: string[] = [];
  parts.push(`<text x="${PAD.left}" y="14" class="t">${escapeHtml(c.title)}</text>`);
  parts.push(`<text x="${PAD.left}" y="27" class="s">${escapeHtml(c.subtitle)}</text>`);
  for (const tick of [0, 0.5, 1]) {
    const v = tick * max;
    parts.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" class="g"/>`);
    parts.push(`<text x="${PAD.left - 4}" y="${(y(v) + 3).toFixed(1)}" class="a" text-anchor="end">${escapeHtml(c.format(v))}</text>`);
  }
  c.categories.forEach((cat, i) => {
    const x = PAD.left + i * band + (band - barW) / 2;
    let base = 0;
    for (const s of c.series) {
      const v = s.values[i] ?? 0;
      if (v > 0) {
        const top = y(base + v);
        parts.push(
          `<rect x="${x.toFixed(1)}" y="${top.toFixed(1)}" width="${barW.toFixed(1)}" height="${Math.max(0.5, y(base) - top).toFixed(1)}" fill="${s.color}"><title>${escapeHtml(`${s.label}: ${c.format(v)}`)}</title></rect>`,
        );
      }
      base += v;
    }
    parts.push(
      `<text x="${(x + barW / 2).toFixed(1)}" y="${PAD.top + plotH + 12}" class="a" text-anchor="middle">${escapeHtml(cat)}</text>`,
    );
  });
  c.series.forEach((s, i) => {
    const lx = PAD.left + (i % 2) * (plotW / 2);
    const ly = PAD.top + plotH + 26 + Math.floor(i / 2) * 12;
    parts.push(`<rect x="${lx}" y="${ly - 8}" width="9" height="9" fill="${s.color}"/>`);
    parts.push(`<text x="${lx + 13}" y="${ly}" class="a">${escapeHtml(s.label)}</text>`);
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeHtml(c.title)}">${parts.join('')}</svg>`;
}
