/**
 * The SD-card image as a technician gets it (image/build-image.sh, here for amd64 so it stays
 * fast; the arm64 image is laid out by the same script): its partition table, each file system
 * checked in no-change mode after being cut out of the .img by offset (no loop mount), the boot
 * partition's files, the read-only root's and data partition's content, the checksum and the
 * manifest; and no demo persona, simulator or vpcd anywhere in its bytes.
 */
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildKiosk } from '../support/kiosk-process.ts';
import { demoNeedles } from '../support/demo-traces.ts';

const repo = join(import.meta.dirname, '../..');
t.setTimeout(600_000);

t.test('the SD-card image', { skip: process.getuid?.() !== 0 && 'needs root (the cached base tree, file ownership)', timeout: 600_000 }, async (t) => {
  await buildKiosk();
  const work = mkdtempSync('/var/tmp/anj16-image-');
  t.teardown(() => rmSync(work, { recursive: true, force: true }));
  const out = join(work, 'out');
  const sh = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8', cwd: out, stdio: ['ignore', 'pipe', 'pipe'] });
  const started = Date.now();
  execFileSync('bash', [join(repo, 'image/build-image.sh'), 'amd64', out], { cwd: repo, env: { ...process.env, ANJUNGAN_ZSTD_LEVEL: '1' }, stdio: ['ignore', 'ignore', 'inherit'] });
  t.comment(`image built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const img = join(out, 'anjungan-amd64.img');

  type Part = { start: number; size: number; type: string; bootable?: boolean };
  const table = JSON.parse(sh('sfdisk', ['--json', img])).partitiontable as { label: string; partitions: Part[] };
  t.equal(table.label, 'dos');
  t.same(
    table.partitions.map((p) => [p.type, p.bootable === true]),
    [
      ['c', true],
      ['83', false],
      ['83', false],
    ],
    'FAT32 boot (bootable), ext4 root, ext4 data',
  );
  t.ok(table.partitions.every((p) => p.start % 8192 === 0), 'every partition starts on a 4 MiB boundary');
  t.ok(table.partitions.every((p, i, all) => i === 0 || p.start >= all[i - 1]!.start + all[i - 1]!.size), 'no overlap');
  const [boot, root, data] = table.partitions.map((p, i) => {
    const file = join(work, `p${i + 1}`);
    sh('dd', [`if=${img}`, `of=${file}`, 'bs=512', `skip=${p.start}`, `count=${p.size}`, 'conv=sparse', 'status=none']);
    return file;
  }) as [string, string, string];

  t.test('each file system is clean (fsck in no-change mode)', async (t) => {
    t.match(sh('fsck.vfat', ['-n', boot]), /clusters/);
    for (const [file, label] of [
      [root, 'ANJ-ROOT'],
      [data, 'ANJ-DATA'],
    ] as const) {
      const fsck = execFileSync('e2fsck', ['-fn', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      t.match(fsck, new RegExp(`^${label}: \\d+/\\d+ files`, 'm'), `${label}: clean, exit status 0`);
    }
  });

  t.test('the boot partition boots read-only with the console never blanking', async (t) => {
    t.same(sh('mdir', ['-i', boot, '-b', '::/']).trim().split('\n').sort(), ['::/cmdline.txt', '::/config.txt']);
    const cmdline = sh('mtype', ['-i', boot, '::/cmdline.txt']);
    for (const word of ['root=LABEL=ANJ-ROOT', 'ro', 'consoleblank=0']) t.ok(cmdline.trim().split(' ').includes(word), `cmdline.txt has ${word}`);
  });

  t.test('the root holds the production app and the read-only settings; data holds the state folders', async (t) => {
    const debugfs = (fs: string, request: string) => execFileSync('debugfs', ['-R', request, fs], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    t.match(debugfs(root, 'cat /etc/fstab'), /^LABEL=ANJ-ROOT\s+\/\s+ext4\s+ro,/m);
    t.match(debugfs(root, 'cat /etc/systemd/system/anjungan.service'), /dist\/appliance\/main\.js/);
    const dist = debugfs(root, 'ls -p /opt/anjungan/dist');
    t.match(dist, /\/appliance\//);
    t.notMatch(dist, /\/device\//, 'no demo bundle');
    t.match(debugfs(root, 'stat /usr/lib/anjungan/anjungan-fprint-capture'), /Mode:\s+0755/, 'the fingerprint capture helper');
    t.match(debugfs(root, 'ls -p /etc/systemd/system/local-fs.target.wants'), /\/data\.mount\//, 'the data partition is mounted at boot');
    const uid = /^anjungan:x:(\d+):/m.exec(debugfs(root, 'cat /etc/passwd'))![1];
    t.match(debugfs(data, 'ls -l /lib'), new RegExp(`40700 \\(2\\)\\s+${uid}\\s+\\d+\\s+\\d+\\s+\\S+\\s+\\S+\\s+anjungan`), "the daemon's own state folder, 0700");
  });

  t.test('no demo persona, simulator or vpcd in any byte of the image', async (t) => {
    const needles = join(work, 'needles');
    // The positive control proves the scan reads the app's files: a message only the production bundle has.
    const control = 'this is the production build';
    writeFileSync(needles, [...demoNeedles(), control].join('\n') + '\n');
    const found = execFileSync('sh', ['-c', `grep -a -o -F -f ${needles} ${img} | sort -u`], { encoding: 'utf8' }).trim().split('\n');
    t.same(found, [control], 'only the control string is found');
  });

  t.test('checksum, compression and manifest', async (t) => {
    t.match(sh('sha256sum', ['-c', 'anjungan-amd64.sha256']), /anjungan-amd64\.img\.zst: OK\nanjungan-amd64\.img: OK/);
    const unpacked = execFileSync('sh', ['-c', `zstd -dc anjungan-amd64.img.zst | sha256sum`], { cwd: out, encoding: 'utf8' }).split(' ')[0];
    t.equal(unpacked, sh('sha256sum', [img]).split(' ')[0], 'the .zst unpacks to the .img');
    const manifest = readFileSync(join(out, 'anjungan-amd64.manifest.txt'), 'utf8');
    for (const pkg of ['systemd', 'nodejs', 'pcscd', 'chromium', 'libfprint-2-2']) t.match(manifest, new RegExp(`^${pkg}\\t\\S+\\tamd64$`, 'm'), `${pkg} and its version`);
    t.match(manifest, /^better-sqlite3\t\d+\.\d+\.\d+\tnode$/m);
    t.notMatch(manifest, /vpcd/, 'no vpcd package');
  });
});
