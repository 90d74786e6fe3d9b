/**
 * GPIO lines as the configuration names them: a chip by its label (stable across kernels, unlike
 * chip numbers or the old sysfs numbers) and the line's offset on it.
 */

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
