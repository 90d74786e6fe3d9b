/**
 * The production bundle (dist/appliance, what the appliance runs) carries no simulator, virtual
 * device or demo persona, refuses the demo modes with a clear message, and the root file
 * system's app folder holds nothing else. The demo bundle is scanned too: it must show the
 * traces, or the scan proves nothing.
 */
import t from 'tap';
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildKiosk } from '../support/kiosk-process.ts';
import { demoNeedles, findDemoTraces } from '../support/demo-traces.ts';
import { provisionedKiosk } from '../provisioning/provisioned-kiosk.ts';

const repo = join(import.meta.dirname, '../..');
await buildKiosk();

t.test('the demo bundle holds the personas: the scan finds them', async (t) => {
  const hits = findDemoTraces(join(repo, 'dist/device'));
  const found = new Set(hits.flatMap((h) => h.found));
  // vpcd's reader driver is a Debian package, never in a bundle.
  const missing = demoNeedles().filter((n) => !found.has(n) && n !== 'libifdvpcd');
  t.same(missing, [], 'every persona and simulator needle is in the demo bundle');
});

t.test('the production bundle holds no persona and no simulator', async (t) => {
  t.same(findDemoTraces(join(repo, 'dist/appliance')), []);
  t.same(findDemoTraces(join(repo, 'dist/ui')), [], 'nor does the UI');
});

t.test('the production bundle refuses the demo modes with a clear message', async (t) => {
  for (const mode of ['demo', 'pcsc-sim']) {
    const state = mkdtempSync('/tmp/anj16-state-');
    t.teardown(() => rmSync(state, { recursive: true, force: true }));
    const err = await promisify(execFile)(process.execPath, [join(repo, 'dist/appliance/main.cjs')], {
      env: { PATH: process.env.PATH, ANJUNGAN_MODE: mode, ANJUNGAN_STATE_DIR: state, ANJUNGAN_PORT: '0' },
      timeout: 30_000,
    }).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    t.equal(err?.code, 1, `${mode}: exits 1`);
    t.match(err?.stderr, /production build/, `${mode}: says why`);
  }
});

t.test("the technician CLI's bundle runs with only the node modules the image carries: deactivate writes its letter", async (t) => {
  // /opt/anjungan as image/build-rootfs.sh lays it out, outside the checkout (no node_modules above it).
  const app = mkdtempSync('/tmp/anj16-app-');
  t.teardown(() => rmSync(app, { recursive: true, force: true }));
  cpSync(join(repo, 'dist/provisioning'), join(app, 'dist/provisioning'), { recursive: true });
  cpSync(join(repo, 'package.json'), join(app, 'package.json'));
  const modules = execFileSync(process.execPath, ['image/runtime-modules.mjs'], { cwd: repo, encoding: 'utf8' }).trim().split('\n');
  for (const m of modules) cpSync(join(repo, m), join(app, m), { recursive: true });
  const { root } = await provisionedKiosk(t);
  const out = join(root, 'package');
  const run = await promisify(execFile)(
    process.execPath,
    [
      join(app, 'dist/provisioning/main.js'),
      'deactivate',
      '--root',
      root,
      '--out',
      out,
      '--reason',
      'Perjanjian berakhir',
      '--technician',
      'Teknisi Uji',
      '--yes',
      '--json',
    ],
    { cwd: app, env: { PATH: process.env.PATH }, timeout: 120_000 },
  ).catch((e: { code: number; stderr: string }) => e);
  t.notOk('code' in run && run.code, `exits 0 (${'stderr' in run ? run.stderr.slice(0, 300) : ''})`);
  t.match(
    execFileSync('pdftotext', [join(out, 'surat-pengembalian.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' '),
    /Pengembalian Berkas Konfigurasi SAM/,
    'the letter printed to PDF',
  );
});

t.test(
  'the root file system app folder holds no persona and no simulator',
  { skip: process.getuid?.() !== 0 && 'needs root (the cached base tree)' },
  async (t) => {
    const work = mkdtempSync('/var/tmp/anj16-rootfs-');
    t.teardown(() => rmSync(work, { recursive: true, force: true }));
    execFileSync('bash', [join(repo, 'image/build-rootfs.sh'), 'amd64', join(work, 'root')], {
      cwd: repo,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    t.same(findDemoTraces(join(work, 'root/opt/anjungan')), []);
    t.same(findDemoTraces(join(work, 'root/etc/systemd')), [], 'nor do the units');
  },
);
