import t from 'tap';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeFingerMinutiaeRecord } from '../../device/fingerprint/record.ts';
import { wideRecord } from './wide-record.ts';
import { MATCH_THRESHOLD } from '../../device/fingerprint/matcher.ts';
import { createMaster, createRng, impression } from '../../device/sim/finger-synth.ts';

const rng = createRng('cli-test');
const finger = createMaster('cli-test-finger');
const otherFinger = createMaster('cli-test-other');

function run(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import=tsx', 'device/fingerprint/cli.ts', ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

t.test('prints score, threshold and decision for two record files', async (t) => {
  const dir = t.testdir();
  const probe = join(dir, 'probe.fmr');
  const same = join(dir, 'same.fmr');
  const other = join(dir, 'other.fmr');
  writeFileSync(probe, encodeFingerMinutiaeRecord([impression(finger, rng)]));
  writeFileSync(same, encodeFingerMinutiaeRecord([impression(finger, rng)]));
  writeFileSync(other, encodeFingerMinutiaeRecord([impression(otherFinger, rng)]));
  const match = run(probe, same);
  t.equal(match.status, 0);
  const m = JSON.parse(match.stdout) as { score: number; threshold: number; decision: string };
  t.equal(m.decision, 'match');
  t.equal(m.threshold, MATCH_THRESHOLD);
  t.ok(m.score >= MATCH_THRESHOLD);
  const noMatch = JSON.parse(run(probe, other).stdout) as { decision: string };
  t.equal(noMatch.decision, 'no-match');
});

t.test('exits 2 with a clear message on malformed input or bad usage', async (t) => {
  const dir = t.testdir({ 'broken.fmr': 'FMR\0 20\0 not really a record' });
  const probe = join(dir, 'probe.fmr');
  writeFileSync(probe, encodeFingerMinutiaeRecord([impression(finger, rng)]));
  const broken = run(probe, join(dir, 'broken.fmr'));
  t.equal(broken.status, 2);
  t.match(broken.stderr, /reference file is not a valid ISO\/IEC 19794-2 record/);
  t.equal(broken.stdout, '');
  const missing = run(join(dir, 'nothing-here.fmr'), probe);
  t.equal(missing.status, 2);
  t.match(missing.stderr, /cannot read the probe file: ENOENT/);
  const usage = run(probe);
  t.equal(usage.status, 2);
  t.match(usage.stderr, /usage: fingerprint-match PROBE REFERENCE/);
});

t.test('any record gets an answer after bounded work: too many views are refused before scoring', async (t) => {
  const dir = t.testdir();
  const full = join(dir, 'full.fmr');
  const wide = join(dir, 'wide.fmr');
  writeFileSync(full, wideRecord(2));
  writeFileSync(wide, wideRecord(176));
  const worst = run(full, full);
  t.equal(worst.status, 0, 'two views of 255 minutiae against the same: scored');
  t.match(JSON.parse(worst.stdout), { decision: String });
  const refused = run(wide, full);
  t.equal(refused.status, 2);
  t.match(refused.stderr, /\(tooManyViews\)/);
});
