/**
 * The kiosk as the daemon assembles it (device/kiosk.ts) on fake card, sensor and registry ports
 * (test/flow/fakes.ts) and a simulated panel, with the real store in a temp folder: the tamper
 * lock over real SQLite flags, the readiness check, the panel driven from the views.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';
import { KioskEvents } from '../../device/flow/events.ts';
import type { FlowEvent } from '../../device/flow/machine.ts';
import { SimulatedGpio } from '../../device/gpio/simulated.ts';
import { assembleKiosk } from '../../device/kiosk.ts';
import { AlertLog } from '../../device/staff/alerts.ts';
import { openDatabase } from '../../device/store/db.ts';
import { KioskFlags } from '../../device/store/kiosk-flags.ts';
import { AttemptThrottle } from '../../device/store/attempt-throttle.ts';
import { SqliteQuotaLedger } from '../../device/uplink/quota-ledger.ts';
import type { KioskRuntime } from '../../device/view/runtime.ts';
import { makeFakes, settle, type Fakes } from '../flow/fakes.ts';
import { capturingLogger } from '../support/logger.ts';

export const STAFF_PIN = '1357';

export async function fakeDeviceKiosk(
  t: Test,
  opts: { stateDir?: string; gpio?: SimulatedGpio; configure?: (f: Fakes) => void; readerRelay?: boolean } = {},
) {
  const f = makeFakes();
  opts.configure?.(f);
  const stateDir = opts.stateDir ?? mkdtempSync(join(tmpdir(), 'anj9-state-'));
  if (!opts.stateDir) t.teardown(() => rmSync(stateDir, { recursive: true, force: true }));
  const db = openDatabase(stateDir);
  t.teardown(() => db.close());
  const clock = f.deps.clock;
  const gpio = opts.gpio ?? new SimulatedGpio();
  const log = capturingLogger();
  const flags = new KioskFlags(db, clock);
  const kiosk = assembleKiosk({
    // No relay unless asked: its power cycles run on real timers, which most tests do not wait for.
    devices: { card: f.deps.card, sensor: f.deps.sensor, gpio, readerRelay: opts.readerRelay ?? false },
    validator: { ...f.deps.validator, probe: async () => true },
    store: { db, flags, outbox: f.deps.returnData },
    events: new KioskEvents(f.deps.audit, log.logger),
    ledger: new SqliteQuotaLedger(db, { dailyLimit: 1000, clock }),
    alerts: new AlertLog(db, clock),
    staffAuth: f.deps.staffAuth,
    attempts: new AttemptThrottle(db, clock),
    config: { agreement: { numbers: ['TEST/1'], start: '1969-01-01', end: '2099-12-31' }, stateDir },
    settings: f.deps.settings,
    clock,
    logger: log.logger,
    demo: false,
    matcher: f.deps.matcher,
    newSessionId: f.deps.newSessionId,
    xstateClock: f.clock,
  });
  t.teardown(() => kiosk.close());
  const { runtime, tamper, readerPower } = kiosk;
  const flush = async () => {
    for (let i = 0; i < 4; i++) await settle();
  };
  await flush();
  return {
    f,
    gpio,
    tamper,
    readerPower,
    flags,
    runtime,
    logs: log.text,
    flush,
    view: () => runtime.view(),
    ctx: () => runtime.snapshot().context,
    async send(e: FlowEvent) {
      runtime.send(e);
      await flush();
    },
    async intent(i: Parameters<KioskRuntime['sendIntent']>[0]) {
      const ok = runtime.sendIntent(i);
      await flush();
      return ok;
    },
    async advance(ms: number) {
      f.clock.increment(ms);
      await flush();
    },
  };
}
