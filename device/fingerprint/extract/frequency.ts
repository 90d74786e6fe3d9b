/**
 * Stage 4: ridge period per block (after Hong, Wan & Jain). Across the ridges (along the normal
 * of the local orientation) the normalised grey, averaged along the ridge, is a wave; the first
 * peak of its autocorrelation is the period. The search runs over a wide range of lags on
 * purpose: the period measured over the whole finger tells whether the image is at the
 * resolution the sensor table claims (a human ridge period is 0.3–0.75 mm, 6–15 px at 500 dpi),
 * and an image at the wrong scale is refused rather than read as minutiae (see index.ts).
 * Blocks where no clear wave shows take the median of their neighbours.
 */
import type { FloatImage, MaskImage } from './image.ts';
import { cellOf, type OrientationField } from './orientation.ts';
import { PARAMETERS } from './parameters.ts';

export interface RidgePeriod {
  /** Side of a block in pixels and the grid of blocks. */
  block: number;
  columns: number;
  rows: number;
  /** Period per block, px, clamped to the extractor's working range. */
  period: Float32Array;
  /** Median of the periods measured (not filled in, not clamped) over the finger; 0 when none. */
  measured: number;
  /** Blocks where a period was measured. */
  measuredBlocks: number;
}

const HALF = 30;
const MAX_LAG = 40;
const ALONG = [-6, -3, 0, 3, 6];

export function estimateRidgePeriod(image: FloatImage, mask: MaskImage, field: OrientationField): RidgePeriod {
  const { width, height, data } = image;
  const b = PARAMETERS.blockSize;
  const columns = Math.ceil(width / b);
  const rows = Math.ceil(height / b);
  const period = new Float32Array(columns * rows);
  const profile = new Float32Array(2 * HALF + 1);
  const found: number[] = [];
  for (let by = 0; by < rows; by++) {
    for (let bx = 0; bx < columns; bx++) {
      const cx = Math.min(width - 1, bx * b + (b >> 1));
      const cy = Math.min(height - 1, by * b + (b >> 1));
      if (!mask.data[cy * width + cx]) continue;
      const c = cellOf(field, cx, cy);
      if (field.coherence[c]! < PARAMETERS.minCoherence) continue;
      const a = field.angle[c]!;
      const ux = Math.cos(a),
        uy = Math.sin(a);
      for (let t = -HALF; t <= HALF; t++) {
        let s = 0,
          count = 0;
        for (const u of ALONG) {
          const x = Math.round(cx - t * uy + u * ux),
            y = Math.round(cy + t * ux + u * uy);
          if (x < 0 || y < 0 || x >= width || y >= height || !mask.data[y * width + x]) continue;
          s += data[y * width + x]!;
          count++;
        }
        profile[t + HALF] = count ? s / count : 0;
      }
      const lag = firstPeak(profile);
      if (lag > 0) {
        found.push(lag);
        period[by * columns + bx] = lag;
      }
    }
  }
  const filled = new Float32Array(period.length);
  const around: number[] = [];
  for (let by = 0; by < rows; by++) {
    for (let bx = 0; bx < columns; bx++) {
      around.length = 0;
      for (let dy = -2; dy <= 2; dy++) {
        for (let dx = -2; dx <= 2; dx++) {
          const xx = bx + dx,
            yy = by + dy;
          if (xx < 0 || yy < 0 || xx >= columns || yy >= rows) continue;
          const p = period[yy * columns + xx]!;
          if (p > 0) around.push(p);
        }
      }
      around.sort((p, q) => p - q);
      const p = around.length ? around[around.length >> 1]! : PARAMETERS.defaultRidgePeriod;
      filled[by * columns + bx] = Math.min(PARAMETERS.maxRidgePeriod, Math.max(PARAMETERS.minRidgePeriod, p));
    }
  }
  found.sort((p, q) => p - q);
  return { block: b, columns, rows, period: filled, measured: found.length ? found[found.length >> 1]! : 0, measuredBlocks: found.length };
}

/**
 * Lag of the first autocorrelation peak after its first trough, with parabolic refinement; 0 when
 * the profile shows no clear wave (the peak must keep a fifth of the zero-lag energy).
 */
function firstPeak(profile: Float32Array): number {
  const n = profile.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += profile[i]!;
  mean /= n;
  const ac = (lag: number): number => {
    let s = 0;
    for (let i = 0; i + lag < n; i++) s += (profile[i]! - mean) * (profile[i + lag]! - mean);
    return s / (n - lag);
  };
  const zero = ac(0);
  if (zero <= 1e-9) return 0;
  let previous = zero,
    lag = 1,
    current = ac(1);
  while (lag < MAX_LAG && current <= previous) {
    previous = current;
    lag++;
    current = ac(lag);
  }
  while (lag < MAX_LAG) {
    const next = ac(lag + 1);
    if (next < current) {
      if (current < 0.2 * zero) return 0;
      const curvature = previous - 2 * current + next;
      return curvature < 0 ? lag + (0.5 * (previous - next)) / curvature : lag;
    }
    previous = current;
    current = next;
    lag++;
  }
  return 0;
}

/** The block's period for pixel (x, y). */
export function periodAt(p: RidgePeriod, x: number, y: number): number {
  return p.period[Math.min(p.rows - 1, (y / p.block) | 0) * p.columns + Math.min(p.columns - 1, (x / p.block) | 0)]!;
}
