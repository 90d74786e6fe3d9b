/**
 * The page keep-alive: armed from the daemon's start, so a browser that never reaches the page is
 * reported like one that stopped pinging; after a report the restarted browser gets a grace, doubling
 * while it never pings.
 */
import t from 'tap';
import { UiWatch } from '../../device/server/ui-watch.ts';

t.test('a page that never pings after the daemon started is reported', async (t) => {
  let now = 0;
  const reports: number[] = [];
  const watch = new UiWatch({ timeoutMs: 30_000, armedAtStart: true, now: () => now, onFrozen: (ms) => reports.push(ms) });
  watch.start();
  now = 29_000;
  watch.check();
  t.same(reports, [], 'within the timeout: the browser may still be starting');
  now = 31_000;
  watch.check();
  t.same(reports, [31_000], 'no ping since the start: reported (a browser stuck on an error page)');
  now = 31_000 + 59_000;
  watch.check();
  t.same(reports, [31_000], 'the restarted browser gets twice the timeout to ping');
  now = 31_000 + 61_000;
  watch.check();
  t.same(reports.length, 2, 'a browser that still never pings is reported again');
  now = 92_000 + 119_000;
  watch.check();
  t.equal(reports.length, 2, 'after a second report without a ping, the grace doubles (a slow board gets the time to start)');
  now = 92_000 + 121_000;
  watch.check();
  t.equal(reports.length, 3);
  // Reported at 213 s; then 4 and 8 minutes of grace, and 8 minutes from then on.
  const reportTimes: number[] = [];
  for (now = 213_000; now <= 213_000 + 25 * 60_000; now += 1000) {
    const before = reports.length;
    watch.check();
    if (reports.length > before) reportTimes.push(now);
  }
  t.same(
    reportTimes.map((at, i) => (at - (i === 0 ? 213_000 : reportTimes[i - 1]!)) / 1000),
    [240, 480, 480],
    'the grace stops growing at 8 minutes: a browser that never starts is still restarted',
  );
  watch.ping();
  now += 31_000;
  watch.check();
  t.equal(reports.length, 7, 'a ping ends the backoff: the next frozen page is reported after the timeout');
  now += 61_000;
  watch.check();
  t.equal(reports.length, 8, 'and the restart after it gets twice the timeout again');
});

t.test('reports a page that stopped pinging, and arms again with the next ping', async (t) => {
  let now = 0;
  const reports: number[] = [];
  const watch = new UiWatch({ timeoutMs: 30_000, armedAtStart: true, now: () => now, onFrozen: (ms) => reports.push(ms) });
  watch.start();
  for (let i = 0; i < 10; i++) {
    watch.ping();
    now += 5000;
    watch.check();
  }
  t.same(reports, [], 'regular pings keep it quiet');
  now += 24_000;
  watch.check();
  t.same(reports, [], 'still within the timeout');
  now += 2000;
  watch.check();
  t.same(reports, [31_000], 'reported after the timeout');
  now += 30_000;
  watch.check();
  t.same(reports, [31_000], 'not again while the browser restarts');
  watch.ping();
  now += 31_000;
  watch.check();
  t.equal(reports.length, 2, 'armed again by the restarted page');
});

t.test('off a kiosk (no browser unit to restart) the watch waits for a first ping', async (t) => {
  let now = 0;
  const reports: number[] = [];
  const watch = new UiWatch({ timeoutMs: 30_000, armedAtStart: false, now: () => now, onFrozen: (ms) => reports.push(ms) });
  watch.start();
  now = 100_000;
  watch.check();
  t.same(reports, [], 'no page has pinged: nothing to report');
  watch.ping();
  now += 31_000;
  watch.check();
  t.same(reports, [31_000]);
});
