import t from 'tap';
import { CircuitBreaker, type BreakerState } from '../../device/uplink/breaker.ts';

t.test('opens after the threshold of consecutive failures; a success in between resets the count', async (t) => {
  const changes: Array<[BreakerState, BreakerState]> = [];
  const b = new CircuitBreaker(3, (from, to) => changes.push([from, to]));
  b.recordFailure();
  b.recordFailure();
  b.recordSuccess();
  b.recordFailure();
  b.recordFailure();
  t.equal(b.state(), 'closed');
  b.recordFailure();
  t.equal(b.state(), 'open');
  t.equal(b.allowsRequest(), false);
  t.same(changes, [['closed', 'open']]);
});

t.test('only a successful probe half-opens it; the next request decides', async (t) => {
  const b = new CircuitBreaker(1);
  b.recordFailure();
  b.recordProbe(false);
  t.equal(b.state(), 'open');
  b.recordProbe(true);
  t.equal(b.state(), 'halfOpen');
  t.equal(b.allowsRequest(), true);
  b.recordSuccess();
  t.equal(b.state(), 'closed');
  b.recordProbe(true);
  t.equal(b.state(), 'closed', 'a probe never changes a closed breaker');
});

t.test('a bad threshold is refused', async (t) => {
  t.throws(() => new CircuitBreaker(0));
});
