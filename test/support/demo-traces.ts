/**
 * What must never ship on a kiosk: every demo persona's personal data (NIK, No KK, names) and
 * the marks of the simulators and virtual devices. `findDemoTraces` scans files (or any bytes)
 * for them, so the production bundle, the root file system and the SD-card image can be checked
 * the same way.
 */
import { readdirSync, readFileSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import { allPersonas } from '../../device/sim/personas.ts';

export function demoNeedles(): string[] {
  const needles = new Set<string>();
  for (const p of allPersonas()) {
    const people = [p.card, ...(p.registry.status === 'notFound' ? [] : [p.registry.person])];
    for (const person of people) {
      needles.add(person.nik);
      needles.add(person.nomorKk);
      needles.add(person.namaLengkap);
    }
    needles.add(p.cardExtras.namaIbu);
  }
  // Module marks: the simulators' source paths (bundle comments, source maps), the virtual card's
  // vpcd protocol code, and vpcd's own reader driver (Debian's vsmartcard-vpcd).
  for (const mark of ['device/sim/vcard/', 'device/sim/return-data/', 'device/sim/personas.ts', 'connectVpcdCard', 'libifdvpcd'])
    needles.add(mark);
  return [...needles];
}

/** The needles found in `data`. */
export function tracesIn(data: Buffer, needles = demoNeedles()): string[] {
  return needles.filter((n) => data.includes(n));
}

/** Every file under `dir` (symbolic links not followed) that holds a needle, with what it holds. */
export function findDemoTraces(dir: string, needles = demoNeedles()): Array<{ file: string; found: string[] }> {
  const hits: Array<{ file: string; found: string[] }> = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      const s = lstatSync(path);
      if (s.isDirectory()) walk(path);
      else if (s.isFile()) {
        const found = tracesIn(readFileSync(path), needles);
        if (found.length) hits.push({ file: path, found });
      }
    }
  };
  walk(dir);
  return hits;
}
