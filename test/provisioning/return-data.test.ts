/** anjungan-provision return-data export: the technician's data balikan file, from the kiosk's own outbox. */
import t from 'tap';
import ExcelJS from 'exceljs';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCredentials } from '../../device/store/credentials.ts';
import { openDatabase } from '../../device/store/db.ts';
import { ReturnDataOutbox } from '../../device/store/return-data-outbox.ts';
import { layout } from '../../provisioning/layout.ts';
import { FORMULA_LIKE, parseCsv, syntheticEntry } from '../support/return-data-fixtures.ts';
import { cli, INIT, tempRoot } from './cli-harness.ts';

const NOW = new Date('2026-12-01T02:30:00Z');

t.test('return-data export writes the pending entries once, with a manifest, and audits it', async (t) => {
  const root = tempRoot(t, 'retdata');
  t.equal((await cli([...INIT, '--root', root])).code, 0);
  const l = layout(root);
  const entries = [...Array.from({ length: 5 }, (_, i) => syntheticEntry(i)), ...FORMULA_LIKE];
  const db = openDatabase(l.stateDir);
  const outbox = new ReturnDataOutbox(db, Buffer.from(readCredentials(l.credentialFile).outboxKey, 'hex'), { now: () => NOW });
  entries.forEach((e, i) => outbox.enqueue(e, `session-${i}`));
  const stick = mkdtempSync(join(tmpdir(), 'anj14e-stick-'));
  t.teardown(() => {
    db.close();
    rmSync(stick, { recursive: true, force: true });
  });

  const r = await cli(['return-data', 'export', '--format', 'xlsx', '--out', stick, '--root', root, '--json'], { now: NOW });
  t.equal(r.code, 0, r.stderr);
  t.equal(r.json?.count, entries.length);
  const files = r.json?.files as string[];
  t.same(readdirSync(stick).sort(), [...files].sort());
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(join(stick, files[0]!));
  const nops: string[] = [];
  book.getWorksheet('Data Balikan')?.eachRow((row, n) => {
    if (n > 1) nops.push(String(row.getCell(3).value ?? ''));
  });
  t.same(
    nops,
    entries.map((e) => (e.nop ?? '').replace(/\r\n?/g, '\n')),
    'the NOPs as queued (a CR read back as XML line end)',
  );
  const manifest = JSON.parse(readFileSync(join(stick, files[1]!), 'utf8'));
  t.equal(manifest.files[0].sha256, r.json?.sha256);
  t.same(manifest.kiosk, { id: 'KRA-01', site: manifest.kiosk.site, regionCode: '33.13' }, 'the kiosk from its config');
  t.equal(outbox.pendingCount(), 0);
  t.same(db.prepare("SELECT staff_id AS staffId, outcome, item_count AS count FROM audit_event WHERE code = 'returnDataExported'").all(), [
    { staffId: 'anjungan-provision', outcome: 'xlsx', count: entries.length },
  ]);
  for (const e of entries) t.notOk(r.stdout.includes(e.nik) || r.stderr.includes(e.nik), 'no NIK on the terminal');

  const again = await cli(['return-data', 'export', '--format', 'csv', '--out', stick, '--root', root], { now: NOW });
  t.equal(again.code, 6, 'nothing pending: wrong state');
  t.match(again.stderr, /no data balikan entry is pending/);
  t.equal(readdirSync(stick).length, 2, 'nothing more written');

  new ReturnDataOutbox(db, Buffer.from(readCredentials(l.credentialFile).outboxKey, 'hex'), {
    now: () => new Date('2026-12-02T01:00:00Z'),
  }).enqueue(syntheticEntry(40), 'session-later');
  const early = await cli(['return-data', 'export', '--format', 'csv', '--out', stick, '--root', root, '--until', '2026-12-01'], {
    now: NOW,
  });
  t.equal(early.code, 6, 'nothing pending up to 1 Dec');
  const csv = await cli(['return-data', 'export', '--format', 'csv', '--out', stick, '--root', root, '--from', '2026-12-02', '--json'], {
    now: NOW,
  });
  t.equal(csv.code, 0);
  const rows = parseCsv(readFileSync(join(stick, (csv.json?.files as string[])[0]!), 'utf8'));
  t.same(
    rows.slice(1).map((row) => row[1]),
    [syntheticEntry(40).nik],
    'only what was still pending',
  );
});

t.test('return-data export refuses a bad format or a missing folder and changes nothing', async (t) => {
  const root = tempRoot(t, 'retdata-bad');
  t.equal((await cli([...INIT, '--root', root])).code, 0);
  const bad = await cli(['return-data', 'export', '--format', 'pdf', '--out', tmpdir(), '--root', root]);
  t.equal(bad.code, 2);
  t.match(bad.stderr, /--format must be xlsx or csv/);
  for (const [args, message] of [
    [['--from', '2026-02-30'], /--from must be a day/],
    [['--until', 'tomorrow'], /--until must be a day/],
    [['--from', '2026-12-01', '--until', '2026-11-01'], /--from is after --until/],
  ] as Array<[string[], RegExp]>) {
    const r = await cli(['return-data', 'export', '--format', 'csv', '--out', tmpdir(), '--root', root, ...args]);
    t.equal(r.code, 2);
    t.match(r.stderr, message);
  }
  const missing = await cli(['return-data', 'export', '--format', 'csv', '--out', join(root, 'no-stick'), '--root', root]);
  t.equal(missing.code, 2);
  t.match(missing.stderr, /not an existing folder/);
});
