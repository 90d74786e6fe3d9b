/** Fake /sys trees shaped like real boards' (label, base, ngpio per gpiochip). */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GpioChip } from '../../device/gpio/lines.ts';

/** Raspberry Pi 4 on a 6.6 kernel: the header chip moved to base 512. */
export const PI4_CHIPS: GpioChip[] = [
  { label: 'pinctrl-bcm2711', base: 512, ngpio: 58 },
  { label: 'raspberrypi-exp-gpio', base: 570, ngpio: 8 },
];

/** Raspberry Pi 4 on an older kernel: base 0, where BCM numbers were sysfs numbers. */
export const PI4_OLD_KERNEL_CHIPS: GpioChip[] = [
  { label: 'pinctrl-bcm2711', base: 0, ngpio: 58 },
  { label: 'raspberrypi-exp-gpio', base: 504, ngpio: 8 },
];

/** Raspberry Pi 5: the header is on the RP1's chip, listed after the SoC's own. */
export const PI5_CHIPS: GpioChip[] = [
  { label: 'gpio-brcmstb@107d508500', base: 512, ngpio: 32 },
  { label: 'gpio-brcmstb@107d508520', base: 544, ngpio: 4 },
  { label: 'gpio-brcmstb@107d517c00', base: 548, ngpio: 17 },
  { label: 'gpio-brcmstb@107d517c20', base: 565, ngpio: 6 },
  { label: 'pinctrl-rp1', base: 571, ngpio: 54 },
];

/** Writes `<root>/class/gpio/gpiochipN/{label,base,ngpio}` (plus the files sysfs also has). */
export function fakeSysfs(chips: GpioChip[] | null): { root: string; remove(): void } {
  const root = mkdtempSync(join(tmpdir(), 'anj9-sysfs-'));
  if (chips) {
    const dir = join(root, 'class', 'gpio');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'export'), '');
    writeFileSync(join(dir, 'unexport'), '');
    for (const c of chips) {
      const chip = join(dir, `gpiochip${c.base}`);
      mkdirSync(chip);
      writeFileSync(join(chip, 'label'), `${c.label}\n`);
      writeFileSync(join(chip, 'base'), `${c.base}\n`);
      writeFileSync(join(chip, 'ngpio'), `${c.ngpio}\n`);
    }
  }
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}
