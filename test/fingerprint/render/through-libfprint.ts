/**
 * Rendered fingers (./master.ts, ./impression.ts) through the kiosk's path, for the benchmark's
 * third impostor pool: each kiosk touch is an image placed on libfprint's virtual sensor, its
 * NBIS minutiae judged by our extractor (`judgeTouch`, as the sensor does); each card holds the
 * ground truth of a supervised enrolment impression of the same master, through the card format
 * (as the production rehearsal's personas, test/support/rendered-persona-fingers.ts). Rendered
 * masters of one class share their ridge flow around the core, which makes their impostor pairs
 * harder than the real captures' few fingers show.
 */
import { decodeCardTemplateFile, encodeCardTemplateFile } from '../../../device/fingerprint/card-file.ts';
import { extractTemplate } from '../../../device/fingerprint/extract/index.ts';
import { judgeTouch } from '../../../device/fingerprint/libfprint-sensor.ts';
import type { FingerTemplate } from '../../../device/domain/finger-template.ts';
import type { LibfprintNbis } from '../real/evaluation.ts';
import { renderMaster } from './master.ts';
import { ENROLMENT_TOUCH, KIOSK_TOUCH, renderImpression } from './impression.ts';

export interface RenderedPool {
  cards: FingerTemplate[];
  /** Per finger, its kiosk touches' templates (null: refused by our gate or by libfprint). */
  probes: Array<Array<FingerTemplate | null>>;
}

export async function renderedThroughLibfprint(nbis: LibfprintNbis, fingers: number, touches: number, tag: string): Promise<RenderedPool> {
  const pool: RenderedPool = { cards: [], probes: [] };
  for (let f = 0; f < fingers; f++) {
    const master = renderMaster(`${tag}-${f}`);
    const enrolment = renderImpression(master, 'enrolment', ENROLMENT_TOUCH);
    pool.cards.push(
      decodeCardTemplateFile(
        encodeCardTemplateFile({
          fingerPosition: 1,
          width: enrolment.width,
          height: enrolment.height,
          resolutionDpi: enrolment.dpi,
          quality: 80,
          minutiae: enrolment.minutiae,
        }),
      ),
    );
    const row: Array<FingerTemplate | null> = [];
    for (let k = 0; k < touches; k++) {
      const image = renderImpression(master, `kiosk-${k}`, KIOSK_TOUCH);
      const touch = await nbis.touch(image);
      const outcome = touch ? judgeTouch(touch, image.dpi, 1, extractTemplate(image, 1), 'libfprint-nbis') : null;
      row.push(outcome?.kind === 'captured' ? outcome.template : null);
    }
    pool.probes.push(row);
  }
  return pool;
}

/** Scores of every touch against its own card (genuine) and every other finger's (impostor). */
export function renderedScores(
  pool: RenderedPool,
  score: (probe: FingerTemplate, card: FingerTemplate) => number,
): { genuine: number[]; impostor: number[] } {
  const genuine: number[] = [],
    impostor: number[] = [];
  pool.probes.forEach((row, f) =>
    row.forEach((probe) => pool.cards.forEach((card, g) => (g === f ? genuine : impostor).push(probe ? score(probe, card) : 0))),
  );
  return { genuine, impostor };
}
