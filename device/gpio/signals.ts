/**
 * Timing on the panel's lines, shared by every GPIO driver: blinking lights, buzzer tone
 * patterns, and debouncing of inputs. Timers are injected so tests run them on a fake clock.
 */
import type { Light, PanelLights, PanelTone } from '../flow/ports.ts';

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export const REAL_TIMERS: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
  setInterval: (fn, ms) => setInterval(fn, ms).unref(),
  clearInterval: (h) => clearInterval(h as NodeJS.Timeout),
};

export const BLINK_HALF_PERIOD_MS = 500;

/** On/off durations in ms, starting with "on". Distinct enough to tell apart by ear. */
export const TONE_PATTERNS: Record<PanelTone, readonly number[]> = {
  cardRead: [80],
  error: [400, 150, 400],
  idleWarning: [120, 120, 120, 120, 120],
};

type LightLine = 'green' | 'amber' | 'red';

/** Drives three light lines and a buzzer line through `write` (true = asserted). */
export class PanelSignals {
  private lights: PanelLights = { green: 'off', amber: 'off', red: 'off' };
  private blinkPhase = false;
  private blinkTimer: unknown = null;
  private toneTimers: unknown[] = [];

  constructor(
    private readonly write: (line: LightLine | 'buzzer', asserted: boolean) => void,
    private readonly timers: Timers = REAL_TIMERS,
  ) {}

  setLights(next: PanelLights): void {
    this.lights = next;
    const blinking = Object.values(next).includes('blink');
    if (blinking && this.blinkTimer === null) {
      this.blinkPhase = true;
      this.blinkTimer = this.timers.setInterval(() => {
        this.blinkPhase = !this.blinkPhase;
        this.apply();
      }, BLINK_HALF_PERIOD_MS);
    } else if (!blinking && this.blinkTimer !== null) {
      this.timers.clearInterval(this.blinkTimer);
      this.blinkTimer = null;
    }
    this.apply();
  }

  sound(tone: PanelTone): void {
    // A new tone replaces one still sounding.
    for (const t of this.toneTimers) this.timers.clearTimeout(t);
    this.toneTimers = [];
    let at = 0;
    TONE_PATTERNS[tone].forEach((ms, i) => {
      const on = i % 2 === 0;
      this.toneTimers.push(this.timers.setTimeout(() => this.write('buzzer', on), at));
      at += ms;
    });
    this.toneTimers.push(this.timers.setTimeout(() => this.write('buzzer', false), at));
  }

  close(): void {
    if (this.blinkTimer !== null) this.timers.clearInterval(this.blinkTimer);
    for (const t of this.toneTimers) this.timers.clearTimeout(t);
    this.blinkTimer = null;
    this.toneTimers = [];
  }

  private apply(): void {
    const level = (l: Light) => l === 'on' || (l === 'blink' && this.blinkPhase);
    this.write('green', level(this.lights.green));
    this.write('amber', level(this.lights.amber));
    this.write('red', level(this.lights.red));
  }
}

/**
 * A switch bounces for a few milliseconds when it moves: a level counts only once it has held
 * for `ms`. `onSettled` sees each settled change once.
 */
export class Debouncer {
  private pending: unknown = null;

  constructor(
    private settled: boolean,
    private readonly ms: number,
    private readonly onSettled: (level: boolean) => void,
    private readonly timers: Timers = REAL_TIMERS,
  ) {}

  get level(): boolean {
    return this.settled;
  }

  /** A raw edge as the line reports it. */
  sample(level: boolean): void {
    if (this.pending !== null) this.timers.clearTimeout(this.pending);
    this.pending = null;
    if (level === this.settled) return;
    const settle = () => {
      this.pending = null;
      this.settled = level;
      this.onSettled(level);
    };
    if (this.ms === 0) settle();
    else this.pending = this.timers.setTimeout(settle, this.ms);
  }

  close(): void {
    if (this.pending !== null) this.timers.clearTimeout(this.pending);
    this.pending = null;
  }
}
