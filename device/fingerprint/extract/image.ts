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
 * the image edge counts as outside. Two raster passes on integer weights (3 straight, 4
 * diagonal), divided by 3 at the end.
 */
export function distanceToOutside(mask: MaskImage): Float32Array {
  const { width, height, data } = mask;
  const d = new Int32Array(width * height);
  const big = 1 << 29;
  for (let i = 0; i < d.length; i++) d[i] = data[i] ? big : 0;
  // Forward: from the left, up-left, up and up-right neighbours (0 beyond the image).
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const i = row + x;
      let v = d[i]!;
      if (!v) continue;
      const left = x > 0 ? d[i - 1]! + 3 : 3;
      if (left < v) v = left;
      if (y > 0) {
        const up = d[i - width]! + 3;
        if (up < v) v = up;
        const upLeft = x > 0 ? d[i - width - 1]! + 4 : 4;
        if (upLeft < v) v = upLeft;
        const upRight = x < width - 1 ? d[i - width + 1]! + 4 : 4;
        if (upRight < v) v = upRight;
      } else if (3 < v) v = 3;
      d[i] = v;
    }
  }
  // Backward: from the right, down-right, down and down-left neighbours.
  for (let y = height - 1; y >= 0; y--) {
    const row = y * width;
    for (let x = width - 1; x >= 0; x--) {
      const i = row + x;
      let v = d[i]!;
      if (!v) continue;
      const right = x < width - 1 ? d[i + 1]! + 3 : 3;
      if (right < v) v = right;
      if (y < height - 1) {
        const down = d[i + width]! + 3;
        if (down < v) v = down;
        const downRight = x < width - 1 ? d[i + width + 1]! + 4 : 4;
        if (downRight < v) v = downRight;
        const downLeft = x > 0 ? d[i + width - 1]! + 4 : 4;
        if (downLeft < v) v = downLeft;
      } else if (3 < v) v = 3;
      d[i] = v;
    }
  }
  const out = new Float32Array(d.length);
  for (let i = 0; i < d.length; i++) out[i] = d[i]! / 3;
  return out;
}
