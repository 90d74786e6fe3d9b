/**
 * Fingerprint on real fingers: the kiosk's path on impressions made from the ten real captures
 * (test/fingerprint/real/), side by side with NIST's own pair, mindtct + bozorth3, as libfprint
 * runs them; the direction convention against libfprint's NBIS; extraction time against mindtct's.
 *
 * Data, made two ways (test/fingerprint/real/impressions.ts):
 *   calibration — the `bumps` distortion model, seeds "calibration-*": the threshold's real
 *                 impostors (with the synthetic pool of test/bench/fingerprint.ts);
 *   evaluation  — held out: the `plastic` distortion model (Cappelli's skin plasticity, speckle
 *                 and banding), seeds "evaluation-*". Every figure below is on this set unless
 *                 its name says `calibration`. The matcher's consistency tolerances were tuned on
 *                 yet other `bumps` seeds ("dev-*"); no parameter was fitted on this set.
 * Per finger capture: SETS references (an enrolment impression, its NBIS minutiae on the card)
 * and TRIES kiosk touches of each, 60–80 % shared with the reference. Genuine pairs: a touch and
 * its own reference; impostor pairs: a touch and every reference of the other captures.
 *
 * Paths compared (same touches, same references):
 *   kiosk      — what production runs: our extractor judges the image, libfprint's NBIS minutiae
 *                go to our matcher (`fingerprint.minutiae` = libfprint-nbis), at MATCH_THRESHOLD;
 *   own        — our extractor's minutiae instead (`minutiae: own`);
 *   combined   — the higher of the two scores;
 *   bozorth3   — libfprint's mindtct + bozorth3 (test/fingerprint/nbis/bozorth-identify.c), at
 *                the bozorth3 threshold whose false match rate on these impostor pairs is no
 *                higher than the kiosk's (equal FMR), and at libfprint's own threshold 40.
 * A refused touch (our gate, or libfprint finding no minutiae) is a failed try, as at the kiosk.
 * Run alone: npm run bench fingerprint-real
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { CaptureHelper } from '../../device/fingerprint/capture-helper.ts';
import { extractMinutiae } from '../../device/fingerprint/extract/index.ts';
import { ExtractorWorker } from '../../device/fingerprint/extractor-worker.ts';
import { MATCH_THRESHOLD, THRESHOLD_FMR, matchScore } from '../../device/fingerprint/matcher.ts';
import { isoToNbisMinutia, nbisToIsoMinutia } from '../../device/fingerprint/nbis.ts';
import type { FingerTemplate } from '../../device/domain/finger-template.ts';
import { directionAgreement } from '../fingerprint/nbis/agreement.ts';
import { BozorthOracle } from '../fingerprint/nbis/bozorth.ts';
import { REAL_CAPTURE_NAMES, realCapture, realCaptures } from '../fingerprint/real/captures.ts';
import { KIOSK_MODEL, PLASTIC_MODEL } from '../fingerprint/real/impressions.ts';
import { LibfprintNbis, realSets, type RealSet } from '../fingerprint/real/evaluation.ts';
import { captureHelperPath, virtualSensor } from '../support/virtual-fingerprint-sensor.ts';

/** The finger captures (the other four show skin texture, and are refused: see extract tests). */
export const FINGER_CAPTURES = REAL_CAPTURE_NAMES.filter((n) => realCapture(n).finger);
/** Captures showing at least 10 mm × 10 mm and 120 mm² of finger: what a kiosk's area sensor sees. */
export const LARGE_CAPTURES = ['egis0570', 'nb1010'];
const SETS = 8;
const TRIES = 4;
const BOZORTH_CUSTOMARY = 40;

type Scores = { genuine: number[]; impostor: number[]; genuineSet: string[] };

/** Score of every genuine and impostor pair under one path. */
function scores(sets: RealSet[], score: (probe: RealSet['probes'][number], reference: RealSet, referenceIndex: number) => number): Scores {
  const s: Scores = { genuine: [], impostor: [], genuineSet: [] };
  for (const own of sets) {
    for (const probe of own.probes) {
      sets.forEach((reference, r) => {
        if (reference === own) {
          s.genuine.push(score(probe, reference, r));
          s.genuineSet.push(`${own.finger}/${own.set}`);
        } else if (reference.finger !== own.finger) s.impostor.push(score(probe, reference, r));
      });
    }
  }
  return s;
}

const ourScore = (template: FingerTemplate | undefined, reference: FingerTemplate | null): number =>
  template && reference ? matchScore(template, reference) : 0;

const rate = (values: readonly number[], accept: (v: number) => boolean): number =>
  values.length ? values.filter(accept).length / values.length : 0;

/** Lowest threshold with impostor acceptance ≤ target (scores at or above it match). */
export function thresholdFor(impostor: readonly number[], target: number, step: number): number {
  const sorted = [...impostor].sort((a, b) => b - a);
  const highestRefused = sorted[Math.floor(target * sorted.length)] ?? 0;
  return Math.round((Math.floor(highestRefused / step) * step + step) * 1000) / 1000;
}

/** The lowest bozorth3 threshold (integers) whose FMR on these impostors is at most `fmr`. */
function bozorthThresholdAtFmr(impostor: readonly number[], fmr: number): number {
  for (let t = 0; t < 1000; t++) if (rate(impostor, (v) => v >= t) <= fmr) return t;
  return 1000;
}

function fourTrySuccess(sets: RealSet[], score: Scores, threshold: number, fingers: readonly string[]): number {
  let success = 0,
    total = 0;
  for (const set of sets.filter((s) => fingers.includes(s.finger))) {
    const key = `${set.finger}/${set.set}`;
    const tries = score.genuine.filter((_, i) => score.genuineSet[i] === key);
    total++;
    if (tries.some((v) => v >= threshold)) success++;
  }
  return total ? success / total : 0;
}

function fnmr(score: Scores, threshold: number, fingers?: readonly string[]): number {
  const chosen = score.genuine.filter((_, i) => !fingers || fingers.includes(score.genuineSet[i]!.split('/')[0]!));
  return rate(chosen, (v) => v < threshold);
}

/** bozorth3 scores through libfprint: each touch identified against every reference's card template. */
async function bozorthScores(sets: RealSet[]): Promise<Scores> {
  const oracle = await BozorthOracle.start();
  try {
    await oracle.setGallery(
      sets.map((set) => {
        if (!set.card) return [];
        const scale = set.reference.dpi / set.card.resolutionDpi;
        return set.card.minutiae.map((m) => isoToNbisMinutia({ x: m.x * scale, y: m.y * scale, angle: m.angle }, set.reference.height));
      }),
    );
    const byProbe = new Map<unknown, number[]>();
    for (const set of sets)
      for (const probe of set.probes) byProbe.set(probe, probe.nbis ? await oracle.scores(probe.image) : sets.map(() => 0));
    return scores(sets, (probe, _reference, r) => byProbe.get(probe)![r]!);
  } finally {
    await oracle.stop();
  }
}

/** Median ms per image over the real captures, ours in its worker and mindtct in libfprint, rounds interleaved. */
async function extractionTimes(rounds = 5): Promise<{ ours: number; mindtct: number }> {
  const sensor = virtualSensor();
  const helper = new CaptureHelper({ helperPath: captureHelperPath(), env: sensor.env });
  const worker = new ExtractorWorker();
  const ours: number[] = [],
    mindtct: number[] = [];
  try {
    await helper.open(0);
    await worker.warmUp();
    for (let round = 0; round < rounds; round++) {
      for (const capture of realCaptures()) {
        const timed = await worker.extract(capture, 1, 60_000);
        const touch = helper.captureNbis();
        await sensor.place(capture);
        const nbis = await touch.catch(() => null);
        // The first round compiles our code (the worker was warmed on a small pattern only).
        if (round === 0) continue;
        ours.push(timed.ms);
        if (nbis?.mindtctMs !== undefined) mindtct.push(nbis.mindtctMs);
      }
    }
  } finally {
    await worker.close();
    await helper.shutdown();
    sensor.cleanup();
  }
  const median = (v: number[]): number => [...v].sort((a, b) => a - b)[v.length >> 1] ?? 0;
  return { ours: median(ours), mindtct: median(mindtct) };
}

const pct = (v: number): number => Math.round(v * 100000) / 1000;

export async function bench(): Promise<Record<string, number>> {
  const nbis = await LibfprintNbis.start();
  let calibration: RealSet[], evaluation: RealSet[];
  const agreement = { pairs: 0, agree: 0 };
  try {
    process.stderr.write('bench: real impressions (calibration) …\n');
    calibration = await realSets(nbis, FINGER_CAPTURES, SETS, TRIES, KIOSK_MODEL, 'calibration');
    process.stderr.write('bench: real impressions (evaluation) …\n');
    evaluation = await realSets(nbis, FINGER_CAPTURES, SETS, TRIES, PLASTIC_MODEL, 'evaluation');
    for (const name of FINGER_CAPTURES) {
      const capture = realCapture(name);
      const touch = await nbis.touch(capture);
      if (!touch) continue;
      const a = directionAgreement(
        extractMinutiae(capture).minutiae,
        500,
        touch.minutiae.map((m) => nbisToIsoMinutia(m, capture.height)),
        capture.dpi,
      );
      agreement.pairs += a.pairs;
      agreement.agree += a.agree;
    }
  } finally {
    await nbis.stop();
  }
  const kioskOf = (s: RealSet[]): Scores =>
    scores(s, (probe, reference) =>
      ourScore(
        probe.outcome['libfprint-nbis'].kind === 'captured'
          ? (probe.outcome['libfprint-nbis'] as { template: FingerTemplate }).template
          : undefined,
        reference.card,
      ),
    );
  const ownOf = (s: RealSet[]): Scores =>
    scores(s, (probe, reference) =>
      ourScore(
        probe.outcome.own.kind === 'captured' ? (probe.outcome.own as { template: FingerTemplate }).template : undefined,
        reference.card,
      ),
    );
  const kioskCalibration = kioskOf(calibration);
  const kiosk = kioskOf(evaluation);
  const own = ownOf(evaluation);
  const combined: Scores = {
    genuine: kiosk.genuine.map((v, i) => Math.max(v, own.genuine[i]!)),
    impostor: kiosk.impostor.map((v, i) => Math.max(v, own.impostor[i]!)),
    genuineSet: kiosk.genuineSet,
  };
  process.stderr.write('bench: bozorth3 through libfprint …\n');
  const bozorth = await bozorthScores(evaluation);
  const kioskFmr = rate(kiosk.impostor, (v) => v >= MATCH_THRESHOLD);
  const bozorthAtEqualFmr = bozorthThresholdAtFmr(bozorth.impostor, kioskFmr);
  // The raw scores, so a threshold change can be checked against this run without repeating it.
  mkdirSync('bench-out', { recursive: true });
  writeFileSync(
    'bench-out/fingerprint-real-scores.json',
    JSON.stringify({
      kiosk,
      own,
      bozorth,
      kioskCalibration,
      refusals: evaluation.flatMap((s) =>
        s.probes.map((p) =>
          p.outcome['libfprint-nbis'].kind === 'captured' ? null : (p.outcome['libfprint-nbis'] as { reason: string }).reason,
        ),
      ),
    }),
  );
  const times = await extractionTimes();
  const refused = evaluation.flatMap((s) => s.probes).filter((p) => p.outcome['libfprint-nbis'].kind !== 'captured').length;
  return {
    fingerprint_real_genuine_pairs: kiosk.genuine.length,
    fingerprint_real_impostor_pairs: kiosk.impostor.length,
    fingerprint_real_fnmr_per_try: pct(fnmr(kiosk, MATCH_THRESHOLD)),
    fingerprint_real_fnmr_per_try_large: pct(fnmr(kiosk, MATCH_THRESHOLD, LARGE_CAPTURES)),
    fingerprint_real_fmr_at_threshold: pct(kioskFmr),
    fingerprint_real_fnmr_per_try_nbis_bozorth3: pct(fnmr(bozorth, bozorthAtEqualFmr)),
    fingerprint_real_fnmr_per_try_large_nbis_bozorth3: pct(fnmr(bozorth, bozorthAtEqualFmr, LARGE_CAPTURES)),
    fingerprint_real_bozorth3_threshold_at_equal_fmr: bozorthAtEqualFmr,
    fingerprint_real_fmr_bozorth3_at_equal_fmr: pct(rate(bozorth.impostor, (v) => v >= bozorthAtEqualFmr)),
    fingerprint_real_fnmr_per_try_bozorth3_at_40: pct(fnmr(bozorth, BOZORTH_CUSTOMARY)),
    fingerprint_real_fmr_bozorth3_at_40: pct(rate(bozorth.impostor, (v) => v >= BOZORTH_CUSTOMARY)),
    fingerprint_real_fnmr_per_try_own_extractor: pct(fnmr(own, MATCH_THRESHOLD)),
    fingerprint_real_fmr_own_extractor: pct(rate(own.impostor, (v) => v >= MATCH_THRESHOLD)),
    fingerprint_real_fnmr_per_try_combined: pct(fnmr(combined, MATCH_THRESHOLD)),
    fingerprint_real_fmr_combined: pct(rate(combined.impostor, (v) => v >= MATCH_THRESHOLD)),
    fingerprint_real_refused_tries: pct(refused / kiosk.genuine.length),
    fingerprint_real_four_try_success: pct(fourTrySuccess(evaluation, kiosk, MATCH_THRESHOLD, LARGE_CAPTURES)),
    fingerprint_real_four_try_success_bozorth3: pct(fourTrySuccess(evaluation, bozorth, bozorthAtEqualFmr, LARGE_CAPTURES)),
    fingerprint_real_four_try_success_all_fingers: pct(fourTrySuccess(evaluation, kiosk, MATCH_THRESHOLD, FINGER_CAPTURES)),
    fingerprint_real_direction_agreement: pct(agreement.agree / Math.max(1, agreement.pairs)),
    fingerprint_real_direction_pairs: agreement.pairs,
    fingerprint_real_threshold_calibration: thresholdFor(kioskCalibration.impostor, THRESHOLD_FMR, 0.1),
    fingerprint_real_calibration_impostor_pairs: kioskCalibration.impostor.length,
    fingerprint_real_fnmr_per_try_calibration: pct(fnmr(kioskCalibration, MATCH_THRESHOLD)),
    fingerprint_extract_ms_median: Math.round(times.ours * 10) / 10,
    fingerprint_nbis_mindtct_ms_median: Math.round(times.mindtct * 10) / 10,
    fingerprint_extract_to_mindtct_ratio: Math.round((times.ours / Math.max(0.001, times.mindtct)) * 100) / 100,
  };
}
