import t from 'tap';
import fc from 'fast-check';
import { bars, HOURS, PLOT, recentSemesters } from '../../ui/dashboard/figures.ts';

const plotHeight = PLOT.bottom - PLOT.top;

t.test('the busiest hour fills the plot and every other bar is in proportion, standing on the axis', async (t) => {
  fc.assert(
    fc.property(fc.array(fc.nat({ max: 5000 }), { minLength: HOURS, maxLength: HOURS }), (perHour) => {
      const b = bars(perHour);
      const peak = Math.max(...perHour);
      return (
        b.length === HOURS &&
        b.every((bar, h) => bar.hour === h && bar.count === perHour[h]) &&
        b.every((bar) => Math.abs(bar.height - (peak === 0 ? 0 : (bar.count / peak) * plotHeight)) < 1e-9) &&
        b.every((bar) => Math.abs(bar.y + bar.height - PLOT.bottom) < 1e-9)
      );
    }),
  );
});

t.test('bars sit side by side inside the plot without overlapping', async (t) => {
  const b = bars(Array(HOURS).fill(1));
  t.ok(b[0]!.x >= PLOT.left);
  t.ok(b[HOURS - 1]!.x + b[HOURS - 1]!.width <= PLOT.right);
  for (let h = 1; h < HOURS; h++) t.ok(b[h]!.x >= b[h - 1]!.x + b[h - 1]!.width, `bar ${h} starts after bar ${h - 1}`);
});

t.test('a short, negative or broken series still draws 24 bars, the bad hours empty', async (t) => {
  const b = bars([3, -2, Number.NaN, 6]);
  t.equal(b.length, HOURS);
  t.same(
    b.slice(0, 5).map((x) => x.count),
    [3, 0, 0, 6, 0],
  );
  t.equal(b[3]!.height, plotHeight);
  t.ok(
    bars([]).every((x) => x.height === 0),
    'no hits: no bar, and no division by zero',
  );
});

t.test('the report offers this semester and the three before it, by the WIB date', async (t) => {
  t.same(recentSemesters(new Date('2026-12-01T03:00:00Z')), ['2026-2', '2026-1', '2025-2', '2025-1']);
  t.same(recentSemesters(new Date('2026-03-10T03:00:00Z')), ['2026-1', '2025-2', '2025-1', '2024-2']);
  t.same(recentSemesters(new Date('2026-06-30T16:59:00Z'))[0], '2026-1', '23:59 WIB on 30 June is still semester 1');
  t.same(recentSemesters(new Date('2026-06-30T17:00:00Z'))[0], '2026-2', 'midnight WIB starts semester 2');
  t.same(recentSemesters(new Date('2026-12-31T17:00:00Z'))[0], '2027-1', 'new year in WIB while still 31 December in UTC');
});
