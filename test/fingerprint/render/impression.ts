/**
 * One touch of a rendered master finger on a 500 dpi area sensor, with the ground truth of what
 * the touch shows. Per impression, drawn from the seed: rotation and translation, an elastic
 * skin distortion (smooth Gaussian displacement bumps, stronger where the finger is pressed
 * sideways), pressure (ridge width: a light touch shows thin broken ridges, a heavy one thick
 * merged ridges), dryness (white gaps along ridges) or wetness (blur, dark blotches), sensor
 * noise, and partial contact (an elliptical contact patch that may be small or off-centre).
 *
 * Ground truth: the master's minutiae moved by the same transform, kept where the skin touched
 * well inside the contact patch and the window.
 */
import { createRng, type Rng } from '../../../device/sim/finger-synth.ts';
import type { Minutia } from '../../../device/domain/finger-template.ts';
import { FINGER_CENTER_X, FINGER_CENTER_Y, RENDER_DPI, type MasterPrint } from './master.ts';

export interface ImpressionConditions {
  rotationDeg: number;
  translationPx: number;
  /** Peak skin displacement, px. */
  distortionPx: number;
  /** −1 very light … +1 very heavy. */
  pressure: [number, number];
  /** 0 normal … 1 very dry; negative values are wet. */
  dryness: [number, number];
  noise: [number, number];
  /** Half-axes of the contact ellipse as a share of the finger's. */
  contact: [number, number];
}

/** A normal touch at a kiosk: moderate variation, most of the finger in contact. */
export const KIOSK_TOUCH: ImpressionConditions = {
  rotationDeg: 20,
  translationPx: 30,
  distortionPx: 8,
  pressure: [-0.4, 0.4],
  dryness: [-0.3, 0.4],
  noise: [4, 12],
  contact: [0.75, 1],
};

/** A supervised enrolment capture (what card templates were made from). */
export const ENROLMENT_TOUCH: ImpressionConditions = {
  rotationDeg: 8,
  translationPx: 10,
  distortionPx: 4,
  pressure: [-0.15, 0.15],
  dryness: [-0.1, 0.1],
  noise: [3, 6],
  contact: [0.9, 1],
};

export interface RenderedImpression {
  width: number;
  height: number;
  dpi: number;
  /** 8-bit grey, ridges dark on a light background. */
  pixels: Uint8Array;
  /** What a perfect extractor would find in this image (ISO angles, 500 dpi pixels). */
  minutiae: Minutia[];
}

interface Bump {
  x: number;
  y: number;
  dx: number;
  dy: number;
  sigma: number;
}

const CONTACT_EDGE_MARGIN = 14;

export function renderImpression(master: MasterPrint, seed: string, conditions: ImpressionConditions = KIOSK_TOUCH): RenderedImpression {
  const rng = createRng(`render-impression:${master.seed}:${seed}`);
  const { width, height } = master;
  const u = (r: [number, number]): number => rng.range(r[0], r[1]);
  const rotation = (rng.range(-1, 1) * conditions.rotationDeg * Math.PI) / 180;
  const tx = rng.range(-1, 1) * conditions.translationPx;
  const ty = rng.range(-1, 1) * conditions.translationPx;
  const bumps: Bump[] = Array.from({ length: 3 }, () => {
    const dir = rng.range(0, 2 * Math.PI);
    const size = rng.range(0.4, 1) * conditions.distortionPx;
    return {
      x: rng.range(60, width - 60),
      y: rng.range(60, height - 60),
      dx: size * Math.cos(dir),
      dy: size * Math.sin(dir),
      sigma: rng.range(60, 120),
    };
  });
  const pressure = u(conditions.pressure);
  const dryness = u(conditions.dryness);
  const noise = u(conditions.noise);
  const contactRx = u(conditions.contact) * 170;
  const contactRy = u(conditions.contact) * 220;
  const contactCx = FINGER_CENTER_X + tx + rng.range(-1, 1) * (190 - contactRx);
  const contactCy = FINGER_CENTER_Y + ty + rng.range(-1, 1) * (240 - contactRy);
  const cos = Math.cos(rotation),
    sin = Math.sin(rotation);
  const bend = (x: number, y: number): [number, number] => {
    let px = x,
      py = y;
    for (const b of bumps) {
      const w = Math.exp(-((x - b.x) ** 2 + (y - b.y) ** 2) / (2 * b.sigma * b.sigma));
      px += b.dx * w;
      py += b.dy * w;
    }
    return [px, py];
  };
  /** Master → sensor. */
  const place = (x: number, y: number): [number, number] => {
    const [bx, by] = bend(x, y);
    const rx = bx - FINGER_CENTER_X,
      ry = by - FINGER_CENTER_Y;
    return [FINGER_CENTER_X + cos * rx - sin * ry + tx, FINGER_CENTER_Y + sin * rx + cos * ry + ty];
  };
  /** Sensor → master, by fixed-point iteration on the smooth bend. */
  const unplace = (x: number, y: number): [number, number] => {
    const rx = x - FINGER_CENTER_X - tx,
      ry = y - FINGER_CENTER_Y - ty;
    const ux = FINGER_CENTER_X + cos * rx + sin * ry,
      uy = FINGER_CENTER_Y - sin * rx + cos * ry;
    let mx = ux,
      my = uy;
    for (let k = 0; k < 4; k++) {
      const [bx, by] = bend(mx, my);
      mx += ux - bx;
      my += uy - by;
    }
    return [mx, my];
  };
  const contactAt = (x: number, y: number): number => {
    const d = Math.hypot((x - contactCx) / contactRx, (y - contactCy) / contactRy);
    return Math.max(0, Math.min(1, (1 - d) * 12));
  };
  const sample = (x: number, y: number): number => {
    const x0 = Math.floor(x),
      y0 = Math.floor(y);
    if (x0 < 0 || y0 < 0 || x0 >= width - 1 || y0 >= height - 1) return 0;
    const ax = x - x0,
      ay = y - y0,
      r = master.ridges,
      i = y0 * width + x0;
    return (r[i]! * (1 - ax) + r[i + 1]! * ax) * (1 - ay) + (r[i + width]! * (1 - ax) + r[i + width + 1]! * ax) * ay;
  };
  const blotches = lowFrequencyNoise(rng, width, height);
  const ink = new Float32Array(width * height);
  // Pressure moves the level at which skin touches glass: heavier pressure, wider ridges.
  const level = -0.45 * pressure;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const c = contactAt(x, y);
      if (c <= 0) continue;
      const [mx, my] = unplace(x, y);
      let v = sample(mx, my);
      const local = blotches[i]!;
      // Dry skin loses contact in patches along the ridges; wet skin fills valleys in patches.
      if (dryness > 0) v -= dryness * Math.max(0, local) * 2.2;
      else v += -dryness * Math.max(0, local) * 1.6;
      ink[i] = c / (1 + Math.exp(-(v - level) * 6));
    }
  }
  const blurred = dryness < 0 ? blur3(ink, width, height) : blur1(ink, width, height);
  const background = rng.range(215, 240);
  const ridgeGrey = rng.range(25, 70);
  const pixels = new Uint8Array(width * height);
  for (let i = 0; i < pixels.length; i++) {
    const v = background - (background - ridgeGrey) * blurred[i]! + rng.normal() * noise;
    pixels[i] = Math.max(0, Math.min(255, Math.round(v)));
  }
  const minutiae: Minutia[] = [];
  for (const m of master.minutiae) {
    const [x, y] = place(m.x, m.y);
    const d = Math.hypot((x - contactCx) / contactRx, (y - contactCy) / contactRy);
    // Inside the contact patch by a margin, as an extractor cannot see minutiae at its edge.
    if (d > 1 - CONTACT_EDGE_MARGIN / Math.min(contactRx, contactRy)) continue;
    if (x < CONTACT_EDGE_MARGIN || y < CONTACT_EDGE_MARGIN || x >= width - CONTACT_EDGE_MARGIN || y >= height - CONTACT_EDGE_MARGIN)
      continue;
    const [x2, y2] = place(m.x + 4 * Math.cos(m.angle), m.y - 4 * Math.sin(m.angle));
    const angle = Math.atan2(-(y2 - y), x2 - x);
    minutiae.push({ ...m, x, y, angle: (angle + 2 * Math.PI) % (2 * Math.PI) });
  }
  return { width, height, dpi: RENDER_DPI, pixels, minutiae };
}

/** Smooth noise in −1..1 with features about 40 px across: where skin is drier or wetter. */
function lowFrequencyNoise(rng: Rng, width: number, height: number): Float32Array {
  const cell = 40;
  const gw = Math.ceil(width / cell) + 2,
    gh = Math.ceil(height / cell) + 2;
  const grid = Float32Array.from({ length: gw * gh }, () => rng.range(-1, 1));
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const fy = y / cell,
      y0 = Math.floor(fy),
      ay = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = x / cell,
        x0 = Math.floor(fx),
        ax = fx - x0;
      const g = (xx: number, yy: number): number => grid[yy * gw + xx]!;
      const sx = ax * ax * (3 - 2 * ax),
        sy = ay * ay * (3 - 2 * ay);
      out[y * width + x] =
        (g(x0, y0) * (1 - sx) + g(x0 + 1, y0) * sx) * (1 - sy) + (g(x0, y0 + 1) * (1 - sx) + g(x0 + 1, y0 + 1) * sx) * sy;
    }
  }
  return out;
}

function blurRadius(src: Float32Array, width: number, height: number, r: number): Float32Array {
  const out = new Float32Array(src.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let s = 0,
        n = 0;
      for (let dy = -r; dy <= r; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -r; dx <= r; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= width) continue;
          s += src[yy * width + xx]!;
          n++;
        }
      }
      out[y * width + x] = s / n;
    }
  }
  return out;
}

/** The sensor's optics: a slight blur; wet skin smears more. */
const blur1 = (src: Float32Array, w: number, h: number): Float32Array => blurRadius(src, w, h, 1);
const blur3 = (src: Float32Array, w: number, h: number): Float32Array => blurRadius(blurRadius(src, w, h, 1), w, h, 1);
