/**
 * Development aid (not part of `npm run bench`): writes the real-capture impression sets of one
 * model and seed tag — card templates, each touch's outcome as the kiosk judges it, and the
 * bozorth3 scores through libfprint — to a JSON file, so matcher changes can be tried without
 * libfprint in the loop.
 *   node --import=tsx test/bench/_fingerprint-real-dump.ts OUT.json TAG bumps|plastic|bumps-heavy [SETS] [TRIES]
 */
import { writeFileSync } from 'node:fs';
import { isoToNbisMinutia } from '../../device/fingerprint/nbis.ts';
import { BozorthOracle } from '../fingerprint/nbis/bozorth.ts';
import { KIOSK_MODEL, PLASTIC_MODEL, type ImpressionModel } from '../fingerprint/real/impressions.ts';
import { LibfprintNbis, realSets } from '../fingerprint/real/evaluation.ts';
import { FINGER_CAPTURES } from './fingerprint-real.ts';

const [out, tag, model, sets = '8', tries = '4'] = process.argv.slice(2);
const MODELS: Record<string, ImpressionModel> = {
  bumps: KIOSK_MODEL,
  plastic: PLASTIC_MODEL,
  // Development only: the bumps model with twice the skin displacement.
  'bumps-heavy': { ...KIOSK_MODEL, warpMm: 0.7 },
};
if (!out || !tag || !model || !MODELS[model]) throw new Error(`usage: OUT TAG ${Object.keys(MODELS).join('|')} [SETS] [TRIES]`);
const nbis = await LibfprintNbis.start();
const made = await realSets(nbis, FINGER_CAPTURES, Number(sets), Number(tries), MODELS[model]!, tag);
await nbis.stop();
const oracle = await BozorthOracle.start();
await oracle.setGallery(
  made.map((set) => {
    if (!set.card) return [];
    const scale = set.reference.dpi / set.card.resolutionDpi;
    return set.card.minutiae.map((m) => isoToNbisMinutia({ x: m.x * scale, y: m.y * scale, angle: m.angle }, set.reference.height));
  }),
);
const bozorth: number[][][] = [];
for (const set of made) {
  const row: number[][] = [];
  for (const probe of set.probes) row.push(probe.nbis ? await oracle.scores(probe.image) : made.map(() => 0));
  bozorth.push(row);
}
await oracle.stop();
writeFileSync(
  out,
  JSON.stringify(
    made.map((set, s) => ({
      finger: set.finger,
      set: set.set,
      card: set.card,
      referenceSize: [set.reference.width, set.reference.height, set.reference.dpi],
      probes: set.probes.map((p, k) => ({ outcome: p.outcome, nbisCount: p.nbis?.minutiae.length ?? -1, bozorth: bozorth[s]![k] })),
    })),
  ),
);
process.exit(0);
