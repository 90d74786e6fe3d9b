/**
 * The real daemon over its staff LAN listener: a data balikan file (NIKs) exported and then
 * downloaded by an operator on another PC leaves an audit row for the read, naming the operator
 * and the export, as the export itself does.
 */
import t from 'tap';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildKiosk } from '../support/kiosk-process.ts';
import { startLanKiosk } from '../support/lan-kiosk.ts';
import { httpsRequest } from '../support/test-tls.ts';
import { DEMO_STAFF_PIN, KioskClient, runPersona } from '../support/kiosk-client.ts';
import { persona } from '../../device/sim/personas.ts';

await buildKiosk();
const folder = mkdtempSync(join(tmpdir(), 'anj21-export-'));
t.teardown(() => rmSync(folder, { recursive: true, force: true }));
const { kiosk, lanPort, caPem } = await startLanKiosk(t, { config: { returnDataExport: { roots: [], folder } } });
const origin = `https://127.0.0.1:${lanPort}`;

function auditRows(
  code: string,
): Array<{ staff_id: string | null; state: string | null; outcome: string | null; item_count: number | null }> {
  const db = new Database(join(kiosk.stateDir, 'anjungan.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT staff_id, state, outcome, item_count FROM audit_event WHERE code = ? ORDER BY id').all(code) as never;
  } finally {
    db.close();
  }
}

t.test('downloading a data balikan file over the LAN is audited with the operator and the export', async (t) => {
  await runPersona(new KioskClient(kiosk.url), 'valid');
  const signIn = await httpsRequest(lanPort, caPem, {
    method: 'POST',
    path: '/api/staff/session',
    headers: { origin },
    body: { userId: 'petugas-demo', pin: DEMO_STAFF_PIN },
  });
  t.equal(signIn.status, 200);
  const cookie = String([signIn.headers['set-cookie']].flat()[0]).split(';')[0]!;
  const csrf = String(signIn.json().csrf);
  const targets = (await httpsRequest(lanPort, caPem, { path: '/api/staff/return-data', headers: { cookie } })).json() as {
    targets: Array<{ id: string }>;
  };
  const exported = await httpsRequest(lanPort, caPem, {
    method: 'POST',
    path: '/api/staff/return-data/export',
    headers: { origin, cookie, 'x-anjungan-csrf': csrf },
    body: { format: 'csv', target: targets.targets[0]!.id },
  });
  t.equal(exported.status, 200, exported.body);
  const { exportId, files } = exported.json() as { exportId: string; files: string[] };
  const csv = files.find((f) => f.endsWith('.csv'))!;

  const download = await httpsRequest(lanPort, caPem, { path: `/api/staff/return-data/exports/${exportId}/${csv}`, headers: { cookie } });
  t.equal(download.status, 200);
  t.ok(download.body.includes(persona('valid').card.nik), 'the file holds the NIK');
  const missing = await httpsRequest(lanPort, caPem, { path: `/api/staff/return-data/exports/${exportId}/nope.csv`, headers: { cookie } });
  t.equal(missing.status, 404);

  t.match(
    auditRows('returnDataExported'),
    [{ staff_id: 'petugas-demo', state: exportId, outcome: 'csv', item_count: 1 }],
    'the export names its id',
  );
  t.same(
    auditRows('returnDataDownloaded'),
    [
      { staff_id: 'petugas-demo', state: `${exportId}/${csv}`, outcome: 'sent', item_count: 1 },
      { staff_id: 'petugas-demo', state: `${exportId}/nope.csv`, outcome: 'notFound', item_count: 1 },
    ],
    'each download is audited, the one that sent NIKs and the one that found nothing',
  );
  t.notOk(JSON.stringify(auditRows('returnDataDownloaded')).includes(persona('valid').card.nik), 'the audit trail holds no NIK');
});
