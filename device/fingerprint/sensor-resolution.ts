/**
 * What resolution a libfprint sensor's images really have. libfprint reports none (it documents
 * an assumed 500 ppi), and several drivers enlarge their images before handing them over so that
 * libfprint's own NBIS finds enough minutiae on a small sensor. The extractor resamples to 500 dpi
 * from the image's true resolution: native dpi × the driver's enlargement.
 *
 * Enlargements are read from libfprint's driver sources (commit 1f5e082, the 1.94 series Debian
 * ships). Native resolutions come from the driver source where it states one, otherwise from the
 * sensor family's nominal figure, and for egis0570 from its test capture's ridge period; `source`
 * says which. A kiosk with another sensor, or a measured correction, names it in the config
 * (`fingerprint.sensors`), which takes precedence. A wrong entry does not go unnoticed: the
 * extractor measures the ridge period of every image and refuses one at an impossible scale.
 */

export interface SensorResolution {
  /** Pixels per inch of the sensor itself. */
  nativeDpi: number;
  /** Integer factor the driver enlarges each image by (pixel repetition or interpolation). */
  enlargement: number;
  source: string;
}

const AUTHENTEC = 'AuthenTec family nominal 500 ppi';
const VALIDITY = 'Validity family nominal 500 ppi';
const UPEK = 'UPEK TouchChip family nominal 508 ppi';

export const KNOWN_SENSORS: Readonly<Record<string, SensorResolution>> = {
  aes1610: { nativeDpi: 500, enlargement: 1, source: AUTHENTEC },
  aes1660: { nativeDpi: 500, enlargement: 1, source: AUTHENTEC },
  aes2501: { nativeDpi: 500, enlargement: 1, source: AUTHENTEC },
  aes2550: { nativeDpi: 500, enlargement: 1, source: AUTHENTEC },
  aes2660: { nativeDpi: 500, enlargement: 1, source: AUTHENTEC },
  aes3500: {
    nativeDpi: 500,
    enlargement: 2,
    source: `${AUTHENTEC}; ENLARGE_FACTOR 2 in aes3500.c (its test capture's ridge period, 19 px, agrees)`,
  },
  aes4000: { nativeDpi: 500, enlargement: 3, source: `${AUTHENTEC}; ENLARGE_FACTOR 3 in aes4000.c (no capture to check against)` },
  egis0570: {
    nativeDpi: 250,
    enlargement: 2,
    source: 'EGIS0570_RESIZE 2 in egis0570.h; native dpi from its test capture (ridge period 11 px after the enlargement); no datasheet',
  },
  elan: { nativeDpi: 500, enlargement: 1, source: 'Elan nominal 500 ppi' },
  elanspi: { nativeDpi: 500, enlargement: 2, source: 'Elan nominal 500 ppi; fpi_image_resize (img, 2, 2) in elanspi.c' },
  etes603: { nativeDpi: 508, enlargement: 1, source: '"Sensor resolution: 508 dpi" in etes603.c' },
  nb1010: { nativeDpi: 385, enlargement: 1, source: 'NEXT Biometrics NB-1010 nominal 385 ppi (180 × 256 px on 11.9 × 16.9 mm)' },
  upeksonly: { nativeDpi: 508, enlargement: 1, source: UPEK },
  upektc: { nativeDpi: 508, enlargement: 1, source: UPEK },
  upektc_img: { nativeDpi: 508, enlargement: 1, source: UPEK },
  uru4000: { nativeDpi: 512, enlargement: 1, source: 'DigitalPersona U.are.U 4000/4500 nominal 512 ppi' },
  vcom5s: { nativeDpi: 500, enlargement: 1, source: 'Veridicom 5thSense nominal 500 ppi' },
  vfs0050: { nativeDpi: 500, enlargement: 1, source: VALIDITY },
  vfs101: { nativeDpi: 500, enlargement: 1, source: VALIDITY },
  vfs301: { nativeDpi: 500, enlargement: 1, source: VALIDITY },
  vfs5011: { nativeDpi: 500, enlargement: 1, source: VALIDITY },
  vfs7552: { nativeDpi: 500, enlargement: 2, source: `${VALIDITY}; 2 × 2 pixel repetition in vfs7552.c capture_complete` },
  virtual_image: { nativeDpi: 500, enlargement: 1, source: "libfprint's test device: whatever is fed to it; the rehearsal feeds 500 dpi" },
};

/** libfprint's documented assumption for a driver nobody has described. */
export const ASSUMED_SENSOR: SensorResolution = { nativeDpi: 500, enlargement: 1, source: 'libfprint assumes 500 ppi' };

export interface ResolvedResolution extends SensorResolution {
  /** Pixels per inch of the image the driver hands over. */
  dpi: number;
  /** Where the entry came from: the config, the built-in table, or libfprint's assumption. */
  from: 'config' | 'table' | 'assumed';
}

export function sensorResolution(
  driver: string,
  configured: Readonly<Record<string, { nativeDpi: number; enlargement: number }>> = {},
): ResolvedResolution {
  const own = Object.hasOwn(configured, driver) ? configured[driver] : undefined;
  if (own) return { ...own, source: 'kiosk configuration', dpi: own.nativeDpi * own.enlargement, from: 'config' };
  const known = Object.hasOwn(KNOWN_SENSORS, driver) ? KNOWN_SENSORS[driver] : undefined;
  if (known) return { ...known, dpi: known.nativeDpi * known.enlargement, from: 'table' };
  return { ...ASSUMED_SENSOR, dpi: ASSUMED_SENSOR.nativeDpi, from: 'assumed' };
}
