/**
 * Stage 1: foreground segmentation. Skin in contact shows ridges and valleys, so its grey level
 * varies; the sensor glass around it is flat. Blocks are classified by their spread, the block
 * map is cleaned (majority vote, holes filled, largest component kept) and expanded to pixels.
 */
import type { FloatImage, MaskImage } from './image.ts';
import { PARAMETERS } from './parameters.ts';

export interface Segmentation {
  mask: MaskImage;
  /** Mean and standard deviation of grey over the foreground (0-255). */
  meanGrey: number;
  contrast: number;
  foregroundPixels: number;
}

export function segmentForeground(image: FloatImage): Segmentation {
  const { width, height, data } = image;
  const b = PARAMETERS.blockSize;
  const bw = Math.ceil(width / b);
  const bh = Math.ceil(height / b);
  const spread = new Float32Array(bw * bh);
  let total = 0;
  for (let by = 0; by < bh; by++) {
    for (let bx = 0; bx < bw; bx++) {
      let s = 0,
        s2 = 0,
        n = 0;
      for (let y = by * b; y < Math.min(height, (by + 1) * b); y++) {
        for (let x = bx * b; x < Math.min(width, (bx + 1) * b); x++) {
          const v = data[y * width + x]!;
          s += v;
          s2 += v * v;
          n++;
        }
      }
      const m = s / n;
      const sd = Math.sqrt(Math.max(0, s2 / n - m * m));
      spread[by * bw + bx] = sd;
      total += sd;
    }
  }
  // The reference spread is that of the busiest blocks, so a small finger on a big window still segments.
  const sorted = Float32Array.from(spread).sort();
  const reference = sorted[Math.floor(sorted.length * 0.9)] ?? total / spread.length;
  const threshold = Math.max(PARAMETERS.foregroundMinSpread, PARAMETERS.foregroundSpreadRatio * reference);
  let blocks: Uint8Array = new Uint8Array(bw * bh);
  for (let i = 0; i < blocks.length; i++) blocks[i] = spread[i]! > threshold ? 1 : 0;
  blocks = majority(blocks, bw, bh);
  blocks = largestComponent(blocks, bw, bh);
  blocks = fillHoles(blocks, bw, bh);
  const mask = new Uint8Array(width * height);
  let s = 0,
    s2 = 0,
    n = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!blocks[Math.floor(y / b) * bw + Math.floor(x / b)]) continue;
      const i = y * width + x;
      mask[i] = 1;
      const v = data[i]!;
      s += v;
      s2 += v * v;
      n++;
    }
  }
  const meanGrey = n ? s / n : 255;
  return {
    mask: { width, height, data: mask },
    meanGrey,
    contrast: n ? Math.sqrt(Math.max(0, s2 / n - meanGrey * meanGrey)) : 0,
    foregroundPixels: n,
  };
}

function majority(blocks: Uint8Array, w: number, h: number): Uint8Array {
  const out = new Uint8Array(blocks.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let on = 0,
        n = 0;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx,
            yy = y + dy;
          if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
          on += blocks[yy * w + xx]!;
          n++;
        }
      }
      out[y * w + x] = on * 2 > n ? 1 : 0;
    }
  }
  return out;
}

function label(blocks: Uint8Array, w: number, h: number, value: number): Int32Array {
  const labels = new Int32Array(blocks.length).fill(-1);
  let next = 0;
  const stack: number[] = [];
  for (let start = 0; start < blocks.length; start++) {
    if (blocks[start] !== value || labels[start] !== -1) continue;
    labels[start] = next;
    stack.push(start);
    while (stack.length) {
      const i = stack.pop()!;
      const x = i % w,
        y = (i - x) / w;
      for (const [xx, yy] of [
        [x - 1, y],
        [x + 1, y],
        [x, y - 1],
        [x, y + 1],
      ] as const) {
        if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
        const j = yy * w + xx;
        if (blocks[j] !== value || labels[j] !== -1) continue;
        labels[j] = next;
        stack.push(j);
      }
    }
    next++;
  }
  return labels;
}

function largestComponent(blocks: Uint8Array, w: number, h: number): Uint8Array {
  const labels = label(blocks, w, h, 1);
  const sizes = new Map<number, number>();
  for (const l of labels) if (l >= 0) sizes.set(l, (sizes.get(l) ?? 0) + 1);
  let best = -1,
    bestSize = 0;
  for (const [l, n] of sizes)
    if (n > bestSize) {
      best = l;
      bestSize = n;
    }
  return Uint8Array.from(labels, (l) => (l === best && best >= 0 ? 1 : 0));
}

/** Background regions not touching the image edge are holes in the finger (a dry patch, a scar). */
function fillHoles(blocks: Uint8Array, w: number, h: number): Uint8Array {
  const labels = label(blocks, w, h, 0);
  const outside = new Set<number>();
  for (let x = 0; x < w; x++) {
    outside.add(labels[x]!);
    outside.add(labels[(h - 1) * w + x]!);
  }
  for (let y = 0; y < h; y++) {
    outside.add(labels[y * w]!);
    outside.add(labels[y * w + w - 1]!);
  }
  return Uint8Array.from(blocks, (v, i) => (v || !outside.has(labels[i]!) ? 1 : 0));
}
