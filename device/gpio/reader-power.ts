/**
 * The reader power relay's policy. A hung USB reader is often cured by cutting its power: after
 * N consecutive reader failures the reader is power-cycled once, at most once per 10 minutes,
 * and every cycle is audited. A reader that does not come back leaves the kiosk out of service
 * (`readerMissing`, through the readiness check) for staff to look at.
 */
import type { KioskEvent, KioskEventSource } from '../flow/events.ts';
import type { AuditPort, ClockPort, GpioPort, ReaderHealth } from '../flow/ports.ts';
import type { Logger } from '../log.ts';

export const MIN_CYCLE_INTERVAL_MS = 10 * 60_000;

export type PowerCycleOutcome = 'readerBack' | 'readerNotBack';

export interface ReaderPowerSettings {
  afterFailures: number;
  /** How long the reader stays unpowered (USB needs a moment to forget the device). */
  offMs: number;
  /** How long to wait for the reader to be listed again after power returns. */
  returnTimeoutMs: number;
}

export const DEFAULT_READER_POWER: ReaderPowerSettings = { afterFailures: 3, offMs: 2_000, returnTimeoutMs: 20_000 };

export class ReaderPowerPolicy {
  private consecutive = 0;
  private lastCycleAt: number | null = null;
  private cycling: Promise<PowerCycleOutcome> | null = null;

  constructor(
    private readonly deps: {
      gpio: Pick<GpioPort, 'setReaderPower'>;
      reader: { health(): ReaderHealth };
      clock: ClockPort;
      audit: AuditPort;
      logger: Logger;
      settings: ReaderPowerSettings;
      /** After a cycle: the kiosk checks whether it can serve (readerMissing if not back). */
      onCycled(outcome: PowerCycleOutcome): void;
      sleep?: (ms: number) => Promise<void>;
    },
  ) {}

  get consecutiveFailures(): number {
    return this.consecutive;
  }

  /** The cycle in progress, if any (tests and shutdown wait on it). */
  get inProgress(): Promise<PowerCycleOutcome> | null {
    return this.cycling;
  }

  readerFailed(): void {
    this.consecutive += 1;
    if (this.consecutive < this.deps.settings.afterFailures || this.cycling) return;
    const now = this.deps.clock.now().getTime();
    if (this.lastCycleAt !== null && now - this.lastCycleAt < MIN_CYCLE_INTERVAL_MS) return;
    this.lastCycleAt = now;
    this.cycling = this.cycle().finally(() => {
      this.cycling = null;
    });
  }

  readerWorked(): void {
    this.consecutive = 0;
  }

  private async cycle(): Promise<PowerCycleOutcome> {
    const sleep = this.deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const failures = this.consecutive;
    this.deps.logger.warn({ event: 'readerPowerCycle', failures }, 'reader failed repeatedly: cycling its power');
    await this.deps.gpio.setReaderPower(false);
    await sleep(this.deps.settings.offMs);
    await this.deps.gpio.setReaderPower(true);
    const deadline = this.deps.clock.now().getTime() + this.deps.settings.returnTimeoutMs;
    let outcome: PowerCycleOutcome = 'readerNotBack';
    for (;;) {
      if (this.deps.reader.health().idReader === 'ready') {
        outcome = 'readerBack';
        break;
      }
      if (this.deps.clock.now().getTime() >= deadline) break;
      await sleep(100);
    }
    this.consecutive = 0;
    this.deps.audit.record({ code: 'readerPowerCycled', outcome });
    if (outcome === 'readerNotBack')
      this.deps.logger.error(
        { event: 'staffAlert', kind: 'readerMissing' },
        'staff alert: the reader did not come back after a power cycle',
      );
    else this.deps.logger.info({ event: 'readerPowerCycled', outcome }, 'reader back after a power cycle');
    this.deps.onCycled(outcome);
    return outcome;
  }
}

/** What an event says about the ID reader: a failure, a read that worked, or nothing. */
export function readerSignal(event: KioskEvent): 'failed' | 'worked' | null {
  if (event.code === 'sessionFailed' && (event.outcome === 'cardUnreadable' || event.outcome === 'readerRemoved')) return 'failed';
  // Each check that finds no reader (an out-of-service kiosk checks again every 30 s).
  if (event.code === 'outOfService' && event.outcome === 'readerMissing') return 'failed';
  // The card's templates were read: the reader works.
  if (event.code === 'templatesRead') return 'worked';
  return null;
}

/** Feeds the policy what the kiosk's events say about the reader. Returns the unsubscriber. */
export function attachReaderPower(policy: ReaderPowerPolicy, events: KioskEventSource): () => void {
  return events.subscribe((event) => {
    const signal = readerSignal(event);
    if (signal === 'failed') policy.readerFailed();
    else if (signal === 'worked') policy.readerWorked();
  });
}
