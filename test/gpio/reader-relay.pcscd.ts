/**
 * The reader power relay against real pcscd + vpcd: cutting the reader's power is pcscd losing
 * its readers (the daemon stops), power returning is pcscd listing them again (it restarts), or
 * not (a reader that stays dead). The card port is the production one over node-pcsclite.
 *
 * It stops and starts the machine's pcscd, so it is not in tap's parallel run: `make test` runs
 * it on its own after the suite, under the PC/SC lock like the rest.
 */
import t, { type Test } from 'tap';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../device/store/db.ts';
import { KioskFlags } from '../../device/store/kiosk-flags.ts';
import { createPcscCardPort } from '../../device/card/pcsc-card.ts';
import { DEMO_ISSUER_PUBLIC_KEY_PEM, demoSamSecret } from '../../device/sim/vcard/demo-keys.ts';
import { ReaderPowerPolicy } from '../../device/gpio/reader-power.ts';
import { SimulatedGpio } from '../../device/gpio/simulated.ts';
import { createReadiness } from '../../device/readiness.ts';
import type { AuditEvent } from '../../device/domain/audit.ts';
import { pcscUnavailable } from '../card/harness.ts';
import { until } from '../support/until.ts';
import { capturingLogger } from '../support/logger.ts';

const pcscd = (action: 'start' | 'stop') => execFileSync('bash', ['test/setup/pcscd.sh', action], { stdio: 'inherit' });

async function relayOver(t: Test, readerComesBack: boolean) {
  const log = capturingLogger();
  const port = createPcscCardPort({
    idReaderPattern: /^Virtual PCD 00 00$/,
    samReaderPattern: /^Virtual PCD 00 01$/,
    samSecret: demoSamSecret(),
    issuerPublicKeyPem: DEMO_ISSUER_PUBLIC_KEY_PEM,
    logger: log.logger,
    transmitTimeoutMs: 3000,
  });
  await port.start();
  t.teardown(async () => {
    await port.stop();
    pcscd('start');
  });
  await until(() => port.health().idReader === 'ready', 'ID reader listed');
  const gpio = new SimulatedGpio(async (on) => {
    if (!on) pcscd('stop');
    else if (readerComesBack) pcscd('start');
  });
  const audit: AuditEvent[] = [];
  const outcomes: string[] = [];
  const policy = new ReaderPowerPolicy({
    gpio,
    reader: port,
    clock: { now: () => new Date() },
    audit: { record: (e) => audit.push(e) },
    logger: log.logger,
    settings: { afterFailures: 3, offMs: 1500, returnTimeoutMs: 10_000 },
    onCycled: (o) => outcomes.push(o),
  });
  return { port, gpio, audit, outcomes, policy };
}

t.test('the reader disappears with its power and returns', { skip: pcscUnavailable() ?? false }, async (t) => {
  const s = await relayOver(t, true);
  for (let i = 0; i < 3; i++) s.policy.readerFailed();
  t.ok(s.policy.inProgress, 'three failures: the power is cycled');
  await until(() => s.port.health().idReader !== 'ready', 'the reader is gone while unpowered');
  t.equal(await s.policy.inProgress, 'readerBack');
  t.equal(s.port.health().idReader, 'ready', 'listed again by pcscd');
  t.same(s.gpio.powerChanges, [false, true]);
  t.same(s.audit, [{ code: 'readerPowerCycled', outcome: 'readerBack' }]);
  s.policy.readerFailed();
  s.policy.readerFailed();
  s.policy.readerFailed();
  t.equal(s.policy.inProgress, null, 'not again within 10 minutes');
});

t.test('a reader that does not return leaves the kiosk out of service: readerMissing', { skip: pcscUnavailable() ?? false }, async (t) => {
  const s = await relayOver(t, false);
  for (let i = 0; i < 3; i++) s.policy.readerFailed();
  t.equal(await s.policy.inProgress, 'readerNotBack');
  t.same(s.audit, [{ code: 'readerPowerCycled', outcome: 'readerNotBack' }]);
  const stateDir = mkdtempSync(join(tmpdir(), 'anj9-state-'));
  const db = openDatabase(stateDir);
  t.teardown(() => {
    db.close();
    rmSync(stateDir, { recursive: true, force: true });
  });
  const readiness = createReadiness({
    agreement: { numbers: ['TEST/1'], start: '2000-01-01', end: '2099-12-31' },
    clock: { now: () => new Date() },
    tamper: { locked: () => false },
    card: s.port,
    validator: {
      validate: async () => ({ kind: 'unavailable' }),
      health: () => ({ breaker: 'closed', quota: { used: 0, limit: 10, day: '2026-12-01' } }),
      probe: async () => true,
    },
    flags: new KioskFlags(db, { now: () => new Date() }),
    logger: capturingLogger().logger,
  });
  t.same(await readiness.check(), { ready: false, reason: 'readerMissing' });
});
