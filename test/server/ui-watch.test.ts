/** The page keep-alive: a frozen page is reported once, and only after pings had been arriving. */
import t from 'tap';
import { UiWatch } from '../../device/server/ui-watch.ts';

t.test('reports a page that stopped pinging, once', async (t) => {
  let now = 0;
  const reports: number[] = [];
  const watch = new UiWatch({ timeoutMs: 30_000, now: () => now, onFrozen: (ms) => reports.push(ms) });
  now = 100_000;
  watch.check();
  t.same(reports, [], 'no browser has pinged yet (still starting): nothing to report');
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
  now += 60_000;
  watch.check();
  t.same(reports, [31_000], 'not again while the browser restarts');
  watch.ping();
  now += 31_000;
  watch.check();
  t.equal(reports.length, 2, 'armed again by the restarted page');
});
