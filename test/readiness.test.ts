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

function fixture(t: Test) {
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
