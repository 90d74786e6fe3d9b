/**
 * Fingerprint image → ISO/IEC 19794-2 minutiae template: the extractor the production sensor
 * driver runs on every capture. A pipeline of small pure stages on typed arrays (after SourceAFIS
 * and NIST mindtct), each in its own module with its parameters in ./parameters.ts:
 *
 *   resample to 500 dpi → segment the finger → normalise locally → orientation field →
 *   ridge period → Gabor enhancement → binarise → thin → crossing-number minutiae →
 *   remove spurious minutiae → quality
 *
 * `extractMinutiae` returns every intermediate image (for a debug dump); `extractTemplate` is
 * what the sensor runs (in a worker, ../extractor-worker.ts), and turns an unusable image into
 * the taxpayer's capture hint, with the reason for the staff log, instead of a template nobody
 * should match against. An image whose ridge period says it is at another scale than its sensor's
 * table entry claims is such an image: refused, never turned into minutiae.
 */
import type { CaptureHint } from '../../domain/capture-hint.ts';
import type { FingerTemplate, Minutia } from '../../domain/finger-template.ts';
import { distanceToOutside, type FloatImage, type MaskImage } from './image.ts';
import { enhanceRidges } from './enhancement.ts';
import { estimateRidgePeriod, type RidgePeriod } from './frequency.ts';
import { detectMinutiae, removeSpurious } from './minutiae.ts';
import { normaliseLocally } from './normalisation.ts';
import { estimateOrientation, type OrientationField } from './orientation.ts';
import { CAPTURE_LIMITS, EXTRACTOR_DPI, PARAMETERS } from './parameters.ts';
import { assessImage, minutiaQuality, type ImageQuality } from './quality.ts';
import { resampleTo500Dpi, type SensorImage } from './resample.ts';
import { segmentForeground } from './segmentation.ts';
import { binarise, thin, type Skeleton } from './skeleton.ts';

export type { SensorImage } from './resample.ts';
export type { ImageQuality } from './quality.ts';

export interface Extraction {
  /** Minutiae in the 500 dpi frame, ISO angles, best quality first. */
  minutiae: Minutia[];
  width: number;
  height: number;
  quality: ImageQuality;
  meanGrey: number;
  contrast: number;
  stages: {
    resampled: FloatImage;
    mask: MaskImage;
    normalised: FloatImage;
    orientation: OrientationField;
    ridgePeriod: RidgePeriod;
    enhanced: FloatImage;
    binary: Uint8Array;
    skeleton: Skeleton;
    /** Distance of each pixel to the edge of the finger, px. */
    edge: Float32Array;
  };
}

export function extractMinutiae(image: SensorImage): Extraction {
  checkImage(image);
  const resampled = resampleTo500Dpi(image);
  const { mask, meanGrey, contrast } = segmentForeground(resampled);
  const normalised = normaliseLocally(resampled, mask);
  const orientation = estimateOrientation(normalised);
  const ridgePeriod = estimateRidgePeriod(normalised, mask, orientation);
  const enhanced = enhanceRidges(normalised, mask, orientation, ridgePeriod);
  const binary = binarise(enhanced, mask);
  const skeleton = thin(binary, resampled.width, resampled.height);
  const edge = distanceToOutside(mask);
  const candidates = removeSpurious(detectMinutiae(skeleton, orientation, edge), skeleton);
  const minutiae = candidates
    .map((c): Minutia => ({
      x: c.x,
      y: c.y,
      angle: isoAngle(c.direction),
      type: c.type,
      quality: minutiaQuality(orientation, edge, resampled.width, c.x, c.y),
    }))
    .sort((a, b) => b.quality - a.quality)
    .slice(0, PARAMETERS.maxMinutiae);
  return {
    minutiae,
    width: resampled.width,
    height: resampled.height,
    quality: assessImage(mask, orientation, contrast),
    meanGrey,
    contrast,
    stages: { resampled, mask, normalised, orientation, ridgePeriod, enhanced, binary, skeleton, edge },
  };
}

/** Image axes (y down) → ISO: counter-clockwise from the x axis, 0..2π. */
function isoAngle(direction: number): number {
  const turn = 2 * Math.PI;
  return ((-direction % turn) + turn) % turn;
}

/** Images larger than any fingerprint sensor (or malformed) are refused before any work. */
export const MAX_IMAGE_SIDE = 2000;

export class FingerImageError extends Error {
  override readonly name = 'FingerImageError';
}

function checkImage(image: SensorImage): void {
  const { width, height, pixels, dpi } = image;
  if (
    !Number.isInteger(width) ||
    !Number.isInteger(height) ||
    width < 64 ||
    height < 64 ||
    width > MAX_IMAGE_SIDE ||
    height > MAX_IMAGE_SIDE
  ) {
    throw new FingerImageError(`image size ${width}×${height} is outside 64..${MAX_IMAGE_SIDE} px`);
  }
  if (pixels.length !== width * height) throw new FingerImageError(`image has ${pixels.length} pixels, expected ${width * height}`);
  if (!(dpi >= 250 && dpi <= 1000)) throw new FingerImageError(`image resolution ${dpi} dpi is outside 250..1000`);
}

/** Why an image was refused: for the staff log (never shown to the taxpayer as such). */
export type RefusalReason = 'smallContact' | 'wrongScale' | 'noRidges' | 'faint' | 'dark' | 'smudged' | 'tooDense' | 'fewMinutiae';

export interface ExtractedTemplate {
  template: FingerTemplate;
  /** 0-100 image quality. */
  quality: number;
  /** Set when the image is not fit for a match attempt: what the taxpayer should do. */
  hint?: CaptureHint;
  reason?: RefusalReason;
  /** Median ridge period measured over the finger, px at 500 dpi (0 when none could be measured). */
  ridgePeriodPx: number;
  /** Area of the finger's contact with the sensor, mm². */
  contactAreaMm2: number;
  /** Where the finger is: distance to its edge, for minutiae from another extractor (see fingerEdgeDistance). */
  footprint?: Footprint;
}

/**
 * The finger's contact area as the segmentation found it, coarse: per FOOTPRINT_CELL × FOOTPRINT_CELL
 * cell of the 500 dpi image, the distance (px at 500 dpi, at most 255) from the cell's centre to the
 * nearest point outside the finger or off the image. Small enough to cross the worker boundary.
 */
export interface Footprint {
  cell: number;
  columns: number;
  rows: number;
  distance: Uint8Array;
}

const FOOTPRINT_CELL = 4;

function footprintOf(edge: Float32Array, width: number, height: number): Footprint {
  const cell = FOOTPRINT_CELL;
  const columns = Math.ceil(width / cell),
    rows = Math.ceil(height / cell);
  const distance = new Uint8Array(columns * rows);
  for (let r = 0; r < rows; r++) {
    const y = Math.min(height - 1, r * cell + (cell >> 1));
    for (let c = 0; c < columns; c++) {
      const x = Math.min(width - 1, c * cell + (cell >> 1));
      distance[r * columns + c] = Math.min(255, Math.round(edge[y * width + x]!));
    }
  }
  return { cell, columns, rows, distance };
}

/** Distance (px at 500 dpi) from a point of the 500 dpi frame to the edge of the finger; 0 off the image. */
export function fingerEdgeDistance(footprint: Footprint, x: number, y: number): number {
  const c = Math.floor(x / footprint.cell),
    r = Math.floor(y / footprint.cell);
  if (c < 0 || r < 0 || c >= footprint.columns || r >= footprint.rows) return 0;
  return footprint.distance[r * footprint.columns + c]!;
}

/**
 * Refusals about the extractor's own minutiae (too few, too dense). They say nothing of the
 * image when the template is made from another extractor's minutiae, which get the same test.
 */
export const OWN_MINUTIAE_REFUSALS: ReadonlySet<RefusalReason> = new Set(['tooDense', 'fewMinutiae']);

/**
 * The sensor's entry point. A template is always returned (possibly empty); when `hint`
 * is set the caller must not match it.
 */
export function extractTemplate(image: SensorImage, fingerPosition = 0): ExtractedTemplate {
  const e = extractMinutiae(image);
  const template: FingerTemplate = {
    fingerPosition,
    width: e.width,
    height: e.height,
    resolutionDpi: EXTRACTOR_DPI,
    quality: e.quality.score,
    minutiae: e.minutiae,
  };
  const refusal = imageRefusal(e) ?? minutiaeRefusal(template.minutiae.length, e.quality.contactAreaMm2);
  const result: ExtractedTemplate = {
    template,
    quality: e.quality.score,
    ridgePeriodPx: e.stages.ridgePeriod.measured,
    contactAreaMm2: e.quality.contactAreaMm2,
    footprint: footprintOf(e.stages.edge, e.width, e.height),
  };
  if (refusal) Object.assign(result, refusal);
  return result;
}

interface Refusal {
  hint: CaptureHint;
  reason: RefusalReason;
}

/** What the image itself says, before any minutia: from what the taxpayer can most easily fix. */
function imageRefusal(e: Extraction): Refusal | undefined {
  const q = e.quality;
  if (q.contactAreaMm2 < CAPTURE_LIMITS.minContactAreaMm2) return { hint: 'placeCentered', reason: 'smallContact' };
  const period = e.stages.ridgePeriod;
  // No ridge wave anywhere, or one at a scale no finger has: the image is not a readable finger at
  // the resolution its sensor is said to have.
  if (period.measuredBlocks < CAPTURE_LIMITS.minPeriodBlocks) return { hint: 'cleanFinger', reason: 'noRidges' };
  if (period.measured < PARAMETERS.minPlausiblePeriod || period.measured > PARAMETERS.maxPlausiblePeriod)
    return { hint: 'cleanFinger', reason: 'wrongScale' };
  // Dark: a wet or smeared finger. Light or faint: a dry finger or too little pressure.
  if (e.meanGrey < CAPTURE_LIMITS.minMeanGrey) return { hint: 'cleanFinger', reason: 'dark' };
  if (e.meanGrey > CAPTURE_LIMITS.maxMeanGrey || e.contrast < CAPTURE_LIMITS.minContrast) return { hint: 'pressLonger', reason: 'faint' };
  if (q.readableShare < CAPTURE_LIMITS.minReadableShare) return { hint: 'cleanFinger', reason: 'smudged' };
  return undefined;
}

/** What a template's minutiae say: too few to decide on, or more than a finger has (noise). */
export function minutiaeRefusal(count: number, contactAreaMm2: number): Refusal | undefined {
  if (count / Math.max(1, contactAreaMm2) > CAPTURE_LIMITS.maxMinutiaeDensityPerMm2) return { hint: 'cleanFinger', reason: 'tooDense' };
  if (count < CAPTURE_LIMITS.minMinutiae) return { hint: 'placeCentered', reason: 'fewMinutiae' };
  return undefined;
}
