/**
 * Rendered master fingers, SFinGe-style (Cappelli, Maio & Maltoni): a fingerprint class is
 * chosen (arch, loops, whorl) and gives the ridge orientation field through the zero-pole model
 * of Sherlock & Monro; the ridge period varies slowly around 9 px (500 dpi). Starting from
 * random seeds, the ridge pattern is grown by filtering the image again and again with Gabor
 * filters tuned to the local orientation and period and clipping the result: ridges spread from
 * the seeds, and minutiae appear where growing ridge fronts meet, as on a finger.
 *
 * The ground-truth minutiae are read from the clean master (which has no noise) by
 * ./ground-truth.ts: from the drawn ridges and valleys, placed and oriented as ISO/IEC
 * 19794-2:2011 and INCITS 378 define it, with none of the extractor's own code.
 *
 * Deterministic from the seed; test-only code.
 */
import { createRng, type Rng } from '../../../device/sim/finger-synth.ts';
import type { Minutia } from '../../../device/domain/finger-template.ts';
import { groundTruthMinutiae } from './ground-truth.ts';

export const RENDER_WIDTH = 400;
export const RENDER_HEIGHT = 500;
export const RENDER_DPI = 500;
export const FINGER_CENTER_X = RENDER_WIDTH / 2;
export const FINGER_CENTER_Y = RENDER_HEIGHT / 2;
/** Half-axes of the fingertip's ellipse, px (about 17 × 22 mm). */
export const FINGER_RX = 170;
export const FINGER_RY = 220;

const GROWTH_SCALE = 2;
const GROWTH_ITERATIONS = 20;
const GROWTH_GAIN = 1.2;
/**
 * Seeds per growth pixel: fewer seeds, fewer fronts meeting, fewer minutiae. At 0.003 a master
 * has about 0.16 minutiae per mm², as libfprint's mindtct finds on the real egis0570 capture
 * (0.01 gave 0.32, twice a real finger's, and impostor pairs that matched far too easily).
 */
const SEED_DENSITY = 0.003;
const KERNEL_RADIUS = 3;
const KERNEL_SIGMA = 1.8;
const ORIENTATION_STEPS = 32;

interface Singularity {
  x: number;
  y: number;
  sign: 1 | -1;
}

export interface MasterPrint {
  seed: string;
  width: number;
  height: number;
  /** Ridge pattern, −1 valley … +1 ridge; 0 outside the finger. */
  ridges: Float32Array;
  /** Ridge direction per pixel (image axes, mod π). */
  orientation: Float32Array;
  /** Ground truth in the master's frame. */
  minutiae: Minutia[];
}

function singularities(rng: Rng): Singularity[] {
  const j = (v: number, s: number): number => v + rng.normal() * s;
  const cx = FINGER_CENTER_X,
    cy = FINGER_CENTER_Y;
  switch (rng.int(0, 4)) {
    case 0:
      return [
        { x: j(cx, 20), y: j(cy - 30, 20), sign: 1 },
        { x: j(cx - 100, 20), y: j(cy + 130, 20), sign: -1 },
      ];
    case 1:
      return [
        { x: j(cx, 20), y: j(cy - 30, 20), sign: 1 },
        { x: j(cx + 100, 20), y: j(cy + 130, 20), sign: -1 },
      ];
    case 2:
      return [
        { x: j(cx - 15, 10), y: j(cy - 35, 10), sign: 1 },
        { x: j(cx + 15, 10), y: j(cy + 5, 10), sign: 1 },
        { x: j(cx - 130, 20), y: j(cy + 140, 20), sign: -1 },
        { x: j(cx + 130, 20), y: j(cy + 140, 20), sign: -1 },
      ];
    case 3:
      return [
        { x: j(cx, 15), y: j(cy - 10, 15), sign: 1 },
        { x: j(cx, 15), y: j(cy + 60, 15), sign: -1 },
      ];
    default:
      return []; // plain arch: no singularity, the bending below gives the shape
  }
}

export function insideFinger(x: number, y: number, margin = 0): boolean {
  const dx = (x - FINGER_CENTER_X) / (FINGER_RX + margin);
  const dy = (y - FINGER_CENTER_Y) / (FINGER_RY + margin);
  return dx * dx + dy * dy <= 1;
}

/** Gabor kernel across ridges running at orientation step `step` with period `quarterPx / 4` (growth pixels). */
const kernelCache = new Map<number, Float32Array>();
function kernel(step: number, quarterPx: number): Float32Array {
  const key = step * 100 + quarterPx;
  const hit = kernelCache.get(key);
  if (hit) return hit;
  const side = 2 * KERNEL_RADIUS + 1;
  const k = new Float32Array(side * side);
  const a = (step * Math.PI) / ORIENTATION_STEPS;
  const nx = -Math.sin(a),
    ny = Math.cos(a);
  const period = quarterPx / 4;
  for (let dy = -KERNEL_RADIUS; dy <= KERNEL_RADIUS; dy++) {
    for (let dx = -KERNEL_RADIUS; dx <= KERNEL_RADIUS; dx++) {
      const across = dx * nx + dy * ny;
      k[(dy + KERNEL_RADIUS) * side + dx + KERNEL_RADIUS] =
        Math.exp(-(dx * dx + dy * dy) / (2 * KERNEL_SIGMA * KERNEL_SIGMA)) * Math.cos((2 * Math.PI * across) / period);
    }
  }
  kernelCache.set(key, k);
  return k;
}

export function renderMaster(seed: string): MasterPrint {
  const rng = createRng(`render-master:${seed}`);
  const width = RENDER_WIDTH,
    height = RENDER_HEIGHT;
  const sing = singularities(rng);
  const base = rng.normal() * 0.15;
  const archBend = sing.length === 0 ? rng.range(0.4, 0.8) : 0;
  const periodPhase = rng.range(0, 2 * Math.PI);
  const orientationAt = (x: number, y: number): number => {
    // Ridges run across the finger (θ near 0) far from the singularities.
    let o = base + archBend * Math.exp(-((x - FINGER_CENTER_X) ** 2) / 8000) * Math.tanh((FINGER_CENTER_X - x) / 60) * 0.8;
    for (const s of sing) o += (s.sign * Math.atan2(y - s.y, x - s.x)) / 2;
    return ((o % Math.PI) + Math.PI) % Math.PI;
  };
  const periodAt = (x: number, y: number): number => 9.2 + 0.8 * Math.sin(x / 70 + periodPhase) * Math.cos(y / 90);
  // Growth runs at half resolution (a quarter of the work); the result is interpolated back.
  const gw = width / GROWTH_SCALE,
    gh = height / GROWTH_SCALE,
    gn = gw * gh;
  const step = new Uint8Array(gn);
  const halfPeriod = new Uint8Array(gn);
  const inside = new Uint8Array(gn);
  let img = new Float32Array(gn);
  for (let y = 0; y < gh; y++) {
    for (let x = 0; x < gw; x++) {
      const i = y * gw + x;
      const fx = (x + 0.5) * GROWTH_SCALE,
        fy = (y + 0.5) * GROWTH_SCALE;
      step[i] = Math.round((orientationAt(fx, fy) / Math.PI) * ORIENTATION_STEPS) % ORIENTATION_STEPS;
      halfPeriod[i] = Math.round((periodAt(fx, fy) / GROWTH_SCALE) * 4);
      inside[i] = insideFinger(fx, fy, 10) ? 1 : 0;
      if (inside[i] && rng.next() < SEED_DENSITY) img[i] = rng.next() < 0.5 ? -1 : 1;
    }
  }
  const r = KERNEL_RADIUS,
    side = 2 * r + 1;
  for (let it = 0; it < GROWTH_ITERATIONS; it++) {
    const next = new Float32Array(gn);
    for (let y = r; y < gh - r; y++) {
      for (let x = r; x < gw - r; x++) {
        const i = y * gw + x;
        if (!inside[i]) continue;
        const k = kernel(step[i]!, halfPeriod[i]!);
        let s = 0;
        for (let dy = -r; dy <= r; dy++) {
          const row = (y + dy) * gw + x - r;
          const kr = (dy + r) * side;
          for (let dx = 0; dx < side; dx++) s += k[kr + dx]! * img[row + dx]!;
        }
        next[i] = Math.max(-1, Math.min(1, s * GROWTH_GAIN));
      }
    }
    img = next;
  }
  const ridges = new Float32Array(width * height);
  const orientation = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      orientation[i] = orientationAt(x, y);
      if (!insideFinger(x, y)) continue;
      const sx = Math.min(gw - 1.001, Math.max(0, (x + 0.5) / GROWTH_SCALE - 0.5));
      const sy = Math.min(gh - 1.001, Math.max(0, (y + 0.5) / GROWTH_SCALE - 0.5));
      const x0 = Math.floor(sx),
        y0 = Math.floor(sy),
        ax = sx - x0,
        ay = sy - y0;
      const g = (xx: number, yy: number): number => img[yy * gw + xx]!;
      ridges[i] = (g(x0, y0) * (1 - ax) + g(x0 + 1, y0) * ax) * (1 - ay) + (g(x0, y0 + 1) * (1 - ax) + g(x0 + 1, y0 + 1) * ax) * ay;
    }
  }
  const minutiae = groundTruthMinutiae(
    ridges,
    width,
    height,
    (x, y) => insideFinger(x, y),
    (x, y) => insideFinger(x, y, -12),
  );
  return { seed, width, height, ridges, orientation, minutiae };
}
