import t from 'tap';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../device/store/db.ts';
import { QuotaLedgerError, SqliteQuotaLedger } from '../../device/uplink/quota-ledger.ts';
import { wibDate } from '../../device/domain/wib.ts';

const stateDir = () => mkdtempSync(join(tmpdir(), 'anjungan-quota-'));
const fixedClock = (iso: string) => {
  const c = { at: new Date(iso), now: () => c.at };
  return c;
};

t.test('exactly the daily limit is granted, then every reservation is refused', async (t) => {
  const ledger = new SqliteQuotaLedger(openDatabase(stateDir()), { dailyLimit: 5, clock: fixedClock('2024-03-10T03:00:00Z') });
  const results = [];
  for (let i = 0; i < 7; i += 1) results.push(await ledger.reserve());
  t.same(
    results.map((r) => r.granted),
    [true, true, true, true, true, false, false],
  );
  t.same(
    results.map((r) => r.usage.used),
    [1, 2, 3, 4, 5, 5, 5],
  );
  t.same(ledger.usage(), { used: 5, limit: 5, day: '2024-03-10' });
});

t.test('20 concurrent reservations never overshoot the limit', async (t) => {
  const ledger = new SqliteQuotaLedger(openDatabase(stateDir()), { dailyLimit: 15, clock: fixedClock('2024-03-10T03:00:00Z') });
  const results = await Promise.all(Array.from({ length: 20 }, () => ledger.reserve()));
  t.equal(results.filter((r) => r.granted).length, 15);
  t.equal(new Set(results.flatMap((r) => (r.granted ? [r.id] : []))).size, 15, 'every granted hit is its own row');
  t.equal(ledger.usage().used, 15);
});

t.test('four processes reserving at once on one ledger never overshoot', async (t) => {
  const dir = stateDir();
  openDatabase(dir).close(); // migrate once up front so the children only reserve
  const children = Array.from({ length: 4 }, () =>
    spawn(process.execPath, ['--import=tsx', join(import.meta.dirname, 'helpers', 'reserve-child.ts'), dir, '10', '25'], {
      stdio: ['pipe', 'pipe', 'inherit'],
    }),
  );
  const lines = (c: (typeof children)[number]) => {
    const seen: string[] = [];
    let buf = '';
    const waiters: Array<() => void> = [];
    c.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const parts = buf.split('\n');
      buf = parts.pop()!;
      seen.push(...parts);
      waiters.splice(0).forEach((w) => w());
    });
    return async (n: number) => {
      while (seen.length < n) await new Promise<void>((r) => waiters.push(r));
      return seen[n - 1]!;
    };
  };
  const readers = children.map(lines);
  await Promise.all(readers.map((r) => r(1)));
  for (const c of children) c.stdin!.write('go\n');
  const granted = (await Promise.all(readers.map((r) => r(2)))).map(Number);
  t.equal(
    granted.reduce((a, b) => a + b, 0),
    25,
    `granted per process: ${granted.join(', ')}`,
  );
  const ledger = new SqliteQuotaLedger(openDatabase(dir), { dailyLimit: 25, clock: { now: () => new Date() } });
  t.equal(ledger.usage().used, 25);
});

t.test('the count survives closing and reopening the store', async (t) => {
  const dir = stateDir();
  const clock = fixedClock('2024-03-10T03:00:00Z');
  const db = openDatabase(dir);
  const first = new SqliteQuotaLedger(db, { dailyLimit: 10, clock });
  for (let i = 0; i < 3; i += 1) await first.reserve();
  db.close();
  const second = new SqliteQuotaLedger(openDatabase(dir), { dailyLimit: 10, clock });
  t.same(second.usage(), { used: 3, limit: 10, day: '2024-03-10' });
});

t.test('a hit is released only while the request has not left', async (t) => {
  const db = openDatabase(stateDir());
  const ledger = new SqliteQuotaLedger(db, { dailyLimit: 10, clock: fixedClock('2024-03-10T03:00:00Z') });
  const a = await ledger.reserve();
  const b = await ledger.reserve();
  if (!a.granted || !b.granted) throw new Error('expected grants');
  await ledger.release(a.id);
  t.equal(ledger.usage().used, 1, 'a released hit no longer counts');
  await ledger.markSent(b.id);
  t.equal(db.pragma('synchronous', { simple: true }), 2, 'the store stays at synchronous FULL after a sent mark');
  await t.rejects(ledger.release(b.id), new QuotaLedgerError('alreadySent'), 'a sent hit can never be given back');
  t.equal(ledger.usage().used, 1);
  await t.rejects(ledger.release(a.id), new QuotaLedgerError('alreadyReleased'));
  await t.rejects(ledger.markSent(a.id), new QuotaLedgerError('alreadyReleased'));
  await t.rejects(ledger.release('999'), new QuotaLedgerError('unknownReservation'));
  await t.rejects(ledger.release('1; DROP TABLE quota_hit'), new QuotaLedgerError('unknownReservation'));
  t.equal(ledger.usage().used, 1, 'bad calls change nothing');
});

t.test('the day ends at midnight WIB (17:00 UTC), not at midnight UTC', async (t) => {
  t.equal(wibDate(new Date('2024-03-10T16:59:59.999Z')), '2024-03-10');
  t.equal(wibDate(new Date('2024-03-10T17:00:00.000Z')), '2024-03-11');
  t.equal(wibDate(new Date('2024-12-31T18:30:00Z')), '2025-01-01');
  const clock = fixedClock('2024-03-10T16:59:00Z');
  const ledger = new SqliteQuotaLedger(openDatabase(stateDir()), { dailyLimit: 2, clock });
  await ledger.reserve();
  await ledger.reserve();
  t.equal((await ledger.reserve()).granted, false, 'limit reached at 23:59 WIB');
  clock.at = new Date('2024-03-10T17:00:00Z');
  t.same(ledger.usage(), { used: 0, limit: 2, day: '2024-03-11' });
  t.equal((await ledger.reserve()).granted, true, 'a new day at 00:00 WIB');
  clock.at = new Date('2024-03-11T16:00:00Z');
  t.equal(ledger.usage().used, 1, 'still the same WIB day at 23:00 WIB although the UTC date is unchanged too');
});

t.test('a nonsensical daily limit is refused with a typed error', async (t) => {
  const db = openDatabase(stateDir());
  for (const dailyLimit of [0, -1, 1.5, Number.NaN]) {
    t.throws(() => new SqliteQuotaLedger(db, { dailyLimit, clock: { now: () => new Date() } }), new QuotaLedgerError('dailyLimit'));
  }
});
