/**
 * Fakes for the flow's ports: logic tests only. Each fake records what the flow asked of it
 * and answers what the test told it to.
 */
import { SimulatedClock } from 'xstate';
import { DeviceError, type DeviceErrorCode, type DeviceErrorDetail, type ServiceStop } from '../../device/domain/failure.ts';
import type { CardRecord } from '../../device/domain/record.ts';
import type { FingerTemplate } from '../../device/domain/finger-template.ts';
import type { FlowDeps, FingerAttemptOutcome } from '../../device/flow/machine.ts';
import type { CardPort, CardTemplates, ReaderHealth, ReturnDataEntry } from '../../device/flow/ports.ts';
import type { AuditEvent } from '../../device/domain/audit.ts';
import type { RegistryOutcome, RegistryRefusal } from '../../device/domain/registry.ts';
import { persona } from '../../device/sim/personas.ts';
import { createKioskMachine } from '../../device/flow/machine.ts';
import { KioskRuntime } from '../../device/view/runtime.ts';
import { quietLogger } from '../support/logger.ts';

export const TEMPLATE: FingerTemplate = { fingerPosition: 2, width: 400, height: 500, resolutionDpi: 500, quality: 80, minutiae: [] };
export const RECORD: CardRecord = {
  person: persona('valid').card,
  photo: { mime: 'image/svg+xml', bytes: new TextEncoder().encode('<svg/>') },
  signatureValid: true,
};

/** A step that resolves, rejects with a typed reason, or waits until aborted. */
export type Answer<T> = { ok: T } | { fail: DeviceErrorCode; detail?: DeviceErrorDetail } | 'hang';

function answer<T>(a: Answer<T>, signal?: AbortSignal): Promise<T> {
  if (a === 'hang') {
    return new Promise((_, reject) => signal?.addEventListener('abort', () => reject(new DeviceError('cardRemoved', 'aborted'))));
  }
  if ('fail' in a) return Promise.reject(new DeviceError(a.fail, 'fake failure', a.detail));
  return Promise.resolve(a.ok);
}

export interface Fakes {
  deps: FlowDeps;
  clock: SimulatedClock;
  audit: AuditEvent[];
  outbox: ReturnDataEntry[];
  /** What the flow told readiness to stop serving for, and why. */
  serviceStops: Array<{ reason: ServiceStop; cause: RegistryRefusal['kind'] }>;
  calls: { readTemplates: number; readRecord: number; validate: number; endSession: number };
  /** What the ID reader reports before the machine starts. */
  setCardPresent(present: boolean): void;
  set: {
    readiness(r: { ready: true } | { ready: false; reason: import('../../device/domain/failure.ts').OutOfServiceReason }): void;
    templates(a: Answer<CardTemplates>): void;
    record(a: Answer<CardRecord>): void;
    finger(outcomes: Array<FingerAttemptOutcome['kind'] | 'hang' | 'tooDense'>): void;
    registry(a: Answer<RegistryOutcome>): void;
  };
}

export function makeFakes(): Fakes {
  const clock = new SimulatedClock();
  const audit: AuditEvent[] = [];
  const outbox: ReturnDataEntry[] = [];
  const serviceStops: Fakes['serviceStops'] = [];
  const calls = { readTemplates: 0, readRecord: 0, validate: 0, endSession: 0 };
  let readiness: Awaited<ReturnType<FlowDeps['readiness']['check']>> = { ready: true };
  let templates: Answer<CardTemplates> = { ok: { templates: [TEMPLATE, { ...TEMPLATE, fingerPosition: 7 }] } };
  let record: Answer<CardRecord> = { ok: RECORD };
  let fingers: Array<FingerAttemptOutcome['kind'] | 'hang' | 'tooDense'> = ['matched'];
  let registry: Answer<RegistryOutcome> = {
    ok: { kind: 'verified', fields: [{ key: 'nik', card: RECORD.person.nik, registry: RECORD.person.nik, agrees: true }] },
  };
  const health: ReaderHealth = { idReader: 'ready', cardPresent: false, sam: 'ready', readers: 2 };
  const card: CardPort = {
    start: async () => undefined,
    stop: async () => undefined,
    health: () => health,
    subscribe: () => () => undefined,
    readTemplates: (signal) => {
      calls.readTemplates += 1;
      return answer(templates, signal);
    },
    readRecord: (signal) => {
      calls.readRecord += 1;
      return answer(record, signal);
    },
    endSession: () => {
      calls.endSession += 1;
    },
  };
  const deps: FlowDeps = {
    card,
    sensor: {
      health: () => 'ready',
      capture: (_position, signal) => {
        const next = fingers.length > 1 ? fingers.shift()! : fingers[0]!;
        if (next === 'hang') return answer<never>('hang', signal);
        if (next === 'poorQuality') return Promise.resolve({ kind: 'poorQuality', hint: 'cleanFinger' });
        return Promise.resolve({
          kind: 'captured',
          template: { ...TEMPLATE, quality: next === 'matched' ? 99 : next === 'tooDense' ? 50 : 1 },
          quality: 80,
        });
      },
    },
    // The fake sensor marks a genuine finger with quality 99, a probe the matcher refuses with 50.
    matcher: {
      decide: (probe) =>
        probe.quality === 50 ? { matched: false, score: 0, poorQuality: true } : { matched: probe.quality === 99, score: probe.quality },
    },
    validator: {
      validate: (_person, signal) => {
        calls.validate += 1;
        return answer(registry, signal);
      },
      health: () => ({ breaker: 'closed', quota: { used: 0, limit: 1000, day: '2026-11-27' } }),
    },
    // Like the real readiness, a stop the flow reported holds until the test says otherwise.
    readiness: {
      check: async () => readiness,
      stopService: (reason, cause) => {
        serviceStops.push({ reason, cause });
        readiness = { ready: false, reason };
      },
    },
    staffAuth: { verifyPin: async (pin) => (pin === '1357' ? { staffId: 'petugas-1' } : null) },
    audit: { record: (e) => audit.push(e) },
    returnData: { enqueue: (e) => outbox.push(e) },
    clock: { now: () => new Date(clock.now()) },
    settings: {
      maxFingerAttempts: 4,
      idleTimeoutMs: 60_000,
      idleWarningMs: 20_000,
      failureDisplayMs: 6_000,
      outOfServiceRecheckMs: 30_000,
      npwpdPattern: /^P\.[12]\.[0-9]{7}\.[0-9]{2}\.[0-9]{2}$/,
    },
    newSessionId: (() => {
      let n = 0;
      return () => `session-${++n}`;
    })(),
  };
  return {
    deps,
    clock,
    audit,
    outbox,
    serviceStops,
    calls,
    setCardPresent: (present) => (health.cardPresent = present),
    set: {
      readiness: (r) => (readiness = r),
      templates: (a) => (templates = a),
      record: (a) => (record = a),
      finger: (f) => (fingers = [...f]),
      registry: (a) => (registry = a),
    },
  };
}

/** Lets pending promise callbacks (fake ports) settle. */
export const settle = () => new Promise((r) => setImmediate(r));

/** The kiosk's runtime over these fakes (production mode, the fakes' clocks), started. */
export function startRuntime(f: Fakes): KioskRuntime {
  const runtime = new KioskRuntime(createKioskMachine(f.deps), {
    demo: false,
    clock: f.deps.clock,
    maxFingerAttempts: f.deps.settings.maxFingerAttempts,
    logger: quietLogger(),
    xstateClock: f.clock,
  });
  runtime.start();
  return runtime;
}
