/**
 * Grey images as typed arrays, and the small filters the stages share. Values are float; pixel
 * (x, y) is at index y * width + x.
 */
export interface FloatImage {
  width: number;
  height: number;
  data: Float32Array;
}

export interface MaskImage {
  width: number;
  height: number;
  /** 1 inside the finger, 0 outside. */
  data: Uint8Array;
}

/** Box mean over a (2r+1)² window clipped at the edges, by a summed-area table. */
export function boxMean(src: Float32Array, width: number, height: number, r: number): Float32Array {
  const w1 = width + 1;
  const sat = new Float64Array(w1 * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      row += src[y * width + x]!;
      sat[(y + 1) * w1 + x + 1] = sat[y * w1 + x + 1]! + row;
    }
  }
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const y0 = Math.max(0, y - r);
    const y1 = Math.min(height, y + r + 1);
    for (let x = 0; x < width; x++) {
      const x0 = Math.max(0, x - r);
      const x1 = Math.min(width, x + r + 1);
      const s = sat[y1 * w1 + x1]! - sat[y0 * w1 + x1]! - sat[y1 * w1 + x0]! + sat[y0 * w1 + x0]!;
      out[y * width + x] = s / ((x1 - x0) * (y1 - y0));
    }
  }
  return out;
}

/** Two box passes: close enough to a Gaussian for smoothing fields. */
export function smooth(src: Float32Array, width: number, height: number, r: number): Float32Array {
  return boxMean(boxMean(src, width, height, r), width, height, r);
}

/**
 * Chamfer (3-4) distance from every pixel to the nearest pixel outside the mask, in pixels;
 * the image edge counts as outside.
 */
export function distanceToOutside(mask: MaskImage): Float32Array {
  const { width, height, data } = mask;
  const d = new Float32Array(width * height);
  const big = 1e9;
  for (let i = 0; i < d.length; i++) d[i] = data[i] ? big : 0;
  const at = (x: number, y: number): number => (x < 0 || y < 0 || x >= width || y >= height ? 0 : d[y * width + x]!);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!d[i]) continue;
      d[i] = Math.min(d[i]!, at(x - 1, y) + 3, at(x, y - 1) + 3, at(x - 1, y - 1) + 4, at(x + 1, y - 1) + 4);
    }
  }
  for (let y = height - 1; y >= 0; y--) {
    for (let x = width - 1; x >= 0; x--) {
      const i = y * width + x;
      if (!d[i]) continue;
      d[i] = Math.min(d[i]!, at(x + 1, y) + 3, at(x, y + 1) + 3, at(x + 1, y + 1) + 4, at(x - 1, y + 1) + 4);
    }
  }
  for (let i = 0; i < d.length; i++) d[i] = d[i]! / 3;
  return d;
}
