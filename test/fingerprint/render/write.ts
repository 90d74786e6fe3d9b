/**
 * Writes rendered impressions to files, each image beside its ground truth:
 *   NAME.pgm  (8-bit grey, 500 dpi)  and  NAME.json  ({ dpi, minutiae })
 * Usage: node --import=tsx test/fingerprint/render/write.ts OUT_DIR FINGER_SEED [IMPRESSIONS]
 * The first impression is an enrolment touch, the others kiosk touches.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderMaster } from './master.ts';
import { ENROLMENT_TOUCH, KIOSK_TOUCH, renderImpression, type RenderedImpression } from './impression.ts';

export function pgm(image: { width: number; height: number; pixels: Uint8Array }): Buffer {
  return Buffer.concat([Buffer.from(`P5\n${image.width} ${image.height}\n255\n`), Buffer.from(image.pixels)]);
}

export function writeImpression(dir: string, name: string, image: RenderedImpression): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.pgm`), pgm(image));
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify({ dpi: image.dpi, minutiae: image.minutiae }, null, 1)}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir, seed, count = '4'] = process.argv.slice(2);
  if (!dir || !seed) {
    process.stderr.write('usage: write.ts OUT_DIR FINGER_SEED [IMPRESSIONS]\n');
    process.exit(2);
  }
  const master = renderMaster(seed);
  for (let k = 0; k < Number(count); k++) {
    writeImpression(dir, `${seed}-${k}`, renderImpression(master, String(k), k === 0 ? ENROLMENT_TOUCH : KIOSK_TOUCH));
  }
}
