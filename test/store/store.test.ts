/**
 * The store on real SQLite files: migrations, the audit trail (no NIK in clear), the sealed data
 * balikan outbox, kiosk flags and the credential file. (Staff PIN lockout has its own tests.)
 */
import t, { type Test } from 'tap';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../device/store/db.ts';
import { MIGRATIONS } from '../../device/store/migrations.ts';
import { AuditLog } from '../../device/store/audit-log.ts';
import { ReturnDataOutbox } from '../../device/store/return-data-outbox.ts';
import { KioskFlags } from '../../device/store/kiosk-flags.ts';
import { CredentialFileError, newKey, readCredentials, writeCredentials, type Credentials } from '../../device/store/credentials.ts';

const NIK = '3313014503950001'; // synthetic
const clock = { now: () => new Date('2026-11-27T03:00:00Z') };

function stateDir(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'anj10-store-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function open(t: Test, dir = stateDir(t)): { db: Db; dir: string } {
  const db = openDatabase(dir);
  t.teardown(() => db.close());
  return { db, dir };
}

const fileText = (dir: string) =>
  ['anjungan.sqlite', 'anjungan.sqlite-wal']
    .map((f) => {
      try {
        return readFileSync(join(dir, f)).toString('latin1');
      } catch {
        return '';
      }
    })
    .join('');

t.test('the connection keeps at most 2 MB of database pages in memory', async (t) => {
  const { db } = open(t);
  // better-sqlite3's build keeps up to 16 MB, filled page by page as the audit trail grows (#25).
  const cacheSize = db.pragma('cache_size', { simple: true }) as number;
  t.ok(cacheSize < 0 && -cacheSize <= 2000, `cache_size ${cacheSize} (negative: KiB)`);
});

t.test('migrations are applied once, in order, and again opening the file changes nothing', async (t) => {
  const dir = stateDir(t);
  const first = openDatabase(dir);
  const versions = () =>
    first
      .prepare('SELECT version FROM schema_migrations ORDER BY version')
      .all()
      .map((r) => (r as { version: number }).version);
  t.same(
    versions(),
    MIGRATIONS.map((m) => m.version).sort((a, b) => a - b),
  );
  first.close();
  const again = openDatabase(dir);
  t.equal((again.prepare('SELECT count(*) AS n FROM schema_migrations').get() as { n: number }).n, MIGRATIONS.length);
  again.close();
  t.equal(statSync(dir).mode & 0o077, 0, 'the state folder is private to the daemon');
});

t.test('the audit trail keeps codes and a keyed hash of the NIK, never the NIK', async (t) => {
  const { db, dir } = open(t);
  const key = Buffer.from(newKey(), 'hex');
  const audit = new AuditLog(db, key, clock);
  audit.record({ code: 'validated', sessionId: 's-1', outcome: 'verified', durationMs: 1234.6, nik: NIK });
  audit.record({ code: 'sessionEnd', sessionId: 's-1', outcome: 'completed' });
  const rows = db.prepare('SELECT * FROM audit_event ORDER BY id').all() as Array<Record<string, unknown>>;
  t.match(rows[0], { code: 'validated', session_id: 's-1', outcome: 'verified', duration_ms: 1235, at: '2026-11-27T03:00:00.000Z' });
  t.equal(rows[0]!.nik_hmac, audit.nikHmac(NIK));
  t.match(rows[0]!.nik_hmac, /^[0-9a-f]{64}$/);
  t.equal(rows[1]!.nik_hmac, null);
  t.not(new AuditLog(db, Buffer.from(newKey(), 'hex'), clock).nikHmac(NIK), audit.nikHmac(NIK), 'another kiosk key, another hash');
  db.pragma('wal_checkpoint(TRUNCATE)');
  t.notMatch(fileText(dir), NIK, 'the NIK is nowhere in the database file');
});

t.test('the data balikan outbox seals each entry; only the outbox key opens it; exported entries leave the queue', async (t) => {
  const { db, dir } = open(t);
  const key = Buffer.from(newKey(), 'hex');
  const outbox = new ReturnDataOutbox(db, key, clock);
  outbox.enqueue({ nik: NIK, nop: '331301000100100010', npwpd: null }, 'session-1');
  outbox.enqueue({ nik: NIK, nop: null, npwpd: 'P.2.0001234.33.13' }, 'session-2');
  t.equal(outbox.pendingCount(), 2);
  const pending = outbox.pending();
  t.same(
    pending.map((p) => p.entry),
    [
      { nik: NIK, nop: '331301000100100010', npwpd: null },
      { nik: NIK, nop: null, npwpd: 'P.2.0001234.33.13' },
    ],
  );
  db.pragma('wal_checkpoint(TRUNCATE)');
  t.notMatch(fileText(dir), NIK, 'no NIK in clear');
  t.notMatch(fileText(dir), '331301000100100010', 'no NOP in clear');
  t.throws(() => new ReturnDataOutbox(db, Buffer.from(newKey(), 'hex'), clock).pending(), 'another key cannot open the entries');
  t.throws(() => new ReturnDataOutbox(db, Buffer.alloc(16), clock), /32 bytes/);
  outbox.markExported([pending[0]!.id]);
  t.equal(outbox.pendingCount(), 1);
  t.same(
    outbox.pending().map((p) => p.id),
    [pending[1]!.id],
  );
});

t.test('kiosk flags survive reopening the store, hold a value, and clear', async (t) => {
  const dir = stateDir(t);
  const first = openDatabase(dir);
  const flags = new KioskFlags(first, clock);
  t.equal(flags.isSet('pausedByStaff'), false);
  t.equal(flags.value('quotaReached'), null);
  flags.set('quotaReached', '2026-11-27');
  flags.set('uplinkRejected', 'loginFailed');
  flags.set('uplinkRejected', 'ipRefused');
  first.close();
  const db = openDatabase(dir);
  t.teardown(() => db.close());
  const again = new KioskFlags(db, clock);
  t.equal(again.value('quotaReached'), '2026-11-27');
  t.equal(again.value('uplinkRejected'), 'ipRefused', 'setting again replaces the value');
  again.clear('uplinkRejected');
  t.equal(again.isSet('uplinkRejected'), false);
});

const credentials = (): Credentials => ({
  dukcapil: { userId: 'test-user', password: 'test-password', ipUser: '127.0.0.1' },
  sam: { pcid: newKey(), configuration: newKey() },
  auditKey: newKey(),
  outboxKey: newKey(),
  staff: [],
});

t.test('the credential file is written with mode 0600 and read back', async (t) => {
  const path = join(stateDir(t), 'credentials.json');
  const c = credentials();
  writeCredentials(path, c);
  t.equal(statSync(path).mode & 0o777, 0o600);
  t.same(readCredentials(path), c);
});

t.test('a credential file that is missing, too open or malformed is refused without echoing it', async (t) => {
  const dir = stateDir(t);
  const path = join(dir, 'credentials.json');
  t.throws(() => readCredentials(path), new CredentialFileError('missing'));
  writeCredentials(path, credentials());
  chmodSync(path, 0o644);
  t.throws(() => readCredentials(path), new CredentialFileError('permissions'));
  writeFileSync(path, '{"dukcapil": {"password": "do-not-echo"}}', { mode: 0o600 });
  chmodSync(path, 0o600);
  const err = (() => {
    try {
      readCredentials(path);
    } catch (e) {
      return e as Error;
    }
    return null;
  })();
  t.match(err, new CredentialFileError('malformed'));
  t.notMatch(err?.message ?? '', /do-not-echo/);
  t.throws(
    () => writeCredentials(path, { ...credentials(), auditKey: 'short' }),
    new CredentialFileError('malformed'),
    'nothing malformed is written',
  );
});
