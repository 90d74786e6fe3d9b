/**
 * 1:1 minutiae matcher: how strongly a live probe template and a card reference template look
 * like the same finger. Pure and deterministic; no I/O.
 *
 * The approach follows the pair-table idea of NIST Bozorth3 and SourceAFIS's edge matching, in
 * our own form:
 *  1. Both templates go to one frame: millimetres scaled to 500 dpi pixels, y upwards.
 *  2. Each minutia gets edges to its nearest neighbours. An edge (length, and both minutia
 *     directions relative to the edge) does not change when the finger is rotated or moved,
 *     so edges that agree between the templates are evidence for minutia correspondences.
 *  3. The best-supported edge correspondences become roots. From each, pairs are grown along
 *     neighbouring edges that agree in both templates (length, both relative directions, and a
 *     rotation near the root's), the most similar edge first, as SourceAFIS pairs minutiae:
 *     skin distortion bends an impression as a whole but keeps each neighbourhood's geometry.
 *  4. The evidence is the pairs' mutual consistency, not their number. Every edge between two
 *     pairs is checked again, with tolerances close to bozorth3's; from the best-connected pair a
 *     cluster is grown of pairs that agree with most of the cluster near them. Pairs that fell
 *     together by chance rarely agree with each other. The score counts the cluster's consistent
 *     edges beyond the share chance gives, scaled down when the cluster explains only a part of
 *     the minutiae both templates show in their overlap, more than in proportion (a dense,
 *     noisy template cannot win by offering many candidates).
 * Missing and spurious minutiae only cost score, they never block a match.
 */
import type { FingerMatcherPort, MatchDecision } from '../flow/ports.ts';
import type { FingerTemplate } from '../domain/finger-template.ts';

/**
 * Decision threshold: scores at or above it are the same finger. The kiosk reads its operating
 * point from the config (`fingerprint.threshold`); this is the calibrated default, set by
 * `npm run bench` (test/bench/fingerprint-real.ts) as the lowest score that keeps the false
 * match rate at or below THRESHOLD_FMR on every impostor pool: the synthetic template pool, the
 * impostor pairs made from real captures (calibration set) and rendered fingers through
 * libfprint; the rendered pool sets it. See docs/fingerprint.md for the run behind it.
 */
export const MATCH_THRESHOLD = 3.3;
/** The false match rate per comparison the threshold was set for. */
export const THRESHOLD_FMR = 0.001;

const FRAME_DPI = 500;
const NEIGHBOURS = 8;
/** Edge correspondences that can be roots: length and relative-direction tolerances. */
const EDGE_LENGTH_TOLERANCE = 8;
const EDGE_LENGTH_RELATIVE_TOLERANCE = 0.06;
const EDGE_ANGLE_TOLERANCE = (22 * Math.PI) / 180;
/** Edge correspondences considered as roots, and how many distinct roots are grown from. */
const ROOT_CANDIDATES = 40;
const ROOTS = 12;
/** Two roots closer than this in rotation and translation are the same alignment. */
const SAME_ROTATION = (6 * Math.PI) / 180;
const SAME_TRANSLATION = 12;
const MIN_PAIRS = 3;
/** Growing pairs along neighbouring edges: length (absolute + relative), directions, rotation. */
const GROW_LENGTH = 5;
const GROW_LENGTH_RELATIVE = 0.08;
const GROW_ANGLE = (20 * Math.PI) / 180;
const GROW_ROTATION = (25 * Math.PI) / 180;
/** Edge consistency between two pairs, close to bozorth3's own tolerances (5 %, 11°). */
const CONSISTENT_LENGTH = 2;
const CONSISTENT_LENGTH_RELATIVE = 0.05;
const CONSISTENT_ROTATION = (14 * Math.PI) / 180;
const CONSISTENT_ANGLE = (14 * Math.PI) / 180;
/** Only edges up to this long are compared: over longer spans skin distortion adds up. */
const CONSISTENT_RANGE = 160;
/** A pair joins the cluster when it agrees with this share of the members within range, and at least two. */
const CLUSTER_AGREEMENT = 0.5;
const CLUSTER_MIN_AGREEING = 2;
/**
 * Share of edges between chance pairs that pass the consistency test anyway; the score counts
 * only the consistent edges beyond this share of all the edges compared in the cluster.
 */
const CHANCE_CONSISTENCY = 0.2;
/**
 * The score shrinks when the cluster holds fewer pairs than minutiae shown in the overlap, by
 * the share it explains to the power EXPLAINED_POWER (at least SMALLEST_OVERLAP are assumed, so
 * a tiny overlap cannot score by explaining its three minutiae). Minutiae inside the other
 * template's hull within this margin (px) count as shown. The power is above 1: impostor pairs
 * of rendered fingers of one class, whose ridge flow agrees around the core, gather consistent
 * clusters that explain a third of the overlap or less, where genuine pairs explain more.
 */
const SMALLEST_OVERLAP = 8;
const EXPLAINED_POWER = 1.5;
const HULL_MARGIN = 17;

interface Prepared {
  n: number;
  x: Float64Array;
  y: Float64Array;
  angle: Float64Array;
  /** Edges sorted by length. */
  edgeFrom: Int32Array;
  edgeTo: Int32Array;
  edgeLength: Float64Array;
  edgeDirection: Float64Array;
  edgeFromAngle: Float64Array;
  edgeToAngle: Float64Array;
  hull: Float64Array;
  /** Area of the hull, frame px². */
  area: number;
  /** Per minutia, the edges leaving it. */
  edgesFrom: Int32Array[];
}

/** Smallest absolute difference of two angles, 0..π. */
function angleDistance(a: number, b: number): number {
  let d = Math.abs(a - b) % (2 * Math.PI);
  if (d > Math.PI) d = 2 * Math.PI - d;
  return d;
}

function prepare(t: FingerTemplate): Prepared {
  const n = t.minutiae.length;
  const scale = t.resolutionDpi > 0 ? FRAME_DPI / t.resolutionDpi : 1;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const angle = new Float64Array(n);
  t.minutiae.forEach((m, i) => {
    x[i] = m.x * scale;
    y[i] = -m.y * scale;
    angle[i] = m.angle;
  });
  const k = Math.min(NEIGHBOURS, n - 1);
  const count = Math.max(0, n * k);
  const from = new Int32Array(count);
  const to = new Int32Array(count);
  const length = new Float64Array(count);
  // The k nearest neighbours by insertion into a short sorted list: cheaper than sorting all.
  const nearD = new Float64Array(k + 1);
  const nearJ = new Int32Array(k + 1);
  let e = 0;
  for (let i = 0; i < n; i++) {
    let filled = 0;
    const xi = x[i] as number;
    const yi = y[i] as number;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const dx = (x[j] as number) - xi;
      const dy = (y[j] as number) - yi;
      const d2 = dx * dx + dy * dy;
      if (filled === k && d2 >= (nearD[k - 1] as number)) continue;
      let q = filled < k ? filled++ : k - 1;
      while (q > 0 && (nearD[q - 1] as number) > d2) {
        nearD[q] = nearD[q - 1] as number;
        nearJ[q] = nearJ[q - 1] as number;
        q--;
      }
      nearD[q] = d2;
      nearJ[q] = j;
    }
    for (let q = 0; q < k; q++) {
      from[e] = i;
      to[e] = nearJ[q] as number;
      length[e] = Math.sqrt(nearD[q] as number);
      e++;
    }
  }
  // Sort edges by length: pack (length, index) into one number so the typed-array sort needs no comparator.
  const keys = new Float64Array(count);
  for (let q = 0; q < count; q++) keys[q] = Math.floor((length[q] as number) * 16) * 65536 + q;
  keys.sort();
  const byLength = Array.from(keys, (key) => key % 65536);
  const p: Prepared = {
    n,
    x,
    y,
    angle,
    edgeFrom: new Int32Array(count),
    edgeTo: new Int32Array(count),
    edgeLength: new Float64Array(count),
    edgeDirection: new Float64Array(count),
    edgeFromAngle: new Float64Array(count),
    edgeToAngle: new Float64Array(count),
    hull: convexHull(x, y),
    area: hullArea(x, y),
    edgesFrom: [],
  };
  byLength.forEach((src, dst) => {
    const i = from[src] as number;
    const j = to[src] as number;
    const dir = Math.atan2((y[j] as number) - (y[i] as number), (x[j] as number) - (x[i] as number));
    p.edgeFrom[dst] = i;
    p.edgeTo[dst] = j;
    p.edgeLength[dst] = length[src] as number;
    p.edgeDirection[dst] = dir;
    p.edgeFromAngle[dst] = (angle[i] as number) - dir;
    p.edgeToAngle[dst] = (angle[j] as number) - dir;
  });
  const lists: number[][] = Array.from({ length: n }, () => []);
  for (let e = 0; e < count; e++) lists[p.edgeFrom[e] as number]!.push(e);
  p.edgesFrom = lists.map((l) => Int32Array.from(l));
  return p;
}

/**
 * Convex hull (monotone chain), counter-clockwise, kept as its edge lines: for each edge
 * [nx, ny, c] with nx·x + ny·y + c the signed distance, positive inside.
 */
function convexHull(x: Float64Array, y: Float64Array): Float64Array {
  const idx = Array.from({ length: x.length }, (_, i) => i).sort(
    (a, b) => (x[a] as number) - (x[b] as number) || (y[a] as number) - (y[b] as number),
  );
  if (idx.length < 3) return new Float64Array(0);
  const cross = (o: number, a: number, b: number): number =>
    ((x[a] as number) - (x[o] as number)) * ((y[b] as number) - (y[o] as number)) -
    ((y[a] as number) - (y[o] as number)) * ((x[b] as number) - (x[o] as number));
  const lower: number[] = [];
  for (const i of idx) {
    while (lower.length >= 2 && cross(lower[lower.length - 2] as number, lower[lower.length - 1] as number, i) <= 0) lower.pop();
    lower.push(i);
  }
  const upper: number[] = [];
  for (let q = idx.length - 1; q >= 0; q--) {
    const i = idx[q] as number;
    while (upper.length >= 2 && cross(upper[upper.length - 2] as number, upper[upper.length - 1] as number, i) <= 0) upper.pop();
    upper.push(i);
  }
  const ring = lower.slice(0, -1).concat(upper.slice(0, -1));
  const out = new Float64Array(ring.length * 3);
  ring.forEach((a, q) => {
    const b = ring[(q + 1) % ring.length] as number;
    const ax = x[a] as number;
    const ay = y[a] as number;
    const ex = (x[b] as number) - ax;
    const ey = (y[b] as number) - ay;
    const len = Math.hypot(ex, ey) || 1;
    out[3 * q] = -ey / len;
    out[3 * q + 1] = ex / len;
    out[3 * q + 2] = (ey * ax - ex * ay) / len;
  });
  return out;
}

/** Inside the hull, with `margin` pixels of slack. */
function insideHull(hull: Float64Array, px: number, py: number, margin: number): boolean {
  if (hull.length < 9) return false;
  for (let q = 0; q < hull.length; q += 3) {
    if ((hull[q] as number) * px + (hull[q + 1] as number) * py + (hull[q + 2] as number) < -margin) return false;
  }
  return true;
}

interface Alignment {
  rotation: number;
  tx: number;
  ty: number;
  /** The edge correspondence it came from (probe edge, reference edge), for roots. */
  probeEdge?: number;
  referenceEdge?: number;
}

interface Pairing {
  pairs: number;
  /** Per reference minutia, its probe partner or −1. */
  probeOf: Int32Array;
}

/** Least-squares rigid alignment of the paired probe minutiae onto their reference partners. */
function refit(probe: Prepared, reference: Prepared, probeOf: Int32Array): Alignment | undefined {
  let n = 0;
  let pcx = 0,
    pcy = 0,
    rcx = 0,
    rcy = 0;
  for (let k = 0; k < reference.n; k++) {
    const i = probeOf[k] as number;
    if (i < 0) continue;
    n++;
    pcx += probe.x[i] as number;
    pcy += probe.y[i] as number;
    rcx += reference.x[k] as number;
    rcy += reference.y[k] as number;
  }
  if (n < 2) return undefined;
  pcx /= n;
  pcy /= n;
  rcx /= n;
  rcy /= n;
  let dot = 0;
  let cross = 0;
  for (let k = 0; k < reference.n; k++) {
    const i = probeOf[k] as number;
    if (i < 0) continue;
    const ax = (probe.x[i] as number) - pcx;
    const ay = (probe.y[i] as number) - pcy;
    const bx = (reference.x[k] as number) - rcx;
    const by = (reference.y[k] as number) - rcy;
    dot += ax * bx + ay * by;
    cross += ax * by - ay * bx;
  }
  const rotation = Math.atan2(cross, dot);
  const cos = Math.cos(rotation);
  const sin = Math.sin(rotation);
  return { rotation, tx: rcx - (cos * pcx - sin * pcy), ty: rcy - (sin * pcx + cos * pcy) };
}

/** Root alignments: reference/probe edge pairs that agree, best supported first. */
function rootAlignments(probe: Prepared, reference: Prepared): Alignment[] {
  const nR = reference.n;
  const support = new Float64Array(probe.n * nR);
  const matchP: number[] = [];
  const matchR: number[] = [];
  const matchW: number[] = [];
  const rCount = reference.edgeLength.length;
  let lo = 0;
  for (let p = 0; p < probe.edgeLength.length; p++) {
    const len = probe.edgeLength[p] as number;
    const tol = EDGE_LENGTH_TOLERANCE + EDGE_LENGTH_RELATIVE_TOLERANCE * len;
    while (lo < rCount && (reference.edgeLength[lo] as number) < len - tol) lo++;
    for (let r = lo; r < rCount && (reference.edgeLength[r] as number) <= len + tol; r++) {
      const d1 = angleDistance(probe.edgeFromAngle[p] as number, reference.edgeFromAngle[r] as number);
      if (d1 > EDGE_ANGLE_TOLERANCE) continue;
      const d2 = angleDistance(probe.edgeToAngle[p] as number, reference.edgeToAngle[r] as number);
      if (d2 > EDGE_ANGLE_TOLERANCE) continue;
      const w = 1 - (Math.abs((reference.edgeLength[r] as number) - len) / tol + d1 / EDGE_ANGLE_TOLERANCE + d2 / EDGE_ANGLE_TOLERANCE) / 3;
      const a = (probe.edgeFrom[p] as number) * nR + (reference.edgeFrom[r] as number);
      const b = (probe.edgeTo[p] as number) * nR + (reference.edgeTo[r] as number);
      support[a] = (support[a] as number) + w;
      support[b] = (support[b] as number) + w;
      matchP.push(p);
      matchR.push(r);
      matchW.push(w);
    }
  }
  // Keep the ROOT_CANDIDATES best-ranked edge matches by insertion; there can be hundreds of matches.
  const bestRank: number[] = [];
  const best: number[] = [];
  for (let q = 0; q < matchW.length; q++) {
    const p = matchP[q] as number;
    const r = matchR[q] as number;
    const rank =
      (matchW[q] as number) +
      (support[(probe.edgeFrom[p] as number) * nR + (reference.edgeFrom[r] as number)] as number) +
      (support[(probe.edgeTo[p] as number) * nR + (reference.edgeTo[r] as number)] as number);
    if (best.length === ROOT_CANDIDATES && rank <= (bestRank[ROOT_CANDIDATES - 1] as number)) continue;
    let at = best.length < ROOT_CANDIDATES ? best.length : ROOT_CANDIDATES - 1;
    while (at > 0 && (bestRank[at - 1] as number) < rank) {
      bestRank[at] = bestRank[at - 1] as number;
      best[at] = best[at - 1] as number;
      at--;
    }
    bestRank[at] = rank;
    best[at] = q;
  }
  return best.map((q) => {
    const p = matchP[q] as number;
    const r = matchR[q] as number;
    const rotation = (reference.edgeDirection[r] as number) - (probe.edgeDirection[p] as number);
    const cos = Math.cos(rotation);
    const sin = Math.sin(rotation);
    // Align the probe edge's midpoint onto the reference edge's midpoint.
    const pi = probe.edgeFrom[p] as number,
      pj = probe.edgeTo[p] as number;
    const ri = reference.edgeFrom[r] as number,
      rj = reference.edgeTo[r] as number;
    const pmx = ((probe.x[pi] as number) + (probe.x[pj] as number)) / 2;
    const pmy = ((probe.y[pi] as number) + (probe.y[pj] as number)) / 2;
    const rmx = ((reference.x[ri] as number) + (reference.x[rj] as number)) / 2;
    const rmy = ((reference.y[ri] as number) + (reference.y[rj] as number)) / 2;
    return { rotation, tx: rmx - (cos * pmx - sin * pmy), ty: rmy - (sin * pmx + cos * pmy), probeEdge: p, referenceEdge: r };
  });
}

/** Minutiae of each template that lie inside the other's footprint under the alignment. */
function overlap(probe: Prepared, reference: Prepared, al: Alignment): [number, number] {
  const cos = Math.cos(al.rotation);
  const sin = Math.sin(al.rotation);
  let probeInside = 0;
  for (let i = 0; i < probe.n; i++) {
    const px = cos * (probe.x[i] as number) - sin * (probe.y[i] as number) + al.tx;
    const py = sin * (probe.x[i] as number) + cos * (probe.y[i] as number) + al.ty;
    if (insideHull(reference.hull, px, py, HULL_MARGIN)) probeInside++;
  }
  let referenceInside = 0;
  for (let k = 0; k < reference.n; k++) {
    // Inverse alignment takes the reference into the probe's frame.
    const dx = (reference.x[k] as number) - al.tx;
    const dy = (reference.y[k] as number) - al.ty;
    if (insideHull(probe.hull, cos * dx + sin * dy, -sin * dx + cos * dy, HULL_MARGIN)) referenceInside++;
  }
  return [probeInside, referenceInside];
}

interface MatchDetail {
  score: number;
  /** Pairs grown from the best root, and the consistent cluster among them. */
  pairs: number;
  clusterPairs: number;
  consistentEdges: number;
  probeInside: number;
  referenceInside: number;
}

export function matchDetail(probeTemplate: FingerTemplate, referenceTemplate: FingerTemplate): MatchDetail {
  const probe = prepare(probeTemplate);
  const reference = prepare(referenceTemplate);
  let best: MatchDetail = { score: 0, pairs: 0, clusterPairs: 0, consistentEdges: 0, probeInside: 0, referenceInside: 0 };
  if (probe.n < MIN_PAIRS || reference.n < MIN_PAIRS) return best;
  const tried: Alignment[] = [];
  for (const root of rootAlignments(probe, reference)) {
    if (tried.length === ROOTS) break;
    // Neighbouring edges of one true correspondence give nearly the same root: try it once.
    if (
      tried.some(
        (a) => angleDistance(a.rotation, root.rotation) < SAME_ROTATION && Math.hypot(a.tx - root.tx, a.ty - root.ty) < SAME_TRANSLATION,
      )
    )
      continue;
    tried.push(root);
    if (root.probeEdge === undefined || root.referenceEdge === undefined) continue;
    const grown = grow(probe, reference, root.probeEdge, root.referenceEdge, root.rotation);
    if (grown.pairs < MIN_PAIRS) continue;
    const aligned = refit(probe, reference, grown.probeOf) ?? root;
    const [probeInside, referenceInside] = overlap(probe, reference, aligned);
    const cluster = consistentCluster(probe, reference, grown.probeOf, aligned.rotation);
    const score = scoreOf(grown.pairs, cluster, probeInside, referenceInside);
    if (score > best.score)
      best = {
        score,
        pairs: grown.pairs,
        clusterPairs: cluster.pairs,
        consistentEdges: cluster.consistentEdges,
        probeInside,
        referenceInside,
      };
  }
  return best;
}

interface Cluster {
  /** Pairs in the cluster. */
  pairs: number;
  /** Edges among them that agree, and that were compared (within range). */
  consistentEdges: number;
  comparedEdges: number;
}

/**
 * The largest group of mutually consistent pairs: every edge between two pairs (within range)
 * checked in both templates, then a cluster grown from the best-connected pair, a pair joining
 * when it agrees with at least CLUSTER_MIN_AGREEING members and CLUSTER_AGREEMENT of those near it.
 */
function consistentCluster(probe: Prepared, reference: Prepared, probeOf: Int32Array, rotation: number): Cluster {
  const paired: number[] = [];
  for (let k = 0; k < reference.n; k++) if ((probeOf[k] as number) >= 0) paired.push(k);
  const n = paired.length;
  // Per pair of pairs: 0 out of range, 1 compared and inconsistent, 2 consistent.
  const relation = new Uint8Array(n * n);
  const degree = new Int32Array(n);
  for (let a = 0; a < n; a++) {
    const ka = paired[a] as number;
    const ia = probeOf[ka] as number;
    for (let b = a + 1; b < n; b++) {
      const kb = paired[b] as number;
      const ib = probeOf[kb] as number;
      const rdx = (reference.x[kb] as number) - (reference.x[ka] as number);
      const rdy = (reference.y[kb] as number) - (reference.y[ka] as number);
      const rLength = Math.sqrt(rdx * rdx + rdy * rdy);
      if (rLength > CONSISTENT_RANGE) continue;
      relation[a * n + b] = relation[b * n + a] = 1;
      const pdx = (probe.x[ib] as number) - (probe.x[ia] as number);
      const pdy = (probe.y[ib] as number) - (probe.y[ia] as number);
      if (Math.abs(Math.sqrt(pdx * pdx + pdy * pdy) - rLength) > CONSISTENT_LENGTH + CONSISTENT_LENGTH_RELATIVE * rLength) continue;
      const rDirection = Math.atan2(rdy, rdx);
      const pDirection = Math.atan2(pdy, pdx);
      if (angleDistance(rDirection - pDirection, rotation) > CONSISTENT_ROTATION) continue;
      if (angleDistance((reference.angle[ka] as number) - rDirection, (probe.angle[ia] as number) - pDirection) > CONSISTENT_ANGLE)
        continue;
      if (angleDistance((reference.angle[kb] as number) - rDirection, (probe.angle[ib] as number) - pDirection) > CONSISTENT_ANGLE)
        continue;
      relation[a * n + b] = relation[b * n + a] = 2;
      degree[a] = (degree[a] as number) + 1;
      degree[b] = (degree[b] as number) + 1;
    }
  }
  let seed = -1,
    most = 0;
  for (let a = 0; a < n; a++)
    if ((degree[a] as number) > most) {
      most = degree[a] as number;
      seed = a;
    }
  if (seed < 0) return { pairs: 0, consistentEdges: 0, comparedEdges: 0 };
  const member = new Uint8Array(n);
  const agreeing = new Int32Array(n);
  const near = new Int32Array(n);
  let consistentEdges = 0,
    comparedEdges = 0,
    pairs = 0;
  const join = (a: number): void => {
    consistentEdges += agreeing[a] as number;
    comparedEdges += near[a] as number;
    member[a] = 1;
    pairs++;
    for (let b = 0; b < n; b++) {
      const r = relation[a * n + b] as number;
      if (r) near[b] = (near[b] as number) + 1;
      if (r === 2) agreeing[b] = (agreeing[b] as number) + 1;
    }
  };
  join(seed);
  for (;;) {
    let next = -1,
      best = 0;
    for (let b = 0; b < n; b++) {
      if (member[b]) continue;
      const agree = agreeing[b] as number;
      if (agree < Math.min(CLUSTER_MIN_AGREEING, pairs) || agree < CLUSTER_AGREEMENT * (near[b] as number)) continue;
      if (agree > best) {
        best = agree;
        next = b;
      }
    }
    if (next < 0) break;
    join(next);
  }
  return { pairs, consistentEdges, comparedEdges };
}

/** The cluster's consistent edges beyond chance, scaled down by how little of the overlap it explains. */
function scoreOf(pairs: number, cluster: Cluster, probeInside: number, referenceInside: number): number {
  const evidence = Math.max(0, cluster.consistentEdges - CHANCE_CONSISTENCY * cluster.comparedEdges);
  const shown = Math.max(SMALLEST_OVERLAP, Math.sqrt(Math.max(probeInside, pairs) * Math.max(referenceInside, pairs)));
  return Math.round(10 * evidence * Math.min(1, cluster.pairs / shown) ** EXPLAINED_POWER) / 10;
}

/** Area of the convex hull of the points (monotone chain, then the shoelace formula). */
function hullArea(x: Float64Array, y: Float64Array): number {
  const idx = Array.from({ length: x.length }, (_, i) => i).sort((a, b) => x[a]! - x[b]! || y[a]! - y[b]!);
  if (idx.length < 3) return 0;
  const cross = (o: number, a: number, b: number): number => (x[a]! - x[o]!) * (y[b]! - y[o]!) - (y[a]! - y[o]!) * (x[b]! - x[o]!);
  const chain = (order: number[]): number[] => {
    const out: number[] = [];
    for (const i of order) {
      while (out.length >= 2 && cross(out[out.length - 2]!, out[out.length - 1]!, i) <= 0) out.pop();
      out.push(i);
    }
    return out;
  };
  const ring = chain(idx)
    .slice(0, -1)
    .concat(chain([...idx].reverse()).slice(0, -1));
  let area = 0;
  ring.forEach((a, q) => {
    const b = ring[(q + 1) % ring.length]!;
    area += x[a]! * y[b]! - x[b]! * y[a]!;
  });
  return Math.abs(area) / 2;
}

const MM_PER_FRAME_PX = 25.4 / FRAME_DPI;

/** Minutiae per mm² of the template's own footprint (its convex hull). */
export function minutiaDensity(t: FingerTemplate): number {
  const scale = t.resolutionDpi > 0 ? FRAME_DPI / t.resolutionDpi : 1;
  const x = Float64Array.from(t.minutiae, (m) => m.x * scale);
  const y = Float64Array.from(t.minutiae, (m) => m.y * scale);
  const area = hullArea(x, y) * MM_PER_FRAME_PX * MM_PER_FRAME_PX;
  return area > 0 ? t.minutiae.length / area : 0;
}

/**
 * A probe this dense is not a finger: a real fingertip has well under 0.4 minutiae per mm²
 * (about one per 2.5 ridge periods squared); noise read as ridges gives more. Such a probe is
 * refused as a poor capture rather than matched. Small templates are left to the score.
 */
export const MAX_PROBE_DENSITY_PER_MM2 = 0.45;
const DENSITY_CHECK_MIN_MINUTIAE = 30;

export function hasAbnormalDensity(t: FingerTemplate): boolean {
  return t.minutiae.length >= DENSITY_CHECK_MIN_MINUTIAE && minutiaDensity(t) > MAX_PROBE_DENSITY_PER_MM2;
}

/** Similarity of two templates: 0 for nothing in common, growing with the paired evidence. */
export function matchScore(probe: FingerTemplate, reference: FingerTemplate): number {
  return matchDetail(probe, reference).score;
}

export function createMatcher(threshold = MATCH_THRESHOLD): FingerMatcherPort {
  return {
    decide(probe: FingerTemplate, references: readonly FingerTemplate[]): MatchDecision {
      let score = 0;
      if (hasAbnormalDensity(probe)) return { matched: false, score: 0, poorQuality: true };
      for (const reference of references) score = Math.max(score, matchScore(probe, reference));
      return { matched: score >= threshold, score };
    },
  };
}

/** Pairs grown from a root edge correspondence along neighbouring edges that agree (SourceAFIS-style). */
function grow(probe: Prepared, reference: Prepared, probeEdge: number, referenceEdge: number, rotation: number): Pairing {
  const probeOf = new Int32Array(reference.n).fill(-1);
  const referenceOf = new Int32Array(probe.n).fill(-1);
  const candidates: Array<[number, number, number]> = [];
  let pairs = 0;
  const add = (i: number, k: number): void => {
    probeOf[k] = i;
    referenceOf[i] = k;
    pairs++;
    for (const e of probe.edgesFrom[i] as Int32Array) {
      const j = probe.edgeTo[e] as number;
      if ((referenceOf[j] as number) >= 0) continue;
      const pl = probe.edgeLength[e] as number;
      for (const f of reference.edgesFrom[k] as Int32Array) {
        const l = reference.edgeTo[f] as number;
        if ((probeOf[l] as number) >= 0) continue;
        const rl = reference.edgeLength[f] as number;
        const dl = Math.abs(pl - rl);
        const tl = GROW_LENGTH + GROW_LENGTH_RELATIVE * rl;
        if (dl > tl) continue;
        const d1 = angleDistance(probe.edgeFromAngle[e] as number, reference.edgeFromAngle[f] as number);
        if (d1 > GROW_ANGLE) continue;
        const d2 = angleDistance(probe.edgeToAngle[e] as number, reference.edgeToAngle[f] as number);
        if (d2 > GROW_ANGLE) continue;
        const dr = angleDistance((reference.edgeDirection[f] as number) - (probe.edgeDirection[e] as number), rotation);
        if (dr > GROW_ROTATION) continue;
        candidates.push([dl / tl + (d1 + d2) / GROW_ANGLE + dr / GROW_ROTATION, j, l]);
      }
    }
  };
  add(probe.edgeFrom[probeEdge] as number, reference.edgeFrom[referenceEdge] as number);
  const j0 = probe.edgeTo[probeEdge] as number,
    l0 = reference.edgeTo[referenceEdge] as number;
  if ((referenceOf[j0] as number) < 0 && (probeOf[l0] as number) < 0) add(j0, l0);
  while (candidates.length) {
    // The most similar edge first (a linear scan: candidate lists stay short).
    let best = 0;
    for (let c = 1; c < candidates.length; c++)
      if ((candidates[c] as [number, number, number])[0] < (candidates[best] as [number, number, number])[0]) best = c;
    const [, j, l] = candidates[best] as [number, number, number];
    candidates[best] = candidates[candidates.length - 1] as [number, number, number];
    candidates.pop();
    if ((referenceOf[j] as number) >= 0 || (probeOf[l] as number) >= 0) continue;
    add(j, l);
  }
  return { pairs, probeOf };
}
