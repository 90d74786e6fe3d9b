/**
 * The enclosure's tamper lock. An opened enclosure means someone may be at the reader or the
 * SAM: the running session is aborted (its data cleared), the kiosk goes out of service
 * (`tamper`), staff are alerted and the opening is audited. The lock is kept in the store, so
 * it survives a restart, and stays after the switch closes until a staff member clears it with
 * a PIN while the enclosure is closed.
 */
import type { AuditPort, GpioPort, StaffAuthPort } from '../flow/ports.ts';
import type { Logger } from '../log.ts';

export interface TamperFlagStore {
  isSet(flag: 'tamperLatched'): boolean;
  set(flag: 'tamperLatched', value: string): void;
  clear(flag: 'tamperLatched'): void;
}

export type TamperClearResult = 'cleared' | 'notLocked' | 'switchOpen' | 'pinRejected';

export class TamperLock {
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly deps: {
      gpio: GpioPort;
      flags: TamperFlagStore;
      staffAuth: StaffAuthPort;
      audit: AuditPort;
      logger: Logger;
      /** The enclosure was opened: abort the session, go out of service. */
      onOpened(): void;
      /** The switch closed or staff cleared the lock: the kiosk may check whether it can serve. */
      onChanged(): void;
    },
  ) {}

  /** Watches the switch; an enclosure already open at start locks at once. */
  start(): void {
    this.unsubscribe = this.deps.gpio.subscribe((e) => {
      if (e.type !== 'tamper') return;
      if (e.open) this.opened();
      else this.deps.onChanged();
    });
    if (this.deps.gpio.tamperOpen()) this.opened();
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** Locked while the enclosure is open and after, until cleared. */
  locked(): boolean {
    return this.deps.gpio.tamperOpen() || this.deps.flags.isSet('tamperLatched');
  }

  async clear(pin: string): Promise<TamperClearResult> {
    if (!this.locked()) return 'notLocked';
    if (this.deps.gpio.tamperOpen()) return 'switchOpen';
    const staff = await this.deps.staffAuth.verifyPin(pin);
    if (!staff) {
      this.deps.audit.record({ code: 'tamperClearRefused' });
      return 'pinRejected';
    }
    // The switch may have opened again while the PIN was checked.
    if (this.deps.gpio.tamperOpen()) return 'switchOpen';
    this.deps.flags.clear('tamperLatched');
    this.deps.audit.record({ code: 'tamperCleared', staffId: staff.staffId });
    this.deps.logger.info({ event: 'tamperCleared', staffId: staff.staffId }, 'tamper lock cleared by staff');
    this.deps.onChanged();
    return 'cleared';
  }

  private opened(): void {
    this.deps.flags.set('tamperLatched', 'opened');
    this.deps.audit.record({ code: 'tamperOpened' });
    this.deps.logger.warn(
      { event: 'staffAlert', kind: 'tamper' },
      'staff alert: the enclosure was opened; the kiosk is locked until staff clear it',
    );
    this.deps.onOpened();
  }
}
