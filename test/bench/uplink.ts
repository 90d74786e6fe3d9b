/**
 * Uplink figures: quota hits per validated and per aborted session (counted in the real SQLite
 * ledger), and the client's own overhead against the simulator at zero latency: the median of
 * a validation through the validator minus the median of the bare HTTPS exchange (fresh TLS
 * connection, same body) that it wraps.
 */
import https from 'node:https';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../device/log.ts';
import { openDatabase } from '../../device/store/db.ts';
import { simulatorEndpoint, startDukcapilSimulator } from '../../device/sim/dukcapil/server.ts';
import { persona } from '../../device/sim/personas.ts';
import { SqliteQuotaLedger } from '../../device/uplink/quota-ledger.ts';
import { createValidator } from '../../device/uplink/validator.ts';

const ROUNDS = 200;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export async function bench(): Promise<Record<string, number>> {
  const sim = await startDukcapilSimulator({ dailyQuota: 100_000 });
  try {
    const clock = { now: () => new Date() };
    const ledger = new SqliteQuotaLedger(openDatabase(mkdtempSync(join(tmpdir(), 'anjungan-bench-uplink-'))), {
      dailyLimit: 100_000,
      clock,
    });
    const validator = createValidator({
      endpoint: simulatorEndpoint(sim, { connectTimeoutMs: 5000 }),
      credentials: sim.credentials,
      ledger,
      clock,
      logger: createLogger({ level: 'silent' }),
    });
    const card = persona('valid').card;

    // One validated session.
    let before = ledger.usage().used;
    const outcome = await validator.validate(card, new AbortController().signal);
    if (outcome.kind !== 'verified') throw new Error(`bench: expected verified, got ${outcome.kind}`);
    const hitsValidated = ledger.usage().used - before;

    // Two aborted sessions: one ended before validation (the validator is never called, so
    // there is nothing to run), and one aborted after its reservation but before sending.
    before = ledger.usage().used;
    const early = new AbortController();
    const pending = validator.validate(card, early.signal);
    early.abort();
    await pending.then(
      () => {
        throw new Error('bench: aborted session was not aborted');
      },
      () => undefined,
    );
    const hitsAborted = (ledger.usage().used - before) / 2;

    // Overhead: validator round trip vs the bare HTTPS exchange it wraps.
    const url = new URL(`${sim.baseUrl}/dukcapil/get_json/${sim.institution}/CALL_NIK`);
    const body = JSON.stringify({
      NIK: card.nik,
      user_id: sim.credentials.userId,
      password: sim.credentials.password,
      IP_USER: sim.credentials.ipUser,
    });
    const agent = new https.Agent({ keepAlive: false });
    const bare = () =>
      new Promise<void>((resolve, reject) => {
        const req = https.request(url, { method: 'POST', agent, ca: sim.caPem, headers: { 'content-type': 'application/json' } }, (res) => {
          res.resume();
          res.on('end', () => resolve());
        });
        req.on('error', reject);
        req.end(body);
      });
    const bareTimes: number[] = [];
    const clientTimes: number[] = [];
    for (let i = 0; i < ROUNDS; i += 1) {
      let t0 = performance.now();
      await bare();
      bareTimes.push(performance.now() - t0);
      t0 = performance.now();
      await validator.validate(card, new AbortController().signal);
      clientTimes.push(performance.now() - t0);
    }
    agent.destroy();
    validator.close();
    return {
      quota_hits_per_validated_session: hitsValidated,
      quota_hits_per_aborted_session: hitsAborted,
      uplink_client_overhead_ms_median: Number((median(clientTimes) - median(bareTimes)).toFixed(3)),
      uplink_validation_ms_median: Number(median(clientTimes).toFixed(3)),
    };
  } finally {
    await sim.close();
  }
}
