/** The demo credentials' operator entry, hashed once in the source, opens with the demo PIN only. */
import t from 'tap';
import { demoCredentials, DEMO_STAFF_PIN } from '../../device/sim/kit.ts';
import { staffPinMatches } from '../../device/store/credentials.ts';
import { DEMO_CREDENTIALS } from '../../device/sim/dukcapil/server.ts';

t.test('the demo operator signs in with the demo PIN, not with another', async (t) => {
  const [entry] = (await demoCredentials(DEMO_CREDENTIALS)).staff;
  t.equal(entry?.id, 'petugas-demo');
  t.equal(await staffPinMatches(entry!, DEMO_STAFF_PIN), true);
  t.equal(await staffPinMatches(entry!, '135790'), false);
});

t.test('each fresh demo state gets keys of its own', async (t) => {
  const [a, b] = [await demoCredentials(DEMO_CREDENTIALS), await demoCredentials(DEMO_CREDENTIALS)];
  t.not(a.auditKey, b.auditKey);
  t.not(a.outboxKey, b.outboxKey);
});
