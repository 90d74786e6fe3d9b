/**
 * Ground-truth minutiae of a rendered master, read from the drawn ridges the way ISO/IEC
 * 19794-2:2011, INCITS 378 and ANSI/NIST-ITL (EFS) place and orient them — and deliberately with
 * none of the extractor's code (its thinning, tracing or direction rules), so that a convention
 * error in one cannot hide in the other:
 *   - both the ridges and the valleys of the drawn pattern are thinned (Guo & Hall's algorithm;
 *     the extractor uses Zhang & Suen's);
 *   - a bifurcation is a fork of the ridge skeleton, a ridge ending a fork of the valley skeleton
 *     (the valley that runs round the ridge's end);
 *   - the direction bisects the smallest of the three angles between the fork's branches
 *     (EFS's "three virtual rays"): down the valley between a bifurcation's two ridges, up the
 *     ridge between a ridge ending's two valleys;
 *   - angles count counter-clockwise from the x axis with y up.
 * Test-only code.
 */
import type { Minutia } from '../../../device/domain/finger-template.ts';

/** Ray length along each branch, px (EFS uses ~1.9 mm; shorter keeps clear of the next minutia). */
const RAY = 14;
/** A branch that ends sooner than this is a thinning spur, not a ridge or valley. */
const SPUR = 5;

// Neighbours clockwise from north: N, NE, E, SE, S, SW, W, NW.
const DX = [0, 1, 1, 1, 0, -1, -1, -1];
const DY = [-1, -1, 0, 1, 1, 1, 0, -1];

/** Guo & Hall (1989) two-subiteration thinning of a binary image (1 = foreground); the frame is cleared. */
export function guoHallThin(binary: Uint8Array, width: number, height: number): Uint8Array {
  const img = Uint8Array.from(binary);
  for (let x = 0; x < width; x++) {
    img[x] = 0;
    img[(height - 1) * width + x] = 0;
  }
  for (let y = 0; y < height; y++) {
    img[y * width] = 0;
    img[y * width + width - 1] = 0;
  }
  const at = (i: number, k: number): number => img[i + DY[k]! * width + DX[k]!]!;
  for (let changed = true; changed;) {
    changed = false;
    for (let pass = 0; pass < 2; pass++) {
      const remove: number[] = [];
      for (let y = 1; y < height - 1; y++) {
        for (let x = 1; x < width - 1; x++) {
          const i = y * width + x;
          if (!img[i]) continue;
          const [p2, p3, p4, p5, p6, p7, p8, p9] = [at(i, 0), at(i, 1), at(i, 2), at(i, 3), at(i, 4), at(i, 5), at(i, 6), at(i, 7)];
          const c = (+!p2 & (p3! | p4!)) + (+!p4 & (p5! | p6!)) + (+!p6 & (p7! | p8!)) + (+!p8 & (p9! | p2!));
          const n1 = (p9! | p2!) + (p3! | p4!) + (p5! | p6!) + (p7! | p8!);
          const n2 = (p2! | p3!) + (p4! | p5!) + (p6! | p7!) + (p8! | p9!);
          const n = Math.min(n1, n2);
          const m = pass === 0 ? (p6! | p7! | +!p9) & p8! : (p2! | p3! | +!p5) & p4!;
          if (c === 1 && n >= 2 && n <= 3 && m === 0) remove.push(i);
        }
      }
      for (const i of remove) img[i] = 0;
      if (remove.length) changed = true;
    }
  }
  return img;
}

/** Number of separate skeleton branches around a pixel (0→1 changes clockwise). */
function branches(img: Uint8Array, width: number, i: number): number {
  let c = 0;
  for (let k = 0; k < 8; k++) if (!img[i + DY[k]! * width + DX[k]!] && img[i + DY[(k + 1) % 8]! * width + DX[(k + 1) % 8]!]) c++;
  return c;
}

/**
 * Walks each branch leaving pixel `i` for RAY px (breadth-first over the skeleton, so a branch is
 * the set of pixels reached through one neighbour) and returns, per branch, its end point and
 * whether it stopped short (a spur).
 */
function rays(img: Uint8Array, width: number, i: number): Array<{ x: number; y: number; short: boolean }> {
  const x0 = i % width,
    y0 = (i - x0) / width;
  const starts: number[] = [];
  for (let k = 0; k < 8; k++) {
    const j = i + DY[k]! * width + DX[k]!;
    if (img[j] && !img[i + DY[(k + 7) % 8]! * width + DX[(k + 7) % 8]!]) starts.push(j);
  }
  const seen = new Set<number>([i]);
  // Every neighbour of the fork belongs to some branch: claim them all first so walks do not cross.
  for (let k = 0; k < 8; k++) {
    const j = i + DY[k]! * width + DX[k]!;
    if (img[j]) seen.add(j);
  }
  return starts.map((start) => {
    let frontier = [start];
    let last = start;
    for (let step = 1; step < RAY && frontier.length; step++) {
      const next: number[] = [];
      for (const p of frontier) {
        for (let k = 0; k < 8; k++) {
          const q = p + DY[k]! * width + DX[k]!;
          if (!img[q] || seen.has(q)) continue;
          seen.add(q);
          next.push(q);
        }
      }
      if (next.length) last = next[0]!;
      frontier = next;
    }
    const lx = last % width,
      ly = (last - lx) / width;
    return { x: lx, y: ly, short: Math.hypot(lx - x0, ly - y0) < SPUR };
  });
}

/** ISO direction (counter-clockwise, y up) of the bisector of the smallest angle between three rays. */
function bisector(x: number, y: number, ends: Array<{ x: number; y: number }>): number {
  const dirs = ends.map((e) => Math.atan2(-(e.y - y), e.x - x));
  let best = 0,
    smallest = Infinity;
  for (let a = 0; a < 3; a++) {
    const b = (a + 1) % 3;
    let d = Math.abs(dirs[a]! - dirs[b]!) % (2 * Math.PI);
    if (d > Math.PI) d = 2 * Math.PI - d;
    if (d < smallest) {
      smallest = d;
      best = a;
    }
  }
  const a = dirs[best]!,
    b = dirs[(best + 1) % 3]!;
  const angle = Math.atan2(Math.sin(a) + Math.sin(b), Math.cos(a) + Math.cos(b));
  return (angle + 2 * Math.PI) % (2 * Math.PI);
}

/** Forks of a skeleton, as minutiae of the given type, inside `keep`. */
function forks(
  skeleton: Uint8Array,
  width: number,
  height: number,
  type: Minutia['type'],
  keep: (x: number, y: number) => boolean,
): Minutia[] {
  const found: Minutia[] = [];
  for (let y = 2; y < height - 2; y++) {
    for (let x = 2; x < width - 2; x++) {
      const i = y * width + x;
      if (!skeleton[i] || branches(skeleton, width, i) !== 3 || !keep(x, y)) continue;
      const ends = rays(skeleton, width, i);
      if (ends.length !== 3 || ends.some((e) => e.short)) continue;
      found.push({ x, y, angle: bisector(x, y, ends), type, quality: 100 });
    }
  }
  return found;
}

/**
 * The minutiae of a drawn ridge pattern (−1 valley … +1 ridge, 0 outside the finger), kept where
 * `keep` says the pattern is reliable (away from the finger's edge).
 */
export function groundTruthMinutiae(
  ridges: Float32Array,
  width: number,
  height: number,
  inside: (x: number, y: number) => boolean,
  keep: (x: number, y: number) => boolean,
): Minutia[] {
  const ridge = new Uint8Array(width * height);
  const valley = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!inside(x, y)) continue;
      if (ridges[i]! > 0) ridge[i] = 1;
      else valley[i] = 1;
    }
  }
  const found = [
    ...forks(guoHallThin(ridge, width, height), width, height, 'bifurcation', keep),
    ...forks(guoHallThin(valley, width, height), width, height, 'ending', keep),
  ];
  // One feature thinned into two neighbouring forks counts once.
  return found.filter((m, k) => !found.some((o, j) => j < k && Math.hypot(o.x - m.x, o.y - m.y) < 4));
}
