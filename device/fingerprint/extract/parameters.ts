/**
 * Every tuning constant of the minutiae extractor, in one place. Lengths are pixels at 500 dpi
 * (the extractor resamples other resolutions first), where a ridge period is about 9 px.
 */
export const EXTRACTOR_DPI = 500;

export const PARAMETERS = {
  /** Side of the square blocks the segmentation and ridge frequency work on. */
  blockSize: 16,
  /** A block is foreground when its grey-level spread exceeds this share of the image's. */
  foregroundSpreadRatio: 0.35,
  /** ... and at least this absolute standard deviation (0-255 grey levels). */
  foregroundMinSpread: 8,
  /** Radius of the local mean/variance window of the normalisation. */
  normalisationRadius: 12,
  /** Cell side of the orientation field, px: ridge flow is smooth at this scale. */
  orientationCell: 4,
  /** Radius in cells of the box window the gradient moments are summed over (done twice ≈ Gaussian). */
  gradientCells: 1,
  /** Radius in cells of the smoothing of the doubled-angle orientation vectors (done twice). */
  orientationSmoothingCells: 2,
  /** The Gabor filter's working range of ridge periods, px; measured periods are clamped to it. */
  minRidgePeriod: 5,
  maxRidgePeriod: 15,
  defaultRidgePeriod: 9,
  /**
   * The ridge periods a human finger shows at 500 dpi (0.3–0.75 mm). An image whose median
   * period falls outside is at another scale than its sensor's table entry says, and is refused.
   */
  minPlausiblePeriod: 5.5,
  maxPlausiblePeriod: 14,
  /** Gabor kernels: radius, envelope sigma, and how many orientation steps over π. */
  gaborRadius: 6,
  gaborSigma: 3.6,
  gaborOrientations: 16,
  /** Minutiae closer than this to the edge of the finger are edge artefacts. */
  borderDistance: 14,
  /** An ending whose ridge reaches another minutia within this length is a spur or a fragment. */
  spurLength: 12,
  /** Two bifurcations joined by a skeleton path shorter than this are a bridge between ridges. */
  bridgeLength: 12,
  /** Two endings this close and facing each other are one broken ridge. */
  brokenRidgeDistance: 16,
  brokenRidgeAngle: (45 * Math.PI) / 180,
  /** A minutia with more than `clusterSize` others within `clusterRadius` sits in noise. */
  clusterRadius: 12,
  clusterSize: 2,
  /** Skeleton length traced from a minutia to find its direction. */
  directionTraceLength: 16,
  /** Orientation coherence below this is unreadable ridge flow (smudge, scar). */
  minCoherence: 0.35,
  /** At most this many minutiae are kept, best quality first (the card format holds 255). */
  maxMinutiae: 120,
} as const;

/** When an image is refused as a capture and what the taxpayer is asked to do. */
export const CAPTURE_LIMITS = {
  /**
   * Finger contact below this area (mm²) is too small to verify: about 8 × 8 mm. The kiosk's
   * 500 dpi area sensor shows 150–250 mm² of a finger placed normally; the smallest area sensors
   * libfprint drives show 60–100 mm², which a 1:1 decision can still use.
   */
  minContactAreaMm2: 60,
  /** Blocks with a measurable ridge wave below this: no ridges to read at all. */
  minPeriodBlocks: 6,
  /** Mean grey of the contact area: darker means a wet or pressed finger, lighter a dry one. */
  maxMeanGrey: 215,
  minMeanGrey: 55,
  /** Ridge/valley contrast (standard deviation of grey in the contact area) below this is faint. */
  minContrast: 14,
  /** Share of the contact area with readable ridge flow; below it the print is smudged. */
  minReadableShare: 0.42,
  /** Fewer minutiae than this cannot support a decision. */
  minMinutiae: 8,
  /** More minutiae per square millimetre of contact than a real finger has (≈ 0.3): noise. */
  maxMinutiaeDensityPerMm2: 0.55,
} as const;
