import t, { type Test } from 'tap';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../device/config.ts';
import { createLogger } from '../../device/log.ts';
import { startKiosk } from '../../device/main.ts';
import { readCredentials } from '../../device/store/credentials.ts';
import { openDatabase } from '../../device/store/db.ts';
import { ReturnDataOutbox } from '../../device/store/return-data-outbox.ts';
import { layout } from '../../provisioning/layout.ts';
import { PACKAGE_FILES } from '../../provisioning/deactivate.ts';
import { cli, INIT, tempRoot, treeFiles, treeHash } from './cli-harness.ts';
import { CONFIGURATION, IP_USER, PASSWORD, PCID, provisionedKiosk, USER_ID } from './provisioned-kiosk.ts';
import { syntheticEntry } from '../support/return-data-fixtures.ts';

const BIN = fileURLToPath(new URL('../../provisioning/bin.mjs', import.meta.url));
const DEACTIVATE = ['deactivate', '--reason', 'Perjanjian berakhir tanpa addendum', '--technician', 'Andi Teknisi (sintetis)', '--yes'];

function checkPackage(t: Test, out: string, samFile: Buffer): void {
  t.same(readdirSync(out).sort(), Object.values(PACKAGE_FILES).sort());
  const manifest = JSON.parse(readFileSync(join(out, PACKAGE_FILES.manifest), 'utf8'));
  t.match(manifest, {
    kioskId: 'KRA-01',
    samAtr: '3b8f8001',
    agreement: {
      numbers: ['470/1/2022', '027/2/2022'],
      start: '2022-11-10',
      end: '2025-11-09',
      addenda: [{ number: '470/9/2024', until: '2025-11-09' }],
    },
    reason: 'Perjanjian berakhir tanpa addendum',
    technician: 'Andi Teknisi (sintetis)',
  });
  for (const f of manifest.files as Array<{ name: string; sha256: string; bytes: number }>) {
    const bytes = readFileSync(join(out, f.name));
    t.equal(createHash('sha256').update(bytes).digest('hex'), f.sha256, `${f.name} hash`);
    t.equal(bytes.length, f.bytes);
  }
  t.same(readFileSync(join(out, PACKAGE_FILES.sam)), samFile, 'the configuration file as installed');
  t.equal(readFileSync(join(out, PACKAGE_FILES.pdf)).subarray(0, 5).toString(), '%PDF-');
  // Printed by the Chromium binary (as on the device, which has no playwright): the letter, on A4.
  const pdfFile = join(out, PACKAGE_FILES.pdf);
  t.match(execFileSync('pdfinfo', [pdfFile], { encoding: 'utf8' }), /Page size:.*\(A4\)/, 'an A4 page');
  t.match(
    execFileSync('pdftotext', [pdfFile, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' '),
    /Pengembalian Berkas Konfigurasi SAM/,
    'the letter in the PDF',
  );
  const html = readFileSync(join(out, PACKAGE_FILES.html), 'utf8');
  t.match(html, /Pengembalian Berkas Konfigurasi SAM/);
  t.match(html, /10 November 2022 sampai dengan 9 November 2025/);
  t.notMatch(html, new RegExp(PCID), 'the PCID is not in the letter');
}

function scanForSecrets(t: Test, root: string, out: string): void {
  const needles = [PCID, CONFIGURATION, PASSWORD, USER_ID, IP_USER];
  for (const f of treeFiles(root)) {
    if (f.path.startsWith(out)) continue;
    for (const n of needles) t.notOk(f.bytes.includes(n), `${n.slice(0, 6)}… not in ${f.path.slice(root.length)}`);
  }
}

async function daemonRefuses(t: Test, root: string): Promise<void> {
  const l = layout(root);
  // Production cannot start on this machine yet (no sensor driver, issue 12): the same files in
  // pcsc-sim mode, which runs no simulator and touches no device once deactivated.
  const config = loadConfig({ ANJUNGAN_CONFIG: l.configFile, ANJUNGAN_MODE: 'pcsc-sim', ANJUNGAN_PORT: '0' }, new Date());
  const kiosk = await startKiosk(config, createLogger({ level: 'silent' }));
  t.teardown(() => kiosk.close());
  for (let i = 0; i < 100 && kiosk.runtime.snapshot().value !== 'outOfService'; i++) await new Promise((r) => setTimeout(r, 50));
  t.equal(kiosk.runtime.snapshot().value, 'outOfService');
  t.equal(kiosk.runtime.snapshot().context.outOfService, 'deactivated', 'out of service: deactivated');
  const health = (await (await fetch(`http://127.0.0.1:${kiosk.port}/healthz`)).json()) as { ready: boolean };
  t.equal(health.ready, false, 'serves nobody');
}

t.test('deactivate writes a verified package, then erases; the daemon refuses service', async (t) => {
  const { root, samFile } = await provisionedKiosk(t);
  const l = layout(root);
  const out = join(root, 'usb', 'pengembalian');
  const r = await cli([...DEACTIVATE, '--root', root, '--out', out, '--json'], { now: new Date('2025-11-10T01:00:00Z') });
  t.equal(r.code, 0, r.stderr);
  t.match(r.json, { deactivated: true, completedEarlierPackage: false });
  checkPackage(t, out, samFile);
  t.notOk(existsSync(l.samConfigurationFile));
  const c = readCredentials(l.credentialFile);
  t.notOk(c.sam);
  t.notOk(c.dukcapil);
  t.ok(c.auditKey, 'the audit key stays: the database stays verifiable');
  scanForSecrets(t, root, out);
  t.match(JSON.parse(readFileSync(l.configFile, 'utf8')).deactivated, {
    at: '2025-11-10T01:00:00.000Z',
    reason: 'Perjanjian berakhir tanpa addendum',
  });
  t.equal((await cli([...DEACTIVATE, '--root', root, '--out', join(root, 'again')])).code, 6, 'once only');
  t.equal(
    (await cli(['credentials', 'set', '--root', root, '--user-id', 'X'], { stdin: 'a\nb\n' })).code,
    6,
    'no changes to a deactivated kiosk',
  );
  await daemonRefuses(t, root);
  const reinit = await cli([...INIT, '--root', root]);
  t.equal(reinit.code, 0, 'init provisions it again');
  t.notOk(JSON.parse(readFileSync(l.configFile, 'utf8')).deactivated);
});

t.test('a crash between package and erase is completed by running it again', async (t) => {
  const { root, samFile } = await provisionedKiosk(t);
  const l = layout(root);
  const out = join(root, 'pkg');
  const crashed = spawnSync(process.execPath, [BIN, ...DEACTIVATE, '--root', root, '--out', out], {
    env: { ...process.env, ANJUNGAN_PROVISION_TEST_CRASH: 'after-package' },
    encoding: 'utf8',
  });
  t.equal(crashed.signal, 'SIGKILL', 'killed between packaging and erasing');
  checkPackage(t, out, samFile);
  t.ok(existsSync(l.samConfigurationFile), 'nothing erased yet');
  t.ok(readCredentials(l.credentialFile).sam);
  const rerun = await cli([...DEACTIVATE, '--root', root, '--out', join(root, 'elsewhere'), '--json']);
  t.equal(rerun.code, 0, rerun.stderr);
  t.match(rerun.json, { completedEarlierPackage: true, package: out });
  checkPackage(t, out, samFile);
  t.notOk(existsSync(join(root, 'elsewhere')));
  t.notOk(existsSync(l.samConfigurationFile));
  t.notOk(existsSync(l.deactivationPendingFile));
  scanForSecrets(t, root, out);
});

t.test('deactivate tells how much data balikan is still owed, and it stays exportable after the erase', async (t) => {
  const { root } = await provisionedKiosk(t);
  const l = layout(root);
  const db = openDatabase(l.stateDir);
  const outbox = new ReturnDataOutbox(db, Buffer.from(readCredentials(l.credentialFile).outboxKey, 'hex'), {
    now: () => new Date('2025-11-01T03:00:00Z'),
  });
  [0, 1, 2].forEach((i) => outbox.enqueue(syntheticEntry(i), `session-${i}`));
  outbox.markDelivered(['session-0']);
  db.close();

  const text = await cli([...DEACTIVATE, '--root', root, '--out', join(root, 'pkg')], { now: new Date('2025-11-10T01:00:00Z') });
  t.equal(text.code, 0, text.stderr);
  t.match(text.stdout, /WARNING: 2 data balikan entries were neither delivered nor exported/, 'the technician is warned, with the count');
  t.match(text.stdout, /return-data export/, 'and told how to write them out');

  const stick = join(root, 'stick');
  mkdirSync(stick);
  const exported = await cli(['return-data', 'export', '--format', 'csv', '--out', stick, '--root', root, '--json']);
  t.equal(exported.code, 0, exported.stderr);
  t.equal(exported.json?.count, 2, 'the two owed entries are written after the erase');
});

t.test('a kiosk with nothing owed is not warned', async (t) => {
  const { root } = await provisionedKiosk(t);
  const r = await cli([...DEACTIVATE, '--root', root, '--out', join(root, 'pkg'), '--json'], { now: new Date('2025-11-10T01:00:00Z') });
  t.equal(r.code, 0, r.stderr);
  t.match(r.json, { deactivated: true, pendingReturnData: 0 });
  t.notMatch(r.stdout, /WARNING/);
});

t.test('deactivate refuses bad input and changes nothing', async (t) => {
  const { root } = await provisionedKiosk(t);
  const full = join(root, 'full');
  writeFileSync(join(root, 'marker'), 'x');
  const tree = treeHash(root);
  for (const [args, stdin, code, message] of [
    [['deactivate', '--out', root, '--reason', 'r', '--technician', 'x', '--yes'], '', 2, /not empty/],
    [['deactivate', '--out', full, '--reason', ' ', '--technician', 'x', '--yes'], '', 2, /--reason/],
    [['deactivate', '--out', full, '--reason', 'r', '--technician', 'x'], '', 2, /typed confirmation/],
    [['deactivate', '--out', full, '--technician', 'x', '--yes'], '', 2, /required option '--reason/],
    [['deactivate', '--out', full, '--reason', 'r', '--technician', 'x', '--yes', '--force'], '', 2, /unknown option/],
  ] as Array<[string[], string, number, RegExp]>) {
    const r = await cli([...args, '--root', root], { stdin });
    t.equal(r.code, code, args.join(' '));
    t.match(r.stderr, message);
  }
  t.equal(treeHash(root), tree);
});
