/**
 * GPIO on the board through onoff (sysfs): a three-colour indicator, a buzzer, the reader power
 * relay and the enclosure tamper switch. onoff is loaded only here, so machines without GPIO
 * (and demo mode) never need it.
 */
import { createRequire } from 'node:module';
import type { GpioEvent, GpioPort, IndicatorState } from '../flow/ports.ts';

export interface GpioPins {
  ledGreen: number;
  ledAmber: number;
  ledRed: number;
  buzzer: number;
  readerPower: number;
  /** Input, high while the enclosure is closed. */
  tamper: number;
}

type OnoffGpio = {
  writeSync(v: 0 | 1): void;
  readSync(): 0 | 1;
  watch(cb: (err: Error | null | undefined, v: 0 | 1) => void): void;
  unexport(): void;
};

const INDICATOR: Record<IndicatorState, [0 | 1, 0 | 1, 0 | 1]> = {
  idle: [1, 0, 0],
  busy: [0, 1, 0],
  success: [1, 0, 0],
  failure: [0, 0, 1],
  outOfService: [0, 1, 1],
};

const BEEP_MS: Record<'ok' | 'error' | 'attention', number[]> = { ok: [80], error: [250, 100, 250], attention: [80, 80, 80] };

export function createOnoffGpio(pins: GpioPins): GpioPort {
  const { Gpio } = createRequire(import.meta.url)('onoff') as {
    Gpio: (new (pin: number, dir: string, edge?: string, opts?: object) => OnoffGpio) & { accessible: boolean };
  };
  if (!Gpio.accessible) throw new Error('GPIO is not accessible on this machine');
  const green = new Gpio(pins.ledGreen, 'out');
  const amber = new Gpio(pins.ledAmber, 'out');
  const red = new Gpio(pins.ledRed, 'out');
  const buzzer = new Gpio(pins.buzzer, 'out');
  const power = new Gpio(pins.readerPower, 'high');
  const tamper = new Gpio(pins.tamper, 'in', 'both', { debounceTimeout: 20 });
  const listeners = new Set<(e: GpioEvent) => void>();
  tamper.watch((err, v) => {
    if (err) return;
    for (const l of listeners) l({ type: 'tamper', open: v === 0 });
  });
  return {
    setIndicator(state) {
      const [g, a, r] = INDICATOR[state];
      green.writeSync(g);
      amber.writeSync(a);
      red.writeSync(r);
    },
    beep(pattern) {
      let at = 0;
      BEEP_MS[pattern].forEach((ms, i) => {
        if (i % 2 === 0) {
          setTimeout(() => buzzer.writeSync(1), at);
          setTimeout(() => buzzer.writeSync(0), at + ms);
        }
        at += ms;
      });
    },
    async setReaderPower(on) {
      power.writeSync(on ? 1 : 0);
    },
    tamperOpen: () => tamper.readSync() === 0,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      listeners.clear();
      for (const g of [green, amber, red, buzzer, power, tamper]) g.unexport();
    },
  };
}
