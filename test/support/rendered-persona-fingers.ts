/**
 * Personas' fingers as images, for the production rehearsal: each persona's finger is a rendered
 * master (test/fingerprint/render) seeded from the persona's finger seed; its card holds the
 * ground-truth minutiae of a supervised enrolment impression (standing in for the enrolment
 * station's extractor, which is not ours), and a live touch at the kiosk is another rendered
 * impression of the same master that only our extractor sees, as an image.
 */
import type { Persona } from '../../device/sim/personas.ts';
import { encodeCardTemplateFile } from '../../device/fingerprint/card-file.ts';
import { personaliseCard, type CardImage } from '../../device/sim/vcard/personalise.ts';
import { DEMO_CARD_MASTER_KEY, DEMO_ISSUER_PRIVATE_KEY_PEM } from '../../device/sim/vcard/demo-keys.ts';
import { renderMaster, type MasterPrint } from '../fingerprint/render/master.ts';
import { ENROLMENT_TOUCH, KIOSK_TOUCH, renderImpression, type RenderedImpression } from '../fingerprint/render/impression.ts';

const masters = new Map<string, MasterPrint>();

function master(seed: string): MasterPrint {
  let m = masters.get(seed);
  if (!m) {
    m = renderMaster(seed);
    masters.set(seed, m);
  }
  return m;
}

const personaMasterSeed = (p: Persona, fingerPosition: number) => `${p.finger.seed}/rendered-finger-${fingerPosition}`;

function enrolmentFile(p: Persona, fingerPosition: number): Uint8Array {
  const enrolment = renderImpression(master(personaMasterSeed(p, fingerPosition)), 'enrolment', ENROLMENT_TOUCH);
  return encodeCardTemplateFile({
    fingerPosition,
    width: enrolment.width,
    height: enrolment.height,
    resolutionDpi: enrolment.dpi,
    quality: 80,
    minutiae: enrolment.minutiae,
  });
}

/** The persona's virtual card, its two finger templates enrolled from rendered impressions. */
export function renderedFingerCard(p: Persona): CardImage {
  const files: [Uint8Array, Uint8Array] = [enrolmentFile(p, p.fingerPositions[0]), enrolmentFile(p, p.fingerPositions[1])];
  return personaliseCard(p, DEMO_ISSUER_PRIVATE_KEY_PEM, DEMO_CARD_MASTER_KEY, files);
}

/** A touch of one of the persona's card fingers (the first unless said) on the kiosk's sensor. */
export function holderTouch(p: Persona, touch: string, fingerPosition: number = p.fingerPositions[0]): RenderedImpression {
  return renderImpression(master(personaMasterSeed(p, fingerPosition)), touch, KIOSK_TOUCH);
}

/** The persona's finger barely touching the sensor's edge: too little of it to verify. */
export function holderFingertipTouch(p: Persona, touch: string): RenderedImpression {
  return renderImpression(master(personaMasterSeed(p, p.fingerPositions[0])), touch, { ...KIOSK_TOUCH, contact: [0.2, 0.25] });
}

/** A touch of a finger that is on nobody's card. */
export function strangerTouch(stranger: string, touch: string): RenderedImpression {
  return renderImpression(master(`rehearsal-stranger/${stranger}`), touch, KIOSK_TOUCH);
}
