/**
 * Shared set-up for the uplink tests: a simulator on 127.0.0.1, a fresh SQLite ledger, and a
 * validator whose log lines are captured so tests can scan them.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { capturingLogger } from '../../support/logger.ts';
import { openDatabase, type Db } from '../../../device/store/db.ts';
import { SqliteQuotaLedger } from '../../../device/uplink/quota-ledger.ts';
import type { QuotaAlertLevel } from '../../../device/domain/quota.ts';
import { createValidator, type UplinkEndpoint } from '../../../device/uplink/validator.ts';
import { simulatorEndpoint, type DukcapilSimulator } from '../../../device/sim/dukcapil/server.ts';
import type { ClockPort } from '../../../device/flow/ports.ts';

// Every line at every level, kept for the secrets scan.
const log = capturingLogger('trace');
export const logLines = log.lines();
export const uplinkLogger = () => log.logger;

export function endpointFor(sim: DukcapilSimulator, overrides: Partial<UplinkEndpoint> = {}): UplinkEndpoint {
  return simulatorEndpoint(sim, { connectTimeoutMs: 2000, totalTimeoutMs: 4000, ...overrides });
}

export interface Rig {
  db: Db;
  ledger: SqliteQuotaLedger;
  validator: ReturnType<typeof createValidator>;
  alerts: Array<[QuotaAlertLevel, number, number]>;
}

export function rig(
  sim: DukcapilSimulator,
  opts: {
    endpoint?: Partial<UplinkEndpoint>;
    dailyLimit?: number;
    clock?: ClockPort;
    credentials?: Partial<DukcapilSimulator['credentials']>;
  } = {},
): Rig {
  const db = openDatabase(mkdtempSync(join(tmpdir(), 'anjungan-uplink-')));
  const clock = opts.clock ?? { now: () => new Date() };
  const ledger = new SqliteQuotaLedger(db, { dailyLimit: opts.dailyLimit ?? 1000, clock });
  const alerts: Rig['alerts'] = [];
  const validator = createValidator({
    endpoint: endpointFor(sim, opts.endpoint),
    credentials: { ...sim.credentials, ...opts.credentials },
    ledger,
    clock,
    logger: log.logger,
    onQuotaAlert: (level, used, limit) => alerts.push([level, used, limit]),
  });
  return { db, ledger, validator, alerts };
}

export const live = () => new AbortController().signal;
