/**
 * Impressions made from a real capture: the one real touch of a finger, moved on a smaller sensor
 * window the way a finger moves between two touches. Genuine pairs are two impressions of one
 * capture; impostor pairs are impressions of two captures (two fingers).
 *
 * Per impression, drawn from the seed: where the finger lies on the window (so two impressions of
 * one finger share only part of it; `impressionSet()` keeps that share, of each impression's finger
 * area, within the model's overlap range),
 * a rotation, an elastic skin distortion, pressure (ridges thickened or thinned by a grey-level
 * minimum or maximum filter, contrast and brightness), optical blur and sensor noise.
 *
 * Two distortion models, so that a figure tuned on one can be checked on the other:
 *   `bumps`   — smooth Gaussian displacement bumps over the finger, Gaussian noise;
 *   `plastic` — the skin-plasticity model of Cappelli, Maio & Maltoni (2001): a rigid contact core,
 *               a transition ring, the rest of the skin dragged by a twist and shift; with
 *               speckle noise and faint row banding, as on swipe and capacitive sensors.
 * Test-only code, deterministic from its seed.
 */
import { createRng, type Rng } from '../../../device/sim/finger-synth.ts';
import type { SensorImage } from '../../../device/fingerprint/extract/index.ts';
import type { RealCapture } from './captures.ts';

export type DistortionModel = 'bumps' | 'plastic';

export interface ImpressionModel {
  distortion: DistortionModel;
  /** Share of each impression's finger area the other impression of a pair shows too. */
  overlap: [number, number];
  rotationDeg: number;
  /** Peak skin displacement, mm. */
  warpMm: number;
  /** −1 light … +1 heavy. */
  pressure: [number, number];
  /** Gaussian blur sigma, mm. */
  blurMm: [number, number];
  /** Noise standard deviation, grey levels. */
  noise: [number, number];
}

/** The impressions: 60–80 % overlap, ±15°, mild elastic warp, blur, noise. */
export const KIOSK_MODEL: ImpressionModel = {
  distortion: 'bumps',
  overlap: [0.6, 0.8],
  rotationDeg: 15,
  warpMm: 0.35,
  pressure: [-0.6, 0.6],
  blurMm: [0, 0.03],
  noise: [2, 10],
};

/** The held-out model: Cappelli's plastic distortion, speckle and banding instead of Gaussian noise. */
export const PLASTIC_MODEL: ImpressionModel = {
  ...KIOSK_MODEL,
  distortion: 'plastic',
  warpMm: 0.45,
};

/** Sensor window as a share of the finger's bounding box: no single touch shows the whole finger. */
const WINDOW_SHARE = 0.86;
const MM_PER_INCH = 25.4;

interface Placement {
  rotation: number;
  /** Window centre in capture pixels (where the window's centre falls on the finger). */
  cx: number;
  cy: number;
}

interface Finger {
  capture: RealCapture;
  mask: Uint8Array;
  box: { x0: number; y0: number; x1: number; y1: number };
  background: number;
  area: number;
}

const fingers = new WeakMap<RealCapture, Finger>();

/**
 * The finger's area in the capture: blocks whose grey levels vary (ridges and valleys), the
 * sensor's empty glass being flat. Deliberately simple and independent of the extractor's own
 * segmentation.
 */
function fingerOf(capture: RealCapture): Finger {
  const hit = fingers.get(capture);
  if (hit) return hit;
  const { width, height, pixels } = capture;
  const b = 8;
  const mask = new Uint8Array(width * height);
  const levels = Array.from(pixels).sort((p, q) => p - q);
  const bw = Math.ceil(width / b),
    bh = Math.ceil(height / b);
  const spread = new Float32Array(bw * bh);
  for (let by = 0; by < bh; by++)
    for (let bx = 0; bx < bw; bx++) {
      let s = 0,
        s2 = 0,
        n = 0;
      for (let y = by * b; y < Math.min(height, by * b + b); y++)
        for (let x = bx * b; x < Math.min(width, bx * b + b); x++) {
          const v = pixels[y * width + x]!;
          s += v;
          s2 += v * v;
          n++;
        }
      spread[by * bw + bx] = Math.sqrt(Math.max(0, s2 / n - (s / n) ** 2));
    }
  // Skin varies a good part as much as the busiest blocks do; empty glass hardly at all. The
  // block map is closed and its holes filled: a faint patch inside the finger is still finger.
  const busiest = Float32Array.from(spread).sort()[Math.floor(spread.length * 0.9)]!;
  const threshold = Math.max(4, 0.3 * busiest);
  let blocks: Uint8Array = Uint8Array.from(spread, (v) => (v >= threshold ? 1 : 0));
  const grow = (src: Uint8Array, value: number): Uint8Array =>
    Uint8Array.from(src, (v, i) => {
      const x = i % bw,
        y = (i - x) / bw;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx,
            yy = y + dy;
          if (xx >= 0 && yy >= 0 && xx < bw && yy < bh && src[yy * bw + xx] === value) return value;
        }
      return v;
    });
  blocks = grow(grow(blocks, 1), 0);
  const outside = new Uint8Array(bw * bh);
  const stack: number[] = [];
  for (let i = 0; i < blocks.length; i++) {
    const x = i % bw,
      y = (i - x) / bw;
    if (!blocks[i] && (x === 0 || y === 0 || x === bw - 1 || y === bh - 1)) {
      outside[i] = 1;
      stack.push(i);
    }
  }
  while (stack.length) {
    const i = stack.pop()!,
      x = i % bw,
      y = (i - x) / bw;
    for (const [xx, yy] of [
      [x - 1, y],
      [x + 1, y],
      [x, y - 1],
      [x, y + 1],
    ] as const) {
      const j = yy * bw + xx;
      if (xx < 0 || yy < 0 || xx >= bw || yy >= bh || blocks[j] || outside[j]) continue;
      outside[j] = 1;
      stack.push(j);
    }
  }
  let x0 = width,
    y0 = height,
    x1 = 0,
    y1 = 0,
    area = 0;
  for (let by = 0; by < height; by += b) {
    for (let bx = 0; bx < width; bx += b) {
      const n = (Math.min(height, by + b) - by) * (Math.min(width, bx + b) - bx);
      if (outside[(by / b) * bw + bx / b]) continue;
      for (let y = by; y < Math.min(height, by + b); y++) for (let x = bx; x < Math.min(width, bx + b); x++) mask[y * width + x] = 1;
      area += n;
      x0 = Math.min(x0, bx);
      y0 = Math.min(y0, by);
      x1 = Math.max(x1, bx + b);
      y1 = Math.max(y1, by + b);
    }
  }
  const finger = {
    capture,
    mask,
    box: { x0, y0, x1: Math.min(width, x1), y1: Math.min(height, y1) },
    background: levels[Math.floor(levels.length * 0.97)]!,
    area,
  };
  fingers.set(capture, finger);
  return finger;
}

function windowSize(f: Finger): [number, number] {
  return [Math.round((f.box.x1 - f.box.x0) * WINDOW_SHARE), Math.round((f.box.y1 - f.box.y0) * WINDOW_SHARE)];
}

function place(f: Finger, rng: Rng, model: ImpressionModel): Placement {
  const { x0, y0, x1, y1 } = f.box;
  const [w, h] = windowSize(f);
  const slackX = (x1 - x0 - w) / 2 + 0.12 * w,
    slackY = (y1 - y0 - h) / 2 + 0.12 * h;
  return {
    rotation: (rng.range(-1, 1) * model.rotationDeg * Math.PI) / 180,
    cx: (x0 + x1) / 2 + rng.range(-1, 1) * slackX,
    cy: (y0 + y1) / 2 + rng.range(-1, 1) * slackY,
  };
}

/** Window pixel → capture pixel, before the skin distortion. */
function toCapture(p: Placement, w: number, h: number, x: number, y: number): [number, number] {
  const dx = x - w / 2,
    dy = y - h / 2;
  const c = Math.cos(p.rotation),
    s = Math.sin(p.rotation);
  return [p.cx + c * dx - s * dy, p.cy + s * dx + c * dy];
}

/** Finger pixels the window shows: capture pixel indices, sampled every 4 px. */
function visible(f: Finger, p: Placement): Int32Array {
  const [w, h] = windowSize(f);
  const { width, height } = f.capture;
  const seen: number[] = [];
  for (let y = 0; y < h; y += 4)
    for (let x = 0; x < w; x += 4) {
      const [u, v] = toCapture(p, w, h, x, y);
      const ui = Math.round(u / 4) * 4,
        vi = Math.round(v / 4) * 4;
      if (ui < 0 || vi < 0 || ui >= width || vi >= height || !f.mask[vi * width + ui]) continue;
      seen.push(vi * width + ui);
    }
  return Int32Array.from(seen);
}

/**
 * Share of each impression's finger area that the other impression shows too: [of a, of b]. Both
 * count: a touch far off its reference's centre can show all of a small reference's finger and
 * still share only half of its own.
 */
function overlapOf(f: Finger, a: Placement, b: Placement): [number, number] {
  const va = visible(f, a),
    vb = visible(f, b);
  const marks = new Uint8Array(f.capture.width * f.capture.height);
  for (const i of va) marks[i] = 1;
  let both = 0;
  for (const i of vb)
    if (marks[i] === 1) {
      both++;
      marks[i] = 2;
    }
  return [both / Math.max(1, va.length), both / Math.max(1, vb.length)];
}

const within = (shares: readonly number[], [lo, hi]: readonly [number, number]): boolean => shares.every((s) => s >= lo && s <= hi);

type Displacement = (x: number, y: number) => [number, number];

/** Smooth skin displacement in capture pixels, at a window pixel. */
function distortion(rng: Rng, model: ImpressionModel, w: number, h: number, pxPerMm: number): Displacement {
  const peak = model.warpMm * pxPerMm;
  if (model.distortion === 'bumps') {
    const bumps = Array.from({ length: 3 }, () => {
      const dir = rng.range(0, 2 * Math.PI),
        size = rng.range(0.4, 1) * peak;
      return {
        x: rng.range(0, w),
        y: rng.range(0, h),
        dx: size * Math.cos(dir),
        dy: size * Math.sin(dir),
        sigma: rng.range(0.25, 0.5) * Math.min(w, h),
      };
    });
    return (x, y) => {
      let dx = 0,
        dy = 0;
      for (const b of bumps) {
        const g = Math.exp(-((x - b.x) ** 2 + (y - b.y) ** 2) / (2 * b.sigma * b.sigma));
        dx += b.dx * g;
        dy += b.dy * g;
      }
      return [dx, dy];
    };
  }
  // Cappelli et al.: inside radius r the skin sticks to the glass; beyond r + k it follows the
  // finger's own twist and shift; in between the two blend smoothly.
  const cx = rng.range(0.35, 0.65) * w,
    cy = rng.range(0.35, 0.65) * h;
  const r = rng.range(0.15, 0.3) * Math.min(w, h),
    k = rng.range(0.3, 0.5) * Math.min(w, h);
  const twist = ((rng.range(-1, 1) * peak) / Math.min(w, h)) * 2;
  const dir = rng.range(0, 2 * Math.PI),
    shift = rng.range(0.5, 1) * peak;
  return (x, y) => {
    const d = Math.hypot(x - cx, y - cy);
    const t = d <= r ? 0 : d >= r + k ? 1 : (1 - Math.cos((Math.PI * (d - r)) / k)) / 2;
    const rx = x - cx,
      ry = y - cy;
    return [t * (shift * Math.cos(dir) - twist * ry), t * (shift * Math.sin(dir) + twist * rx)];
  };
}

function sample(f: Finger, u: number, v: number): number {
  const { width, height, pixels } = f.capture;
  const x0 = Math.floor(u),
    y0 = Math.floor(v);
  if (x0 < 0 || y0 < 0 || x0 >= width - 1 || y0 >= height - 1) return f.background;
  const ax = u - x0,
    ay = v - y0,
    i = y0 * width + x0;
  if (!f.mask[i]) return f.background;
  return (pixels[i]! * (1 - ax) + pixels[i + 1]! * ax) * (1 - ay) + (pixels[i + width]! * (1 - ax) + pixels[i + width + 1]! * ax) * ay;
}

function boxFilter3(src: Float32Array, w: number, h: number, pick: (a: number, b: number) => number): Float32Array {
  const out = new Float32Array(src.length);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let v = src[y * w + x]!;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx,
            yy = y + dy;
          if (xx >= 0 && yy >= 0 && xx < w && yy < h) v = pick(v, src[yy * w + xx]!);
        }
      out[y * w + x] = v;
    }
  return out;
}

function gaussianBlur(src: Float32Array, w: number, h: number, sigma: number): Float32Array {
  if (sigma < 0.3) return src;
  const r = Math.ceil(2.5 * sigma);
  const k = Array.from({ length: 2 * r + 1 }, (_, i) => Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)));
  const sum = k.reduce((a, b) => a + b, 0);
  const tmp = new Float32Array(src.length),
    out = new Float32Array(src.length);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let i = -r; i <= r; i++) s += k[i + r]! * src[y * w + Math.min(w - 1, Math.max(0, x + i))]!;
      tmp[y * w + x] = s / sum;
    }
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let i = -r; i <= r; i++) s += k[i + r]! * tmp[Math.min(h - 1, Math.max(0, y + i)) * w + x]!;
      out[y * w + x] = s / sum;
    }
  return out;
}

function render(f: Finger, p: Placement, rng: Rng, model: ImpressionModel): SensorImage {
  const [w, h] = windowSize(f);
  const pxPerMm = f.capture.dpi / MM_PER_INCH;
  const warp = distortion(rng, model, w, h, pxPerMm);
  let img: Float32Array = new Float32Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const [dx, dy] = warp(x, y);
      const [u, v] = toCapture(p, w, h, x + dx, y + dy);
      img[y * w + x] = sample(f, u, v);
    }
  // Pressure: a heavy touch spreads the dark ridges (grey minimum), a light one narrows them.
  const pressure = rng.range(model.pressure[0], model.pressure[1]);
  const spread = boxFilter3(img, w, h, pressure > 0 ? Math.min : Math.max);
  const weight = Math.min(1, Math.abs(pressure));
  for (let i = 0; i < img.length; i++) img[i] = img[i]! * (1 - weight) + spread[i]! * weight;
  img = gaussianBlur(img, w, h, rng.range(model.blurMm[0], model.blurMm[1]) * pxPerMm);
  // A light touch is paler and flatter, a heavy one darker.
  const gain = 1 + 0.25 * pressure,
    offset = -20 * pressure + rng.range(-10, 10);
  const noise = rng.range(model.noise[0], model.noise[1]);
  const bands = model.distortion === 'plastic' ? Array.from({ length: h }, () => rng.normal() * noise * 0.4) : null;
  const pixels = new Uint8Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      let v = f.background + (img[i]! - f.background) * gain + offset;
      if (bands) v += bands[y]! + (rng.next() < 0.01 ? rng.range(-80, 80) : rng.normal() * noise * 0.6);
      else v += rng.normal() * noise;
      pixels[i] = Math.max(0, Math.min(255, Math.round(v)));
    }
  return { width: w, height: h, pixels, dpi: f.capture.dpi };
}

export interface ImpressionSet {
  reference: SensorImage;
  /** Touches of the same finger, each sharing the model's overlap range with the reference. */
  probes: SensorImage[];
  /** Per probe, the share of the reference's and of the probe's finger area both show (see overlapOf). */
  overlaps: Array<[number, number]>;
}

/** Placements drawn per touch before the reference is drawn again; references drawn before giving up. */
const PROBE_DRAWS = 200;
const REFERENCE_DRAWS = 50;

/**
 * A reference impression and `tries` probe impressions of one real capture, each probe sharing
 * the model's overlap range of its own finger area and of the reference's. Placements are drawn
 * until they do; when a reference leaves no such touch (a window on the finger's edge, or a finger
 * hardly larger than the window), the reference is drawn again. A set outside the range is never
 * made: after REFERENCE_DRAWS references the generator throws.
 */
export function impressionSet(capture: RealCapture, seed: string, tries: number, model: ImpressionModel = KIOSK_MODEL): ImpressionSet {
  const rng = createRng(`real-impression:${capture.name}:${model.distortion}:${seed}`);
  const f = fingerOf(capture);
  for (let r = 0; r < REFERENCE_DRAWS; r++) {
    const reference = place(f, rng, model);
    const placements: Placement[] = [];
    const overlaps: Array<[number, number]> = [];
    for (let t = 0; t < tries; t++) {
      for (let k = 0; k < PROBE_DRAWS; k++) {
        const probe = place(f, rng, model),
          overlap = overlapOf(f, reference, probe);
        if (!within(overlap, model.overlap)) continue;
        placements.push(probe);
        overlaps.push(overlap);
        break;
      }
      if (placements.length <= t) break;
    }
    if (placements.length < tries) continue;
    return { reference: render(f, reference, rng, model), probes: placements.map((p) => render(f, p, rng, model)), overlaps };
  }
  throw new Error(`${capture.name}: no reference for seed ${seed} leaves ${tries} touches in the overlap range`);
}

/** One impression of a capture (a probe from another finger, for impostor pairs). */
export function impression(capture: RealCapture, seed: string, model: ImpressionModel = KIOSK_MODEL): SensorImage {
  const rng = createRng(`real-impression-single:${capture.name}:${model.distortion}:${seed}`);
  const f = fingerOf(capture);
  return render(f, place(f, rng, model), rng, model);
}

/** Finger area of a capture in mm² (as the generator's own segmentation sees it). */
export function fingerAreaMm2(capture: RealCapture): number {
  const mmPerPx = MM_PER_INCH / capture.dpi;
  return fingerOf(capture).area * mmPerPx * mmPerPx;
}
