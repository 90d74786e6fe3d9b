/**
 * `kill -9` of a real kiosk process in the middle of a delivery batch, while taxpayers' entries
 * are still being enqueued. After a restart nothing acknowledged is lost and nothing is doubled
 * in effect: the server holds each acknowledged entry exactly once, as enqueued.
 */
import t from 'tap';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../device/store/db.ts';
import { ReturnDataOutbox } from '../../device/store/return-data-outbox.ts';
import { startReturnDataSimulator } from '../../device/sim/return-data/server.ts';
import { until } from '../support/until.ts';
import { forbiddenInLogs, syntheticEntry } from './support.ts';

const CHILD = join(import.meta.dirname, 'fixtures', 'delivery-child.ts');

t.test('kill -9 during a batch, then restart: every acknowledged entry is recorded exactly once', async (t) => {
  const sim = await startReturnDataSimulator();
  const dir = mkdtempSync(join(tmpdir(), 'anj14d-kill-'));
  const stateDir = join(dir, 'state');
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, sim.caPem);
  const outboxKey = randomBytes(32).toString('hex');
  const children: ChildProcess[] = [];
  t.teardown(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  let output = '';
  const start = (enqueue: number) => {
    const child = spawn(process.execPath, ['--import=tsx', CHILD], {
      env: {
        ...process.env,
        ANJ_STATE_DIR: stateDir,
        ANJ_OUTBOX_KEY: outboxKey,
        ANJ_SIM_URL: sim.url,
        ANJ_SIM_CA: caFile,
        ANJ_SIM_CREDENTIALS: JSON.stringify(sim.credentials),
        ANJ_ENQUEUE: String(enqueue),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    children.push(child);
    return child;
  };
  const exited = (c: ChildProcess) =>
    new Promise<void>((resolve) => (c.exitCode !== null || c.signalCode !== null ? resolve() : c.once('exit', () => resolve())));
  const acked = () => [...output.matchAll(/^ACK (kill-\d+)$/gm)].map((m) => m[1]!);

  // The server records the first batch and never answers: the kiosk is stuck inside it.
  sim.setFault({ kind: 'recordThenHang' });
  const first = start(60);
  await until(() => sim.recorded().size > 0 && acked().length >= 20, 'a batch in flight and entries acknowledged', 30_000);
  first.kill('SIGKILL');
  await exited(first);
  t.equal(first.signalCode, 'SIGKILL');
  const ackedBeforeKill = acked();
  t.ok(ackedBeforeKill.length < 60, 'killed while taxpayers were still being acknowledged');

  const db = openDatabase(stateDir);
  t.teardown(() => db.close());
  const outbox = new ReturnDataOutbox(db, Buffer.from(outboxKey, 'hex'), { now: () => new Date() });
  t.equal(outbox.deliveredCount(), 0, 'the batch the server recorded was never confirmed to the kiosk');
  const recordedAtKill = sim.recorded().size;
  t.ok(recordedAtKill > 0);

  sim.setFault(null);
  const second = start(0);
  await until(() => outbox.pendingCount() === 0, 'the restarted kiosk delivered everything', 30_000);
  second.kill('SIGTERM');
  await exited(second);

  const inOutbox = (db.prepare('SELECT idempotency_key AS k FROM return_data_outbox').all() as Array<{ k: string }>).map((r) => r.k);
  t.ok(
    ackedBeforeKill.every((k) => inOutbox.includes(k)),
    'every acknowledged entry survived the kill',
  );
  t.equal(outbox.deliveredCount(), inOutbox.length, 'all delivered');
  t.same([...sim.recorded().keys()].sort(), [...inOutbox].sort(), 'the server holds exactly the outbox entries, each once');
  for (const k of ackedBeforeKill) {
    const e = syntheticEntry(Number(k.slice('kill-'.length)));
    const r = sim.recorded().get(k);
    if (!r || r.NIK !== e.nik || r.NOP_PBB !== e.nop || r.NPWPD !== e.npwpd) t.fail(`entry ${k} not recorded as enqueued`);
  }
  t.ok(sim.entriesReceived() > sim.recorded().size, 'the interrupted batch was sent again and de-duplicated');
  const audited = (
    db.prepare("SELECT session_id AS s FROM audit_event WHERE code = 'returnDataDelivered'").all() as Array<{ s: string }>
  ).map((r) => r.s);
  t.same(audited.sort(), [...inOutbox].sort(), 'one audit row per delivered entry, committed with its mark');

  const logs = output.replace(/^ACK kill-\d+$/gm, '');
  t.ok(logs.includes('returnDataDelivered'), 'the children logged their deliveries');
  t.same(
    forbiddenInLogs(
      inOutbox.map((k) => syntheticEntry(Number(k.slice(5)))),
      [sim.credentials.password],
    ).filter((v) => logs.includes(v)),
    [],
  );
});
