/**
 * A release of the appliance: the version of package.json, the build (the UTC time of its commit,
 * then the commit: `20261206T101500Z-3f2a9c1`) and the board family it is built for (RAUC's
 * `compatible`). The running one is described by /usr/lib/anjungan/release.json in its root; a
 * bundle's by its RAUC manifest. Later means a higher version, or the same version built from a
 * later commit: a bundle that is not later than the running release is refused.
 */
import { readFileSync } from 'node:fs';
import { parseIni } from './ini.ts';

export interface Release {
  version: string;
  build: string;
  compatible: string;
}

const VERSION = /^(\d{1,6})\.(\d{1,6})\.(\d{1,6})$/;
const BUILD = /^(\d{8}T\d{6}Z)-([0-9a-f]{7,40})$/;
const COMPATIBLE = /^[a-z0-9][a-z0-9.-]{0,62}$/;

export class ReleaseFormatError extends Error {
  override readonly name = 'ReleaseFormatError';
}

export function checkRelease(r: Partial<Record<keyof Release, unknown>>, what: string): Release {
  if (typeof r.version !== 'string' || !VERSION.test(r.version)) throw new ReleaseFormatError(`${what}: version is not MAJOR.MINOR.PATCH`);
  if (typeof r.build !== 'string' || !BUILD.test(r.build)) throw new ReleaseFormatError(`${what}: build is not YYYYMMDDTHHMMSSZ-COMMIT`);
  if (typeof r.compatible !== 'string' || !COMPATIBLE.test(r.compatible))
    throw new ReleaseFormatError(`${what}: compatible is not a board name`);
  return { version: r.version, build: r.build, compatible: r.compatible };
}

/** Negative when a is older than b, zero when they are the same build, positive when a is later. */
export function compareReleases(a: Pick<Release, 'version' | 'build'>, b: Pick<Release, 'version' | 'build'>): number {
  const va = VERSION.exec(a.version)!.slice(1).map(Number);
  const vb = VERSION.exec(b.version)!.slice(1).map(Number);
  for (let i = 0; i < 3; i++) if (va[i] !== vb[i]) return va[i]! - vb[i]!;
  const ta = BUILD.exec(a.build)![1]!;
  const tb = BUILD.exec(b.build)![1]!;
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.build === b.build ? 0 : a.build < b.build ? -1 : 1;
}

export const describe = (r: Pick<Release, 'version' | 'build'>) => `${r.version} (${r.build})`;

export function readReleaseFile(path: string): Release {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new ReleaseFormatError(`${path} cannot be read as JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null) throw new ReleaseFormatError(`${path} holds no release`);
  return checkRelease(parsed as Record<string, unknown>, path);
}

/** The [update] section of a RAUC manifest (compatible, version, build). */
export function releaseOfManifest(text: string, what: string): Release {
  return checkRelease(parseIni(text).update ?? {}, what);
}
