/** How two minutiae sets of one image agree: the measure of the direction convention against NBIS. */
import type { Minutia } from '../../../device/domain/finger-template.ts';

/**
 * Our extractor against libfprint's mindtct on the same image: minutiae paired one to one,
 * nearest first, within 12 px at 500 dpi; the share of pairs whose directions agree within 30°.
 */
export function directionAgreement(
  ours: readonly Minutia[],
  oursDpi: number,
  nbis: readonly Minutia[],
  nbisDpi: number,
): { pairs: number; agree: number } {
  const candidates: Array<[number, number, number]> = [];
  ours.forEach((m, i) => {
    nbis.forEach((q, j) => {
      const d = Math.hypot((q.x * 500) / nbisDpi - (m.x * 500) / oursDpi, (q.y * 500) / nbisDpi - (m.y * 500) / oursDpi);
      if (d <= 12) candidates.push([d, i, j]);
    });
  });
  candidates.sort((a, b) => a[0] - b[0]);
  const usedOurs = new Set<number>(),
    usedNbis = new Set<number>();
  let pairs = 0,
    agree = 0;
  for (const [, i, j] of candidates) {
    if (usedOurs.has(i) || usedNbis.has(j)) continue;
    usedOurs.add(i);
    usedNbis.add(j);
    pairs++;
    let d = Math.abs(ours[i]!.angle - nbis[j]!.angle) % (2 * Math.PI);
    if (d > Math.PI) d = 2 * Math.PI - d;
    if (d <= Math.PI / 6) agree++;
  }
  return { pairs, agree };
}
