/**
 * Refusal lines: the first of a kind at once, then one line per window with the count, the
 * totals never lost (flushed on close), and a kind that went quiet logged at once again.
 */
import t from 'tap';
import { RefusalLog } from '../../device/server/refusal-log.ts';
import { until } from '../support/until.ts';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  return { lines, logger: { warn: (fields: Record<string, unknown>) => void lines.push(fields) } };
}

t.test('a flood of one kind: one line at once, then counts; every refusal counted', async (t) => {
  const { lines, logger } = capture();
  const log = new RefusalLog(logger as never, 50);
  for (let i = 0; i < 1000; i++) log.refused({ event: 'edgeRefused', refusal: 'foreignHost' }, 'refused');
  t.same(lines, [{ event: 'edgeRefused', refusal: 'foreignHost', count: 1 }], 'the first refusal is logged at once, alone');
  await until(() => lines.length === 2, 'the window to end');
  t.same(lines[1], { event: 'edgeRefused', refusal: 'foreignHost', count: 999, windowMs: 50 }, 'the rest, as a count');
  log.refused({ event: 'edgeRefused', refusal: 'foreignHost' }, 'refused');
  t.equal(lines.length, 2, 'a flood that goes on is not logged at once');
  log.close();
  t.equal(lines.at(-1)!.count, 1, 'close tells what the window had counted');
  t.equal(
    lines.reduce((n, l) => n + Number(l.count), 0),
    1001,
  );
});

t.test('kinds are counted apart; a kind that went quiet is logged at once again', async (t) => {
  const { lines, logger } = capture();
  const log = new RefusalLog(logger as never, 30);
  log.refused({ event: 'edgeRefused', refusal: 'foreignHost' }, 'refused');
  log.refused({ event: 'edgeRefused', refusal: 'foreignOrigin' }, 'refused');
  t.equal(lines.length, 2, 'each kind gets its first line');
  await new Promise((r) => setTimeout(r, 100));
  t.equal(lines.length, 2, 'nothing more to tell: no empty lines');
  log.refused({ event: 'edgeRefused', refusal: 'foreignHost' }, 'refused');
  t.equal(lines.length, 3, 'after a quiet window, at once again');
  log.close();
});
