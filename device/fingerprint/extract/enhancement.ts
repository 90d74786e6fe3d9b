/**
 * Stage 5: contextual enhancement with Gabor filters (Hong, Wan & Jain 1998). Each pixel is
 * filtered by an even Gabor kernel tuned to its ridge direction and period, which joins broken
 * ridges, separates merged ones and suppresses noise across the flow.
 *
 * The Gabor kernel's envelope is round, so in the ridge's own frame it is a product of two 1-D
 * filters: a Gaussian along the ridge and a Gaussian-windowed cosine across it. It is applied as
 * two passes of 2r+1 sub-pixel taps each (along, then across, like SourceAFIS's oriented
 * smoothing) — a third of the work of the 2-D kernel for the same minutiae. The filters are
 * quantised by direction (PARAMETERS.gaborOrientations steps) and by whole-pixel period.
 */
import type { FloatImage, MaskImage } from './image.ts';
import { periodAt, type RidgePeriod } from './frequency.ts';
import type { OrientationField } from './orientation.ts';
import { PARAMETERS } from './parameters.ts';

/** A 1-D filter along a direction: tap steps in x and y, and weights. */
export interface LineFilter {
  dx: Int8Array;
  dy: Int8Array;
  weight: Float32Array;
}

const filters = new Map<number, LineFilter>();

/**
 * The taps t = −r..r along `direction`, each spread bilinearly over the four pixels around its
 * sub-pixel position (so a diagonal line is not a staircase), merged into one weight per pixel.
 */
function line(direction: number, weights: (t: number) => number): LineFilter {
  const r = PARAMETERS.gaborRadius;
  const ux = Math.cos(direction),
    uy = Math.sin(direction);
  const merged = new Map<number, { dx: number; dy: number; w: number }>();
  const add = (dx: number, dy: number, w: number): void => {
    if (w === 0) return;
    const key = (dy + 16) * 64 + dx + 16;
    const hit = merged.get(key);
    if (hit) hit.w += w;
    else merged.set(key, { dx, dy, w });
  };
  for (let t = -r; t <= r; t++) {
    const px = t * ux,
      py = t * uy;
    const x0 = Math.floor(px + 1e-9),
      y0 = Math.floor(py + 1e-9);
    const fx = px - x0,
      fy = py - y0;
    const w = weights(t);
    add(x0, y0, w * (1 - fx) * (1 - fy));
    add(x0 + 1, y0, w * fx * (1 - fy));
    add(x0, y0 + 1, w * (1 - fx) * fy);
    add(x0 + 1, y0 + 1, w * fx * fy);
  }
  const taps = [...merged.values()].filter((p) => Math.abs(p.w) > 1e-6);
  return { dx: Int8Array.from(taps, (p) => p.dx), dy: Int8Array.from(taps, (p) => p.dy), weight: Float32Array.from(taps, (p) => p.w) };
}

/** Gaussian smoothing along ridges at orientation step `step` (image axes), unit sum. */
export function alongFilter(step: number): LineFilter {
  const key = step;
  const hit = filters.get(key);
  if (hit) return hit;
  const sigma = PARAMETERS.gaborSigma;
  const f = line((step * Math.PI) / PARAMETERS.gaborOrientations, (t) => Math.exp(-(t * t) / (2 * sigma * sigma)));
  const sum = f.weight.reduce((a, b) => a + b, 0);
  for (let i = 0; i < f.weight.length; i++) f.weight[i] = f.weight[i]! / sum;
  filters.set(key, f);
  return f;
}

/** The even Gabor profile across ridges at orientation step `step` with `period` px: zero mean, unit absolute sum. */
export function acrossFilter(step: number, period: number): LineFilter {
  const key = 1000 + step * 64 + period;
  const hit = filters.get(key);
  if (hit) return hit;
  const sigma = PARAMETERS.gaborSigma;
  const envelope = (t: number): number => Math.exp(-(t * t) / (2 * sigma * sigma));
  const r = PARAMETERS.gaborRadius;
  let mean = 0,
    weight = 0;
  for (let t = -r; t <= r; t++) {
    mean += envelope(t) * Math.cos((2 * Math.PI * t) / period);
    weight += envelope(t);
  }
  // Zero mean (a flat patch gives 0), then unit absolute sum.
  const f = line(
    (step * Math.PI) / PARAMETERS.gaborOrientations + Math.PI / 2,
    (t) => envelope(t) * (Math.cos((2 * Math.PI * t) / period) - mean / weight),
  );
  const norm = f.weight.reduce((a, b) => a + Math.abs(b), 0);
  for (let i = 0; i < f.weight.length; i++) f.weight[i] = f.weight[i]! / norm;
  filters.set(key, f);
  return f;
}

export function angleStepOf(angle: number): number {
  const steps = PARAMETERS.gaborOrientations;
  return ((Math.round((angle / Math.PI) * steps) % steps) + steps) % steps;
}

/** Applies, at every pixel selected by `select`, the filter its orientation cell asks for. */
function pass(
  src: Float32Array,
  width: number,
  height: number,
  select: Uint8Array,
  field: OrientationField,
  filterOf: (cell: number) => LineFilter,
): Float32Array {
  const r = PARAMETERS.gaborRadius + 1;
  const out = new Float32Array(width * height);
  const cells = field.columns * field.rows;
  const cellFilter: LineFilter[] = new Array<LineFilter>(cells);
  const cellOffsets: Int32Array[] = new Array<Int32Array>(cells);
  const offsets = new Map<LineFilter, Int32Array>();
  for (let c = 0; c < cells; c++) {
    const f = filterOf(c);
    let o = offsets.get(f);
    if (!o) {
      o = new Int32Array(f.dx.length);
      for (let t = 0; t < o.length; t++) o[t] = f.dy[t]! * width + f.dx[t]!;
      offsets.set(f, o);
    }
    cellFilter[c] = f;
    cellOffsets[c] = o;
  }
  for (let y = 0; y < height; y++) {
    const inner = y >= r && y < height - r;
    const rowCell = Math.min(field.rows - 1, (y / field.cell) | 0) * field.columns;
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!select[i]) continue;
      const c = rowCell + Math.min(field.columns - 1, (x / field.cell) | 0);
      const f = cellFilter[c]!;
      const w = f.weight;
      let s = 0;
      if (inner && x >= r && x < width - r) {
        const o = cellOffsets[c]!;
        for (let t = 0; t < w.length; t++) s += w[t]! * src[i + o[t]!]!;
      } else {
        for (let t = 0; t < w.length; t++) {
          const xx = Math.min(width - 1, Math.max(0, x + f.dx[t]!));
          const yy = Math.min(height - 1, Math.max(0, y + f.dy[t]!));
          s += w[t]! * src[yy * width + xx]!;
        }
      }
      out[i] = s;
    }
  }
  return out;
}

export function enhanceRidges(image: FloatImage, mask: MaskImage, field: OrientationField, ridgePeriod: RidgePeriod): FloatImage {
  const { width, height, data } = image;
  const r = PARAMETERS.gaborRadius;
  // The across pass reads the along pass up to r + 1 pixels away: smooth a ring beyond the mask too.
  const grown = growMask(mask, r + 1);
  const period = (c: number): number => {
    const cx = (c % field.columns) * field.cell + (field.cell >> 1);
    const cy = ((c / field.columns) | 0) * field.cell + (field.cell >> 1);
    return Math.round(periodAt(ridgePeriod, cx, cy));
  };
  const along = pass(data, width, height, grown, field, (c) => alongFilter(angleStepOf(field.angle[c]!)));
  const across = pass(along, width, height, mask.data, field, (c) => acrossFilter(angleStepOf(field.angle[c]!), period(c)));
  return { width, height, data: across };
}

/** The mask widened by `r` pixels (a square neighbourhood), by two passes of running maxima. */
function growMask(mask: MaskImage, r: number): Uint8Array {
  const { width, height, data } = mask;
  const rows = new Uint8Array(data.length);
  for (let y = 0; y < height; y++) {
    let last = -Infinity;
    for (let x = 0; x < width; x++) {
      if (data[y * width + x]) last = x;
      if (x - last <= r) rows[y * width + x] = 1;
    }
    last = Infinity;
    for (let x = width - 1; x >= 0; x--) {
      if (data[y * width + x]) last = x;
      if (last - x <= r) rows[y * width + x] = 1;
    }
  }
  const out = new Uint8Array(data.length);
  for (let x = 0; x < width; x++) {
    let last = -Infinity;
    for (let y = 0; y < height; y++) {
      if (rows[y * width + x]) last = y;
      if (y - last <= r) out[y * width + x] = 1;
    }
    last = Infinity;
    for (let y = height - 1; y >= 0; y--) {
      if (rows[y * width + x]) last = y;
      if (last - y <= r) out[y * width + x] = 1;
    }
  }
  return out;
}
