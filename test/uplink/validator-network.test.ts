import t from 'tap';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate, createHash } from 'node:crypto';
import tls from 'node:tls';
import { startDukcapilSimulator } from '../../device/sim/dukcapil/server.ts';
import { persona } from '../../device/sim/personas.ts';
import { openDatabase } from '../../device/store/db.ts';
import { SqliteQuotaLedger } from '../../device/uplink/quota-ledger.ts';
import { BREAKER_FAILURE_THRESHOLD } from '../../device/uplink/validator.ts';
import { live, rig } from './helpers/harness.ts';

const sim = await startDukcapilSimulator();
t.teardown(() => sim.close());
const card = persona('valid').card;

/** A TCP listener that records whether anything connected to it: "another host". */
async function bystander(): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  let count = 0;
  const server: Server = createServer((s) => {
    count += 1;
    s.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return { port, connections: () => count, close: () => new Promise((r) => server.close(() => r())) };
}

/** A port on 127.0.0.1 where nothing listens. */
async function closedPort(): Promise<number> {
  const b = await bystander();
  await b.close();
  return b.port;
}

t.test('a server whose certificate comes from another CA is refused before any request, and the hit is given back', async (t) => {
  sim.setFault({ kind: 'foreignCertificate' });
  t.teardown(() => sim.setFault(null));
  const { validator, ledger } = rig(sim);
  const before = sim.hits();
  t.equal((await validator.validate(card, live())).kind, 'unavailable');
  t.equal(sim.hits(), before, 'no HTTP request reached the server');
  t.equal(ledger.usage().used, 0, 'the request provably never left: hit released');
  t.equal(await validator.probe(), false, 'the handshake probe refuses it too');
});

t.test('NODE_TLS_REJECT_UNAUTHORIZED=0 in the environment does not turn verification off', async (t) => {
  const saved = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
  sim.setFault({ kind: 'foreignCertificate' });
  t.teardown(() => {
    sim.setFault(null);
    if (saved === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    else process.env.NODE_TLS_REJECT_UNAUTHORIZED = saved;
  });
  const { validator, ledger } = rig(sim);
  const before = sim.hits();
  t.equal((await validator.validate(card, live())).kind, 'unavailable');
  t.equal(await validator.probe(), false);
  t.equal(sim.hits(), before);
  t.equal(ledger.usage().used, 0);
});

t.test('the SPKI pin: the right key passes, any other key is refused', async (t) => {
  const leaf = await new Promise<X509Certificate>((resolve, reject) => {
    const url = new URL(sim.baseUrl);
    const s = tls.connect({ host: url.hostname, port: Number(url.port), ca: sim.caPem }, () => {
      resolve(new X509Certificate(s.getPeerCertificate().raw));
      s.end();
    });
    s.on('error', reject);
  });
  const pin = createHash('sha256')
    .update(leaf.publicKey.export({ type: 'spki', format: 'der' }))
    .digest('base64');
  const good = rig(sim, { endpoint: { spkiSha256: pin } });
  t.equal((await good.validator.validate(card, live())).kind, 'verified');
  const wrongPin = createHash('sha256').update('another key').digest('base64');
  const bad = rig(sim, { endpoint: { spkiSha256: wrongPin } });
  const before = sim.hits();
  t.equal((await bad.validator.validate(card, live())).kind, 'unavailable');
  t.equal(sim.hits(), before, 'nothing sent to a server with the wrong key');
  t.equal(bad.ledger.usage().used, 0);
});

t.test('a redirect to another host is refused and never followed', async (t) => {
  const other = await bystander();
  t.teardown(() => other.close());
  sim.setFault({ kind: 'redirect', location: `https://127.0.0.1:${other.port}/dukcapil/get_json/X/CALL_NIK` });
  t.teardown(() => sim.setFault(null));
  const { validator, ledger } = rig(sim);
  t.equal((await validator.validate(card, live())).kind, 'serviceError');
  t.equal(other.connections(), 0, 'the other host was never contacted');
  t.equal(ledger.usage().used, 1, 'the request left: the hit counts');
});

t.test('proxy environment variables are ignored', async (t) => {
  const port = await closedPort();
  const saved = { ...process.env };
  for (const k of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy']) {
    process.env[k] = `http://127.0.0.1:${port}`;
  }
  process.env.NODE_USE_ENV_PROXY = '1';
  t.teardown(() => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  });
  const { validator } = rig(sim);
  t.equal((await validator.validate(card, live())).kind, 'verified');
});

t.test('nothing listening: unavailable, hit released', async (t) => {
  const port = await closedPort();
  const { validator, ledger } = rig(sim, { endpoint: { baseUrl: `https://127.0.0.1:${port}` } });
  t.equal((await validator.validate(card, live())).kind, 'unavailable');
  t.equal(ledger.usage().used, 0);
});

t.test(
  'the connect deadline counts from the socket, not from the wait for one: a request queued behind four slow ones is served',
  async (t) => {
    sim.setFault({ kind: 'latency', ms: 800 });
    t.teardown(() => sim.setFault(null));
    // Four sockets at most (transport.ts): the fifth request waits about 800 ms for one, longer than the connect deadline.
    const { validator, ledger } = rig(sim, { endpoint: { connectTimeoutMs: 300, totalTimeoutMs: 5000 } });
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => validator.validate(card, live())));
    t.same(
      outcomes.map((o) => o.kind),
      ['verified', 'verified', 'verified', 'verified', 'verified'],
    );
    t.equal(ledger.usage().used, 5);
  },
);

t.test('service faults after the request left: typed outcome, the hit counts, no retry', async (t) => {
  const cases = [
    [{ kind: 'status', code: 500 }, 'serviceError'],
    [{ kind: 'status', code: 503 }, 'serviceError'],
    [{ kind: 'malformedJson' }, 'serviceError'],
    [{ kind: 'oversizedBody' }, 'serviceError'],
    [{ kind: 'reset' }, 'unavailable'],
    [{ kind: 'slowBody', intervalMs: 50 }, 'unavailable'],
    [{ kind: 'latency', ms: 1500 }, 'unavailable'],
    [{ kind: 'latency', ms: 20 }, 'verified'],
  ] as const;
  for (const [fault, kind] of cases) {
    sim.setFault(fault);
    const { validator, ledger } = rig(sim, { endpoint: { connectTimeoutMs: 500, totalTimeoutMs: 1000 } });
    const before = sim.hits();
    t.equal((await validator.validate(card, live())).kind, kind, fault.kind);
    t.equal(sim.hits() - before, 1, `${fault.kind}: exactly one request, never a retry`);
    t.equal(ledger.usage().used, 1, `${fault.kind}: the hit counts`);
  }
  sim.setFault(null);
});

t.test('the circuit breaker opens after consecutive transport failures and recovers through a handshake probe', async (t) => {
  const { validator, ledger } = rig(sim, { endpoint: { connectTimeoutMs: 500, totalTimeoutMs: 1000 } });
  sim.setFault({ kind: 'reset' });
  for (let i = 0; i < BREAKER_FAILURE_THRESHOLD; i += 1) t.equal((await validator.validate(card, live())).kind, 'unavailable');
  t.equal(validator.health().breaker, 'open');
  const spent = ledger.usage().used;
  const hits = sim.hits();
  sim.setFault(null);
  t.equal((await validator.validate(card, live())).kind, 'unavailable', 'open: answered at once');
  t.equal(ledger.usage().used, spent, 'open: no hit spent');
  t.equal(sim.hits(), hits, 'open: no request sent');
  sim.setFault({ kind: 'foreignCertificate' });
  t.equal(await validator.probe(), false, 'a failed probe keeps it open');
  t.equal(validator.health().breaker, 'open');
  sim.setFault(null);
  t.equal(await validator.probe(), true);
  t.equal(validator.health().breaker, 'halfOpen');
  t.equal(sim.hits(), hits, 'probes send no HTTP request');
  t.equal(ledger.usage().used, spent, 'probes spend no hit');
  t.equal((await validator.validate(card, live())).kind, 'verified');
  t.equal(validator.health().breaker, 'closed');
});

t.test('a half-open breaker opens again on the first failure', async (t) => {
  const { validator } = rig(sim, { endpoint: { connectTimeoutMs: 500, totalTimeoutMs: 1000 } });
  sim.setFault({ kind: 'status', code: 502 });
  for (let i = 0; i < BREAKER_FAILURE_THRESHOLD; i += 1) await validator.validate(card, live());
  t.equal(validator.health().breaker, 'open');
  sim.setFault(null);
  await validator.probe();
  sim.setFault({ kind: 'status', code: 502 });
  await validator.validate(card, live());
  t.equal(validator.health().breaker, 'open');
  sim.setFault(null);
});

t.test('aborting before sending spends nothing; aborting after sending keeps the hit', async (t) => {
  const { validator, ledger } = rig(sim);
  const aborted = new AbortController();
  aborted.abort();
  await t.rejects(validator.validate(card, aborted.signal), { name: 'AbortError' });
  t.equal(ledger.usage().used, 0, 'aborted before the call: nothing reserved');

  const early = new AbortController();
  const pending = validator.validate(card, early.signal);
  early.abort();
  await t.rejects(pending, { name: 'AbortError' });
  t.equal(ledger.usage().used, 0, 'aborted between reservation and sending: released');

  sim.setFault({ kind: 'latency', ms: 3000 });
  t.teardown(() => sim.setFault(null));
  const late = new AbortController();
  const before = sim.hits();
  const inFlight = validator.validate(card, late.signal);
  while (sim.hits() === before) await new Promise((r) => setTimeout(r, 5));
  late.abort();
  await t.rejects(inFlight, { name: 'AbortError' });
  t.equal(ledger.usage().used, 1, 'the request reached the service: the hit counts');
});

t.test('kill -9 after the request left: the hit is still counted after restart', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'anjungan-kill-'));
  openDatabase(dir).close();
  sim.setFault({ kind: 'latency', ms: 30_000 });
  t.teardown(() => sim.setFault(null));
  const before = sim.hits();
  const child = spawn(process.execPath, ['--import=tsx', join(import.meta.dirname, 'helpers', 'validate-child.ts'), dir], {
    stdio: 'inherit',
    env: {
      ...process.env,
      SIM_BASE_URL: sim.baseUrl,
      SIM_INSTITUTION: sim.institution,
      SIM_CA_PEM: sim.caPem,
      SIM_CREDENTIALS: JSON.stringify(sim.credentials),
    },
  });
  const exited = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_code, signal) => r(signal)));
  while (sim.hits() === before) await new Promise((r) => setTimeout(r, 10));
  child.kill('SIGKILL');
  t.equal(await exited, 'SIGKILL');
  const ledger = new SqliteQuotaLedger(openDatabase(dir), { dailyLimit: 1000, clock: { now: () => new Date() } });
  t.equal(ledger.usage().used, 1);
});
