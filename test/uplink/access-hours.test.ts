/** Dukcapil's access hours in WIB: open or not, the next opening, and how long a 06 answer keeps the kiosk out. */
import t from 'tap';
import {
  accessHoursProblems,
  accessWindowOpen,
  nextAccessOpening,
  OUTSIDE_HOURS_RETRY_MS,
  outsideHoursUntil,
} from '../../device/domain/access-hours.ts';

const weekdays = { from: '07:00', to: '16:00', weekdays: [1, 2, 3, 4, 5] };
// 2026-11-27 is a Friday; 07:00 WIB is 00:00 UTC.
const at = (iso: string) => new Date(iso);

t.test('open from `from` (inclusive) to `to` (exclusive), WIB, on the listed weekdays', async (t) => {
  t.notOk(accessWindowOpen(weekdays, at('2026-11-26T23:59:59Z')), 'Friday 06:59:59 WIB');
  t.ok(accessWindowOpen(weekdays, at('2026-11-27T00:00:00Z')), 'Friday 07:00 WIB');
  t.ok(accessWindowOpen(weekdays, at('2026-11-27T08:59:59Z')), 'Friday 15:59:59 WIB');
  t.notOk(accessWindowOpen(weekdays, at('2026-11-27T09:00:00Z')), 'Friday 16:00 WIB');
  t.notOk(accessWindowOpen(weekdays, at('2026-11-28T03:00:00Z')), 'Saturday 10:00 WIB');
  t.ok(accessWindowOpen({ from: '00:00', to: '24:00' }, at('2026-11-28T16:59:59Z')), 'a whole day, every day');
});

t.test('the next opening: later today, tomorrow, or after the weekend', async (t) => {
  t.same(nextAccessOpening(weekdays, at('2026-11-26T22:00:00Z')), at('2026-11-27T00:00:00Z'), 'Friday 05:00 WIB: at 07:00');
  t.same(nextAccessOpening(weekdays, at('2026-11-26T12:00:00Z')), at('2026-11-27T00:00:00Z'), 'Thursday 19:00 WIB: Friday 07:00');
  t.same(nextAccessOpening(weekdays, at('2026-11-27T10:00:00Z')), at('2026-11-30T00:00:00Z'), 'Friday 17:00 WIB: Monday 07:00');
  t.same(nextAccessOpening(weekdays, at('2026-11-27T03:00:00Z')), at('2026-11-30T00:00:00Z'), 'while open: the next window after this one');
});

t.test('after a 06 answer: until the next window, or a fixed wait when the hours cannot tell', async (t) => {
  t.same(outsideHoursUntil(weekdays, at('2026-11-27T12:00:00Z')), at('2026-11-30T00:00:00Z'), 'closed by the hours: the next opening');
  const now = at('2026-11-27T03:00:00Z');
  t.same(
    outsideHoursUntil(weekdays, now),
    new Date(now.getTime() + OUTSIDE_HOURS_RETRY_MS),
    'the hours say open, the registry disagrees: a fixed wait',
  );
  t.same(outsideHoursUntil(null, now), new Date(now.getTime() + OUTSIDE_HOURS_RETRY_MS), 'no hours configured: a fixed wait');
});

t.test('hours that cannot be used are named', async (t) => {
  t.same(accessHoursProblems(weekdays), []);
  t.match(accessHoursProblems({ from: '16:00', to: '07:00' }), [/from must be before to/]);
  t.match(accessHoursProblems({ from: '7:00', to: '25:00' }), [/HH:MM/]);
});
