/**
 * Synthetic fingers: master fingers (the minutiae of one real-looking finger) and impressions of
 * them (what a sensor or an enrolment station would extract from one touch). Everything is
 * driven by a seeded PRNG, so the benchmark's evaluation set and the demo personas' fingers are
 * the same on every run and never stored as files.
 *
 * A master's minutiae follow a ridge-orientation field built from core and delta singularities
 * (the zero-pole model of Sherlock and Monro), so neighbouring minutiae point alike as on a real
 * finger; that makes impostor pairs harder than uniformly random angles would. An impression
 * moves the finger (rotation, translation), bends the skin with a smooth displacement field,
 * crops to the sensor window, loses some minutiae, adds spurious ones and jitters the rest.
 */
import type { FingerTemplate, Minutia, MinutiaType } from '../domain/finger-template.ts';

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number;
  /** Uniform integer in [lo, hi]. */
  int(lo: number, hi: number): number;
  /** Standard normal. */
  normal(): number;
}

/** sfc32 seeded through FNV-1a + splitmix32: small, fast and good enough for test data. */
export function createRng(seed: string | number): Rng {
  let h = 0x811c9dc5;
  for (const ch of String(seed)) {
    h ^= ch.codePointAt(0) as number;
    h = Math.imul(h, 0x01000193);
  }
  const splitmix = (): number => {
    h = (h + 0x9e3779b9) | 0;
    let z = h;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return {
    next,
    range: (lo, hi) => lo + (hi - lo) * next(),
    int: (lo, hi) => lo + Math.floor((hi - lo + 1) * next()),
    normal: () => {
      const u = 1 - next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
    },
  };
}

/** Sensor window of the synthetic set: 400 × 500 px at 500 dpi (20.3 × 25.4 mm). */
export const SYNTH_WIDTH = 400;
export const SYNTH_HEIGHT = 500;
export const SYNTH_DPI = 500;

interface Singularity {
  x: number;
  y: number;
  /** +1 core, -1 delta. */
  sign: 1 | -1;
}

export interface MasterFinger {
  minutiae: Minutia[];
  singularities: Singularity[];
  baseOrientation: number;
}

/** Ridge orientation (mod π) at a point, from the zero-pole model. */
export function ridgeOrientation(master: MasterFinger, x: number, y: number): number {
  let o = master.baseOrientation;
  for (const s of master.singularities) o += (s.sign * Math.atan2(y - s.y, x - s.x)) / 2;
  return o;
}

const CENTER_X = SYNTH_WIDTH / 2;
const CENTER_Y = SYNTH_HEIGHT / 2;
const FINGER_RX = 165;
const FINGER_RY = 215;
const MIN_MINUTIA_DISTANCE = 13;

function insideFinger(x: number, y: number): boolean {
  const dx = (x - CENTER_X) / FINGER_RX;
  const dy = (y - CENTER_Y) / FINGER_RY;
  return dx * dx + dy * dy <= 1;
}

function patternSingularities(rng: Rng): Singularity[] {
  const jitter = (v: number, s: number): number => v + rng.normal() * s;
  const kind = rng.int(0, 3);
  switch (kind) {
    case 0: // left or right loop: one core above one delta, offset sideways
    case 1: {
      const side = kind === 0 ? -1 : 1;
      return [
        { x: jitter(CENTER_X, 25), y: jitter(CENTER_Y - 40, 25), sign: 1 },
        { x: jitter(CENTER_X + side * 110, 25), y: jitter(CENTER_Y + 120, 25), sign: -1 },
      ];
    }
    case 2: // whorl: two cores, two deltas
      return [
        { x: jitter(CENTER_X - 20, 15), y: jitter(CENTER_Y - 30, 15), sign: 1 },
        { x: jitter(CENTER_X + 20, 15), y: jitter(CENTER_Y + 10, 15), sign: 1 },
        { x: jitter(CENTER_X - 140, 25), y: jitter(CENTER_Y + 140, 25), sign: -1 },
        { x: jitter(CENTER_X + 140, 25), y: jitter(CENTER_Y + 140, 25), sign: -1 },
      ];
    default: // tented arch: core and delta close together
      return [
        { x: jitter(CENTER_X, 20), y: jitter(CENTER_Y, 20), sign: 1 },
        { x: jitter(CENTER_X, 20), y: jitter(CENTER_Y + 60, 20), sign: -1 },
      ];
  }
}

function minutiaType(rng: Rng): MinutiaType {
  const r = rng.next();
  return r < 0.55 ? 'ending' : r < 0.95 ? 'bifurcation' : 'other';
}

/** A master finger with 25–70 minutiae, deterministic from the seed. */
export function createMaster(seed: string | number): MasterFinger {
  const rng = createRng(`master:${seed}`);
  const master: MasterFinger = {
    minutiae: [],
    singularities: patternSingularities(rng),
    baseOrientation: rng.normal() * 0.15,
  };
  const count = rng.int(25, 70);
  let attempts = 0;
  while (master.minutiae.length < count && attempts++ < 20000) {
    const x = rng.range(CENTER_X - FINGER_RX, CENTER_X + FINGER_RX);
    const y = rng.range(CENTER_Y - FINGER_RY, CENTER_Y + FINGER_RY);
    if (!insideFinger(x, y)) continue;
    if (master.minutiae.some((m) => Math.hypot(m.x - x, m.y - y) < MIN_MINUTIA_DISTANCE)) continue;
    const flow = ridgeOrientation(master, x, y) + (rng.next() < 0.5 ? 0 : Math.PI);
    master.minutiae.push({
      x,
      y,
      angle: normalizeAngle(flow + rng.normal() * 0.1),
      type: minutiaType(rng),
      quality: rng.int(40, 100),
    });
  }
  return master;
}

/** How one touch of a finger differs from the master. Ranges are drawn uniformly per impression. */
export interface ImpressionProfile {
  rotationDeg: number;
  translationPx: number;
  /** Peak displacement of the skin-distortion field, px. */
  distortionPx: number;
  missing: [number, number];
  spurious: [number, number];
  positionNoisePx: number;
  angleNoiseDeg: number;
  /** Chance that an ending reads as a bifurcation or back. */
  typeFlip: number;
  quality: [number, number];
}

/** A live touch on the kiosk sensor: the evaluation set of issue 4. */
export const LIVE_PROFILE: ImpressionProfile = {
  rotationDeg: 30,
  translationPx: 50,
  distortionPx: 10,
  missing: [0.1, 0.25],
  spurious: [0.05, 0.15],
  positionNoisePx: 2.5,
  angleNoiseDeg: 6,
  typeFlip: 0.1,
  quality: [55, 95],
};

/** The supervised enrolment capture the card templates were made from. */
export const ENROLMENT_PROFILE: ImpressionProfile = {
  rotationDeg: 10,
  translationPx: 15,
  distortionPx: 5,
  missing: [0.03, 0.08],
  spurious: [0.02, 0.05],
  positionNoisePx: 1.5,
  angleNoiseDeg: 4,
  typeFlip: 0.05,
  quality: [75, 95],
};

/** A worn, dry or scarred finger: most ridge detail gone, what remains is unreliable. */
export const WORN_PROFILE: ImpressionProfile = {
  rotationDeg: 30,
  translationPx: 50,
  distortionPx: 18,
  missing: [0.9, 0.97],
  spurious: [0.6, 1.2],
  positionNoisePx: 15,
  angleNoiseDeg: 45,
  typeFlip: 0.5,
  quality: [5, 35],
};

interface Bump {
  x: number;
  y: number;
  dx: number;
  dy: number;
  sigma: number;
}

/** One impression of the master as a template at 500 dpi in the 400 × 500 px window. */
export function impression(master: MasterFinger, rng: Rng, profile: ImpressionProfile = LIVE_PROFILE, fingerPosition = 0): FingerTemplate {
  const rotation = (rng.range(-1, 1) * (profile.rotationDeg * Math.PI)) / 180;
  const tx = rng.range(-1, 1) * profile.translationPx;
  const ty = rng.range(-1, 1) * profile.translationPx;
  const bumps: Bump[] = Array.from({ length: 3 }, () => {
    const dir = rng.range(0, 2 * Math.PI);
    const size = rng.range(0.3, 1) * profile.distortionPx;
    return { x: rng.range(50, 350), y: rng.range(50, 450), dx: size * Math.cos(dir), dy: size * Math.sin(dir), sigma: rng.range(70, 130) };
  });
  const cos = Math.cos(rotation);
  const sin = Math.sin(rotation);
  // Skin bends first (in finger coordinates), then the whole finger moves on the sensor.
  const place = (x: number, y: number): [number, number] => {
    let px = x;
    let py = y;
    for (const b of bumps) {
      const w = Math.exp(-((x - b.x) ** 2 + (y - b.y) ** 2) / (2 * b.sigma * b.sigma));
      px += b.dx * w;
      py += b.dy * w;
    }
    const rx = px - CENTER_X;
    const ry = py - CENTER_Y;
    // y grows downwards, angles count counter-clockwise: rotate by -rotation in screen terms.
    return [CENTER_X + cos * rx + sin * ry + tx, CENTER_Y - sin * rx + cos * ry + ty];
  };
  const missing = rng.range(profile.missing[0], profile.missing[1]);
  const kept: Minutia[] = [];
  for (const m of master.minutiae) {
    if (rng.next() < missing) continue;
    const [x, y] = place(m.x, m.y);
    // The local direction after distortion: where a point one step along the minutia lands.
    const step = 4;
    const [x2, y2] = place(m.x + step * Math.cos(m.angle), m.y - step * Math.sin(m.angle));
    const angle = Math.atan2(-(y2 - y), x2 - x);
    const flip = rng.next() < profile.typeFlip && m.type !== 'other';
    kept.push({
      x: x + rng.normal() * profile.positionNoisePx,
      y: y + rng.normal() * profile.positionNoisePx,
      angle: normalizeAngle(angle + (rng.normal() * profile.angleNoiseDeg * Math.PI) / 180),
      type: flip ? (m.type === 'ending' ? 'bifurcation' : 'ending') : m.type,
      quality: Math.max(0, Math.min(100, Math.round(m.quality + rng.normal() * 10))),
    });
  }
  const spuriousCount = Math.round(master.minutiae.length * rng.range(profile.spurious[0], profile.spurious[1]));
  for (let i = 0, tries = 0; i < spuriousCount && tries < 1000; tries++) {
    const fx = rng.range(CENTER_X - FINGER_RX, CENTER_X + FINGER_RX);
    const fy = rng.range(CENTER_Y - FINGER_RY, CENTER_Y + FINGER_RY);
    if (!insideFinger(fx, fy)) continue;
    i++;
    const [x, y] = place(fx, fy);
    // Spurious minutiae sit on ridges too, so they follow the flow (rotated with the finger).
    const flow = ridgeOrientation(master, fx, fy) + rotation + (rng.next() < 0.5 ? 0 : Math.PI);
    kept.push({ x, y, angle: normalizeAngle(flow + rng.normal() * 0.3), type: minutiaType(rng), quality: rng.int(10, 60) });
  }
  const inWindow = kept.filter((m) => m.x >= 0 && m.x < SYNTH_WIDTH && m.y >= 0 && m.y < SYNTH_HEIGHT);
  shuffle(inWindow, rng);
  return {
    fingerPosition,
    width: SYNTH_WIDTH,
    height: SYNTH_HEIGHT,
    resolutionDpi: SYNTH_DPI,
    quality: rng.int(profile.quality[0], profile.quality[1]),
    minutiae: inWindow.slice(0, 255),
  };
}

export function normalizeAngle(a: number): number {
  const turn = 2 * Math.PI;
  return ((a % turn) + turn) % turn;
}

function shuffle<T>(items: T[], rng: Rng): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
}
