/**
 * Privacy of the staff dashboard: every persona's session runs through the real flow (staff
 * assist decided on the dashboard where the finger fails) while the dashboard is read after
 * each step; then every answer the routes gave, every row of the tables they write or read and
 * the whole state folder are scanned for each persona's personal data in clear.
 */
import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allPersonas } from '../../device/sim/personas.ts';
import { formatAlamat } from '../../device/domain/record.ts';
import { dashboardKiosk } from './dashboard-harness.ts';

function personalValues(p: ReturnType<typeof allPersonas>[number]): string[] {
  const values = [
    p.card.nik,
    p.card.nomorKk,
    p.card.namaLengkap,
    p.card.tanggalLahir,
    p.card.tanggalLahir.split('-').reverse().join('-'),
    p.card.alamat.jalan,
    formatAlamat(p.card.alamat),
  ];
  if (p.registry.status !== 'notFound') values.push(p.registry.person.namaLengkap, p.registry.person.alamat.jalan);
  return values;
}

t.test('no name, NIK, birth date or address in any dashboard answer or in the rows behind them', async (t) => {
  // Seven of the eight personas reach the registry: 7 of 8 hits raises the 80 % alert.
  const k = await dashboardKiosk({ dailyQuota: 8 });
  t.teardown(() => k.close());
  const readAll = async () => {
    await k.call('GET', '/overview');
    await k.call('GET', '/alerts');
    await k.call('GET', '/sessions?limit=200');
  };
  const outcomes: Record<string, string> = {};
  for (const p of allPersonas()) {
    await k.insertCard(p, p.finger.condition === 'worn' ? ['noMatch'] : ['matched']);
    await readAll();
    if (k.view().screen === 'staffAssist') {
      t.equal((await k.call('POST', '/assist/unlock')).status, 200, `${p.id}: unlocked from the dashboard`);
      await readAll();
      t.equal((await k.call('POST', '/assist/face', { matches: true })).status, 200);
    }
    await readAll();
    const v = k.view();
    outcomes[p.id] = v.screen === 'result' ? v.outcome : v.screen === 'failed' ? v.reason : v.screen;
    await k.finishSession();
    await readAll();
  }
  t.same(
    outcomes,
    {
      valid: 'verified',
      'address-changed': 'dataDiffers',
      'not-found': 'notFound',
      deceased: 'deceased',
      inactive: 'inactive',
      'tampered-card': 'signatureInvalid',
      'finger-unreadable': 'verified',
      'other-regency': 'verified',
    },
    'every persona ran its whole path',
  );
  // The actions too, and the alerts they leave (quota thresholds, help needed).
  await k.call('POST', '/kiosk/pause');
  await k.call('POST', '/kiosk/resume');
  const alerts = (await k.call('GET', '/alerts')).body.alerts as Array<{ id: number; kind: string }>;
  t.ok(alerts.some((a) => a.kind === 'helpNeeded') && alerts.some((a) => a.kind === 'quota80'), 'alerts were raised');
  for (const a of alerts) await k.call('POST', `/alerts/${a.id}/ack`);
  await readAll();
  t.ok(k.responses.length > 50, `${k.responses.length} answers scanned`);

  const rows = ['staff_alerts', 'audit_event', 'kiosk_flag', 'quota_hit'].map((table) => ({
    name: `table ${table}`,
    text: JSON.stringify(k.db.prepare(`SELECT * FROM ${table}`).all()),
  }));
  k.db.pragma('wal_checkpoint(FULL)');
  const files = readdirSync(k.dir).map((f) => ({ name: f, bytes: readFileSync(join(k.dir, f)) }));
  const answers = k.responses.join('\n');
  const log = k.logLines.join('');
  for (const p of allPersonas()) {
    for (const value of personalValues(p)) {
      t.notOk(answers.includes(value), `${p.id}: not in any dashboard answer`);
      t.same(
        rows.filter((r) => r.text.includes(value)).map((r) => r.name),
        [],
        `${p.id}: not in the tables`,
      );
      t.same(
        files
          .filter((f) => f.bytes.includes(Buffer.from(value, 'utf8')) || f.bytes.includes(Buffer.from(value, 'utf16le')))
          .map((f) => f.name),
        [],
        `${p.id}: not in the state folder's files`,
      );
      t.notOk(log.includes(value), `${p.id}: not in the log`);
    }
  }
  // A scan that cannot fail proves nothing: the values were on the kiosk's screen.
  t.ok(
    k.f.outbox.some((e) => e.nik === allPersonas()[0]!.card.nik),
    "the personas' data did pass through the flow",
  );
});
