/**
 * A kiosk for the dashboard's route tests: the kiosk as the daemon assembles it (device/kiosk.ts)
 * on the fake card, sensor and registry (test/flow/fakes.ts), with the real store in a temp
 * folder (audit trail, flags, quota ledger, alerts), the real readiness and tamper lock on the
 * simulated panel, and the dashboard routes in a signed-in staff scope. The fake registry spends
 * a hit of the real ledger per question, so quota figures move as sessions run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes, randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KioskEvents } from '../../device/flow/events.ts';
import type { FlowEvent } from '../../device/flow/machine.ts';
import type { RegistryOutcome } from '../../device/domain/registry.ts';
import { assembleKiosk } from '../../device/kiosk.ts';
import { openDatabase } from '../../device/store/db.ts';
import { AuditLog } from '../../device/store/audit-log.ts';
import { KioskFlags } from '../../device/store/kiosk-flags.ts';
import { AttemptThrottle } from '../../device/store/attempt-throttle.ts';
import { SqliteQuotaLedger } from '../../device/uplink/quota-ledger.ts';
import { SimulatedGpio } from '../../device/gpio/simulated.ts';
import { AlertLog } from '../../device/staff/alerts.ts';
import { displayField, PERMITTED_FIELDS } from '../../device/domain/record.ts';
import type { Persona } from '../../device/sim/personas.ts';
import { makeFakes, settle } from '../flow/fakes.ts';
import { capturingLogger } from '../support/logger.ts';
import { signedInStaffServer } from '../support/staff-scope.ts';

/** 08:00 WIB on 1 December 2026. */
export const START = Date.parse('2026-12-01T01:00:00.000Z');
export const AGREEMENT = { numbers: ['001/PKS/2026'], start: '2026-01-01', end: '2026-12-31' };
export const OPERATOR = 'petugas-07';

/** atKiosk: the dashboard is on the kiosk's own listener (default) or on the office LAN. */
export async function dashboardKiosk(opts: { dailyQuota?: number; atKiosk?: boolean } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'anj14ops-'));
  const db = openDatabase(dir);
  const f = makeFakes();
  const clock = { now: () => new Date(START + f.clock.now()) };
  const log = capturingLogger();
  const flags = new KioskFlags(db, clock);
  const audit = new AuditLog(db, randomBytes(32), clock);
  const ledger = new SqliteQuotaLedger(db, { dailyLimit: opts.dailyQuota ?? 1000, clock });
  let registry: RegistryOutcome = { kind: 'notFound' };
  const validator = {
    validate: async () => {
      const r = await ledger.reserve();
      if (!r.granted) return { kind: 'quotaReached' as const };
      await ledger.markSent(r.id);
      return registry;
    },
    health: () => ({ breaker: 'closed' as const, quota: ledger.usage() }),
    probe: async () => true,
  };
  const gpio = new SimulatedGpio();
  const kiosk = assembleKiosk({
    devices: { card: f.deps.card, sensor: f.deps.sensor, gpio, readerRelay: false },
    validator,
    store: { db, flags, outbox: f.deps.returnData },
    events: new KioskEvents(audit, log.logger),
    ledger,
    alerts: new AlertLog(db, clock),
    staffAuth: f.deps.staffAuth,
    attempts: new AttemptThrottle(db, clock),
    config: { agreement: AGREEMENT, stateDir: dir },
    settings: f.deps.settings,
    clock,
    logger: log.logger,
    demo: false,
    matcher: f.deps.matcher,
    newSessionId: randomUUID,
    xstateClock: f.clock,
  });
  const { runtime, alerts } = kiosk;
  const app = await signedInStaffServer([kiosk.dashboard], OPERATOR, opts.atKiosk ?? true);
  await settle();

  const responses: string[] = [];
  const call = async (method: 'GET' | 'POST', url: string, payload?: unknown) => {
    const res = await app.inject({ method, url: `/api/staff${url}`, ...(payload === undefined ? {} : { payload: payload as object }) });
    responses.push(res.body);
    await settle();
    await settle();
    return { status: res.statusCode, body: res.json() };
  };
  const send = async (e: FlowEvent) => {
    runtime.send(e);
    await settle();
    await settle();
  };
  const advance = async (ms: number) => {
    f.clock.increment(ms);
    await settle();
    await settle();
  };

  /** What the registry answers for this persona, as the real comparison would shape it. */
  const answerFor = (p: Persona): RegistryOutcome => {
    if (p.registry.status === 'notFound') return { kind: 'notFound' };
    if (p.registry.status !== 'active') return { kind: p.registry.status };
    const person = p.registry.person;
    const fields = PERMITTED_FIELDS.map((key) => {
      const card = displayField(p.card, key);
      const reg = displayField(person, key);
      return { key, card, registry: reg, agrees: card === reg };
    });
    return { kind: fields.every((x) => x.agrees) ? 'verified' : 'dataDiffers', fields };
  };

  /** Puts a persona's card in the reader; the registry answers for it or as told. Staff assist is left to the caller. */
  const insertCard = async (p: Persona, fingers: Parameters<typeof f.set.finger>[0] = ['matched'], answer?: RegistryOutcome) => {
    f.set.record({
      ok: {
        person: p.card,
        photo: { mime: 'image/svg+xml', bytes: new TextEncoder().encode('<svg/>') },
        signatureValid: !p.tamperedSignature,
      },
    });
    f.set.finger(fingers);
    registry = answer ?? answerFor(p);
    await send({ type: 'CARD_INSERTED' });
    await settle();
  };

  /** Ends whatever session runs: links a NOP where offered, then takes the card and waits the screen out. */
  const finishSession = async () => {
    const v = runtime.view();
    if (v.screen === 'result' && v.canLinkReturnData) {
      runtime.sendIntent({ type: 'linkReturnData' });
      await settle();
      runtime.sendIntent({ type: 'submitReturnData', nop: '331301000100100010' });
      await settle();
    } else if (v.screen === 'result') {
      runtime.sendIntent({ type: 'finish' });
      await settle();
    }
    await send({ type: 'CARD_REMOVED' });
    await advance(6_000);
  };

  return {
    f,
    db,
    dir,
    runtime,
    gpio,
    flags,
    ledger,
    alerts,
    call,
    /** A request as sent, for bodies the JSON helper cannot build. */
    raw: (opts: { method: 'GET' | 'POST'; url: string; headers?: Record<string, string>; payload?: string }) => app.inject(opts),
    send,
    advance,
    insertCard,
    finishSession,
    responses,
    logLines: log.lines(),
    view: () => runtime.view(),
    auditRows: () => db.prepare('SELECT * FROM audit_event ORDER BY id').all() as Array<Record<string, unknown>>,
    async close() {
      await app.close();
      await kiosk.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type DashboardKiosk = Awaited<ReturnType<typeof dashboardKiosk>>;
