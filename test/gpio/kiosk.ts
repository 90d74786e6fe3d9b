/**
 * The flow on fake card, sensor and registry ports, with the real parts this issue adds around
 * it: the tamper lock over real SQLite flags, the readiness check, and the panel driven from the
 * views into a simulated GPIO.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Test } from 'tap';
import { createKioskMachine, type FlowEvent } from '../../device/flow/machine.ts';
import { KioskRuntime } from '../../device/view/runtime.ts';
import { createLogger } from '../../device/log.ts';
import { createReadiness } from '../../device/readiness.ts';
import { openDatabase } from '../../device/store/db.ts';
import { KioskFlags } from '../../device/store/kiosk-flags.ts';
import { SimulatedGpio } from '../../device/gpio/simulated.ts';
import { TamperLock } from '../../device/gpio/tamper-lock.ts';
import { attachPanel } from '../../device/view/panel.ts';
import { makeFakes, settle, type Fakes } from '../flow/fakes.ts';

export const STAFF_PIN = '1357';

export function capturingLogger() {
  let text = '';
  const destination = new Writable({
    write(chunk, _e, cb) {
      text += String(chunk);
      cb();
    },
  });
  return { logger: createLogger({ level: 'debug', destination: destination as never }), text: () => text };
}

export async function startKiosk(t: Test, opts: { stateDir?: string; gpio?: SimulatedGpio; configure?: (f: Fakes) => void } = {}) {
  const f = makeFakes();
  opts.configure?.(f);
  const stateDir = opts.stateDir ?? mkdtempSync(join(tmpdir(), 'anj9-state-'));
  if (!opts.stateDir) t.teardown(() => rmSync(stateDir, { recursive: true, force: true }));
  const db = openDatabase(stateDir);
  t.teardown(() => db.close());
  const flags = new KioskFlags(db, f.deps.clock);
  const gpio = opts.gpio ?? new SimulatedGpio();
  const log = capturingLogger();
  let toFlow: (e: FlowEvent) => void = () => undefined;
  const tamper = new TamperLock({
    gpio,
    flags,
    staffAuth: f.deps.staffAuth,
    audit: f.deps.audit,
    logger: log.logger,
    onOpened: () => toFlow({ type: 'TAMPER' }),
    onChanged: () => toFlow({ type: 'READINESS_CHANGED' }),
  });
  f.deps.readiness = createReadiness({
    agreement: { numbers: ['TEST/1'], start: '1969-01-01', end: '2099-12-31' },
    clock: f.deps.clock,
    tamper,
    card: f.deps.card,
    validator: { ...f.deps.validator, probe: async () => true },
    flags,
    logger: log.logger,
  });
  const runtime = new KioskRuntime(createKioskMachine(f.deps), { demo: false, clock: f.deps.clock, logger: log.logger, maxFingerAttempts: 4, xstateClock: f.clock });
  toFlow = (e) => runtime.send(e);
  tamper.start();
  attachPanel(runtime, gpio);
  runtime.start();
  t.teardown(() => {
    tamper.stop();
    runtime.stop();
  });
  const flush = async () => {
    for (let i = 0; i < 4; i++) await settle();
  };
  await flush();
  return {
    f,
    gpio,
    tamper,
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
