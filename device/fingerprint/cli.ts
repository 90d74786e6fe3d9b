/**
 * fingerprint-match PROBE REFERENCE: scores two ISO/IEC 19794-2 record-format files with the
 * kiosk's matcher, so it can be evaluated on other data sets. Prints one JSON line
 * {"score", "threshold", "decision"}; a record with several finger views is compared view
 * against view and the best score counts, as the kiosk does with the card's two templates.
 * Exit 0 on a result, 2 on bad usage or malformed input (the message names the problem,
 * never the template content).
 */
import { readFileSync } from 'node:fs';
import { decodeFingerMinutiaeRecord } from './record.ts';
import { isTemplateFormatError } from './format-error.ts';
import { MATCH_THRESHOLD, matchScore } from './matcher.ts';
import type { FingerTemplate } from '../domain/finger-template.ts';

function load(path: string, role: string): FingerTemplate[] {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new Error(`cannot read the ${role} file: ${(e as NodeJS.ErrnoException).code ?? 'unknown error'}`);
  }
  try {
    return decodeFingerMinutiaeRecord(bytes);
  } catch (e) {
    if (isTemplateFormatError(e)) throw new Error(`the ${role} file is not a valid ISO/IEC 19794-2 record (${e.code}): ${e.message}`);
    throw e;
  }
}

function main(args: string[]): number {
  if (args.length !== 2) {
    process.stderr.write('usage: fingerprint-match PROBE REFERENCE   (ISO/IEC 19794-2 record-format files)\n');
    return 2;
  }
  try {
    const probes = load(args[0] as string, 'probe');
    const references = load(args[1] as string, 'reference');
    let score = 0;
    for (const p of probes) for (const r of references) score = Math.max(score, matchScore(p, r));
    const decision = score >= MATCH_THRESHOLD ? 'match' : 'no-match';
    process.stdout.write(`${JSON.stringify({ score, threshold: MATCH_THRESHOLD, decision })}\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`fingerprint-match: ${(e as Error).message}\n`);
    return 2;
  }
}

process.exitCode = main(process.argv.slice(2));
