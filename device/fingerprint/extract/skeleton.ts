/**
 * Stages 6 and 7: binarisation of the enhanced image (ridge where the filter response is
 * positive) and thinning to a one-pixel skeleton (Zhang & Suen's two-subiteration thinning),
 * plus the walk along skeleton lines that the minutiae stages use.
 */
import type { FloatImage, MaskImage } from './image.ts';

export interface Skeleton {
  width: number;
  height: number;
  /** 1 on a ridge centre line. */
  data: Uint8Array;
}

export function binarise(enhanced: FloatImage, mask: MaskImage): Uint8Array {
  const out = new Uint8Array(enhanced.data.length);
  for (let i = 0; i < out.length; i++) out[i] = mask.data[i] && enhanced.data[i]! > 0 ? 1 : 0;
  return out;
}

/** Neighbours clockwise from north: P2..P9 in Zhang & Suen's naming. */
const DX = [0, 1, 1, 1, 0, -1, -1, -1] as const;
const DY = [-1, -1, 0, 1, 1, 1, 0, -1] as const;

/**
 * For each of the 256 neighbourhoods (bit k set when neighbour k is on), whether Zhang & Suen
 * delete the centre in the first (bit 0) and second (bit 1) subiteration.
 */
const DELETABLE = (() => {
  const table = new Uint8Array(256);
  for (let code = 0; code < 256; code++) {
    const p = (k: number): number => (code >> k) & 1;
    let count = 0,
      transitions = 0;
    for (let k = 0; k < 8; k++) {
      count += p(k);
      if (!p(k) && p((k + 1) % 8)) transitions++;
    }
    if (count < 2 || count > 6 || transitions !== 1) continue;
    const [p2, p4, p6, p8] = [p(0), p(2), p(4), p(6)];
    if (!(p2 * p4 * p6) && !(p4 * p6 * p8)) table[code] = (table[code] as number) | 1;
    if (!(p2 * p4 * p8) && !(p2 * p6 * p8)) table[code] = (table[code] as number) | 2;
  }
  return table;
})();

export function thin(binary: Uint8Array, width: number, height: number): Skeleton {
  const img = Uint8Array.from(binary);
  // The frame is cleared so neighbour reads never leave the image.
  for (let x = 0; x < width; x++) {
    img[x] = 0;
    img[(height - 1) * width + x] = 0;
  }
  for (let y = 0; y < height; y++) {
    img[y * width] = 0;
    img[y * width + width - 1] = 0;
  }
  let count0 = 0;
  for (let i = 0; i < img.length; i++) if (img[i]) count0++;
  let candidates = new Int32Array(count0);
  for (let i = 0, c = 0; i < img.length; i++) if (img[i]) candidates[c++] = i;
  const o = DX.map((dx, k) => DY[k]! * width + dx);
  const [o0, o1, o2, o3, o4, o5, o6, o7] = o as [number, number, number, number, number, number, number, number];
  const remove = new Int32Array(count0);
  let changed = true;
  while (changed) {
    changed = false;
    for (let pass = 0; pass < 2; pass++) {
      const bit = pass + 1;
      let removeCount = 0;
      for (let q = 0; q < candidates.length; q++) {
        const i = candidates[q]!;
        if (!img[i]) continue;
        const code =
          img[i + o0]! |
          (img[i + o1]! << 1) |
          (img[i + o2]! << 2) |
          (img[i + o3]! << 3) |
          (img[i + o4]! << 4) |
          (img[i + o5]! << 5) |
          (img[i + o6]! << 6) |
          (img[i + o7]! << 7);
        if (DELETABLE[code]! & bit) remove[removeCount++] = i;
      }
      for (let q = 0; q < removeCount; q++) img[remove[q]!] = 0;
      if (removeCount) changed = true;
    }
    let kept = 0;
    for (let q = 0; q < candidates.length; q++) if (img[candidates[q]!]) candidates[kept++] = candidates[q]!;
    candidates = candidates.subarray(0, kept);
  }
  removeRedundantCorners(img, width, o);
  return { width, height, data: img };
}

/**
 * Zhang–Suen leaves staircase pixels where a line turns a corner; such a pixel has two
 * 4-neighbours at a right angle and would read as a false bifurcation. It goes if removing it
 * keeps the line connected.
 */
function removeRedundantCorners(img: Uint8Array, width: number, offsets: number[]): void {
  for (let i = width; i < img.length - width; i++) {
    if (!img[i]) continue;
    const n = img[i + offsets[0]!]!,
      e = img[i + offsets[2]!]!,
      s = img[i + offsets[4]!]!,
      w = img[i + offsets[6]!]!;
    const corner =
      (n && e && !img[i + offsets[5]!]) ||
      (e && s && !img[i + offsets[7]!]) ||
      (s && w && !img[i + offsets[1]!]) ||
      (w && n && !img[i + offsets[3]!]);
    if (corner && crossingNumber(img, i, offsets) === 1 && neighbourCount(img, i, offsets) === 2) img[i] = 0;
  }
}

export function neighbourCount(img: Uint8Array, i: number, offsets: readonly number[]): number {
  let c = 0;
  for (let k = 0; k < 8; k++) c += img[i + offsets[k]!]!;
  return c;
}

/** Half the number of 0/1 changes around the 8-neighbourhood: 1 ridge ending, 2 line, ≥ 3 bifurcation. */
export function crossingNumber(img: Uint8Array, i: number, offsets: readonly number[]): number {
  let c = 0;
  for (let k = 0; k < 8; k++) c += Math.abs(img[i + offsets[k]!]! - img[i + offsets[(k + 1) % 8]!]!);
  return c / 2;
}

export function neighbourOffsets(width: number): number[] {
  return DX.map((dx, k) => DY[k]! * width + dx);
}

const JUNCTION_RADIUS = 2;

export interface Trace {
  /** Index of the pixel the walk stopped on. */
  end: number;
  length: number;
  /** True when the walk stopped on another minutia (crossing number ≠ 2). */
  hitMinutia: boolean;
}

/** Walks the skeleton from `start` through its neighbour `first` for at most `maxLength` pixels. */
export function traceLine(skeleton: Skeleton, start: number, first: number, maxLength: number): Trace {
  const { data, width } = skeleton;
  const offsets = neighbourOffsets(width);
  const startX = start % width;
  const startY = (start - startX) / width;
  let previous = start;
  let before = start;
  let current = first;
  let length = 1;
  while (length < maxLength) {
    // Pixels right beside a junction read as junctions too: only stop once clear of the start.
    if (length > JUNCTION_RADIUS && crossingNumber(data, current, offsets) !== 2) return { end: current, length, hitMinutia: true };
    let next = -1;
    // 4-neighbours first, so a diagonal shortcut does not skip a pixel of the line; never back
    // next to the start, which would cross into another branch of a bifurcation.
    for (const k of [0, 2, 4, 6, 1, 3, 5, 7]) {
      const j = current + offsets[k]!;
      if (!data[j] || j === previous || j === before) continue;
      const jx = j % width;
      if (Math.abs(jx - startX) <= 1 && Math.abs((j - jx) / width - startY) <= 1) continue;
      next = j;
      break;
    }
    if (next < 0) return { end: current, length, hitMinutia: false };
    before = previous;
    previous = current;
    current = next;
    length++;
  }
  return { end: current, length, hitMinutia: false };
}

/** The first pixel of each separate branch leaving `i` (one per 0→1 change around it). */
export function branchStarts(img: Uint8Array, i: number, offsets: readonly number[]): number[] {
  const starts: number[] = [];
  for (let k = 0; k < 8; k++) {
    if (img[i + offsets[k]!] || !img[i + offsets[(k + 1) % 8]!]) continue;
    // Prefer the run's 4-neighbour when the run is a corner pair.
    const a = (k + 1) % 8;
    const b = (k + 2) % 8;
    const pickB = a % 2 === 1 && img[i + offsets[b]!];
    starts.push(i + offsets[pickB ? b : a]!);
  }
  return starts;
}
