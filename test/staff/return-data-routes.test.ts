/**
 * The data balikan staff routes through a signed-in staff scope (app.inject): counts and targets,
 * an export to a chosen folder and its download, refusals of every path outside the export roots
 * and of bad input (typed 400s that echo nothing), and no NIK, NOP or NPWPD anywhere but in the
 * files themselves: not in responses, logs or audit rows.
 */
import t, { type Test } from 'tap';
import ExcelJS from 'exceljs';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { open, readdir, rename, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { capturingLogger } from '../support/logger.ts';
import { AuditLog } from '../../device/store/audit-log.ts';
import { ExportTargets } from '../../device/return-data/export-targets.ts';
import { returnDataRoutes } from '../../device/staff/return-data-routes.ts';
import type { ExportFileSystem } from '../../device/return-data/export.ts';
import type { ReturnDataEntry } from '../../device/flow/ports.ts';
import { signedInStaffServer } from '../support/staff-scope.ts';
import { FORMULA_LIKE, outboxWith, parseCsv, syntheticEntry } from '../support/return-data-fixtures.ts';

const JSON_BODY = { 'content-type': 'application/json' };

/** A media root with a stick, a file, a hidden folder and a link out; a per-user root; an outside folder. */
function mediaTree(t: Test) {
  const base = mkdtempSync(join(tmpdir(), 'anj14e-media-'));
  t.teardown(() => rmSync(base, { recursive: true, force: true }));
  const media = join(base, 'media');
  const runMedia = join(base, 'run-media');
  const outside = join(base, 'outside');
  const folder = join(base, 'ekspor');
  for (const d of [join(media, 'KINGSTON'), join(runMedia, 'petugas', 'SANDISK'), join(media, '.Trash-0'), outside, folder])
    mkdirSync(d, { recursive: true });
  writeFileSync(join(media, 'not-a-folder'), 'x');
  symlinkSync(outside, join(media, 'LINK-OUT'));
  return { media, runMedia, outside, folder, targets: new ExportTargets({ roots: [media, join(runMedia, '*')], folder }) };
}

async function harness(
  t: Test,
  entries: ReturnDataEntry[] = Array.from({ length: 9 }, (_, i) => syntheticEntry(i)),
  fs?: ExportFileSystem,
) {
  const fixture = outboxWith(t, entries);
  const tree = mediaTree(t);
  const { logger, lines: logged } = capturingLogger();
  const clock = { now: () => new Date('2026-12-01T02:30:00.000Z') };
  const audit = new AuditLog(fixture.db, randomBytes(32), clock);
  const app = await signedInStaffServer(
    [
      returnDataRoutes({
        outbox: fixture.outbox,
        targets: tree.targets,
        audit,
        clock,
        kiosk: { id: 'KRA-01', site: 'BKD Karanganyar', regionCode: '33.13' },
        logger,
        fs,
      }),
    ],
    'op-0007',
  );
  t.teardown(() => app.close());
  const auditRows = () =>
    fixture.db.prepare('SELECT code, staff_id AS staffId, outcome, item_count AS count FROM audit_event ORDER BY id').all() as Array<{
      code: string;
      staffId: string;
      outcome: string;
      count: number | null;
    }>;
  return { ...fixture, ...tree, app, logged: logged(), auditRows };
}

const personal = (entries: ReturnDataEntry[]) => entries.flatMap((e) => [e.nik, e.nop, e.npwpd]).filter((v): v is string => v !== null);

t.test('GET /return-data gives the counts and offers each stick in a root plus the export folder, nothing else', async (t) => {
  const h = await harness(t);
  const res = await h.app.inject({ method: 'GET', url: '/api/staff/return-data' });
  t.equal(res.statusCode, 200);
  const body = res.json();
  t.same(
    { pending: body.pending, delivered: body.delivered, exported: body.exported, deadLettered: body.deadLettered },
    { pending: 9, delivered: 0, exported: 0, deadLettered: 0 },
  );
  const keys = (h.db.prepare('SELECT idempotency_key AS k FROM return_data_outbox ORDER BY id LIMIT 2').all() as Array<{ k: string }>).map(
    (r) => r.k,
  );
  h.outbox.markUnsettled(keys, { maxAttempts: 1, dueInMs: () => 0 });
  const after = (await h.app.inject({ method: 'GET', url: '/api/staff/return-data' })).json();
  t.same(
    { pending: after.pending, deadLettered: after.deadLettered },
    { pending: 9, deadLettered: 2 },
    'dead letters are counted among the pending, and on their own',
  );
  t.same(
    body.targets,
    [
      { id: h.folder, label: h.folder },
      { id: join(h.media, 'KINGSTON'), label: 'KINGSTON' },
      { id: join(h.runMedia, 'petugas', 'SANDISK'), label: 'SANDISK' },
    ],
    'no file, hidden folder or link leading out of the root',
  );
});

t.test(
  'an export to a stick writes the file and manifest, marks the entries, audits who and how many, and can be downloaded',
  async (t) => {
    const entries = [...Array.from({ length: 9 }, (_, i) => syntheticEntry(i)), ...FORMULA_LIKE];
    const h = await harness(t, entries);
    const stick = join(h.media, 'KINGSTON');
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/staff/return-data/export',
      headers: JSON_BODY,
      payload: { format: 'xlsx', target: stick },
    });
    t.equal(res.statusCode, 200);
    const body = res.json();
    t.equal(body.count, entries.length);
    t.equal(body.remaining, 0);
    t.same(readdirSync(stick).sort(), [...body.files].sort(), 'on the stick: the file and its manifest');

    const file = await h.app.inject({ method: 'GET', url: `/api/staff/return-data/exports/${body.exportId}/${body.files[0]}` });
    t.equal(file.statusCode, 200);
    t.equal(file.headers['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    t.equal(file.headers['content-disposition'], `attachment; filename="${body.files[0]}"`);
    t.equal(createHash('sha256').update(file.rawPayload).digest('hex'), body.sha256, 'the download is the file whose hash was reported');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    const niks: string[] = [];
    book.getWorksheet('Data Balikan')?.eachRow((row, n) => {
      if (n > 1) niks.push(String(row.getCell(2).value));
    });
    t.same(
      niks,
      entries.map((e) => e.nik),
      'the downloaded workbook holds every entry',
    );

    const manifest = await h.app.inject({ method: 'GET', url: `/api/staff/return-data/exports/${body.exportId}/${body.files[1]}` });
    t.equal(manifest.statusCode, 200);
    t.equal(manifest.json().files[0].sha256, body.sha256);

    const after = (await h.app.inject({ method: 'GET', url: '/api/staff/return-data' })).json();
    t.same({ pending: after.pending, exported: after.exported }, { pending: 0, exported: entries.length });
    t.same(
      h.auditRows(),
      [
        { code: 'returnDataExported', staffId: 'op-0007', outcome: 'xlsx', count: entries.length },
        { code: 'returnDataDownloaded', staffId: 'op-0007', outcome: 'sent', count: entries.length },
        { code: 'returnDataDownloaded', staffId: 'op-0007', outcome: 'sent', count: entries.length },
      ],
      'the export and each download (a read of NIKs) are audited',
    );

    const again = await h.app.inject({
      method: 'POST',
      url: '/api/staff/return-data/export',
      headers: JSON_BODY,
      payload: { format: 'csv', target: stick },
    });
    t.equal(again.statusCode, 409);
    t.same(again.json(), { error: 'nothingPending', message: 'no pending data balikan entry to export' }, 'entries are written once');

    // Nothing personal outside the files themselves: not in any JSON reply, log line or audit row.
    const said = [res.body, manifest.body, JSON.stringify(after), again.body, JSON.stringify(h.auditRows()), ...h.logged].join('\n');
    t.ok(
      h.logged.some((l) => l.includes('returnDataExported')),
      'the export was logged',
    );
    for (const value of personal(entries)) t.notOk(said.includes(value), 'no NIK, NOP or NPWPD outside the file');
  },
);

t.test('a range of WIB days chooses the entries queued in it', async (t) => {
  const h = await harness(t);
  const outside = await h.app.inject({
    method: 'POST',
    url: '/api/staff/return-data/export',
    headers: JSON_BODY,
    payload: { format: 'csv', target: h.folder, from: '2026-12-01', until: '2026-12-31' },
  });
  t.equal(outside.statusCode, 409, 'all nine were queued on 30 Nov (WIB)');
  t.equal(outside.json().error, 'nothingPending');
  const inside = await h.app.inject({
    method: 'POST',
    url: '/api/staff/return-data/export',
    headers: JSON_BODY,
    payload: { format: 'csv', target: h.folder, from: '2026-11-30', until: '2026-11-30' },
  });
  t.equal(inside.statusCode, 200);
  t.equal(inside.json().count, 9);
});

t.test('chosen entries only: a CSV of two', async (t) => {
  const h = await harness(t);
  const ids = h.outbox.pending().map((p) => p.id);
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/staff/return-data/export',
    headers: JSON_BODY,
    payload: { format: 'csv', target: h.folder, ids: [ids[2], ids[3]] },
  });
  t.equal(res.statusCode, 200);
  const body = res.json();
  const file = await h.app.inject({ method: 'GET', url: `/api/staff/return-data/exports/${body.exportId}/${body.files[0]}` });
  t.equal(file.headers['content-type'], 'text/csv; charset=utf-8');
  t.same(
    parseCsv(file.body)
      .slice(1)
      .map((r) => r[1]),
    [h.entries[2]!.nik, h.entries[3]!.nik],
  );
  t.equal(h.outbox.pendingCount(), 7);
});

t.test('a target outside the roots, by any path, is a typed 400 that writes nothing and echoes nothing', async (t) => {
  const h = await harness(t);
  const attempts = [
    h.outside,
    join(h.media, '..', 'outside'),
    `${h.media}/KINGSTON/../../outside`,
    `${h.media}/KINGSTON/.`,
    join(h.media, 'LINK-OUT'),
    join(h.media, '.Trash-0'),
    join(h.media, 'not-a-folder'),
    h.media,
    join(h.media, 'KINGSTON', 'sub'),
    'KINGSTON',
    '/etc',
    `${h.media}/KINGSTON\u0000`,
  ];
  for (const target of attempts) {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/staff/return-data/export',
      headers: JSON_BODY,
      payload: { format: 'csv', target },
    });
    t.equal(res.statusCode, 400, `refused: ${JSON.stringify(target)}`);
    t.equal(res.json().error, 'targetRefused');
    t.notOk(res.body.includes(target), 'the reply does not echo the path');
  }
  t.same(readdirSync(h.outside), [], 'nothing written outside');
  t.equal(h.outbox.pendingCount(), 9, 'nothing marked');
  t.ok(h.auditRows().every((r) => r.code === 'returnDataExportFailed' && r.staffId === 'op-0007' && r.outcome === 'targetRefused'));
});

t.test('bad input is a typed 400 that echoes nothing and changes nothing', async (t) => {
  const h = await harness(t);
  const stick = join(h.media, 'KINGSTON');
  const bodies: unknown[] = [
    { format: 'pdf', target: stick },
    { format: '=1+1', target: stick },
    { target: stick },
    { format: 'csv' },
    { format: 'csv', target: stick, extra: 'x' },
    { format: 'csv', target: stick, ids: [] },
    { format: 'csv', target: stick, ids: ['1'] },
    { format: 'csv', target: stick, ids: [1, 1] },
    { format: 'csv', target: 'x'.repeat(5000) },
    { format: 'csv', target: stick, from: '2026-11-31x' },
    { format: 'csv', target: stick, from: '2026-13-01' },
    { format: 'csv', target: stick, until: '2026-02-30' },
    { format: 'csv', target: stick, from: '2026-12-01', until: '2026-11-01' },
    [],
  ];
  for (const payload of bodies) {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/staff/return-data/export',
      headers: JSON_BODY,
      payload: JSON.stringify(payload),
    });
    t.equal(res.statusCode, 400, `refused: ${JSON.stringify(payload).slice(0, 60)}`);
    t.same(res.json(), { error: 'badRequest', message: 'request is not valid' });
  }
  const notJson = await h.app.inject({ method: 'POST', url: '/api/staff/return-data/export', headers: JSON_BODY, payload: '{"format":' });
  t.equal(notJson.statusCode, 400);
  t.same(notJson.json(), { error: 'badRequest', message: 'request is not valid' });
  for (const url of [
    '/api/staff/return-data/exports/0123456789ab/..%2F..%2Fetc%2Fpasswd',
    '/api/staff/return-data/exports/..%2F..%2Fetc/passwd',
    '/api/staff/return-data/exports/XYZ/file.csv',
  ]) {
    const res = await h.app.inject({ method: 'GET', url });
    t.equal(res.statusCode, 400, `refused: ${url}`);
    t.same(res.json(), { error: 'badRequest', message: 'request is not valid' });
  }
  const unknown = await h.app.inject({ method: 'GET', url: '/api/staff/return-data/exports/0123456789ab/data-balikan.csv' });
  t.equal(unknown.statusCode, 404, 'an export this process did not write is not served');
  t.same(readdirSync(stick), []);
  t.equal(h.outbox.pendingCount(), 9);
  t.same(
    h.auditRows(),
    [{ code: 'returnDataDownloaded', staffId: 'op-0007', outcome: 'notFound', count: null }],
    'nothing was written; the try to read an export is audited',
  );
});

t.test('only the files of an export are served from its folder, and only unchanged', async (t) => {
  const h = await harness(t);
  const stick = join(h.media, 'KINGSTON');
  writeFileSync(join(stick, 'other.csv'), 'someone else');
  const body = (
    await h.app.inject({
      method: 'POST',
      url: '/api/staff/return-data/export',
      headers: JSON_BODY,
      payload: { format: 'csv', target: stick },
    })
  ).json();
  const other = await h.app.inject({ method: 'GET', url: `/api/staff/return-data/exports/${body.exportId}/other.csv` });
  t.equal(other.statusCode, 404, 'another file in the same folder is not served');
  writeFileSync(join(stick, body.files[0]), 'changed');
  const changed = await h.app.inject({ method: 'GET', url: `/api/staff/return-data/exports/${body.exportId}/${body.files[0]}` });
  t.equal(changed.statusCode, 409);
  t.equal(changed.json().error, 'fileChanged');
  rmSync(join(stick, body.files[0]));
  const gone = await h.app.inject({ method: 'GET', url: `/api/staff/return-data/exports/${body.exportId}/${body.files[0]}` });
  t.equal(gone.statusCode, 404, 'a stick pulled or a file removed');
});

t.test('a stick pulled before the rename: 409, every entry still pending, the failure audited', async (t) => {
  const pulled: ExportFileSystem = {
    open,
    unlink,
    readdir,
    rename: (async () => {
      throw Object.assign(new Error('injected'), { code: 'EIO' });
    }) as unknown as typeof rename,
  };
  const h = await harness(t, undefined, pulled);
  const stick = join(h.media, 'KINGSTON');
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/staff/return-data/export',
    headers: JSON_BODY,
    payload: { format: 'xlsx', target: stick },
  });
  t.equal(res.statusCode, 409);
  t.same(res.json(), { error: 'targetUnavailable', message: 'the export target could not be written' });
  t.equal(h.outbox.pendingCount(), 9);
  t.same(readdirSync(stick), []);
  t.same(h.auditRows(), [{ code: 'returnDataExportFailed', staffId: 'op-0007', outcome: 'targetUnavailable', count: null }]);
});

t.test('a second export while one is being written is refused; the first completes alone', async (t) => {
  let release: () => void = () => undefined;
  let reachedRename: () => void = () => undefined;
  const atRename = new Promise<void>((resolve) => (reachedRename = resolve));
  const held = new Promise<void>((resolve) => (release = resolve));
  const slow: ExportFileSystem = {
    open,
    unlink,
    readdir,
    rename: (async (from: string, to: string) => {
      reachedRename();
      await held;
      return rename(from, to);
    }) as typeof rename,
  };
  const h = await harness(t, undefined, slow);
  const stick = join(h.media, 'KINGSTON');
  const first = h.app.inject({
    method: 'POST',
    url: '/api/staff/return-data/export',
    headers: JSON_BODY,
    payload: { format: 'csv', target: stick },
  });
  await atRename;
  const second = await h.app.inject({
    method: 'POST',
    url: '/api/staff/return-data/export',
    headers: JSON_BODY,
    payload: { format: 'csv', target: h.folder },
  });
  t.equal(second.statusCode, 409);
  t.equal(second.json().error, 'exportInProgress');
  release();
  const done = await first;
  t.equal(done.statusCode, 200);
  t.equal(done.json().count, 9, 'every entry in the one export');
  t.same(readdirSync(h.folder), [], 'nothing written by the refused one');
});
