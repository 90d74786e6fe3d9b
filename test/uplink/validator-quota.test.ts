import t from 'tap';
import { startDukcapilSimulator } from '../../device/sim/dukcapil/server.ts';
import { persona } from '../../device/sim/personas.ts';
import { DeviceError } from '../../device/domain/failure.ts';
import { live, rig } from './helpers/harness.ts';

const sim = await startDukcapilSimulator();
t.teardown(() => sim.close());
const card = persona('valid').card;

t.test('exactly the limit is served; the next session is refused without a request', async (t) => {
  const { validator, ledger } = rig(sim, { dailyLimit: 4 });
  const before = sim.hits();
  const kinds = [];
  for (let i = 0; i < 4; i += 1) kinds.push((await validator.validate(card, live())).kind);
  t.same(kinds, ['verified', 'verified', 'verified', 'verified']);
  t.equal(sim.hits() - before, 4);
  t.same(await validator.validate(card, live()), { kind: 'quotaReached' });
  t.equal(sim.hits() - before, 4, 'no request once the quota is spent');
  t.same(validator.health().quota, { ...ledger.usage(), used: 4, limit: 4 });
});

t.test('staff alerts at 80 %, 95 % and the limit, once each', async (t) => {
  const { validator, alerts } = rig(sim, { dailyLimit: 20 });
  for (let i = 0; i < 21; i += 1) await validator.validate(card, live());
  t.same(alerts, [
    [80, 16, 20],
    [95, 19, 20],
    [100, 20, 20],
  ]);
});

t.test('concurrent sessions never overshoot through the validator either', async (t) => {
  const { validator, ledger } = rig(sim, { dailyLimit: 7 });
  const before = sim.hits();
  const outcomes = await Promise.all(Array.from({ length: 20 }, () => validator.validate(card, live())));
  t.equal(outcomes.filter((o) => o.kind === 'verified').length, 7);
  t.equal(outcomes.filter((o) => o.kind === 'quotaReached').length, 13);
  t.equal(sim.hits() - before, 7);
  t.equal(ledger.usage().used, 7);
});

t.test('the day turns at midnight WIB and the quota is fresh', async (t) => {
  const clock = { at: new Date('2024-03-10T16:59:30Z'), now: () => clock.at };
  const { validator } = rig(sim, { dailyLimit: 1, clock });
  t.equal((await validator.validate(card, live())).kind, 'verified');
  t.equal((await validator.validate(card, live())).kind, 'quotaReached');
  clock.at = new Date('2024-03-10T17:00:00Z');
  t.equal(validator.health().quota.day, '2024-03-11');
  t.equal((await validator.validate(card, live())).kind, 'verified');
});

t.test('a card NIK that is not 16 digits is a typed error and spends nothing', async (t) => {
  const { validator, ledger } = rig(sim);
  const before = sim.hits();
  for (const nik of ['', '331309120388000', '33130912038800051', '33130912O3880005']) {
    await t.rejects(
      validator.validate({ ...card, nik }, live()),
      new DeviceError('cardUnreadable', 'card NIK is not 16 digits; nothing sent'),
    );
  }
  t.equal(ledger.usage().used, 0);
  t.equal(sim.hits(), before);
});
