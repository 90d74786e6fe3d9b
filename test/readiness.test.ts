/**
 * Readiness: whether the kiosk may serve, in the order a technician would fix things, over a real
 * SQLite store for the flags that survive a restart.
 */
import t, { type Test } from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createReadiness } from '../device/readiness.ts';
import { openDatabase } from '../device/store/db.ts';
import { KioskFlags } from '../device/store/kiosk-flags.ts';
import { SimulatedGpio } from '../device/gpio/simulated.ts';
import type { ReaderHealth, UplinkHealth } from '../device/flow/ports.ts';
import { capturingLogger } from './support/logger.ts';
import { OUTSIDE_HOURS_RETRY_MS, type AccessHours } from '../device/domain/access-hours.ts';

function fixture(t: Test, accessHours: AccessHours | null = null) {
  const dir = mkdtempSync(join(tmpdir(), 'anj10-readiness-'));
  const db = openDatabase(dir);
  t.teardown(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  // 2026-11-27 10:00 WIB
  let now = new Date('2026-11-27T03:00:00Z');
  const clock = { now: () => now };
  const flags = new KioskFlags(db, clock);
  const gpio = new SimulatedGpio();
  const reader: ReaderHealth = { idReader: 'ready', cardPresent: false, sam: 'ready', readers: 2 };
  const uplink: UplinkHealth = { breaker: 'closed', quota: { used: 0, limit: 1000, day: '2026-11-27' } };
  let probeAnswer = true;
  const probes: number[] = [];
  const log = capturingLogger();
  const readiness = createReadiness({
    agreement: { numbers: ['TEST/1'], start: '2026-01-01', end: '2026-12-31' },
    clock,
    tamper: { locked: () => gpio.tamperOpen() },
    card: { health: () => reader },
    validator: {
      validate: async () => ({ kind: 'unavailable' }),
      health: () => uplink,
      probe: async () => {
        probes.push(1);
        return probeAnswer;
      },
    },
    flags,
    accessHours,
    logger: log.logger,
  });
  return {
    readiness,
    flags,
    gpio,
    reader,
    uplink,
    probes,
    logs: log.text,
    setNow: (iso: string) => (now = new Date(iso)),
    setProbe: (ok: boolean) => (probeAnswer = ok),
  };
}

t.test('a kiosk with everything in place is ready', async (t) => {
  const f = fixture(t);
  t.same(await f.readiness.check(), { ready: true });
  t.equal(f.probes.length, 0, 'a closed breaker needs no probe');
});

t.test('outside the agreement period (in WIB days) nobody is served', async (t) => {
  const f = fixture(t);
  f.setNow('2026-12-31T16:59:00Z'); // 23:59 WIB on the last day
  t.same(await f.readiness.check(), { ready: true });
  f.setNow('2026-12-31T17:00:00Z'); // 00:00 WIB the next day
  t.same(await f.readiness.check(), { ready: false, reason: 'agreementNotInForce' });
});

t.test('each missing part gives its own reason, in the order a technician fixes them', async (t) => {
  const f = fixture(t);
  f.gpio.setTamper(true);
  f.flags.set('pausedByStaff', 'petugas-1');
  f.reader.idReader = 'noReader';
  t.same(await f.readiness.check(), { ready: false, reason: 'tamper' });
  f.gpio.setTamper(false);
  t.same(await f.readiness.check(), { ready: false, reason: 'pausedByStaff' });
  f.flags.clear('pausedByStaff');
  t.same(await f.readiness.check(), { ready: false, reason: 'readerMissing' });
  f.reader.idReader = 'error';
  t.same(await f.readiness.check(), { ready: false, reason: 'readerMissing' }, 'the reader service down counts as no reader');
  f.reader.idReader = 'ready';
  f.reader.sam = 'refused';
  t.same(await f.readiness.check(), { ready: false, reason: 'samRefused' });
  for (const sam of ['missing', 'unknown'] as const) {
    f.reader.sam = sam;
    t.same(await f.readiness.check(), { ready: false, reason: 'samMissing' }, sam);
  }
  f.reader.sam = 'ready';
  t.same(await f.readiness.check(), { ready: true });
});

t.test('our own ledger at the limit is out of service for quota', async (t) => {
  const f = fixture(t);
  f.uplink.quota.used = 1000;
  t.same(await f.readiness.check(), { ready: false, reason: 'quotaReached' });
});

t.test('the registry saying the shared quota is gone stops service until the next WIB day, across restarts', async (t) => {
  const f = fixture(t);
  f.readiness.stopService('quotaReached', 'quotaReached');
  t.same(await f.readiness.check(), { ready: false, reason: 'quotaReached' }, 'although our own ledger has hits left');
  const again = createReadiness({
    agreement: { numbers: ['TEST/1'], start: '2026-01-01', end: '2026-12-31' },
    clock: { now: () => new Date('2026-11-27T16:59:59Z') },
    tamper: { locked: () => f.gpio.tamperOpen() },
    card: { health: () => f.reader },
    validator: { validate: async () => ({ kind: 'unavailable' }), health: () => f.uplink, probe: async () => true },
    flags: f.flags,
    logger: capturingLogger().logger,
  });
  t.same(await again.check(), { ready: false, reason: 'quotaReached' }, 'a restart the same day (23:59:59 WIB) keeps it');
  f.setNow('2026-11-27T17:00:00Z'); // 00:00 WIB
  t.same(await f.readiness.check(), { ready: true }, 'a new WIB day has a new quota');
});

t.test("our own ledger refusing the hit is not the registry's word: service comes back when the ledger has hits again", async (t) => {
  // A fleet kiosk whose lease ran out mid-session (the fleet away, or another kiosk took the last
  // hits): its ledger refused, the session failed with quotaReached, and the next lease must put
  // it back in service the same day.
  const f = fixture(t);
  f.uplink.quota.used = 1000;
  f.readiness.stopService('quotaReached', 'quotaReached');
  t.same(await f.readiness.check(), { ready: false, reason: 'quotaReached' });
  f.uplink.quota.used = 998;
  t.same(await f.readiness.check(), { ready: true }, 'a lease came: the kiosk serves again');
  t.equal(f.flags.value('quotaReached'), null, 'no day-long stop was recorded');
});

t.test('refused access stops service until staff clear it, and is logged without secrets', async (t) => {
  const f = fixture(t);
  f.readiness.stopService('uplinkRejected', 'loginFailed');
  t.same(await f.readiness.check(), { ready: false, reason: 'uplinkRejected' });
  f.setNow('2026-11-28T03:00:00Z');
  t.same(await f.readiness.check(), { ready: false, reason: 'uplinkRejected' }, 'a new day does not clear it');
  t.match(f.logs(), /"kind":"loginFailed"/);
  f.flags.clear('uplinkRejected');
  t.same(await f.readiness.check(), { ready: true });
});

t.test('an open breaker is probed with a handshake; the kiosk serves again only when it answers', async (t) => {
  const f = fixture(t);
  f.uplink.breaker = 'open';
  f.setProbe(false);
  t.same(await f.readiness.check(), { ready: false, reason: 'uplinkDown' });
  f.setProbe(true);
  t.same(await f.readiness.check(), { ready: true });
  t.equal(f.probes.length, 2);
});

t.test('outside the configured access hours the kiosk is out of service, and asks nothing, until they open', async (t) => {
  const f = fixture(t, { from: '07:00', to: '16:00' });
  f.setNow('2026-11-27T09:30:00Z'); // 16:30 WIB
  t.same(await f.readiness.check(), { ready: false, reason: 'outsideAccessHours' });
  t.equal(f.readiness.accessReopensAt(), Date.parse('2026-11-28T00:00:00Z'), 'back at 07:00 WIB the next day');
  f.setNow('2026-11-27T23:59:59Z');
  t.same(await f.readiness.check(), { ready: false, reason: 'outsideAccessHours' });
  f.setNow('2026-11-28T00:00:00Z');
  t.same(await f.readiness.check(), { ready: true }, 'open at 07:00 WIB');
  t.equal(f.readiness.accessReopensAt(), null);
  t.equal(f.probes.length, 0, 'not even a handshake was spent');
});

t.test('the registry answering 06: out of service until the next window, across a restart', async (t) => {
  const f = fixture(t, { from: '07:00', to: '16:00' });
  f.setNow('2026-11-27T03:00:00Z'); // 10:00 WIB: the hours say open, the registry says closed
  f.readiness.stopService('outsideAccessHours', 'outsideHours');
  t.same(await f.readiness.check(), { ready: false, reason: 'outsideAccessHours' });
  t.equal(
    f.readiness.accessReopensAt(),
    Date.parse('2026-11-27T03:00:00Z') + OUTSIDE_HOURS_RETRY_MS,
    'a fixed wait when the hours disagree',
  );
  t.match(f.logs(), /"event":"outsideAccessHours"/);
  f.setNow(new Date(Date.parse('2026-11-27T03:00:00Z') + OUTSIDE_HOURS_RETRY_MS).toISOString());
  t.same(await f.readiness.check(), { ready: true }, 'then it serves again');

  const g = fixture(t);
  g.setNow('2026-11-27T12:00:00Z');
  g.readiness.stopService('outsideAccessHours', 'outsideHours');
  t.same(await g.readiness.check(), { ready: false, reason: 'outsideAccessHours' }, 'without configured hours too');
  const again = createReadiness({
    agreement: { numbers: ['TEST/1'], start: '2026-01-01', end: '2026-12-31' },
    clock: { now: () => new Date('2026-11-27T12:30:00Z') },
    tamper: { locked: () => false },
    card: { health: () => g.reader },
    validator: { validate: async () => ({ kind: 'unavailable' }), health: () => g.uplink, probe: async () => true },
    flags: g.flags,
    logger: capturingLogger().logger,
  });
  t.same(await again.check(), { ready: false, reason: 'outsideAccessHours' }, 'a restart keeps it');
});
