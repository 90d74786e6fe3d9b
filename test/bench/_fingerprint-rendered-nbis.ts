/**
 * Development aid (not part of `npm run bench`): the rendered-finger pool through libfprint
 * (test/fingerprint/render/through-libfprint.ts) written to a JSON file, so matcher changes can
 * be tried on it without libfprint in the loop. The benchmark's own pool uses other seeds.
 *   node --import=tsx test/bench/_fingerprint-rendered-nbis.ts OUT.json [FINGERS] [TOUCHES]
 */
import { writeFileSync } from 'node:fs';
import { LibfprintNbis } from '../fingerprint/real/evaluation.ts';
import { renderedThroughLibfprint } from '../fingerprint/render/through-libfprint.ts';

const [out, fingers = '80', touches = '2'] = process.argv.slice(2);
if (!out) throw new Error('usage: OUT.json [FINGERS] [TOUCHES]');
const nbis = await LibfprintNbis.start();
const pool = await renderedThroughLibfprint(nbis, Number(fingers), Number(touches), 'rendered-nbis-dev');
await nbis.stop();
writeFileSync(out, JSON.stringify(pool));
process.exit(0);
