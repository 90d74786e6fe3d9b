/**
 * The simulated fingerprint sensor of the demo and pcsc-sim modes. The demo panel "presents" a
 * finger (the card holder's, or a stranger's); the flow's capture turns it into a live template
 * of the finger position the card asks for, exactly as a vendor driver would hand over a
 * template extracted from its image. A vendor sensor replaces this class behind
 * FingerprintSensorPort.
 *
 * A finger position outside 0..10 is refused with TemplateFormatError('badFingerPosition');
 * a finger presented to a sensor that is not ready is ignored.
 *
 * A finger presented while no capture waits is kept for HELD_FINGER_MS only: a touch made just
 * before the screen asks for it still counts (a person often puts the finger down early), but a
 * stale touch from a previous session or attempt does not silently feed the next capture.
 */
import { DeviceError } from '../domain/failure.ts';
import type { FingerCapture, FingerprintSensorPort } from '../flow/ports.ts';
import type { CaptureHint } from '../domain/capture-hint.ts';
import type { FingerTemplate } from '../domain/finger-template.ts';
import { TemplateFormatError } from '../fingerprint/format-error.ts';
import type { Persona } from './personas.ts';
import { liveImpression, strangerImpression } from './persona-fingers.ts';
import { createRng, type Rng } from './finger-synth.ts';

export const HELD_FINGER_MS = 2000;
/** Below this impression quality the sensor asks for another touch instead of a template. */
export const MIN_CAPTURE_QUALITY = 30;
/** Fewer minutiae than this means the finger was mostly off the window. */
export const MIN_CAPTURE_MINUTIAE = 12;

interface Presented {
  holder: Persona;
  genuine: boolean;
  at: number;
}

interface Waiter {
  fingerPosition: number;
  resolve: (c: FingerCapture) => void;
  fail: (e: DeviceError) => void;
}

export interface SimulatedFingerSensorOptions {
  /** Source of randomness for live impressions; a fresh unpredictable one by default. */
  rng?: Rng;
  now?: () => number;
}

export class SimulatedFingerSensor implements FingerprintSensorPort {
  private readonly rng: Rng;
  private readonly now: () => number;
  private presented: Presented | undefined;
  private readonly waiting: Waiter[] = [];
  private state: 'ready' | 'missing' | 'error' = 'ready';

  constructor(options: SimulatedFingerSensorOptions = {}) {
    this.rng = options.rng ?? createRng(`${Date.now()}-${Math.random()}`);
    this.now = options.now ?? Date.now;
  }

  health(): 'ready' | 'missing' | 'error' {
    return this.state;
  }

  /** The demo panel's "unplug the sensor" and "plug it back". */
  setHealth(state: 'ready' | 'missing' | 'error'): void {
    this.state = state;
    if (state !== 'ready') {
      for (const w of this.waiting.splice(0)) w.fail(new DeviceError('sensorUnavailable', 'fingerprint sensor went away'));
    }
  }

  /** A finger touches the sensor: the holder's own (genuine) or somebody else's. */
  present(holder: Persona, genuine: boolean): void {
    if (this.state !== 'ready') return;
    const waiter = this.waiting.shift();
    if (waiter) {
      waiter.resolve(this.read(holder, genuine, waiter.fingerPosition));
      return;
    }
    this.presented = { holder, genuine, at: this.now() };
  }

  capture(fingerPosition: number, signal: AbortSignal): Promise<FingerCapture> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (!Number.isInteger(fingerPosition) || fingerPosition < 0 || fingerPosition > 10) {
      return Promise.reject(new TemplateFormatError('badFingerPosition', 'finger position code must be 0..10'));
    }
    if (this.state !== 'ready') {
      return Promise.reject(new DeviceError('sensorUnavailable', 'fingerprint sensor is not ready'));
    }
    const held = this.presented;
    this.presented = undefined;
    if (held && this.now() - held.at <= HELD_FINGER_MS) {
      return Promise.resolve(this.read(held.holder, held.genuine, fingerPosition));
    }
    return new Promise<FingerCapture>((resolve, reject) => {
      const waiter: Waiter = {
        fingerPosition,
        resolve: (c) => {
          signal.removeEventListener('abort', onAbort);
          resolve(c);
        },
        fail: (e) => {
          signal.removeEventListener('abort', onAbort);
          reject(e);
        },
      };
      const onAbort = (): void => {
        const at = this.waiting.indexOf(waiter);
        if (at >= 0) this.waiting.splice(at, 1);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  private read(holder: Persona, genuine: boolean, fingerPosition: number): FingerCapture {
    const template: FingerTemplate = genuine
      ? liveImpression(holder, fingerPosition, this.rng)
      : strangerImpression(fingerPosition, this.rng);
    if (template.quality < MIN_CAPTURE_QUALITY) {
      const hint: CaptureHint = this.rng.next() < 0.5 ? 'cleanFinger' : 'pressLonger';
      return { kind: 'poorQuality', hint };
    }
    if (template.minutiae.length < MIN_CAPTURE_MINUTIAE) return { kind: 'poorQuality', hint: 'placeCentered' };
    return { kind: 'captured', template, quality: template.quality };
  }
}
