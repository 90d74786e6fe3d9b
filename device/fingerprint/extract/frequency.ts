/**
 * Stage 4: ridge period per block (Hong, Wan & Jain). Across the ridges (along the normal of
 * the local orientation) the normalised grey, averaged along the ridge, is a wave; the mean
 * distance between its peaks is the period. Blocks where no clean wave shows take the median of
 * their neighbours, and the map is interpolated back to pixels.
 */
import type { FloatImage, MaskImage } from './image.ts';
import type { OrientationField } from './orientation.ts';
import { PARAMETERS } from './parameters.ts';

export function estimateRidgePeriod(image: FloatImage, mask: MaskImage, field: OrientationField): Float32Array {
  const { width, height, data } = image;
  const b = PARAMETERS.blockSize;
  const bw = Math.ceil(width / b);
  const bh = Math.ceil(height / b);
  const period = new Float32Array(bw * bh);
  const sample = (x: number, y: number): number => {
    const xi = Math.round(x), yi = Math.round(y);
    if (xi < 0 || yi < 0 || xi >= width || yi >= height) return 0;
    return data[yi * width + xi]!;
  };
  const half = b;
  const profile = new Float32Array(2 * half + 1);
  for (let by = 0; by < bh; by++) {
    for (let bx = 0; bx < bw; bx++) {
      const cx = Math.min(width - 1, bx * b + b / 2);
      const cy = Math.min(height - 1, by * b + b / 2);
      const ci = Math.floor(cy) * width + Math.floor(cx);
      if (!mask.data[ci]) continue;
      const a = field.angle[ci]!;
      const ux = Math.cos(a), uy = Math.sin(a);
      const nx = -uy, ny = ux;
      for (let t = -half; t <= half; t++) {
        let s = 0;
        for (let u = -6; u <= 6; u += 2) s += sample(cx + t * nx + u * ux, cy + t * ny + u * uy);
        profile[t + half] = s;
      }
      const peaks: number[] = [];
      for (let k = 1; k < profile.length - 1; k++) {
        if (profile[k]! > profile[k - 1]! && profile[k]! >= profile[k + 1]! && profile[k]! > 0) peaks.push(k);
      }
      if (peaks.length < 2) continue;
      const p = (peaks[peaks.length - 1]! - peaks[0]!) / (peaks.length - 1);
      if (p >= PARAMETERS.minRidgePeriod && p <= PARAMETERS.maxRidgePeriod) period[by * bw + bx] = p;
    }
  }
  const filled = new Float32Array(period.length);
  for (let by = 0; by < bh; by++) {
    for (let bx = 0; bx < bw; bx++) {
      const around: number[] = [];
      for (let dy = -2; dy <= 2; dy++) {
        for (let dx = -2; dx <= 2; dx++) {
          const xx = bx + dx, yy = by + dy;
          if (xx < 0 || yy < 0 || xx >= bw || yy >= bh) continue;
          const p = period[yy * bw + xx]!;
          if (p > 0) around.push(p);
        }
      }
      around.sort((p, q) => p - q);
      filled[by * bw + bx] = around.length ? around[Math.floor(around.length / 2)]! : PARAMETERS.defaultRidgePeriod;
    }
  }
  const perPixel = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) perPixel[y * width + x] = filled[Math.min(bh - 1, Math.floor(y / b)) * bw + Math.min(bw - 1, Math.floor(x / b))]!;
  }
  return perPixel;
}
