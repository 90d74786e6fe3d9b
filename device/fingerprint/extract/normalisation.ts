/**
 * Stage 2: local normalisation. Each pixel becomes (local mean − grey) / local spread, so
 * ridges are positive and valleys negative with unit contrast everywhere, whatever the pressure
 * or the sensor's gain did to that part of the image. Outside the finger the value is 0.
 */
import { boxMean, type FloatImage, type MaskImage } from './image.ts';
import { PARAMETERS } from './parameters.ts';

export function normaliseLocally(image: FloatImage, mask: MaskImage): FloatImage {
  const { width, height, data } = image;
  const r = PARAMETERS.normalisationRadius;
  const mean = boxMean(data, width, height, r);
  const square = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) square[i] = data[i]! * data[i]!;
  const squared = boxMean(square, width, height, r);
  const out = new Float32Array(width * height);
  for (let i = 0; i < out.length; i++) {
    if (!mask.data[i]) continue;
    const m = mean[i]!;
    const sd = Math.sqrt(Math.max(1, squared[i]! - m * m));
    out[i] = Math.max(-3, Math.min(3, (m - data[i]!) / sd));
  }
  return { width, height, data: out };
}
