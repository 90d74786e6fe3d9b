/**
 * Stage 3: ridge orientation field by averaged squared gradients (Bazen & Gerez). Gradients are
 * squared as doubled-angle vectors so opposite gradients across a ridge add up instead of
 * cancelling; the vectors are smoothed over a window, then smoothed again as unit vectors
 * weighted by their coherence, which carries reliable flow across noisy patches.
 */
import { smooth, type FloatImage } from './image.ts';
import { PARAMETERS } from './parameters.ts';

export interface OrientationField {
  /** Ridge direction per pixel in radians, 0..π, image axes (x right, y down). */
  angle: Float32Array;
  /** 0 (no dominant direction) … 1 (perfectly parallel ridges). */
  coherence: Float32Array;
}

export function estimateOrientation(image: FloatImage): OrientationField {
  const { width, height, data } = image;
  const n = width * height;
  const gxx = new Float32Array(n);
  const gxy = new Float32Array(n);
  const energy = new Float32Array(n);
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      // Sobel
      const gx = data[i - width + 1]! + 2 * data[i + 1]! + data[i + width + 1]! - data[i - width - 1]! - 2 * data[i - 1]! - data[i + width - 1]!;
      const gy = data[i + width - 1]! + 2 * data[i + width]! + data[i + width + 1]! - data[i - width - 1]! - 2 * data[i - width]! - data[i - width + 1]!;
      gxx[i] = gx * gx - gy * gy;
      gxy[i] = 2 * gx * gy;
      energy[i] = gx * gx + gy * gy;
    }
  }
  const r = PARAMETERS.gradientRadius;
  const sxx = smooth(gxx, width, height, r);
  const sxy = smooth(gxy, width, height, r);
  const se = smooth(energy, width, height, r);
  const coherence = new Float32Array(n);
  const cx = new Float32Array(n);
  const cy = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const mag = Math.hypot(sxx[i]!, sxy[i]!);
    const c = se[i]! > 1e-6 ? mag / se[i]! : 0;
    coherence[i] = c;
    if (mag > 0) {
      cx[i] = (sxx[i]! / mag) * c;
      cy[i] = (sxy[i]! / mag) * c;
    }
  }
  const rs = PARAMETERS.orientationSmoothingRadius;
  const vx = smooth(cx, width, height, rs);
  const vy = smooth(cy, width, height, rs);
  const angle = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    // The doubled gradient angle, halved and turned a quarter: the ridge runs across the gradient.
    let a = 0.5 * Math.atan2(vy[i]!, vx[i]!) + Math.PI / 2;
    if (a >= Math.PI) a -= Math.PI;
    angle[i] = a;
  }
  return { angle, coherence };
}
