/**
 * Stage 5: contextual enhancement with Gabor filters (Hong, Wan & Jain 1998). Each pixel is
 * filtered by an even Gabor kernel tuned to its ridge direction and period, which joins broken
 * ridges, separates merged ones and suppresses noise across the flow. Kernels are quantised by
 * direction (PARAMETERS.gaborOrientations steps) and by whole-pixel period, and built once.
 */
import type { FloatImage, MaskImage } from './image.ts';
import type { OrientationField } from './orientation.ts';
import { PARAMETERS } from './parameters.ts';

const kernels = new Map<number, Float32Array>();

/** Even Gabor kernel for ridges running at `angle` (image axes) with `period` px, zero mean. */
export function gaborKernel(angleStep: number, period: number, radius = PARAMETERS.gaborRadius, sigma = PARAMETERS.gaborSigma): Float32Array {
  const key = (angleStep * 64 + period) * 64 + radius;
  const cached = kernels.get(key);
  if (cached) return cached;
  const side = 2 * radius + 1;
  const k = new Float32Array(side * side);
  const angle = (angleStep * Math.PI) / PARAMETERS.gaborOrientations;
  const nx = -Math.sin(angle), ny = Math.cos(angle);
  let sum = 0, weight = 0;
  for (let dy = -radius; dy <= radius; dy++) {
    for (let dx = -radius; dx <= radius; dx++) {
      const across = dx * nx + dy * ny;
      const envelope = Math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma));
      const v = envelope * Math.cos((2 * Math.PI * across) / period);
      k[(dy + radius) * side + dx + radius] = v;
      sum += v;
      weight += envelope;
    }
  }
  let norm = 0;
  for (let dy = -radius; dy <= radius; dy++) {
    for (let dx = -radius; dx <= radius; dx++) {
      const i = (dy + radius) * side + dx + radius;
      k[i] = k[i]! - (sum / weight) * Math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma));
      norm += Math.abs(k[i]!);
    }
  }
  for (let i = 0; i < k.length; i++) k[i] = k[i]! / norm;
  kernels.set(key, k);
  return k;
}

export function angleStepOf(angle: number): number {
  const steps = PARAMETERS.gaborOrientations;
  return ((Math.round((angle / Math.PI) * steps) % steps) + steps) % steps;
}

/** Filters every pixel selected by `mask` with the kernel for its direction and period. */
export function gaborFilter(image: FloatImage, mask: Uint8Array, angle: Float32Array, period: Float32Array): Float32Array {
  const { width, height, data } = image;
  const r = PARAMETERS.gaborRadius;
  const side = 2 * r + 1;
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!mask[i]) continue;
      const k = gaborKernel(angleStepOf(angle[i]!), Math.round(period[i]!));
      let s = 0;
      if (x >= r && y >= r && x < width - r && y < height - r) {
        for (let dy = -r; dy <= r; dy++) {
          const row = (y + dy) * width + x - r;
          const krow = (dy + r) * side;
          for (let dx = 0; dx < side; dx++) s += k[krow + dx]! * data[row + dx]!;
        }
      } else {
        for (let dy = -r; dy <= r; dy++) {
          const yy = Math.min(height - 1, Math.max(0, y + dy));
          for (let dx = -r; dx <= r; dx++) {
            const xx = Math.min(width - 1, Math.max(0, x + dx));
            s += k[(dy + r) * side + dx + r]! * data[yy * width + xx]!;
          }
        }
      }
      out[i] = s;
    }
  }
  return out;
}

export function enhanceRidges(image: FloatImage, mask: MaskImage, field: OrientationField, period: Float32Array): FloatImage {
  return { width: image.width, height: image.height, data: gaborFilter(image, mask.data, field.angle, period) };
}
