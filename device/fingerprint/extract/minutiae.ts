/**
 * Stages 8 and 9: minutiae by crossing number on the skeleton, their direction, and the removal
 * of the spurious ones that thinning a real print produces.
 *
 * Direction, ISO/IEC 19794-2:2011 / INCITS 378 convention (docs/fingerprint.md): counter-clockwise
 * from the x axis with y pointing up; a ridge ending points up its ridge (into the ridge, away
 * from the valley that continues beyond it); a bifurcation points from the fork down the valley
 * between its two branches (away from its stem). The traced direction picks the sense; the
 * (smoothed, more precise) orientation field gives the angle.
 */
import type { MinutiaType } from '../../domain/finger-template.ts';
import { cellOf, type OrientationField } from './orientation.ts';
import { PARAMETERS } from './parameters.ts';
import { branchStarts, crossingNumber, neighbourOffsets, traceLine, type Skeleton } from './skeleton.ts';

export interface Candidate {
  x: number;
  y: number;
  /** Image axes (y down), radians. */
  direction: number;
  type: Exclude<MinutiaType, 'other'>;
  index: number;
}

function angleDistance(a: number, b: number): number {
  let d = Math.abs(a - b) % (2 * Math.PI);
  if (d > Math.PI) d = 2 * Math.PI - d;
  return d;
}

/** The field's ridge direction (mod π) turned to the sense the trace gave. */
function refine(traced: number, fieldAngle: number): number {
  return angleDistance(traced, fieldAngle) <= Math.PI / 2 ? fieldAngle : fieldAngle + Math.PI;
}

export function detectMinutiae(skeleton: Skeleton, field: OrientationField, distanceToEdge: Float32Array): Candidate[] {
  const { data, width, height } = skeleton;
  const offsets = neighbourOffsets(width);
  const found: Candidate[] = [];
  const vector = (from: number, to: number): number => {
    const fx = from % width,
      fy = (from - fx) / width;
    const tx = to % width,
      ty = (to - tx) / width;
    return Math.atan2(ty - fy, tx - fx);
  };
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      if (!data[i]) continue;
      if (distanceToEdge[i]! < PARAMETERS.borderDistance) continue;
      const cell = cellOf(field, x, y);
      if (field.coherence[cell]! < PARAMETERS.minCoherence) continue;
      const cn = crossingNumber(data, i, offsets);
      if (cn === 1) {
        const [first] = branchStarts(data, i, offsets);
        if (first === undefined) continue;
        const t = traceLine(skeleton, i, first, PARAMETERS.directionTraceLength);
        found.push({ x, y, direction: refine(vector(i, t.end), field.angle[cell]!), type: 'ending', index: i });
      } else if (cn === 3) {
        const branches = branchStarts(data, i, offsets).map((b) =>
          vector(i, traceLine(skeleton, i, b, PARAMETERS.directionTraceLength).end),
        );
        if (branches.length !== 3) continue;
        // The two fork branches run close together; the stem is the odd one out, and the
        // minutia points the other way, between the branches.
        let stem = 0,
          widest = -1;
        for (let k = 0; k < 3; k++) {
          const spread = angleDistance(branches[k]!, branches[(k + 1) % 3]!) + angleDistance(branches[k]!, branches[(k + 2) % 3]!);
          if (spread > widest) {
            widest = spread;
            stem = k;
          }
        }
        found.push({ x, y, direction: refine(branches[stem]! + Math.PI, field.angle[cell]!), type: 'bifurcation', index: i });
      }
    }
  }
  return found;
}

/**
 * Removes, in order: spurs and short fragments (an ending whose ridge meets another minutia
 * within spurLength), bridges (two bifurcations joined by a short path), broken ridges (two
 * endings close together and facing each other), and clusters (minutiae crowded in noise).
 */
export function removeSpurious(candidates: Candidate[], skeleton: Skeleton): Candidate[] {
  const { data, width } = skeleton;
  const offsets = neighbourOffsets(width);
  const byIndex = new Map<number, number>();
  candidates.forEach((c, k) => byIndex.set(c.index, k));
  const removed = new Uint8Array(candidates.length);
  const dropNear = (pixel: number): void => {
    // The walk stops on the first pixel of the other minutia's neighbourhood; look around it.
    for (let k = -1; k < 8; k++) {
      const j = k < 0 ? pixel : pixel + offsets[k]!;
      const other = byIndex.get(j);
      if (other !== undefined) removed[other] = 1;
    }
  };
  candidates.forEach((c, k) => {
    if (c.type === 'ending') {
      const [first] = branchStarts(data, c.index, offsets);
      if (first === undefined) return;
      const t = traceLine(skeleton, c.index, first, PARAMETERS.spurLength);
      if (t.hitMinutia) {
        removed[k] = 1;
        dropNear(t.end);
      }
    } else {
      for (const b of branchStarts(data, c.index, offsets)) {
        const t = traceLine(skeleton, c.index, b, PARAMETERS.bridgeLength);
        if (!t.hitMinutia) continue;
        const x = t.end % width,
          y = (t.end - x) / width;
        if (crossingNumber(data, t.end, offsets) >= 3 || Math.hypot(x - c.x, y - c.y) > 1.5) {
          removed[k] = 1;
          dropNear(t.end);
        }
      }
    }
  });
  const endings = candidates.map((c, k) => k).filter((k) => candidates[k]!.type === 'ending');
  for (const a of endings) {
    for (const b of endings) {
      if (b <= a) continue;
      const p = candidates[a]!,
        q = candidates[b]!;
      const d = Math.hypot(q.x - p.x, q.y - p.y);
      if (d > PARAMETERS.brokenRidgeDistance) continue;
      if (angleDistance(p.direction, q.direction + Math.PI) > PARAMETERS.brokenRidgeAngle) continue;
      // Facing: the gap runs against p's direction (an ending points up its own ridge, away from the gap).
      if (d > 3 && angleDistance(Math.atan2(q.y - p.y, q.x - p.x), p.direction + Math.PI) > PARAMETERS.brokenRidgeAngle) continue;
      removed[a] = 1;
      removed[b] = 1;
    }
  }
  const kept = candidates.filter((_, k) => !removed[k]);
  const r2 = PARAMETERS.clusterRadius * PARAMETERS.clusterRadius;
  return kept.filter((c) => kept.filter((o) => o !== c && (o.x - c.x) ** 2 + (o.y - c.y) ** 2 < r2).length <= PARAMETERS.clusterSize);
}
