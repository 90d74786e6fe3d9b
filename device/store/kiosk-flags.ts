/**
 * Kiosk-wide flags that survive restarts (no personal data): staff pause, refused access, the
 * WIB day on which the registry said the shared quota was gone, the tamper lock, and until when
 * the registry's access hours are over.
 */
import type { ClockPort } from '../flow/ports.ts';
import type { Db } from './db.ts';

export type KioskFlag = 'pausedByStaff' | 'uplinkRejected' | 'quotaReached' | 'tamperLatched' | 'outsideAccessHoursUntil';

export class KioskFlags {
  constructor(
    private readonly db: Db,
    private readonly clock: ClockPort,
  ) {}

  isSet(flag: KioskFlag): boolean {
    return this.db.prepare('SELECT 1 FROM kiosk_flag WHERE name = ?').get(flag) !== undefined;
  }

  /** The flag's value, or null when it is not set. */
  value(flag: KioskFlag): string | null {
    const row = this.db.prepare<[string], { value: string }>('SELECT value FROM kiosk_flag WHERE name = ?').get(flag);
    return row?.value ?? null;
  }

  set(flag: KioskFlag, value: string): void {
    this.db
      .prepare(
        'INSERT INTO kiosk_flag (name, value, set_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value, set_at = excluded.set_at',
      )
      .run(flag, value, this.clock.now().toISOString());
  }

  clear(flag: KioskFlag): void {
    this.db.prepare('DELETE FROM kiosk_flag WHERE name = ?').run(flag);
  }
}
