/**
 * Quality, NFIQ-like in spirit (not NFIQ): a print is good when much skin touched the sensor,
 * its ridge flow is clear (coherent orientation) over most of that area, and ridges and valleys
 * contrast. Each factor is mapped to 0..1 and the image score is their product × 100, so any one
 * bad factor pulls the score down. A minutia's quality is the flow clarity around it, reduced
 * near the edge of the contact area where impressions are least reliable.
 */
import type { MaskImage } from './image.ts';
import { cellOf, type OrientationField } from './orientation.ts';
import { CAPTURE_LIMITS, PARAMETERS } from './parameters.ts';

export interface ImageQuality {
  /** 0-100. */
  score: number;
  contactAreaMm2: number;
  /** Share of the contact area where ridge flow is readable. */
  readableShare: number;
  meanCoherence: number;
}

const MM_PER_PX = 25.4 / 500;

export function assessImage(mask: MaskImage, field: OrientationField, contrast: number): ImageQuality {
  let area = 0,
    readable = 0,
    coherence = 0;
  const { width, height, data } = mask;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!data[y * width + x]) continue;
      area++;
      const c = field.coherence[cellOf(field, x, y)]!;
      coherence += c;
      if (c >= PARAMETERS.minCoherence) readable++;
    }
  }
  const contactAreaMm2 = area * MM_PER_PX * MM_PER_PX;
  const readableShare = area ? readable / area : 0;
  const meanCoherence = area ? coherence / area : 0;
  const clamp = (v: number): number => Math.max(0, Math.min(1, v));
  const areaFactor = clamp(contactAreaMm2 / (2 * CAPTURE_LIMITS.minContactAreaMm2));
  const flowFactor = clamp(readableShare);
  const clarityFactor = clamp(meanCoherence / 0.6);
  const contrastFactor = clamp(contrast / (2 * CAPTURE_LIMITS.minContrast));
  return {
    score: Math.round(100 * areaFactor * flowFactor * clarityFactor * contrastFactor),
    contactAreaMm2,
    readableShare,
    meanCoherence,
  };
}

export function minutiaQuality(field: OrientationField, distanceToEdge: Float32Array, width: number, x: number, y: number): number {
  const clarity = Math.max(
    0,
    Math.min(1, (field.coherence[cellOf(field, x, y)]! - PARAMETERS.minCoherence) / (0.85 - PARAMETERS.minCoherence)),
  );
  const edge = Math.max(0, Math.min(1, distanceToEdge[y * width + x]! / (3 * PARAMETERS.borderDistance)));
  return Math.max(1, Math.round(100 * (0.3 + 0.7 * clarity) * (0.5 + 0.5 * edge)));
}
