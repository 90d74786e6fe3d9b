/**
 * Data balikan delivery against the simulator over real TLS, with a real SQLite outbox: exactly
 * one recorded effect per entry under retries, recovery after failures, a hanging server, the
 * pinned CA, exported and refused entries, retention (./retention.ts), and logs without personal data.
 */
import t from 'tap';
import { randomBytes } from 'node:crypto';
import { generateTestPki } from '../../device/sim/dukcapil/pki.ts';
import { returnDataSimulatorEndpoint, startReturnDataSimulator, type ReturnDataSimulator } from '../../device/sim/return-data/server.ts';
import {
  ReturnDataDelivery,
  retryDelayMs,
  returnDataTransport,
  DEFAULT_DELIVERY,
  type DeliverySettings,
  type ReturnDataEndpoint,
} from '../../device/return-data/delivery.ts';
import { AuditLog } from '../../device/store/audit-log.ts';
import { purgeSettledReturnData } from '../../device/return-data/retention.ts';
import { until } from '../support/until.ts';
import { capturingLogger } from '../support/logger.ts';
import { forbiddenInLogs, openStore, syntheticEntry, type Store } from './support.ts';
import type { ReturnDataEntry } from '../../device/flow/ports.ts';

const key = randomBytes(32);
const log = capturingLogger();
const everyEntry: ReturnDataEntry[] = [];
let sim: ReturnDataSimulator;
let foreignCaPem: string;

t.before(async () => {
  [sim, foreignCaPem] = await Promise.all([
    startReturnDataSimulator(),
    generateTestPki('Unrelated test CA', { ips: ['127.0.0.1'], dnsNames: [] }).then((p) => p.caPem),
  ]);
});
t.teardown(() => sim.close());

const fast: DeliverySettings = { ...DEFAULT_DELIVERY, batchSize: 5, idleIntervalMs: 20, retryBaseMs: 20, retryMaxMs: 200 };

function worker(
  store: Store,
  opts: { endpoint?: Partial<ReturnDataEndpoint>; settings?: Partial<DeliverySettings>; clock?: { now(): Date } } = {},
) {
  const { transport, path } = returnDataTransport(returnDataSimulatorEndpoint(sim, opts.endpoint));
  const clock = opts.clock ?? { now: () => new Date() };
  return new ReturnDataDelivery({
    audit: new AuditLog(store.db, key, clock),
    outbox: store.outbox,
    transport,
    path,
    credentials: sim.credentials,
    clock,
    logger: log.logger,
    settings: { ...fast, ...opts.settings },
  });
}

/** Enqueues synthetic entries `from`..`to-1` under keys named by the test. */
function enqueue(store: Store, prefix: string, from: number, to: number): Map<string, ReturnDataEntry> {
  const byKey = new Map<string, ReturnDataEntry>();
  for (let i = from; i < to; i++) {
    const entry = syntheticEntry(i);
    store.outbox.enqueue(entry, `${prefix}-${i}`);
    byKey.set(`${prefix}-${i}`, entry);
    everyEntry.push(entry);
  }
  return byKey;
}

/** Audit rows of delivery, as `code session`, in order. */
function auditedDelivery(store: Store): string[] {
  return (
    store.db.prepare("SELECT code, session_id AS s FROM audit_event WHERE code LIKE 'returnDataDeliver%' ORDER BY id").all() as Array<{
      code: string;
      s: string;
    }>
  ).map((r) => `${r.code} ${r.s}`);
}

function recordedAs(keys: Iterable<string>): Array<{ key: string; nik: string; nop: string | null; npwpd: string | null } | undefined> {
  return [...keys].map((k) => {
    const r = sim.recorded().get(k);
    return r && { key: k, nik: r.NIK, nop: r.NOP_PBB, npwpd: r.NPWPD };
  });
}

t.test(
  'a lost confirmation is resent: the server sees duplicates, records each entry once, the kiosk marks only what it confirmed',
  async (t) => {
    const store = openStore(key, { now: () => new Date() });
    t.teardown(() => store.close());
    const sent = enqueue(store, 'lost', 0, 5);
    const delivery = worker(store);
    const signal = new AbortController().signal;
    const receivedBefore = sim.entriesReceived();

    sim.failNext(2, { kind: 'recordThenReset' });
    t.match(await delivery.deliverBatch(signal), { kind: 'failed', reason: 'reset' }, 'the answer was lost');
    t.equal(recordedAs(sent.keys()).filter(Boolean).length, 5, 'the server recorded the batch');
    t.equal(store.outbox.deliveredCount(), 0, 'the kiosk marks nothing it did not hear confirmed');
    t.equal(store.outbox.pendingCount(), 5);
    t.match(await delivery.deliverBatch(signal), { kind: 'failed', reason: 'reset' });
    t.same(
      await delivery.deliverBatch(signal),
      { kind: 'answered', confirmed: 5, refused: 0, deferred: 0, deadLettered: 0 },
      'the repeat is confirmed as already recorded',
    );

    t.equal(sim.entriesReceived() - receivedBefore, 15, 'the server received every entry three times');
    t.same(
      recordedAs(sent.keys()),
      [...sent].map(([k, e]) => ({ key: k, ...e })),
      'each entry recorded once, as enqueued',
    );
    t.same(store.outbox.counts(), { pending: 0, delivered: 5, exported: 0, deliveryRefused: 0, deadLettered: 0 });
    t.same(await delivery.deliverBatch(signal), { kind: 'idle' }, 'nothing is sent again');
    t.same(
      auditedDelivery(store),
      [...sent.keys()].map((k) => `returnDataDelivered ${k}`),
      'one audit row per entry, under its session, despite the repeats',
    );
  },
);

t.test('a server that fails, then recovers: the worker backs off and delivers everything', async (t) => {
  const store = openStore(key, { now: () => new Date() });
  t.teardown(() => store.close());
  const sent = enqueue(store, 'recover', 10, 22);
  const requestsBefore = sim.requests();
  sim.failNext(3, { kind: 'status', code: 503 });
  const delivery = worker(store);
  delivery.start();
  await until(() => store.outbox.pendingCount() === 0, 'every entry delivered', 10_000);
  await delivery.stop();
  t.equal(sim.requests() - requestsBefore, 3 + Math.ceil(12 / 5), 'three failed requests, then one per batch of five');
  t.same(
    recordedAs(sent.keys()),
    [...sent].map(([k, e]) => ({ key: k, ...e })),
  );
  t.equal(store.outbox.deliveredCount(), 12);
  const failures = log
    .text()
    .split('\n')
    .filter((l) => l.includes('"returnDataDeliveryFailed"') && l.includes('"status503"'));
  t.same(failures.map((l) => (JSON.parse(l) as { failures: number }).failures).slice(-3), [1, 2, 3], 'each failure counted');
});

t.test(
  'entries the service cannot settle do not hold the rest back: each waits its own turn, and after every try is a dead letter left for export',
  async (t) => {
    let now = new Date('2026-07-01T02:00:00Z');
    const clock = { now: () => now };
    const store = openStore(key, clock);
    t.teardown(() => store.close());
    // The oldest entries, a full batch of them, are ones the service answers without settling.
    const stuck = enqueue(store, 'stuck', 60, 65);
    const good = enqueue(store, 'good', 65, 72);
    sim.leaveUnsettled((k) => k.startsWith('stuck-'));
    t.teardown(() => sim.leaveUnsettled(null));
    const deadLetters: number[] = [];
    const settings = { maxEntryAttempts: 4, entryRetryBaseMs: 60_000, entryRetryMaxMs: 600_000 };
    const delivery = new ReturnDataDelivery({
      audit: new AuditLog(store.db, key, clock),
      outbox: store.outbox,
      ...returnDataTransport(returnDataSimulatorEndpoint(sim)),
      credentials: sim.credentials,
      clock,
      logger: log.logger,
      settings: { ...fast, ...settings },
      onDeadLettered: (n) => deadLetters.push(n),
    });
    const signal = new AbortController().signal;

    for (let i = 0; i < 6 && store.outbox.deliveredCount() < good.size; i++) await delivery.deliverBatch(signal);
    t.equal(store.outbox.deliveredCount(), good.size, 'the entries behind them are delivered without waiting for them');
    t.same(await delivery.deliverBatch(signal), { kind: 'idle' }, 'the unsettled ones wait for their turn');

    const results = [];
    for (let i = 1; i < settings.maxEntryAttempts; i++) {
      now = new Date(now.getTime() + settings.entryRetryMaxMs);
      results.push(await delivery.deliverBatch(signal));
    }
    t.same(
      results.at(-1),
      { kind: 'answered', confirmed: 0, refused: 0, deferred: 0, deadLettered: stuck.size },
      `after ${settings.maxEntryAttempts} tries they are dead letters`,
    );
    t.same(
      [...stuck.keys()].map((k) => sim.timesReceived(k)),
      Array(stuck.size).fill(settings.maxEntryAttempts),
      'each sent exactly that often',
    );
    now = new Date(now.getTime() + 24 * 60 * 60_000);
    t.same(await delivery.deliverBatch(signal), { kind: 'idle' }, 'and never again');
    t.same(store.outbox.counts(), { pending: stuck.size, delivered: good.size, exported: 0, deliveryRefused: 0, deadLettered: stuck.size });
    t.same(
      store.outbox.pending().map((p) => p.entry),
      [...stuck.values()],
      'they wait for a file export',
    );
    t.same(deadLetters, [stuck.size], 'staff are told once');
    t.same(
      store.db.prepare("SELECT session_id AS s FROM audit_event WHERE code = 'returnDataDeadLettered' ORDER BY id").all(),
      [...stuck.keys()].map((s) => ({ s })),
      'one audit row per entry given up on, under its session',
    );
  },
);

t.test('the worker moves on by itself: a stalled head of the outbox does not stop delivery', async (t) => {
  const store = openStore(key, { now: () => new Date() });
  t.teardown(() => store.close());
  enqueue(store, 'head', 80, 90);
  const behind = enqueue(store, 'behind', 90, 95);
  sim.leaveUnsettled((k) => k.startsWith('head-'), 'noAnswer');
  t.teardown(() => sim.leaveUnsettled(null));
  const delivery = worker(store, { settings: { entryRetryBaseMs: 60_000, entryRetryMaxMs: 60_000 } });
  delivery.start();
  await until(() => store.outbox.deliveredCount() === behind.size, 'the entries behind the stalled ones delivered', 10_000);
  await delivery.stop();
  t.equal(store.outbox.deliveredCount(), behind.size);
});

t.test("another deployment's answers (lower-case keys, numeric codes) confirm the entries", async (t) => {
  const store = openStore(key, { now: () => new Date() });
  t.teardown(() => store.close());
  const sent = enqueue(store, 'lower', 100, 103);
  sim.setAnswerStyle({ keys: 'lower', numericCodes: true });
  t.teardown(() => sim.setAnswerStyle({ keys: 'upper', numericCodes: false }));
  const delivery = worker(store);
  t.same(await delivery.deliverBatch(new AbortController().signal), {
    kind: 'answered',
    confirmed: sent.size,
    refused: 0,
    deferred: 0,
    deadLettered: 0,
  });
  t.equal(store.outbox.deliveredCount(), sent.size);
  t.same(await delivery.deliverBatch(new AbortController().signal), { kind: 'idle' }, 'nothing is resent');
});

t.test('retry delays grow exponentially, are capped, and are jittered', async (t) => {
  const s = { retryBaseMs: 1000, retryMaxMs: 16_000 };
  t.same(
    [1, 2, 3, 4, 5, 6, 40].map((n) => retryDelayMs(n, s, () => 1)),
    [1000, 2000, 4000, 8000, 16_000, 16_000, 16_000],
  );
  t.same(
    [1, 3, 40].map((n) => retryDelayMs(n, s, () => 0)),
    [500, 2000, 8000],
    'at least half the ceiling',
  );
  const spread = new Set(Array.from({ length: 50 }, () => retryDelayMs(3, s, Math.random)));
  t.ok(spread.size > 10, 'two kiosks failing together do not retry in step');
});

t.test('a hanging server: the batch times out, nothing is marked, a later batch delivers', async (t) => {
  const store = openStore(key, { now: () => new Date() });
  t.teardown(() => store.close());
  const sent = enqueue(store, 'hang', 30, 33);
  const delivery = worker(store, { endpoint: { connectTimeoutMs: 300, totalTimeoutMs: 600 } });
  sim.setFault({ kind: 'hang' });
  const started = Date.now();
  t.match(await delivery.deliverBatch(new AbortController().signal), { kind: 'failed', reason: 'timeout' });
  t.ok(Date.now() - started < 3000, 'bounded by the configured deadline');
  t.equal(store.outbox.deliveredCount(), 0);
  sim.setFault(null);
  t.match(await delivery.deliverBatch(new AbortController().signal), { kind: 'answered', confirmed: 3 });
  t.same(
    recordedAs(sent.keys()),
    [...sent].map(([k, e]) => ({ key: k, ...e })),
  );
});

t.test('the pinned CA is enforced: a server certified by another CA gets no request', async (t) => {
  const store = openStore(key, { now: () => new Date() });
  t.teardown(() => store.close());
  enqueue(store, 'pin', 40, 42);
  const requestsBefore = sim.requests();
  const wrongCa = worker(store, { endpoint: { caPem: foreignCaPem } });
  t.match(await wrongCa.deliverBatch(new AbortController().signal), { kind: 'failed', reason: 'tlsRejected' });
  // A valid-looking key pin that is not the server's key: refused after the chain checks out.
  const wrongPin = worker(store, { endpoint: { spkiSha256: Buffer.alloc(32, 7).toString('base64') } });
  t.match(await wrongPin.deliverBatch(new AbortController().signal), { kind: 'failed', reason: 'pinMismatch' });
  t.equal(sim.requests(), requestsBefore, 'no request reached the server');
  t.equal(store.outbox.deliveredCount(), 0);
  const rightPin = worker(store, { endpoint: { spkiSha256: sim.spkiSha256 } });
  t.match(
    await rightPin.deliverBatch(new AbortController().signal),
    { kind: 'answered', confirmed: 2 },
    "the server's own key passes the pin",
  );
  t.throws(() => returnDataTransport(returnDataSimulatorEndpoint(sim, { url: sim.url.replace('https:', 'http:') })), {
    name: 'ReturnDataConfigError',
    problem: 'url',
  });
  t.throws(() => returnDataTransport(returnDataSimulatorEndpoint(sim, { caPem: 'not a certificate' })), {
    name: 'ReturnDataConfigError',
    problem: 'caPem',
  });
});

t.test(
  'an exported entry is not delivered; a refused one stays pending for export and is not resent; a login refusal marks nothing',
  async (t) => {
    const store = openStore(key, { now: () => new Date() });
    t.teardown(() => store.close());
    const sent = enqueue(store, 'mixed', 50, 53);
    store.outbox.enqueue({ nik: '3313990000540001', nop: null, npwpd: null }, 'mixed-empty');
    store.outbox.markExported([store.outbox.pending()[0]!.id]);

    const wrongLogin = new ReturnDataDelivery({
      ...{ outbox: store.outbox, clock: { now: () => new Date() }, logger: log.logger, settings: fast },
      ...returnDataTransport(returnDataSimulatorEndpoint(sim)),
      credentials: { ...sim.credentials, password: 'wrong-simulator-password' },
    });
    t.match(await wrongLogin.deliverBatch(new AbortController().signal), { kind: 'failed', reason: 'refused03' });
    t.equal(store.outbox.deliveredCount(), 0);

    const delivery = worker(store);
    t.same(await delivery.deliverBatch(new AbortController().signal), {
      kind: 'answered',
      confirmed: 2,
      refused: 1,
      deferred: 0,
      deadLettered: 0,
    });
    t.notOk(sim.recorded().has('mixed-50'), 'the exported entry was never sent');
    t.ok(sim.recorded().has('mixed-51') && sim.recorded().has('mixed-52'));
    t.same(store.outbox.counts(), { pending: 1, delivered: 2, exported: 1, deliveryRefused: 1, deadLettered: 0 });
    t.same(
      store.outbox.pending().map((p) => p.entry.nik),
      ['3313990000540001'],
      'the refused entry waits for a file export',
    );
    const before = sim.entriesReceived();
    t.same(await delivery.deliverBatch(new AbortController().signal), { kind: 'idle' }, 'and is not resent');
    t.same(auditedDelivery(store), [
      'returnDataDelivered mixed-51',
      'returnDataDelivered mixed-52',
      'returnDataDeliveryRefused mixed-empty',
    ]);
    t.equal(sim.entriesReceived(), before);
    t.equal(sent.size, 3);
  },
);

t.test('retention deletes delivered and exported entries once the period has passed, and never a pending one', async (t) => {
  let now = new Date('2026-07-01T02:00:00Z');
  const clock = { now: () => now };
  const store = openStore(key, clock);
  t.teardown(() => store.close());
  const retention = { outbox: store.outbox, retentionDays: 30, logger: log.logger };
  enqueue(store, `purge-${Date.now()}`, 60, 64);
  const delivery = worker(store, { clock });
  t.match(await delivery.deliverBatch(new AbortController().signal), { kind: 'answered', confirmed: 4 });
  now = new Date('2026-07-10T02:00:00Z');
  enqueue(store, `purge-exported-${Date.now()}`, 64, 67);
  const exported = store.outbox.pending().map((p) => p.id);
  store.outbox.markExported(exported);
  now = new Date('2026-07-15T02:00:00Z');
  enqueue(store, `purge-late-${Date.now()}`, 67, 69);

  now = new Date('2026-07-31T01:59:59Z');
  t.equal(purgeSettledReturnData(retention), 0, 'a second short of 30 days after confirmation: kept');
  now = new Date('2026-07-31T02:00:00Z');
  t.equal(purgeSettledReturnData(retention), 4, '30 days after confirmation: deleted');
  now = new Date('2026-08-09T01:59:59Z');
  t.equal(purgeSettledReturnData(retention), 0, 'exported a second short of 30 days ago: kept');
  now = new Date('2026-08-09T02:00:00Z');
  t.equal(
    purgeSettledReturnData(retention),
    3,
    '30 days after the export file was written: deleted (a site without the web service keeps nothing for ever)',
  );
  now = new Date('2027-07-31T04:00:00Z');
  t.equal(purgeSettledReturnData(retention), 0, 'pending entries are never purged, however old');
  t.same(store.outbox.counts(), { pending: 2, delivered: 0, exported: 0, deliveryRefused: 0, deadLettered: 0 });
  const rows = store.db.prepare('SELECT count(*) AS n FROM return_data_outbox').get() as { n: number };
  t.equal(rows.n, 2, 'the purged rows are gone from the table');
});

t.test('the delivery logs hold no NIK, NOP, NPWPD or credential', async (t) => {
  const text = log.text();
  t.ok(text.includes('returnDataDelivered') && text.includes('returnDataDeliveryFailed'), 'the scan covers real log lines');
  const found = forbiddenInLogs(everyEntry, [sim.credentials.password, sim.credentials.userId, 'wrong-simulator-password']).filter((v) =>
    text.includes(v),
  );
  t.same(found, []);
});
