/**
 * Whether the system clock is NTP-synchronised, read from the local clock state only (no server is
 * contacted): systemd-timesyncd creates this file once it has synchronised the clock, and the file
 * lives in /run, so it is gone after every boot until the next synchronisation.
 */
import { existsSync } from 'node:fs';

export const TIMESYNC_FLAG = '/run/systemd/timesync/synchronized';

export function clockSynchronised(flag = TIMESYNC_FLAG): boolean {
  return existsSync(flag);
}
