/**
 * Nothing on the data partition is lost across an update, its trial and its rollback: the
 * credentials, the configuration, the operators, the quota ledger and the data balikan outbox are
 * exactly what they were; the audit trail only grows (the update's own rows). RAUC writes slots,
 * never the data partition; the update's journal and RAUC's status sit in their own folder there.
 */
import t from 'tap';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { layout } from '../../provisioning/layout.ts';
import { openDatabase } from '../../device/store/db.ts';
import { ReturnDataOutbox } from '../../device/store/return-data-outbox.ts';
import { SqliteQuotaLedger } from '../../device/uplink/quota-ledger.ts';
import { readCredentials } from '../../device/store/credentials.ts';
import { cli } from '../provisioning/cli-harness.ts';
import { raucKiosk, laterBuild } from './rauc-kiosk.ts';
import { healthStandIn, HEALTHY } from './health-stand-in.ts';

t.setTimeout(600_000);

t.test('credentials, configuration, operators, quota ledger and outbox survive an update and its rollback', async (t) => {
  const k = await raucKiosk(t);
  const l = layout(k.root);
  const health = await healthStandIn(t, k.root);
  const add = await cli(
    [
      'operators',
      'add',
      '--root',
      k.root,
      '--user-id',
      'budi',
      '--name',
      'Budi Contoh',
      '--nip',
      '198001012010011001',
      '--employment-status',
      'PNS',
      '--position',
      'Pengelola Layanan',
      '--nda-signed',
      '2026-01-15',
    ],
    { stdin: '135790\n', now: new Date('2026-02-01T03:00:00Z') },
  );
  t.equal(add.code, 0, 'an operator', { stderr: add.stderr });
  const credentials = readCredentials(l.credentialFile);
  const db = openDatabase(l.stateDir);
  const clock = { now: () => new Date() };
  const outbox = new ReturnDataOutbox(db, Buffer.from(credentials.outboxKey, 'hex'), clock);
  outbox.enqueue({ nik: '3313000000000007', nop: '33.13.000.000.000-0007.0', npwpd: null }, 'session-before-update');
  const ledger = new SqliteQuotaLedger(db, { dailyLimit: 100, clock });
  await ledger.markSent(((await ledger.reserve()) as { id: string }).id);
  db.close();

  const files = () =>
    Object.fromEntries(
      [l.credentialFile, l.configFile, l.operatorsFile].map((f) => [
        f.slice(k.root.length),
        createHash('sha256').update(readFileSync(f)).digest('hex'),
      ]),
    );
  const tables = () => {
    const d = new Database(join(l.stateDir, 'anjungan.sqlite'), { readonly: true });
    try {
      return {
        quota: d.prepare('SELECT * FROM quota_hit ORDER BY id').all(),
        outbox: d
          .prepare(
            'SELECT id, queued_at, hex(sealed) AS sealed, idempotency_key, exported_at, delivered_at FROM return_data_outbox ORDER BY id',
          )
          .all(),
        signInLockout: d.prepare('SELECT * FROM staff_sign_in_lockout').all(),
        audit: d.prepare('SELECT id, at, code, session_id, nik_hmac, staff_id FROM audit_event ORDER BY id').all() as Array<{
          code: string;
        }>,
      };
    } finally {
      d.close();
    }
  };
  const before = { files: files(), ...tables() };
  t.equal(before.outbox.length, 1);
  t.equal(before.quota.length, 1);

  t.equal((await k.cli(['update', 'install', k.bundle({ version: '0.2.0', build: laterBuild(5), format: 'plain' })])).code, 0, 'installed');
  await k.reboot();
  health.set({ ...HEALTHY, devices: { ...HEALTHY.devices, sensor: 'missing' } });
  t.equal((await k.cli(['update', 'confirm-boot', '--deadline-s', '2'])).code, 5, 'the trial fails (no sensor)');
  t.same(await k.reboot(), { slot: 'A', tryboot: false });
  t.equal((await k.cli(['update', 'confirm-boot'])).code, 0, 'the rollback is recorded');

  const after = { files: files(), ...tables() };
  t.same(after.files, before.files, 'credentials, configuration and operators: byte for byte');
  t.same(after.quota, before.quota, 'the quota ledger');
  t.same(after.outbox, before.outbox, 'the data balikan outbox');
  t.same(after.signInLockout, before.signInLockout);
  t.same(after.audit.slice(0, before.audit.length), before.audit, 'the audit trail kept every row');
  t.same(
    after.audit.slice(before.audit.length).map((r) => r.code),
    ['kioskPaused', 'updateInstalled', 'updateBooted', 'updateRolledBack', 'kioskResumed'],
    'and grew by the update',
  );
});
