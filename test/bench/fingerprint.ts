/**
 * Fingerprint 1:1 benchmark: accuracy and speed of device/fingerprint/matcher.ts on the
 * synthetic evaluation set of issue 4, generated here from a fixed seed.
 *
 * 500 masters × 4 live impressions. Genuine pairs: every pair of impressions of one master
 * (3,000). Impostor pairs: each master against the next 100 masters (50,000), impressions
 * rotating. As at the kiosk, the probe is the live 500 dpi template and the reference has gone
 * through the card's compact format (0.1 mm, 5.6° steps). The threshold is the lowest score that
 * keeps the impostor acceptance at or below 0.1 %; MATCH_THRESHOLD in the matcher is set from it.
 * Run alone: node --import=tsx test/bench/fingerprint.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createMaster, createRng, impression, LIVE_PROFILE, type ImpressionProfile } from '../../device/sim/finger-synth.ts';
import { decodeCardTemplateFile, encodeCardTemplateFile } from '../../device/fingerprint/card-file.ts';
import { MATCH_THRESHOLD, matchScore } from '../../device/fingerprint/matcher.ts';
import type { FingerTemplate } from '../../device/domain/finger-template.ts';

const MASTERS = 500;
const IMPRESSIONS = 4;
const IMPOSTOR_NEIGHBOURS = 100;
const TARGET_FMR = 0.001;
const SCORE_STEP = 0.1;

export interface Evaluation {
  genuine: number[];
  impostor: number[];
  matchMs: number[];
}

export function evaluate(masters = MASTERS, impostorNeighbours = IMPOSTOR_NEIGHBOURS): Evaluation {
  const rng = createRng('fingerprint-bench');
  const probes: FingerTemplate[][] = [];
  const references: FingerTemplate[][] = [];
  for (let m = 0; m < masters; m++) {
    const master = createMaster(`fingerprint-bench-${m}`);
    const row = Array.from({ length: IMPRESSIONS }, () => impression(master, rng, LIVE_PROFILE, 2));
    probes.push(row);
    references.push(row.map((t) => decodeCardTemplateFile(encodeCardTemplateFile(t))));
  }
  const result: Evaluation = { genuine: [], impostor: [], matchMs: [] };
  const timed = (probe: FingerTemplate, reference: FingerTemplate): number => {
    const start = performance.now();
    const score = matchScore(probe, reference);
    result.matchMs.push(performance.now() - start);
    return score;
  };
  for (let m = 0; m < masters; m++) {
    const p = probes[m] as FingerTemplate[];
    const r = references[m] as FingerTemplate[];
    for (let i = 0; i < IMPRESSIONS; i++) {
      for (let j = i + 1; j < IMPRESSIONS; j++) result.genuine.push(timed(p[i] as FingerTemplate, r[j] as FingerTemplate));
    }
    for (let k = 1; k <= impostorNeighbours; k++) {
      const n = (m + k) % masters;
      const probe = p[k % IMPRESSIONS] as FingerTemplate;
      const reference = (references[n] as FingerTemplate[])[(k >> 2) % IMPRESSIONS] as FingerTemplate;
      result.impostor.push(timed(probe, reference));
    }
  }
  return result;
}

/**
 * Beyond the issue's set: touches worse than it specifies (more missing and spurious minutiae,
 * stronger distortion and noise), to show how fast accuracy falls off outside the lab profile.
 */
const HARSH_PROFILE: ImpressionProfile = {
  ...LIVE_PROFILE,
  missing: [0.25, 0.4],
  spurious: [0.15, 0.3],
  distortionPx: 16,
  positionNoisePx: 4,
  angleNoiseDeg: 10,
};

function harshGenuineScores(masters = 200): number[] {
  const rng = createRng('fingerprint-bench-harsh');
  return Array.from({ length: masters }, (_, m) => {
    const master = createMaster(`fingerprint-bench-harsh-${m}`);
    const probe = impression(master, rng, HARSH_PROFILE, 2);
    return matchScore(probe, decodeCardTemplateFile(encodeCardTemplateFile(impression(master, rng, HARSH_PROFILE, 2))));
  });
}

/** Lowest threshold (on the score grid) with impostor acceptance ≤ target. */
export function calibrate(impostor: readonly number[], targetFmr = TARGET_FMR): number {
  const sorted = [...impostor].sort((a, b) => b - a);
  const allowed = Math.floor(targetFmr * sorted.length);
  const highestRefused = sorted[allowed] ?? 0;
  return Math.round((highestRefused + SCORE_STEP) * 10) / 10;
}

const rate = (scores: readonly number[], accept: (s: number) => boolean): number => scores.filter(accept).length / scores.length;

/** Sweeps the threshold over both sorted score lists and returns the rate where FNMR and FMR cross. */
function equalErrorRate(genuine: readonly number[], impostor: readonly number[]): number {
  const g = [...genuine].sort((a, b) => a - b);
  const i = [...impostor].sort((a, b) => a - b);
  const thresholds = [...new Set([...g, ...i])].sort((a, b) => a - b);
  let gi = 0;
  let ii = 0;
  let best = { gap: Infinity, eer: 1 };
  for (const t of thresholds) {
    while (gi < g.length && (g[gi] as number) < t) gi++;
    while (ii < i.length && (i[ii] as number) < t) ii++;
    const fnmr = gi / g.length;
    const fmr = (i.length - ii) / i.length;
    const gap = Math.abs(fnmr - fmr);
    if (gap < best.gap) best = { gap, eer: (fnmr + fmr) / 2 };
  }
  return best.eer;
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

function histogramSvg(genuine: readonly number[], impostor: readonly number[], threshold: number): string {
  const max = Math.max(...genuine, ...impostor, threshold) * 1.05;
  const bins = 60;
  const width = 720;
  const height = 360;
  const pad = 48;
  const density = (scores: readonly number[]): number[] => {
    const h = new Array<number>(bins).fill(0);
    for (const s of scores) h[Math.min(bins - 1, Math.floor((s / max) * bins))]! += 1 / scores.length;
    return h;
  };
  const g = density(genuine);
  const i = density(impostor);
  const top = Math.max(...g, ...i);
  const x = (v: number): number => pad + (v / max) * (width - 2 * pad);
  const y = (d: number): number => height - pad - (d / top) * (height - 2 * pad);
  const path = (h: number[]): string => h.map((d, b) => `${x((b * max) / bins).toFixed(1)},${y(d).toFixed(1)} ${x(((b + 1) * max) / bins).toFixed(1)},${y(d).toFixed(1)}`).join(' ');
  const ticks = Array.from({ length: 6 }, (_, k) => (k * max) / 5);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
<text x="${pad}" y="20" font-size="14">Fingerprint matcher: score distributions (${genuine.length} genuine, ${impostor.length} impostor pairs)</text>
<line x1="${pad}" y1="${height - pad}" x2="${width - pad}" y2="${height - pad}" stroke="black"/>
${ticks.map((v) => `<text x="${x(v).toFixed(1)}" y="${height - pad + 16}" text-anchor="middle">${v.toFixed(0)}</text>`).join('\n')}
<text x="${width / 2}" y="${height - 10}" text-anchor="middle">score</text>
<polyline fill="none" stroke="#c0392b" stroke-width="2" points="${path(i)}"/>
<polyline fill="none" stroke="#2471a3" stroke-width="2" points="${path(g)}"/>
<line x1="${x(threshold).toFixed(1)}" y1="${pad}" x2="${x(threshold).toFixed(1)}" y2="${height - pad}" stroke="black" stroke-dasharray="4 3"/>
<text x="${(x(threshold) + 4).toFixed(1)}" y="${pad + 12}">threshold ${threshold} (FMR 0.1 %)</text>
<text x="${width - pad - 150}" y="${pad + 12}" fill="#c0392b">impostor</text>
<text x="${width - pad - 150}" y="${pad + 28}" fill="#2471a3">genuine</text>
</svg>
`;
}

export async function bench(): Promise<Record<string, number>> {
  const { genuine, impostor, matchMs } = evaluate();
  const threshold = calibrate(impostor);
  mkdirSync('bench-out', { recursive: true });
  writeFileSync('bench-out/fingerprint-scores.svg', histogramSvg(genuine, impostor, threshold));
  const pct = (v: number): number => Math.round(v * 100000) / 1000;
  return {
    'fingerprint_fnmr_at_fmr_0.1pct': pct(rate(genuine, (s) => s < threshold)),
    fingerprint_eer_pct: pct(equalErrorRate(genuine, impostor)),
    fingerprint_match_ms_median: Math.round(median(matchMs) * 1000) / 1000,
    fingerprint_threshold: threshold,
    fingerprint_code_threshold: MATCH_THRESHOLD,
    fingerprint_fmr_at_code_threshold_pct: pct(rate(impostor, (s) => s >= MATCH_THRESHOLD)),
    fingerprint_fnmr_at_code_threshold_pct: pct(rate(genuine, (s) => s < MATCH_THRESHOLD)),
    fingerprint_fnmr_harsh_touches_pct: pct(rate(harshGenuineScores(), (s) => s < threshold)),
    fingerprint_genuine_pairs: genuine.length,
    fingerprint_impostor_pairs: impostor.length,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  bench().then((r) => console.log(JSON.stringify(r, null, 2)));
}
