/** In-memory GPIO for demo mode and tests: remembers what the lines would show. */
import type { GpioEvent, GpioPort, PanelLights, PanelTone } from '../flow/ports.ts';

export class SimulatedGpio implements GpioPort {
  lights: PanelLights = { green: 'off', amber: 'off', red: 'off' };
  readonly tones: PanelTone[] = [];
  readerPowered = true;
  readonly powerChanges: boolean[] = [];
  private tamper = false;
  private readonly listeners = new Set<(e: GpioEvent) => void>();
  private readonly lightListeners = new Set<(lights: PanelLights) => void>();

  constructor(private readonly onReaderPower?: (on: boolean) => Promise<void>) {}

  setLights(lights: PanelLights): void {
    this.lights = lights;
    for (const l of this.lightListeners) l(lights);
  }

  sound(tone: PanelTone): void {
    this.tones.push(tone);
    if (this.tones.length > 100) this.tones.shift();
  }

  async setReaderPower(on: boolean): Promise<void> {
    this.readerPowered = on;
    this.powerChanges.push(on);
    await this.onReaderPower?.(on);
  }

  tamperOpen(): boolean {
    return this.tamper;
  }

  /** The enclosure's tamper switch, as a test or the demo would flip it. */
  setTamper(open: boolean): void {
    if (open === this.tamper) return;
    this.tamper = open;
    for (const l of this.listeners) l({ type: 'tamper', open });
  }

  subscribe(listener: (e: GpioEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Demo panel: the lights as the enclosure would show them. */
  onLights(listener: (lights: PanelLights) => void): () => void {
    this.lightListeners.add(listener);
    return () => this.lightListeners.delete(listener);
  }

  close(): void {
    this.listeners.clear();
    this.lightListeners.clear();
  }
}
