/**
 * The real captures of ./ (libfprint's driver test images, see README.md), with the resolution
 * the kiosk's sensor table gives their drivers and what each one is: a finger, or a sensor image
 * that shows skin texture rather than ridges (which the extractor must refuse, not read).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sensorResolution } from '../../../device/fingerprint/sensor-resolution.ts';
import { readPngGrey, type GreyImage } from './png.ts';

const here = dirname(fileURLToPath(import.meta.url));

export interface RealCapture extends GreyImage {
  name: string;
  /** libfprint driver that produced it. */
  driver: string;
  /** Pixels per inch of the image as the driver hands it over (native × enlargement). */
  dpi: number;
  /** A fingertip with ridges (true), or a texture image no extractor should read (false). */
  finger: boolean;
}

/** name → [driver, finger?]. */
const CATALOGUE: Record<string, [string, boolean]> = {
  aes3500: ['aes3500', true],
  egis0570: ['egis0570', true],
  elan: ['elan', false],
  elanspi: ['elanspi', false],
  nb1010: ['nb1010', true],
  upektc_img: ['upektc_img', true],
  vfs0050: ['vfs0050', true],
  vfs301: ['vfs301', false],
  vfs5011: ['vfs5011', true],
  vfs7552: ['vfs7552', false],
};

export const REAL_CAPTURE_NAMES = Object.keys(CATALOGUE);

const cache = new Map<string, RealCapture>();

export function realCapture(name: string): RealCapture {
  const hit = cache.get(name);
  if (hit) return hit;
  const entry = CATALOGUE[name];
  if (!entry) throw new Error(`no real capture named ${name}`);
  const [driver, finger] = entry;
  const capture = { ...readPngGrey(join(here, `${name}.png`)), name, driver, dpi: sensorResolution(driver).dpi, finger };
  cache.set(name, capture);
  return capture;
}

export function realCaptures(): RealCapture[] {
  return REAL_CAPTURE_NAMES.map(realCapture);
}
