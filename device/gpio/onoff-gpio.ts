/**
 * The panel on real GPIO through onoff (legacy sysfs): three lights, a buzzer, the reader power
 * relay and the enclosure tamper switch, each on the line the configuration names. onoff is
 * loaded only here, so machines without GPIO (and demo mode) never need it.
 */
import { createRequire } from 'node:module';
import type { GpioEvent, GpioPort } from '../flow/ports.ts';
import { resolveLines, type GpioLinesConfig, type LineRole } from './lines.ts';
import { Debouncer, PanelSignals, REAL_TIMERS, type Timers } from './signals.ts';

/** The part of onoff's Gpio the driver uses; values are logical (after active-low). */
export interface OnoffLine {
  writeSync(v: 0 | 1): void;
  readSync(): 0 | 1;
  watch(cb: (err: Error | null | undefined, v: 0 | 1) => void): void;
  unexport(): void;
}

export type OnoffGpioClass = (new (gpio: number, direction: 'in' | 'out', edge?: 'none' | 'both', options?: { activeLow?: boolean }) => OnoffLine) & {
  accessible: boolean;
};

export class GpioUnavailableError extends Error {
  override readonly name = 'GpioUnavailableError';
}

const DEFAULT_DEBOUNCE_MS = 20;

export function loadOnoff(): OnoffGpioClass {
  return (createRequire(import.meta.url)('onoff') as { Gpio: OnoffGpioClass }).Gpio;
}

/**
 * Opens every configured line. The tamper input is asserted (1 after active-low) while the
 * enclosure is open; the reader power relay is asserted while the reader is powered.
 */
export function createOnoffGpio(opts: { lines: GpioLinesConfig; sysfsRoot?: string; Gpio?: OnoffGpioClass; timers?: Timers }): GpioPort {
  const Gpio = opts.Gpio ?? loadOnoff();
  if (!Gpio.accessible) throw new GpioUnavailableError('gpio.driver is "onoff" but GPIO is not accessible on this machine (no /sys/class/gpio or no permission)');
  const numbers = resolveLines(opts.sysfsRoot ?? '/sys', opts.lines);
  const timers = opts.timers ?? REAL_TIMERS;
  const open = (role: LineRole, direction: 'in' | 'out') =>
    new Gpio(numbers[role], direction, direction === 'in' ? 'both' : 'none', { activeLow: opts.lines[role].activeLow ?? false });
  const out = {
    green: open('ledGreen', 'out'),
    amber: open('ledAmber', 'out'),
    red: open('ledRed', 'out'),
    buzzer: open('buzzer', 'out'),
  };
  const power = open('readerPower', 'out');
  power.writeSync(1);
  const tamper = open('tamper', 'in');

  const signals = new PanelSignals((line, asserted) => out[line].writeSync(asserted ? 1 : 0), timers);
  const listeners = new Set<(e: GpioEvent) => void>();
  const debouncer = new Debouncer(
    tamper.readSync() === 1,
    opts.lines.tamper.debounceMs ?? DEFAULT_DEBOUNCE_MS,
    (open) => {
      for (const l of listeners) l({ type: 'tamper', open });
    },
    timers,
  );
  tamper.watch((err, v) => {
    // A failed read is not an edge; the next edge or readSync tells the truth.
    if (!err) debouncer.sample(v === 1);
  });

  return {
    setLights: (lights) => signals.setLights(lights),
    sound: (tone) => signals.sound(tone),
    async setReaderPower(on) {
      power.writeSync(on ? 1 : 0);
    },
    tamperOpen: () => debouncer.level,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      listeners.clear();
      signals.close();
      debouncer.close();
      for (const line of [...Object.values(out), power, tamper]) line.unexport();
    },
  };
}
