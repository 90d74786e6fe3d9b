/**
 * GPIO lines as the configuration names them (chip label + offset) and their sysfs numbers.
 * onoff speaks the legacy sysfs interface, whose numbers are the chip's base plus the offset;
 * current Raspberry Pi kernels give each chip a base of 512 and up, so a BCM number alone points
 * at the wrong line. The base is read from /sys/class/gpio/gpiochip*\/{label,base,ngpio}.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The panel's lines by role; every one is wired on the reference enclosure. */
export const OUTPUT_LINES = ['ledGreen', 'ledAmber', 'ledRed', 'buzzer', 'readerPower'] as const;
export const INPUT_LINES = ['tamper'] as const;
export type OutputLine = (typeof OUTPUT_LINES)[number];
export type InputLine = (typeof INPUT_LINES)[number];
export type LineRole = OutputLine | InputLine;

export interface GpioLineConfig {
  /** The gpiochip's label, e.g. `pinctrl-bcm2711` (Pi 4) or `pinctrl-rp1` (Pi 5). */
  chip: string;
  /** Line offset on that chip (on a Pi's header chip: the BCM number). */
  offset: number;
  direction: 'in' | 'out';
  /** The line is asserted at low level (an LED wired to 3V3, a switch to ground); default false. */
  activeLow?: boolean;
  /** Inputs: a level must hold this long before it counts (switch bounce); default 20. */
  debounceMs?: number;
}

export type GpioLinesConfig = Record<LineRole, GpioLineConfig>;

export class GpioLineError extends Error {
  override readonly name = 'GpioLineError';
  constructor(
    readonly code: 'noSysfsGpio' | 'chipNotFound' | 'offsetOutOfRange' | 'wrongDirection',
    message: string,
  ) {
    super(message);
  }
}

export interface GpioChip {
  label: string;
  base: number;
  ngpio: number;
}

/** Every gpiochip the kernel lists under `<sysfsRoot>/class/gpio`. */
export function listGpioChips(sysfsRoot: string): GpioChip[] {
  const dir = join(sysfsRoot, 'class', 'gpio');
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /^gpiochip[0-9]+$/.test(n));
  } catch {
    throw new GpioLineError('noSysfsGpio', `no GPIO in ${dir}: this kernel has no sysfs GPIO`);
  }
  return names.map((name) => {
    const read = (f: string) => readFileSync(join(dir, name, f), 'utf8').trim();
    return { label: read('label'), base: Number(read('base')), ngpio: Number(read('ngpio')) };
  });
}

/** The sysfs number of one configured line. */
export function sysfsNumber(chips: readonly GpioChip[], role: LineRole, line: GpioLineConfig): number {
  const chip = chips.find((c) => c.label === line.chip);
  if (!chip) {
    const labels = chips.map((c) => c.label).join(', ') || 'none';
    throw new GpioLineError('chipNotFound', `gpio line ${role}: no gpiochip labelled "${line.chip}" (found: ${labels})`);
  }
  if (line.offset >= chip.ngpio) {
    throw new GpioLineError('offsetOutOfRange', `gpio line ${role}: offset ${line.offset} is beyond ${line.chip}'s ${chip.ngpio} lines`);
  }
  return chip.base + line.offset;
}

/** Resolves every line, checking each role's direction; the first problem stops the start. */
export function resolveLines(sysfsRoot: string, lines: GpioLinesConfig): Record<LineRole, number> {
  const chips = listGpioChips(sysfsRoot);
  const numbers = {} as Record<LineRole, number>;
  for (const role of [...OUTPUT_LINES, ...INPUT_LINES]) {
    const line = lines[role];
    const expected = (INPUT_LINES as readonly string[]).includes(role) ? 'in' : 'out';
    if (line.direction !== expected) throw new GpioLineError('wrongDirection', `gpio line ${role} must be an ${expected === 'in' ? 'input' : 'output'}`);
    numbers[role] = sysfsNumber(chips, role, line);
  }
  return numbers;
}
