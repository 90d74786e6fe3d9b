/** The watchdog ping period the daemon derives from what systemd passes it. */
import t from 'tap';
import { watchdogPingIntervalMs } from '../../device/systemd.ts';

t.test('pings at half the watchdog period, only when systemd asks this process', async (t) => {
  t.equal(watchdogPingIntervalMs({ WATCHDOG_USEC: '15000000' }, 42), 7500, 'WatchdogSec=15s: every 7.5 s');
  t.equal(watchdogPingIntervalMs({ WATCHDOG_USEC: '15000000', WATCHDOG_PID: '42' }, 42), 7500, 'meant for this process');
  t.equal(watchdogPingIntervalMs({ WATCHDOG_USEC: '15000000', WATCHDOG_PID: '41' }, 42), null, 'meant for another process');
  t.equal(watchdogPingIntervalMs({}, 42), null, 'no watchdog outside systemd');
  t.equal(watchdogPingIntervalMs({ WATCHDOG_USEC: 'soon' }, 42), null, 'a value that is not a number');
});
