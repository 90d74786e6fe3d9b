/** In-memory GPIO for demo mode and tests: remembers what the lines would show. */
import type { GpioEvent, GpioPort, IndicatorState } from '../flow/ports.ts';

export class SimulatedGpio implements GpioPort {
  indicator: IndicatorState = 'idle';
  readonly beeps: string[] = [];
  readerPowered = true;
  private tamper = false;
  private readonly listeners = new Set<(e: GpioEvent) => void>();

  setIndicator(state: IndicatorState): void {
    this.indicator = state;
  }

  beep(pattern: 'ok' | 'error' | 'attention'): void {
    this.beeps.push(pattern);
    if (this.beeps.length > 100) this.beeps.shift();
  }

  async setReaderPower(on: boolean): Promise<void> {
    this.readerPowered = on;
  }

  tamperOpen(): boolean {
    return this.tamper;
  }

  /** The enclosure's tamper switch, as a test or the demo would flip it. */
  setTamper(open: boolean): void {
    this.tamper = open;
    for (const l of this.listeners) l({ type: 'tamper', open });
  }

  subscribe(listener: (e: GpioEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.listeners.clear();
  }
}
