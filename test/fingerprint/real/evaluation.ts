/**
 * The kiosk's path on impressions made from the real captures, for the benchmark and the tests:
 * each impression goes through libfprint (its virtual_image device, through our capture helper)
 * for NBIS's minutiae, and through our extractor, which judges the image; `judgeTouch` — the
 * sensor's own function — decides what reaches the matcher. References stand for a KTP-el's:
 * an enrolment impression's minutiae by a standard extractor (libfprint's NBIS mindtct, standing
 * in for the enrolment vendor's), fitted to the card's 25.5 mm grid and through the card format.
 */
import { CaptureHelper, type NbisCapture } from '../../../device/fingerprint/capture-helper.ts';
import { decodeCardTemplateFile, encodeCardTemplateFile, CARD_GRID, CARD_RESOLUTION_DPI } from '../../../device/fingerprint/card-file.ts';
import { extractTemplate, type SensorImage } from '../../../device/fingerprint/extract/index.ts';
import { judgeTouch, nbisTemplate, type MinutiaeSource, type TouchOutcome } from '../../../device/fingerprint/libfprint-sensor.ts';
import type { FingerTemplate } from '../../../device/domain/finger-template.ts';
import { captureHelperPath, virtualSensor, type VirtualSensor } from '../../support/virtual-fingerprint-sensor.ts';
import { realCapture } from './captures.ts';
import { impressionSet, type ImpressionModel } from './impressions.ts';

/** libfprint's NBIS through the capture helper on a virtual sensor of its own. */
export class LibfprintNbis {
  private constructor(
    private readonly sensor: VirtualSensor,
    private readonly helper: CaptureHelper,
  ) {}

  static async start(): Promise<LibfprintNbis> {
    const sensor = virtualSensor();
    const helper = new CaptureHelper({ helperPath: captureHelperPath(), env: sensor.env });
    await helper.open(0);
    return new LibfprintNbis(sensor, helper);
  }

  /** The touch as the kiosk's helper returns it; null when libfprint refuses the image (no minutiae). */
  async touch(image: { width: number; height: number; pixels: Uint8Array }): Promise<NbisCapture | null> {
    const answer = this.helper.captureNbis();
    await this.sensor.place(image, 20_000);
    try {
      return await answer;
    } catch {
      return null;
    }
  }

  async stop(): Promise<void> {
    await this.helper.shutdown();
    this.sensor.cleanup();
  }
}

/** A template as a card carries it: minutiae on the 25.5 mm grid only, through the compact format. */
export function onCard(t: FingerTemplate): FingerTemplate {
  const scale = CARD_RESOLUTION_DPI / t.resolutionDpi;
  const fits = t.minutiae.filter((m) => Math.round(m.x * scale) < CARD_GRID && Math.round(m.y * scale) < CARD_GRID);
  return decodeCardTemplateFile(encodeCardTemplateFile({ ...t, minutiae: fits.slice(0, 255) }));
}

export interface RealTouch {
  finger: string;
  set: number;
  image: SensorImage;
  /** libfprint's answer; null when it refused the image. */
  nbis: NbisCapture | null;
  /** What the kiosk's matcher gets, per minutiae source. */
  outcome: Record<MinutiaeSource, TouchOutcome>;
}

export interface RealSet {
  finger: string;
  set: number;
  reference: SensorImage;
  /** libfprint's NBIS minutiae of the enrolment impression (null: refused). */
  referenceNbis: NbisCapture | null;
  /** The card template made from them (null when libfprint gave none). */
  card: FingerTemplate | null;
  probes: RealTouch[];
}

const REFUSED_BY_LIBFPRINT: TouchOutcome = { kind: 'poorQuality', hint: 'cleanFinger', reason: 'libfprint' };

export async function realSets(
  nbis: LibfprintNbis,
  fingers: readonly string[],
  sets: number,
  tries: number,
  model: ImpressionModel,
  tag: string,
): Promise<RealSet[]> {
  const out: RealSet[] = [];
  for (const name of fingers) {
    const capture = realCapture(name);
    for (let k = 0; k < sets; k++) {
      const made = impressionSet(capture, `${tag}-${k}`, tries, model);
      const referenceNbis = await nbis.touch(made.reference);
      const card = referenceNbis ? onCard(nbisTemplate(referenceNbis, made.reference.dpi, 1, 60)) : null;
      const probes: RealTouch[] = [];
      for (const image of made.probes) {
        const touch = await nbis.touch(image);
        const extraction = extractTemplate(image, 1);
        probes.push({
          finger: name,
          set: k,
          image,
          nbis: touch,
          outcome: {
            'libfprint-nbis': touch ? judgeTouch(touch, image.dpi, 1, extraction, 'libfprint-nbis') : REFUSED_BY_LIBFPRINT,
            own: touch ? judgeTouch(touch, image.dpi, 1, extraction, 'own') : REFUSED_BY_LIBFPRINT,
          },
        });
      }
      out.push({ finger: name, set: k, reference: made.reference, referenceNbis, card, probes });
    }
  }
  return out;
}
