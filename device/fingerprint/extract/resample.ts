/** Stage 0: the sensor's image at any resolution → float grey at the extractor's 500 dpi. */
import { boxMean, type FloatImage } from './image.ts';
import { EXTRACTOR_DPI } from './parameters.ts';

export interface SensorImage {
  width: number;
  height: number;
  /** 8-bit grey, row by row, ridges dark. */
  pixels: Uint8Array;
  dpi: number;
}

/** Bilinear resampling; a box pre-filter first when shrinking, so fine ridges do not alias. */
export function resampleTo500Dpi(image: SensorImage): FloatImage {
  const { width, height, pixels, dpi } = image;
  const src = Float32Array.from(pixels);
  if (dpi === EXTRACTOR_DPI) return { width, height, data: src };
  const scale = EXTRACTOR_DPI / dpi;
  let from: Float32Array = src;
  if (scale < 1) {
    const r = Math.max(0, Math.round(0.5 / scale - 0.5));
    if (r > 0) from = boxMean(src, width, height, r);
  }
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const sy = Math.min(height - 1, Math.max(0, (y + 0.5) / scale - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(height - 1, y0 + 1);
    const fy = sy - y0;
    for (let x = 0; x < w; x++) {
      const sx = Math.min(width - 1, Math.max(0, (x + 0.5) / scale - 0.5));
      const x0 = Math.floor(sx);
      const x1 = Math.min(width - 1, x0 + 1);
      const fx = sx - x0;
      const top = from[y0 * width + x0]! * (1 - fx) + from[y0 * width + x1]! * fx;
      const bottom = from[y1 * width + x0]! * (1 - fx) + from[y1 * width + x1]! * fx;
      out[y * w + x] = top * (1 - fy) + bottom * fy;
    }
  }
  return { width: w, height: h, data: out };
}
