/**
 * A finger minutiae template in memory, the shape both ISO/IEC 19794-2 encodings (record
 * format and compact card format) decode to. Coordinates are pixels at `resolutionDpi`, the
 * origin top left; angles are radians, counter-clockwise from the x axis.
 */
export type MinutiaType = 'ending' | 'bifurcation' | 'other';

export interface Minutia {
  x: number;
  y: number;
  angle: number;
  type: MinutiaType;
  /** 0-100, ISO's minutia quality; 0 where the encoding carries none. */
  quality: number;
}

export interface FingerTemplate {
  /** ISO/IEC 19794-2 finger position code: 1 right thumb … 10 left little finger, 0 unknown. */
  fingerPosition: number;
  width: number;
  height: number;
  resolutionDpi: number;
  /** 0-100 finger quality of the impression. */
  quality: number;
  minutiae: Minutia[];
}
