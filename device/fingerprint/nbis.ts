/**
 * NIST NBIS minutiae as libfprint hands them over, and their conversion to ISO/IEC 19794-2.
 *
 * libfprint runs NBIS mindtct on every image and keeps, per print view, the arrays x, y and
 * theta that `fp_print_serialize()` writes. They are NBIS's "NIST internal representation"
 * (lfs2nist_minutia_XYT in mindtct's xytreps.c), the form bozorth3 reads:
 *   - x, y in pixels, origin at the bottom left of the image (y grows upwards);
 *   - theta in whole degrees, counter-clockwise from the x axis, wrapped by libfprint into
 *     −179..180;
 *   - the direction points out of the minutia, away from the ridge ending or the bifurcation's
 *     valley: in mindtct's own words "opposite direction from M1" (INCITS 378).
 * No type and no quality survive into the print.
 *
 * ISO/IEC 19794-2:2011 and INCITS 378 ("M1") count from the top left with y down, and a minutia
 * points up the ridge (ending) or down the valley between the branches (bifurcation) — see
 * docs/fingerprint.md. So the conversion mirrors y and turns the direction half a turn.
 */
import type { Minutia } from '../domain/finger-template.ts';

export interface NbisMinutia {
  x: number;
  y: number;
  /** Degrees, NIST internal sense (see above). */
  theta: number;
}

const TURN = 2 * Math.PI;

/** NIST internal degrees → ISO radians (0..2π), counter-clockwise, pointing the standard's way. */
export function nbisThetaToIsoAngle(theta: number): number {
  const radians = ((theta + 180) * Math.PI) / 180;
  return ((radians % TURN) + TURN) % TURN;
}

/** One NBIS minutia of an image `imageHeight` pixels high → an ISO minutia in that image's frame. */
export function nbisToIsoMinutia(m: NbisMinutia, imageHeight: number): Minutia {
  return { x: m.x, y: imageHeight - m.y, angle: nbisThetaToIsoAngle(m.theta), type: 'other', quality: 0 };
}

/** The inverse of nbisToIsoMinutia: an ISO minutia in an image `imageHeight` high → NIST internal. */
export function isoToNbisMinutia(m: Pick<Minutia, 'x' | 'y' | 'angle'>, imageHeight: number): NbisMinutia {
  let theta = Math.round((m.angle * 180) / Math.PI - 180) % 360;
  if (theta <= -180) theta += 360;
  if (theta > 180) theta -= 360;
  return { x: Math.round(m.x), y: Math.round(imageHeight - m.y), theta };
}
