/**
 * Data balikan through the fleet: forwarded entries (sent twice, as after a lost answer) reach
 * Disdukcapil once; entries the service keeps answering with a code nobody knows never hold up
 * those behind them and end set aside for a file export, which the administrator downloads. And
 * the fleet's semester report over three kiosks, each with a generated semester of its own, is
 * each kiosk's own report and their sum, in figures and in the XLSX and PDF.
 */
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../device/log.ts';
import { openDatabase } from '../../device/store/db.ts';
import { ReturnDataOutbox } from '../../device/store/return-data-outbox.ts';
import { FleetClient } from '../../device/fleet/client.ts';
import { forwardReturnData, sendFigures } from '../../device/fleet/link.ts';
import { computeSemesterReport, parseSemester, type MonthFigures } from '../../device/report/semester.ts';
import { startReturnDataSimulator } from '../../device/sim/return-data/server.ts';
import { startLocalFleet } from '../../fleet/demo/cluster.ts';
import { writeSemesterLog } from '../report/semester-log.ts';
import { signInAdmin } from './admin-client.ts';

const silent = createLogger({ level: 'silent' });
const clock = { now: () => new Date() };

async function eventually(what: string, cond: () => Promise<boolean>, ms = 90_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

t.test('data balikan: once each, and an unknown answer code blocks nothing', async (t) => {
  const simulator = await startReturnDataSimulator();
  t.teardown(() => simulator.close());
  simulator.leaveUnsettled((key) => key.startsWith('stuck-'), 'unknownCode');
  const fleet = await startLocalFleet({
    instances: 2,
    inProcess: true,
    files: { 'ca.sim.pem': simulator.caPem, 'sim.json': JSON.stringify(simulator.credentials) },
    returnData: {
      delivery: {
        url: simulator.url,
        caFile: 'ca.sim.pem',
        credentialsFile: 'sim.json',
        batchSize: 10,
        retryBaseMs: 20,
        maxAttempts: 3,
        idleIntervalMs: 50,
      },
    },
  });
  t.teardown(() => fleet.close());
  const dir = mkdtempSync(join(tmpdir(), 'anjungan-forward-'));
  const db = openDatabase(dir);
  const client = new FleetClient(await fleet.enrolKiosk('R1'));
  t.teardown(() => (client.close(), db.close(), rmSync(dir, { recursive: true, force: true })));
  const outbox = new ReturnDataOutbox(db, Buffer.alloc(32, 3), clock);
  // Fifty entries the service will never settle, queued before twenty ordinary ones.
  for (let i = 0; i < 50; i++)
    outbox.enqueue(
      { nik: `3313010101900${String(i).padStart(3, '0')}`, nop: '331301000100100010', npwpd: null },
      `stuck-${String(i).padStart(4, '0')}`,
    );
  for (let i = 0; i < 20; i++)
    outbox.enqueue(
      { nik: `3313010101910${String(i).padStart(3, '0')}`, nop: null, npwpd: 'P.2.0001234.33.13' },
      `entry-${String(i).padStart(4, '0')}`,
    );
  const first = await forwardReturnData(outbox, client, silent);
  t.same(first, { forwarded: 70, failed: false }, 'all seventy forwarded');
  // The kiosk lost the answer and sends everything again: the fleet takes it as held already.
  db.prepare('UPDATE return_data_outbox SET forwarded_at = NULL').run();
  t.same(await forwardReturnData(outbox, client, silent), { forwarded: 70, failed: false }, 'a resend is accepted as held');
  t.equal((await fleet.pool.query('SELECT 1 FROM return_data')).rowCount, 70, 'the fleet holds each entry once');

  await eventually(
    'the ordinary entries delivered',
    async () =>
      (await fleet.pool.query("SELECT 1 FROM return_data WHERE entry_key LIKE 'entry-%' AND delivered_at IS NOT NULL")).rowCount === 20,
  );
  t.equal(simulator.recorded().size, 20, 'Disdukcapil recorded the twenty ordinary entries, once each');
  await eventually(
    'the stuck entries set aside',
    async () => (await fleet.pool.query("SELECT 1 FROM return_data WHERE refused_code = 'unanswered'")).rowCount === 50,
  );
  const attempts = await fleet.pool.query<{ attempts: number }>("SELECT DISTINCT attempts FROM return_data WHERE entry_key LIKE 'stuck-%'");
  t.same(attempts.rows, [{ attempts: 3 }], 'each stuck entry was tried three times, then set aside');

  const admin = await signInAdmin(fleet);
  const overview = (await admin.get('/api/admin/overview')).json() as {
    returnData: { pending: number; setAside: number; delivered: number };
    alerts: Array<{ kind: string }>;
  };
  t.same(overview.returnData, { ...overview.returnData, pending: 50, setAside: 50, delivered: 20 });
  t.ok(
    overview.alerts.some((a) => a.kind === 'returnDataSetAside'),
    'the dashboard raises an alert for them',
  );
  const exported = await admin.post('/api/admin/return-data/export', { format: 'csv' });
  t.equal(exported.status, 200);
  const e = exported.json() as { exportId: string; files: string[]; count: number };
  t.equal(e.count, 50, 'the set-aside entries go into one export file');
  const file = await admin.get(`/api/admin/return-data/exports/${e.exportId}/${e.files[0]}`);
  t.equal(file.body.trim().split('\r\n').length, 51, 'header and fifty rows');
  t.match(file.body, /3313010101900049/, 'with the NIK the agreement asks to send back');
  t.equal((await admin.post('/api/admin/return-data/export', { format: 'csv' })).status, 409, 'nothing is exported twice');
});

t.test("the fleet report is each kiosk's own report and their sum, over a generated semester", async (t) => {
  const fleet = await startLocalFleet({ instances: 2, inProcess: true });
  t.teardown(() => fleet.close());
  const semester = parseSemester('2026-1');
  const own: MonthFigures[] = [];
  const ids = ['G1', 'G2', 'G3'];
  for (const [i, id] of ids.entries()) {
    const dir = mkdtempSync(join(tmpdir(), 'anjungan-semester-'));
    const db = openDatabase(dir);
    const client = new FleetClient(await fleet.enrolKiosk(id));
    t.teardown(() => (client.close(), db.close(), rmSync(dir, { recursive: true, force: true })));
    writeSemesterLog(db, { semester: '2026-1', sessionsPerDay: 6 + 4 * i, dailyQuota: 1000, seed: 11 + i });
    const deps = { db, kiosk: null, agreementNumbers: [], dailyQuota: 1000, now: () => new Date('2026-07-15T00:00:00Z') };
    own.push((await computeSemesterReport(deps, semester)).total);
    t.equal(await sendFigures(deps, client, ['2026-1']), true, `${id} sent its figures`);
  }
  const admin = await signInAdmin(fleet);
  const report = (await admin.get('/api/admin/report/semester/2026-1.xlsx/figures')).json() as {
    kiosks: Array<{ kiosk: { id: string }; total: MonthFigures }>;
    total: { total: MonthFigures };
  };
  t.same(
    report.kiosks.map((k) => k.kiosk.id),
    ids,
  );
  for (const [i, k] of report.kiosks.entries()) t.same(k.total, own[i], `${k.kiosk.id}: the fleet's figures are the kiosk's own`);
  const additive = (m: MonthFigures) => ({ ...m, month: 'total', quotaReachedDays: 0 });
  const sum = own.reduce((acc, m) => {
    const out = structuredClone(acc);
    out.sessions += m.sessions;
    out.quotaHits += m.quotaHits;
    for (const g of ['cardReads', 'uplink', 'outOfServiceHours', 'fingerprint', 'returnData'] as const) {
      for (const [key, v] of Object.entries(m[g]))
        (out[g] as Record<string, number>)[key] = ((out[g] as Record<string, number>)[key] ?? 0) + (v as number);
    }
    return out;
  });
  const total = report.total.total;
  for (const g of ['sessions', 'quotaHits', 'cardReads', 'uplink', 'fingerprint', 'returnData'] as const)
    t.same(additive(total)[g], additive(sum)[g], `total ${g} is the sum of the kiosks'`);
  for (const [key, hours] of Object.entries(sum.outOfServiceHours))
    t.ok(
      Math.abs(total.outOfServiceHours[key as keyof MonthFigures['outOfServiceHours']] - hours) < 1e-6,
      `total out-of-service hours (${key}) add up`,
    );

  const xlsx = await admin.get('/api/admin/report/semester/2026-1.xlsx');
  t.equal(xlsx.status, 200);
  const dir = mkdtempSync(join(tmpdir(), 'anjungan-fleet-xlsx-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  // The body arrived as UTF-8 text through the helper: fetch it raw instead.
  const raw = await fetchRaw(fleet, admin, '/api/admin/report/semester/2026-1.xlsx');
  writeFileSync(join(dir, 'r.xlsx'), raw);
  const book = execFileSync('unzip', ['-p', join(dir, 'r.xlsx'), 'xl/workbook.xml']).toString();
  t.match(book, /Semua anjungan/, 'a sheet for all kiosks');
  t.match(book, /Per anjungan/, 'a sheet with the kiosks side by side');
  for (const id of ids) t.match(book, new RegExp(`Anjungan ${id}`), `a sheet for ${id}`);
});

/** The report bytes as sent (the shared helper reads text). */
async function fetchRaw(
  fleet: Awaited<ReturnType<typeof startLocalFleet>>,
  admin: Awaited<ReturnType<typeof signInAdmin>>,
  path: string,
): Promise<Buffer> {
  void admin;
  const { request } = await import('node:https');
  const cookie = await cookieOf(fleet);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: fleet.balancer.port, path, ca: fleet.caPem, headers: { cookie } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks)));
    });
    req.on('error', reject);
    req.end();
  });
}

async function cookieOf(fleet: Awaited<ReturnType<typeof startLocalFleet>>): Promise<string> {
  const { httpsRequest } = await import('../support/test-tls.ts');
  const port = fleet.balancer.port;
  const r = await httpsRequest(port, fleet.caPem, {
    method: 'POST',
    path: '/api/admin/session',
    headers: { origin: `https://127.0.0.1:${port}` },
    body: { adminId: 'admin', password: 'correct horse battery staple' },
  });
  return String(r.headers['set-cookie']).split(';')[0]!;
}
