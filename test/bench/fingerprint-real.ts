/**
 * Fingerprint on real fingers: the kiosk's path on impressions made from the ten real captures
 * (test/fingerprint/real/), side by side with NIST's own pair, mindtct + bozorth3, as libfprint
 * runs them; the direction convention against libfprint's NBIS; extraction time against mindtct's.
 *
 * Data, made two ways (test/fingerprint/real/impressions.ts):
 *   calibration — the `bumps` distortion model, seeds "calibration-*": the threshold's real
 *                 impostors (with the synthetic pool of test/bench/fingerprint.ts);
 *   evaluation  — held out: the `plastic` distortion model (Cappelli's skin plasticity, speckle
 *                 and banding), seeds "evaluation-*", EVALUATION_SETS per finger (the figures
 *                 named `_sets_0_7` are on the first 8, the set size before it was doubled for a
 *                 steadier large-capture figure). Every figure below is on this set unless its
 *                 name says `calibration`. The matcher's tolerances were tuned on other seeds
 *                 ("dev-*", `bumps`, `plastic` and a heavier `bumps` warp; see
 *                 _fingerprint-real-dump.ts); no parameter was fitted on this set.
 *   rendered    — a third pool, made another way: RENDERED_FINGERS rendered fingers
 *                 (test/fingerprint/render), each kiosk touch through libfprint and our gate,
 *                 against the other fingers' enrolment ground truth on a card (seeds
 *                 "rendered-nbis-calibration-*"; the matcher was tuned on "rendered-nbis-dev-*").
 * The threshold (MATCH_THRESHOLD) is the lowest score that keeps the false match rate at or below
 * THRESHOLD_FMR on every impostor pool: the real calibration impostors, the rendered pool, and the
 * synthetic template pool of ./fingerprint.ts (`fingerprint_real_threshold_calibration`,
 * `fingerprint_rendered_threshold_calibration` here, `fingerprint_synthetic_threshold_at_target_fmr`
 * there); the rendered pool sets it. `_lofo` figures leave one finger out: per finger, the
 * threshold from the calibration impostors of the other fingers (and the rendered pool's), then
 * that finger's evaluation tries and impostor pairs.
 * Per finger capture: sets of one reference (an enrolment impression, its NBIS minutiae on the
 * card) and TRIES kiosk touches, each sharing 60–80 % of its own finger area and of the reference's
 * with the reference. Genuine pairs: a touch and its own reference; impostor pairs: a touch and
 * every reference of the other captures.
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
 *
 * Four tries, two ways:
 *   `fingerprint_real_four_try_success` (and `_bozorth3`, `_all_fingers`, `_sets_0_7`) — one
 *     finger: per set, success if any of its TRIES touches matches its own reference (the figure
 *     as it was before the kiosk asked for two fingers; 2 large captures × EVALUATION_SETS sets).
 *   `fingerprint_real_four_try_success_flow` (and `_flow_bozorth3`) — the kiosk's own policy,
 *     askedFinger() imported from device/flow/asked-finger.ts: a holder is two different large
 *     captures, one set of each (a person's two fingers are independent for matching, as two
 *     captures are), the first as the card's first template (finger position 2) and the second as
 *     its other (position 7). Try n asks for askedFinger(card, n, TRIES); the holder puts that
 *     finger down, its touches taken in order from its set (so tries 1–2 use the first set's
 *     touches 1–2 and tries 3–4 the second set's touches 1–2), and the touch is compared only with
 *     the asked template. A holder succeeds if any try reaches the threshold. Every pairing of a set
 *     of one large capture with a set of the other, both orders: 2 × EVALUATION_SETS² holders
 *     (`fingerprint_real_flow_holders`). bozorth3 at its equal-FMR threshold on the same holders.
 *
 * Extraction time, ours beside mindtct's on the ten captures, rounds interleaved, medians:
 *   `fingerprint_extract_ms_median`       — our extractor in its worker (wall clock, in-process);
 *   `fingerprint_nbis_mindtct_ms_median`  — mindtct inside libfprint, as libfprint times it (wall
 *                                           clock around mindtct alone, in-process);
 *   `_cpu_ms_median`                      — CPU time instead: ours as the daemon process's CPU
 *                                           (its main thread idles meanwhile), libfprint's as the
 *                                           helper process's whole CPU for the touch (mindtct and
 *                                           libfprint's image handling: an upper bound);
 *   `fingerprint_nbis_touch_ms_median`    — a touch through the helper end to end (the image over
 *                                           the virtual sensor's socket, libfprint, mindtct, the
 *                                           answer); `fingerprint_helper_start_ms` — starting the
 *                                           helper process and opening the device, once per boot.
 * `fingerprint_bench_load_1min_*` is the machine's load average before and after: wall clock
 * figures on a busy machine are longer than on a quiet one.
 * Run alone: npm run bench fingerprint-real
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { CaptureHelper } from '../../device/fingerprint/capture-helper.ts';
import { extractMinutiae } from '../../device/fingerprint/extract/index.ts';
import { ExtractorWorker } from '../../device/fingerprint/extractor-worker.ts';
import { MATCH_THRESHOLD, THRESHOLD_FMR, matchScore } from '../../device/fingerprint/matcher.ts';
import { isoToNbisMinutia, nbisToIsoMinutia } from '../../device/fingerprint/nbis.ts';
import type { FingerTemplate } from '../../device/domain/finger-template.ts';
import { askedFinger } from '../../device/flow/asked-finger.ts';
import { directionAgreement } from '../fingerprint/nbis/agreement.ts';
import { BozorthOracle } from '../fingerprint/nbis/bozorth.ts';
import { REAL_CAPTURE_NAMES, realCapture, realCaptures } from '../fingerprint/real/captures.ts';
import { KIOSK_MODEL, PLASTIC_MODEL } from '../fingerprint/real/impressions.ts';
import { LibfprintNbis, realSets, type RealSet } from '../fingerprint/real/evaluation.ts';
import { captureHelperPath, virtualSensor } from '../support/virtual-fingerprint-sensor.ts';
import { renderedScores, renderedThroughLibfprint, type RenderedPool } from '../fingerprint/render/through-libfprint.ts';

/** The finger captures (the other four show skin texture, and are refused: see extract tests). */
export const FINGER_CAPTURES = REAL_CAPTURE_NAMES.filter((n) => realCapture(n).finger);
/** Captures showing at least 10 mm × 10 mm and 120 mm² of finger: what a kiosk's area sensor sees. */
export const LARGE_CAPTURES = ['egis0570', 'nb1010'];
const CALIBRATION_SETS = 8;
const EVALUATION_SETS = 16;
const TRIES = 4;
const BOZORTH_CUSTOMARY = 40;
const RENDERED_FINGERS = 80;
const RENDERED_TOUCHES = 2;

type Scores = {
  genuine: number[];
  impostor: number[];
  /** Per genuine pair, "finger/set"; per impostor pair, the probe's and the reference's finger. */
  genuineSet: string[];
  impostorFingers: Array<[string, string]>;
};

/** Score of every genuine and impostor pair under one path. */
function scores(sets: RealSet[], score: (probe: RealSet['probes'][number], reference: RealSet, referenceIndex: number) => number): Scores {
  const s: Scores = { genuine: [], impostor: [], genuineSet: [], impostorFingers: [] };
  for (const own of sets) {
    for (const probe of own.probes) {
      sets.forEach((reference, r) => {
        if (reference === own) {
          s.genuine.push(score(probe, reference, r));
          s.genuineSet.push(`${own.finger}/${own.set}`);
        } else if (reference.finger !== own.finger) {
          s.impostor.push(score(probe, reference, r));
          s.impostorFingers.push([own.finger, reference.finger]);
        }
      });
    }
  }
  return s;
}

/** The pairs of the first `sets` sets of every finger (genuine and impostor alike). */
function firstSets(score: Scores, sets: RealSet[], count: number): Scores {
  const keep = new Set(sets.filter((s) => s.set < count));
  const kept: Scores = { genuine: [], impostor: [], genuineSet: [], impostorFingers: [] };
  let g = 0,
    i = 0;
  for (const own of sets)
    for (let p = 0; p < own.probes.length; p++)
      for (const reference of sets) {
        if (reference === own) {
          if (keep.has(own)) {
            kept.genuine.push(score.genuine[g]!);
            kept.genuineSet.push(score.genuineSet[g]!);
          }
          g++;
        } else if (reference.finger !== own.finger) {
          if (keep.has(own) && keep.has(reference)) {
            kept.impostor.push(score.impostor[i]!);
            kept.impostorFingers.push(score.impostorFingers[i]!);
          }
          i++;
        }
      }
  return kept;
}

/**
 * Leave one finger out: per finger, the threshold the calibration impostors of the other fingers
 * give (no lower than `floor`, the other pools' threshold), then that finger's evaluation tries
 * and the evaluation impostor pairs it is part of.
 */
function leaveOneFingerOut(
  calibration: Scores,
  evaluation: Scores,
  fingers: readonly string[],
  floor: number,
): { fnmr: number; fmr: number } {
  let failed = 0,
    tries = 0,
    falseMatches = 0,
    impostors = 0;
  for (const finger of fingers) {
    const others = calibration.impostor.filter((_, i) => !calibration.impostorFingers[i]!.includes(finger));
    const threshold = Math.max(floor, thresholdFor(others, THRESHOLD_FMR, 0.1));
    evaluation.genuine.forEach((v, i) => {
      if (evaluation.genuineSet[i]!.split('/')[0] !== finger) return;
      tries++;
      if (v < threshold) failed++;
    });
    evaluation.impostor.forEach((v, i) => {
      if (!evaluation.impostorFingers[i]!.includes(finger)) return;
      impostors++;
      if (v >= threshold) falseMatches++;
    });
  }
  return { fnmr: tries ? failed / tries : 0, fmr: impostors ? falseMatches / impostors : 0 };
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

/** One touch against one set's reference (its card template), under one path. */
type PairScore = (probe: RealSet['probes'][number], reference: RealSet) => number;

/** The finger positions a bench holder's card gives its two fingers (right and left index finger). */
const HOLDER_FINGER_POSITIONS = [2, 7] as const;

/**
 * Four-try success of holders under the kiosk's policy (see the header): every pairing of a set of
 * one capture with a set of another, both orders; tries ordered by askedFinger(); each touch
 * compared only with the asked template(s).
 */
function flowFourTrySuccess(
  sets: RealSet[],
  pair: PairScore,
  threshold: number,
  captures: readonly string[],
): { success: number; holders: number } {
  let success = 0,
    holders = 0;
  for (const first of captures)
    for (const second of captures) {
      if (first === second) continue;
      for (const a of sets.filter((s) => s.finger === first))
        for (const b of sets.filter((s) => s.finger === second)) {
          holders++;
          const setOf = new Map<FingerTemplate, RealSet>();
          const card = [a, b].map((set, i) => {
            const template: FingerTemplate = {
              ...(set.card ?? { width: 0, height: 0, resolutionDpi: 500, quality: 0, minutiae: [] }),
              fingerPosition: HOLDER_FINGER_POSITIONS[i]!,
            };
            setOf.set(template, set);
            return template;
          });
          const touchesUsed = new Map<RealSet, number>();
          for (let attempt = 1; attempt <= TRIES; attempt++) {
            const asked = askedFinger(card, attempt, TRIES);
            const finger = setOf.get(asked.templates[0]!)!;
            const used = touchesUsed.get(finger) ?? 0;
            touchesUsed.set(finger, used + 1);
            const touch = finger.probes[used];
            if (touch && Math.max(...asked.templates.map((t) => pair(touch, setOf.get(t)!))) >= threshold) {
              success++;
              break;
            }
          }
        }
    }
  return { success, holders };
}

/** bozorth3 scores through libfprint: each touch identified against every reference's card template. */
async function bozorthScores(sets: RealSet[]): Promise<{ scores: Scores; pair: PairScore }> {
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
    return {
      scores: scores(sets, (probe, _reference, r) => byProbe.get(probe)![r]!),
      pair: (probe, reference) => byProbe.get(probe)![sets.indexOf(reference)]!,
    };
  } finally {
    await oracle.stop();
  }
}

/** CPU time a process's live threads have used so far, ms (the scheduler's nanoseconds from /proc). */
function processCpuMs(pid: number): number {
  let ns = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return ns / 1e6;
}

interface ExtractionTimes {
  ours: number;
  oursCpu: number;
  mindtct: number;
  helperCpu: number;
  touch: number;
  helperStart: number;
}

/**
 * Medians per image over the real captures, ours in its worker and mindtct in libfprint, rounds
 * interleaved; see the header for what each figure includes.
 */
async function extractionTimes(rounds = 5): Promise<ExtractionTimes> {
  const sensor = virtualSensor();
  const startedAt = performance.now();
  const helper = new CaptureHelper({ helperPath: captureHelperPath(), env: sensor.env });
  const worker = new ExtractorWorker();
  const ours: number[] = [],
    oursCpu: number[] = [],
    mindtct: number[] = [],
    helperCpu: number[] = [],
    touch: number[] = [];
  let helperStart = 0;
  try {
    await helper.open(0);
    helperStart = performance.now() - startedAt;
    await worker.warmUp();
    for (let round = 0; round < rounds; round++) {
      for (const capture of realCaptures()) {
        const cpu = process.cpuUsage();
        const timed = await worker.extract(capture, 1, 60_000);
        const used = process.cpuUsage(cpu);
        const helperBefore = processCpuMs(helper.pid);
        const sent = performance.now();
        const answer = helper.captureNbis();
        await sensor.place(capture);
        const nbis = await answer.catch(() => null);
        const roundTrip = performance.now() - sent;
        const helperUsed = processCpuMs(helper.pid) - helperBefore;
        // The first round compiles our code (the worker was warmed on a small pattern only).
        if (round === 0) continue;
        ours.push(timed.ms);
        oursCpu.push((used.user + used.system) / 1000);
        if (nbis?.mindtctMs !== undefined) mindtct.push(nbis.mindtctMs);
        if (nbis) {
          touch.push(roundTrip);
          helperCpu.push(helperUsed);
        }
      }
    }
  } finally {
    await worker.close();
    await helper.shutdown();
    sensor.cleanup();
  }
  const median = (v: number[]): number => [...v].sort((a, b) => a - b)[v.length >> 1] ?? 0;
  return {
    ours: median(ours),
    oursCpu: median(oursCpu),
    mindtct: median(mindtct),
    helperCpu: median(helperCpu),
    touch: median(touch),
    helperStart,
  };
}

const pct = (v: number): number => Math.round(v * 100000) / 1000;
const ms = (v: number): number => Math.round(v * 10) / 10;

export async function bench(): Promise<Record<string, number>> {
  const loadBefore = loadavg()[0]!;
  const nbis = await LibfprintNbis.start();
  let calibration: RealSet[], evaluation: RealSet[], rendered: RenderedPool;
  const agreement = { pairs: 0, agree: 0 };
  try {
    process.stderr.write('bench: rendered fingers through libfprint …\n');
    rendered = await renderedThroughLibfprint(nbis, RENDERED_FINGERS, RENDERED_TOUCHES, 'rendered-nbis-calibration');
    process.stderr.write('bench: real impressions (calibration) …\n');
    calibration = await realSets(nbis, FINGER_CAPTURES, CALIBRATION_SETS, TRIES, KIOSK_MODEL, 'calibration');
    process.stderr.write('bench: real impressions (evaluation) …\n');
    evaluation = await realSets(nbis, FINGER_CAPTURES, EVALUATION_SETS, TRIES, PLASTIC_MODEL, 'evaluation');
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
  const kioskPair: PairScore = (probe, reference) =>
    ourScore(
      probe.outcome['libfprint-nbis'].kind === 'captured'
        ? (probe.outcome['libfprint-nbis'] as { template: FingerTemplate }).template
        : undefined,
      reference.card,
    );
  const kioskOf = (s: RealSet[]): Scores => scores(s, kioskPair);
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
    impostorFingers: kiosk.impostorFingers,
  };
  process.stderr.write('bench: bozorth3 through libfprint …\n');
  const { scores: bozorth, pair: bozorthPair } = await bozorthScores(evaluation);
  const kioskFmr = rate(kiosk.impostor, (v) => v >= MATCH_THRESHOLD);
  const bozorthAtEqualFmr = bozorthThresholdAtFmr(bozorth.impostor, kioskFmr);
  // The first eight sets alone: the evaluation set as it was before it was doubled.
  const kiosk8 = firstSets(kiosk, evaluation, 8);
  const bozorth8 = firstSets(bozorth, evaluation, 8);
  const kioskFmr8 = rate(kiosk8.impostor, (v) => v >= MATCH_THRESHOLD);
  const bozorthAtEqualFmr8 = bozorthThresholdAtFmr(bozorth8.impostor, kioskFmr8);
  const evaluation8 = evaluation.filter((s) => s.set < 8);
  const flow = flowFourTrySuccess(evaluation, kioskPair, MATCH_THRESHOLD, LARGE_CAPTURES);
  const flowBozorth = flowFourTrySuccess(evaluation, bozorthPair, bozorthAtEqualFmr, LARGE_CAPTURES);
  const renderedPool = renderedScores(rendered, matchScore);
  const renderedThreshold = thresholdFor(renderedPool.impostor, THRESHOLD_FMR, 0.1);
  const lofo = leaveOneFingerOut(kioskCalibration, kiosk, FINGER_CAPTURES, renderedThreshold);
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
  const loadAfter = loadavg()[0]!;
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
    fingerprint_real_four_try_success_flow: pct(flow.success / Math.max(1, flow.holders)),
    fingerprint_real_four_try_success_flow_bozorth3: pct(flowBozorth.success / Math.max(1, flowBozorth.holders)),
    fingerprint_real_flow_holders: flow.holders,
    fingerprint_real_flow_holders_failed: flow.holders - flow.success,
    fingerprint_real_flow_holders_failed_bozorth3: flowBozorth.holders - flowBozorth.success,
    fingerprint_real_direction_agreement: pct(agreement.agree / Math.max(1, agreement.pairs)),
    fingerprint_real_direction_pairs: agreement.pairs,
    fingerprint_real_fnmr_per_try_sets_0_7: pct(fnmr(kiosk8, MATCH_THRESHOLD)),
    fingerprint_real_fnmr_per_try_large_sets_0_7: pct(fnmr(kiosk8, MATCH_THRESHOLD, LARGE_CAPTURES)),
    fingerprint_real_fmr_at_threshold_sets_0_7: pct(kioskFmr8),
    fingerprint_real_fnmr_per_try_nbis_bozorth3_sets_0_7: pct(fnmr(bozorth8, bozorthAtEqualFmr8)),
    fingerprint_real_fnmr_per_try_large_nbis_bozorth3_sets_0_7: pct(fnmr(bozorth8, bozorthAtEqualFmr8, LARGE_CAPTURES)),
    fingerprint_real_four_try_success_sets_0_7: pct(fourTrySuccess(evaluation8, kiosk8, MATCH_THRESHOLD, LARGE_CAPTURES)),
    fingerprint_real_four_try_success_bozorth3_sets_0_7: pct(fourTrySuccess(evaluation8, bozorth8, bozorthAtEqualFmr8, LARGE_CAPTURES)),
    fingerprint_real_fnmr_per_try_lofo: pct(lofo.fnmr),
    fingerprint_real_fmr_lofo: pct(lofo.fmr),
    fingerprint_real_threshold_code: MATCH_THRESHOLD,
    fingerprint_real_threshold_calibration: thresholdFor(kioskCalibration.impostor, THRESHOLD_FMR, 0.1),
    fingerprint_rendered_threshold_calibration: renderedThreshold,
    fingerprint_rendered_impostor_pairs: renderedPool.impostor.length,
    fingerprint_rendered_fmr_at_threshold: pct(rate(renderedPool.impostor, (v) => v >= MATCH_THRESHOLD)),
    fingerprint_rendered_fnmr_at_threshold: pct(rate(renderedPool.genuine, (v) => v < MATCH_THRESHOLD)),
    fingerprint_real_calibration_impostor_pairs: kioskCalibration.impostor.length,
    fingerprint_real_fnmr_per_try_calibration: pct(fnmr(kioskCalibration, MATCH_THRESHOLD)),
    fingerprint_extract_ms_median: ms(times.ours),
    fingerprint_nbis_mindtct_ms_median: ms(times.mindtct),
    fingerprint_extract_to_mindtct_ratio: Math.round((times.ours / Math.max(0.001, times.mindtct)) * 100) / 100,
    fingerprint_extract_cpu_ms_median: ms(times.oursCpu),
    fingerprint_nbis_helper_cpu_ms_median: ms(times.helperCpu),
    fingerprint_nbis_touch_ms_median: ms(times.touch),
    fingerprint_helper_start_ms: ms(times.helperStart),
    fingerprint_bench_load_1min_before: Math.round(loadBefore * 100) / 100,
    fingerprint_bench_load_1min_after: Math.round(loadAfter * 100) / 100,
  };
}
