import t from 'tap';
import { startDukcapilSimulator, type DukcapilFault } from '../../device/sim/dukcapil/server.ts';
import { allPersonas, persona } from '../../device/sim/personas.ts';
import { createValidator } from '../../device/uplink/validator.ts';
import { SqliteQuotaLedger } from '../../device/uplink/quota-ledger.ts';
import { endpointFor, live, logLines, rig, uplinkLogger } from './helpers/harness.ts';

// Distinctive synthetic secrets, so any leak is found by a plain substring scan.
const credentials = { userId: 'LEAKCHECK-USER-7f3a', password: 'LEAKCHECK-pass-9c1e', ipUser: '198.51.100.77' };
const SECRETS = Object.values(credentials);

const sim = await startDukcapilSimulator({ credentials, dailyQuota: 1000 });
t.teardown(() => sim.close());

t.test('no User ID, password or IP_USER, and no personal data, in any log line, error or outcome', async (t) => {
  const errors: string[] = [];
  const outcomes: string[] = [];
  const collect = async (run: () => Promise<unknown>) => {
    try {
      outcomes.push(JSON.stringify(await run()));
    } catch (e) {
      const err = e as Error;
      errors.push(`${err.name} ${err.message} ${err.stack ?? ''} ${JSON.stringify(err)}`);
    }
  };

  const { validator } = rig(sim, { dailyLimit: 3000 });
  for (const p of allPersonas()) await collect(() => validator.validate(p.card, live()));
  const card = persona('valid').card;
  const faults: DukcapilFault[] = [
    { kind: 'status', code: 500 },
    { kind: 'malformedJson' },
    { kind: 'oversizedBody' },
    { kind: 'reset' },
    { kind: 'foreignCertificate' },
    { kind: 'redirect', location: 'https://127.0.0.1:9/' },
    { kind: 'slowBody', intervalMs: 100 },
  ];
  for (const fault of faults) {
    sim.setFault(fault);
    const fresh = rig(sim, { endpoint: { connectTimeoutMs: 300, totalTimeoutMs: 600 } });
    await collect(() => fresh.validator.validate(card, live()));
    await collect(() => fresh.validator.probe());
  }
  sim.setFault(null);
  for (const wrong of [{ password: 'wrong' }, { ipUser: '192.0.2.1' }]) {
    await collect(() => rig(sim, { credentials: wrong }).validator.validate(card, live()));
  }
  const aborted = new AbortController();
  aborted.abort();
  await collect(() => validator.validate(card, aborted.signal));
  await collect(() => validator.validate({ ...card, nik: 'x' }, live()));
  // Bad configuration, including secrets placed where they do not belong.
  const ledger = rig(sim).ledger as SqliteQuotaLedger;
  const badEndpoints = [
    { baseUrl: `https://${credentials.userId}:${credentials.password}@127.0.0.1:1/` },
    { baseUrl: `http://${credentials.ipUser}/` },
    { institution: `${credentials.password}/..` },
    { caPem: credentials.password },
    { spkiSha256: credentials.password },
  ];
  for (const bad of badEndpoints) {
    await collect(async () =>
      createValidator({ endpoint: endpointFor(sim, bad), credentials, ledger, clock: { now: () => new Date() }, logger: uplinkLogger() }),
    );
  }
  await collect(async () =>
    createValidator({
      endpoint: endpointFor(sim),
      credentials: { ...credentials, password: '' },
      ledger,
      clock: { now: () => new Date() },
      logger: uplinkLogger(),
    }),
  );

  t.ok(logLines.length > 20, `scanned ${logLines.length} log lines`);
  t.ok(errors.length === 8, `scanned ${errors.length} errors`);
  const logsAndErrors = [...logLines, ...errors].join('\n');
  for (const secret of SECRETS) {
    t.notOk(logsAndErrors.includes(secret), 'no credential in any log line or error');
    t.notOk(outcomes.join('\n').includes(secret), 'no credential in any outcome');
  }
  for (const p of allPersonas()) {
    for (const value of [p.card.nik, p.card.nomorKk, p.card.namaLengkap, p.card.alamat.jalan]) {
      t.notOk(logsAndErrors.includes(value), `no personal data of ${p.id} in logs or errors`);
    }
  }
});
