/**
 * "Outside access hours" (code 06, "Di Luar Jam Akses") end to end: the flow with the real
 * validator over TLS against a Dukcapil simulator that keeps access hours, the real readiness and
 * SQLite flags (the card and finger are fakes); and the real daemon with the hours configured.
 * The kiosk goes out of service with its own reason until the next window, says when it opens,
 * and spends no quota hit meanwhile.
 */
import t from 'tap';
import { startDukcapilSimulator } from '../../device/sim/dukcapil/server.ts';
import { createKioskMachine } from '../../device/flow/machine.ts';
import { KioskRuntime } from '../../device/view/runtime.ts';
import { createReadiness } from '../../device/readiness.ts';
import { KioskFlags } from '../../device/store/kiosk-flags.ts';
import { OUTSIDE_HOURS_RETRY_MS, nextAccessOpening, type AccessHours } from '../../device/domain/access-hours.ts';
import { WIB_OFFSET_MS } from '../../device/domain/wib.ts';
import { makeFakes, settle } from '../flow/fakes.ts';
import { rig } from './helpers/harness.ts';
import { quietLogger } from '../support/logger.ts';
import { until } from '../support/until.ts';
import { buildKiosk, spawnKiosk } from '../support/kiosk-process.ts';
import { KioskClient } from '../support/kiosk-client.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

t.test('a 06 answer takes the kiosk out of service until access opens; no hit is spent meanwhile', async (t) => {
  // 19:00 WIB; the registry is open 07:00-16:00 WIB and the kiosk was not told its hours.
  let now = new Date('2026-11-27T12:00:00Z');
  const clock = { now: () => now };
  const sim = await startDukcapilSimulator({ accessHours: { from: '07:00', to: '16:00' }, clock });
  t.teardown(() => sim.close());
  const { validator, ledger, db } = rig(sim, { clock });
  t.teardown(() => validator.close());
  const f = makeFakes();
  const readiness = createReadiness({
    agreement: { numbers: ['TEST/1'], start: '2026-01-01', end: '2026-12-31' },
    clock,
    tamper: { locked: () => false },
    card: f.deps.card,
    validator,
    flags: new KioskFlags(db, clock),
    accessHours: null,
    logger: quietLogger(),
  });
  const runtime = new KioskRuntime(createKioskMachine({ ...f.deps, validator, readiness }), {
    demo: false,
    clock,
    logger: quietLogger(),
    maxFingerAttempts: 4,
    xstateClock: f.clock,
    accessReopensAt: () => readiness.accessReopensAt(),
  });
  runtime.start();
  t.teardown(() => runtime.stop());
  await until(() => runtime.view().screen === 'welcome', 'welcome');

  runtime.send({ type: 'CARD_INSERTED' });
  await until(() => runtime.view().screen === 'failed', 'the session to fail', 10_000);
  t.match(
    runtime.view(),
    { screen: 'failed', reason: 'outsideAccessHours', retriable: false },
    'its own reason, no "try again in a few minutes"',
  );
  t.equal(sim.hits(), 1, 'one question reached the registry');
  t.equal(ledger.usage().used, 1, 'and cost its hit');

  runtime.send({ type: 'CARD_REMOVED' });
  await until(() => runtime.view().screen === 'outOfService', 'out of service');
  const reopensAt = new Date(now.getTime() + OUTSIDE_HOURS_RETRY_MS).toISOString();
  t.match(runtime.view(), { screen: 'outOfService', reason: 'outsideAccessHours', reopensAt }, 'it says when it tries again');

  for (let i = 0; i < 10; i++) {
    f.clock.increment(30_000);
    runtime.send({ type: 'CARD_INSERTED' });
    await settle();
    runtime.send({ type: 'CARD_REMOVED' });
    await settle();
  }
  t.equal(f.calls.readTemplates, 1, 'cards inserted meanwhile are not read');
  t.equal(sim.hits(), 1, 'and nothing is asked of the registry');
  t.equal(ledger.usage().used, 1, 'no quota hit spent meanwhile');

  now = new Date(Date.parse(reopensAt));
  f.clock.increment(30_000);
  await until(() => runtime.view().screen === 'welcome', 'the kiosk to serve again at the retry time');
  t.pass('serves again');
});

function hoursClosedNow(now: Date): AccessHours {
  const wibHour = new Date(now.getTime() + WIB_OFFSET_MS).getUTCHours();
  const pad = (h: number) => `${String(h).padStart(2, '0')}:00`;
  // A one-hour window that does not hold now: later today, or early tomorrow late in the evening.
  return wibHour < 20 ? { from: pad(wibHour + 2), to: pad(wibHour + 3) } : { from: '01:00', to: '02:00' };
}

t.test(
  'the real daemon with its hours configured: outside them it is out of service at once, says when it opens, asks nothing',
  async (t) => {
    await buildKiosk();
    const hours = hoursClosedNow(new Date());
    const dir = mkdtempSync(join(tmpdir(), 'anj21-hours-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ uplink: { accessHours: hours } }));
    const kiosk = await spawnKiosk({ ANJUNGAN_CONFIG: join(dir, 'config.json') });
    t.teardown(() => kiosk.stop());
    const k = new KioskClient(kiosk.url);
    const view = await k.until((v) => v.screen === 'outOfService' && v.reason !== 'starting', 'out of service');
    t.match(view, { screen: 'outOfService', reason: 'outsideAccessHours' });
    const expected = nextAccessOpening(hours, new Date())!;
    t.equal(view.screen === 'outOfService' && view.reopensAt, expected.toISOString(), `back at ${hours.from} WIB`);
    const health = (await (await fetch(`${kiosk.url}/healthz`)).json()) as { devices: { uplink: { quota: { used: number } } } };
    t.equal(health.devices.uplink.quota.used, 0, 'no quota hit spent');
  },
);
