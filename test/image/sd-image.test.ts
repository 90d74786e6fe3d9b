/**
 * The SD-card image as a technician gets it (image/build-image.sh, here for amd64 so it stays
 * fast; the arm64 image is laid out by the same script): its partition table (A/B slots for
 * updates), each file system checked in no-change mode after being cut out of the .img by offset
 * (no loop mount), autoboot.txt and the boot partition's files, the read-only root's and data
 * partition's content, the data partition grown on a bigger card, the checksum and the
 * manifest, the check of the recorded package set; the signed update bundle made of the same
 * boot and root images (`make bundle`); and no demo persona, simulator or vpcd anywhere in its bytes.
 */
import t from 'tap';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildKiosk } from '../support/kiosk-process.ts';
import { demoNeedles } from '../support/demo-traces.ts';
import { makeSigner } from '../update/rauc-kiosk.ts';

const repo = join(import.meta.dirname, '../..');
t.setTimeout(1_200_000);

t.test(
  'the SD-card image',
  { skip: process.getuid?.() !== 0 && 'needs root (the cached base tree, file ownership)', timeout: 1_200_000 },
  async (t) => {
    await buildKiosk();
    const work = mkdtempSync('/var/tmp/anj16-image-');
    t.teardown(() => rmSync(work, { recursive: true, force: true }));
    const out = join(work, 'out');
    const sh = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8', cwd: out, stdio: ['ignore', 'pipe', 'pipe'] });
    const started = Date.now();
    // The package set is recorded into the test's folder, never into the checkout.
    const versions = join(work, 'versions-amd64.txt');
    // The technician's update CA and signer: the image trusts the CA, `make bundle` signs with the signer.
    const signer = makeSigner(work, 'office');
    const imageEnv = {
      ...process.env,
      ANJUNGAN_ZSTD_LEVEL: '1',
      ANJUNGAN_VERSIONS_FILE: versions,
      ANJUNGAN_UPDATE_KEYRING: signer.ca,
      ANJUNGAN_SIGNING_CERT: signer.cert,
      ANJUNGAN_SIGNING_KEY: signer.key,
    };
    // OUT_DIR given relative, as `make image` gives it (image/out), from / so it names the test's folder.
    execFileSync('bash', [join(repo, 'image/build-image.sh'), 'amd64', out.slice(1)], {
      cwd: '/',
      env: { ...imageEnv, ANJUNGAN_VERSIONS: 'record' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    t.comment(`image built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const img = join(out, 'anjungan-amd64.img');

    type Part = { start: number; size: number; type: string; bootable?: boolean };
    const table = JSON.parse(sh('sfdisk', ['--json', img])).partitiontable as { label: string; partitions: Part[] };
    t.equal(table.label, 'dos');
    t.same(
      table.partitions.map((p) => [p.type, p.bootable === true]),
      [
        ['e', true],
        ['c', false],
        ['c', false],
        ['5', false],
        ['83', false],
        ['83', false],
        ['83', false],
      ],
      'FAT16 autoboot (bootable), FAT32 boot A and B, extended: ext4 root A and B, ext4 data',
    );
    t.ok(
      table.partitions.every((p) => p.start % 8192 === 0),
      'every partition starts on a 4 MiB boundary',
    );
    const [, , , extended, ...logical] = table.partitions;
    t.ok(
      logical.every((p) => p.start > extended!.start && p.start + p.size <= extended!.start + extended!.size),
      'p5-p7 lie in the extended partition',
    );
    const flat = table.partitions.filter((p) => p.type !== '5');
    t.ok(
      flat.every((p, i, all) => i === 0 || p.start >= all[i - 1]!.start + all[i - 1]!.size),
      'no overlap',
    );
    t.equal(table.partitions[5]!.size, table.partitions[4]!.size, 'both root slots the same size');
    t.equal(table.partitions[2]!.size, table.partitions[1]!.size, 'both boot slots the same size');
    const cut = (i: number) => {
      const p = table.partitions[i - 1]!;
      const file = join(work, `p${i}`);
      sh('dd', [`if=${img}`, `of=${file}`, 'bs=512', `skip=${p.start}`, `count=${p.size}`, 'conv=sparse', 'status=none']);
      return file;
    };
    const [autoboot, boot, bootB, root, rootB, data] = [1, 2, 3, 5, 6, 7].map(cut) as [string, string, string, string, string, string];

    t.test('each file system is clean (fsck in no-change mode); slot B is empty', async (t) => {
      t.match(sh('fsck.vfat', ['-n', autoboot]), /clusters/);
      t.match(sh('fsck.vfat', ['-n', boot]), /clusters/);
      for (const [file, label] of [
        [root, 'ANJ-ROOT'],
        [data, 'ANJ-DATA'],
      ] as const) {
        const fsck = execFileSync('e2fsck', ['-fn', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
        t.match(fsck, new RegExp(`^${label}: \\d+/\\d+ files`, 'm'), `${label}: clean, exit status 0`);
      }
      // cmp exits 1 at the first byte that is not zero (execFileSync then throws).
      for (const empty of [bootB, rootB])
        t.doesNotThrow(
          () => execFileSync('cmp', ['-s', empty, '/dev/zero', '-n', String(statSync(empty).size)], { stdio: 'ignore' }),
          'slot B holds only zeros',
        );
    });

    t.test('autoboot.txt boots slot A, and B once on a tryboot; slot A boots read-only with the console never blanking', async (t) => {
      t.same(sh('mdir', ['-i', autoboot, '-b', '::/']).trim().split('\n'), ['::/autoboot.txt']);
      t.equal(sh('mtype', ['-i', autoboot, '::/autoboot.txt']), '[all]\ntryboot_a_b=1\nboot_partition=2\n[tryboot]\nboot_partition=3\n');
      t.same(sh('mdir', ['-i', boot, '-b', '::/']).trim().split('\n').sort(), ['::/cmdline.txt', '::/config.txt']);
      const cmdline = sh('mtype', ['-i', boot, '::/cmdline.txt']);
      for (const word of ['root=PARTUUID=414e4a47-05', 'rauc.slot=A', 'ro', 'panic=10', 'consoleblank=0'])
        t.ok(cmdline.trim().split(' ').includes(word), `cmdline.txt has ${word}`);
    });

    t.test('the root holds the production app and the read-only settings; data holds the state folders', async (t) => {
      const debugfs = (fs: string, request: string) =>
        execFileSync('debugfs', ['-R', request, fs], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      t.match(debugfs(root, 'cat /etc/fstab'), /^\/dev\/root\s+\/\s+ext4\s+ro,/m);
      t.match(debugfs(root, 'cat /etc/systemd/system/anjungan.service'), /dist\/appliance\/main\.cjs/);
      const dist = debugfs(root, 'ls -p /opt/anjungan/dist');
      t.match(dist, /\/appliance\//);
      t.notMatch(dist, /\/device\//, 'no demo bundle');
      t.match(debugfs(root, 'stat /usr/lib/anjungan/anjungan-fprint-capture'), /Mode:\s+0755/, 'the fingerprint capture helper');
      t.match(debugfs(root, 'ls -p /etc/systemd/system/local-fs.target.wants'), /\/data\.mount\//, 'the data partition is mounted at boot');
      const uid = /^anjungan:x:(\d+):/m.exec(debugfs(root, 'cat /etc/passwd'))![1];
      t.match(
        debugfs(data, 'ls -l /lib'),
        new RegExp(`40700 \\(2\\)\\s+${uid}\\s+\\d+\\s+\\d+\\s+\\S+\\s+\\S+\\s+anjungan`),
        "the daemon's own state folder, 0700",
      );
      t.match(debugfs(data, 'ls -l /'), /40755 \(2\)\s+0\s+0\s+\d+\s+\S+\s+\S+\s+rauc/, "RAUC's status folder, root's");
      t.match(debugfs(root, 'cat /etc/rauc/system.conf'), /^compatible=anjungan-amd64$/m, "RAUC's configuration names the board");
      t.equal(
        debugfs(root, 'cat /etc/rauc/keyring.pem'),
        readFileSync(signer.ca, 'utf8'),
        'the keyring is the update CA certificate, no key',
      );
      const release = JSON.parse(debugfs(root, 'cat /usr/lib/anjungan/release.json')) as {
        version: string;
        build: string;
        compatible: string;
      };
      t.match(release, { version: /^\d+\.\d+\.\d+$/, build: /^\d{8}T\d{6}Z-[0-9a-f]{7,}$/, compatible: 'anjungan-amd64' });
      t.match(
        debugfs(root, 'ls -p /etc/systemd/system/multi-user.target.wants'),
        /\/anjungan-update-check\.service\//,
        'the boot check is enabled',
      );
    });

    t.test('make bundle: the signed update to this release, of the very boot and root images', async (t) => {
      const bundles = join(out, 'bundles');
      const file = readdirSync(bundles).find((f) => f.endsWith('.raucb'))!;
      t.match(file, /^anjungan-anjungan-amd64-\d+\.\d+\.\d+-\d{8}T\d{6}Z\.raucb$/);
      // As the kiosk checks it: its compatible, a signer for code signing under the CA.
      const conf = join(work, 'verify.conf');
      writeFileSync(conf, '[system]\ncompatible=anjungan-amd64\nbootloader=noop\n[keyring]\ncheck-purpose=codesign\n');
      const info = execFileSync('rauc', [`--conf=${conf}`, 'info', `--keyring=${signer.ca}`, join(bundles, file)], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      t.match(info, /Bundle Format:\s+verity/);
      t.match(info, /Compatible:\s+'anjungan-amd64'/);
      const json = JSON.parse(
        execFileSync('rauc', [`--conf=${conf}`, 'info', `--keyring=${signer.ca}`, '--output-format=json', join(bundles, file)], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        }),
      ) as {
        images: Array<Record<string, { checksum: string; size: number }>>;
      };
      const image = (name: string) => json.images.find((i) => i[name])![name]!;
      const digest = (f: string, bytes: number) => sh('sh', ['-c', `head -c ${bytes} ${f} | sha256sum`]).split(' ')[0];
      t.equal(image('rootfs').checksum, digest(root, image('rootfs').size), "its root image is slot A's root");
      t.equal(image('boot').checksum, digest(boot, image('boot').size), "its boot image is slot A's boot partition");
      const index = JSON.parse(readFileSync(join(bundles, 'anjungan-amd64.json'), 'utf8')) as Record<string, unknown>;
      t.match(index, { compatible: 'anjungan-amd64', file, sha256: sh('sha256sum', [join(bundles, file)]).split(' ')[0] });
    });

    // On the board anjungan-grow-data grows the mounted partition online (partx, resize2fs on the
    // block device); without loop devices the test runs its table step on a copy of the image made
    // as large as a bigger card, and the same resize2fs, offline, on the partition cut out of it.
    t.test('the data partition grows to fill a bigger card, keeping its content', async (t) => {
      const card = join(work, 'card.img');
      sh('cp', ['--sparse=always', img, card]);
      const cardBytes = execFileSync('stat', ['-c', '%s', img], { encoding: 'utf8' }).trim();
      sh('truncate', ['-s', '+512M', card]);
      const grow = join(repo, 'image/rootfs/usr/local/sbin/anjungan-grow-data');
      const partitions = () => (JSON.parse(sh('sfdisk', ['--json', card])).partitiontable as { partitions: Part[] }).partitions;
      sh('sh', [grow, card, '7']);
      const grown = partitions();
      const placement = (parts: Part[]) => parts.map((p) => [p.start, p.size, p.type]);
      t.same(
        placement([...grown.slice(0, 3), ...grown.slice(4, 6)]),
        placement([...table.partitions.slice(0, 3), ...table.partitions.slice(4, 6)]),
        'autoboot, boot and root slots untouched',
      );
      t.equal(grown[6]!.start, table.partitions[6]!.start, 'the data partition keeps its start');
      const cardSectors = Number(cardBytes) / 512 + 512 * 2048;
      t.ok(cardSectors - (grown[6]!.start + grown[6]!.size) < 2048, `it ends within 1 MiB of the card's end (${grown[6]!.size} sectors)`);
      t.equal(grown[3]!.start + grown[3]!.size, grown[6]!.start + grown[6]!.size, 'the extended partition grew with it');
      sh('sh', [grow, card, '7']);
      t.same(partitions(), grown, 'a second run changes nothing');

      const part = join(work, 'p7-grown');
      sh('dd', [`if=${card}`, `of=${part}`, 'bs=512', `skip=${grown[6]!.start}`, `count=${grown[6]!.size}`, 'conv=sparse', 'status=none']);
      execFileSync('resize2fs', [part], { stdio: ['ignore', 'pipe', 'pipe'] });
      const header = execFileSync('dumpe2fs', ['-h', part], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)$`, 'm').exec(header)![1]);
      const unused = grown[6]!.size * 512 - field('Block count') * field('Block size');
      t.ok(unused >= 0 && unused < field('Block size'), `the file system fills the grown partition (${unused} bytes left)`);
      t.match(
        execFileSync('e2fsck', ['-fn', part], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
        /^ANJ-DATA: \d+\/\d+ files/m,
        'and is clean',
      );
      t.match(
        execFileSync('debugfs', ['-R', 'ls -l /lib', part], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
        /40700 \(2\).*anjungan/,
        'the state folder is still there',
      );
    });

    t.test('no demo persona, simulator or vpcd in any byte of the image', async (t) => {
      const needles = join(work, 'needles');
      // The positive control proves the scan reads the app's files: a message only the production bundle has.
      const control = 'this is the production build';
      writeFileSync(needles, [...demoNeedles(), control].join('\n') + '\n');
      const found = execFileSync('sh', ['-c', `grep -a -o -F -f ${needles} ${img} | sort -u`], { encoding: 'utf8' })
        .trim()
        .split('\n');
      t.same(found, [control], 'only the control string is found');
    });

    t.test('checksum, compression and manifest', async (t) => {
      t.match(sh('sha256sum', ['-c', 'anjungan-amd64.sha256']), /anjungan-amd64\.img\.zst: OK\nanjungan-amd64\.img: OK/);
      const unpacked = execFileSync('sh', ['-c', `zstd -dc anjungan-amd64.img.zst | sha256sum`], { cwd: out, encoding: 'utf8' }).split(
        ' ',
      )[0];
      t.equal(unpacked, sh('sha256sum', [img]).split(' ')[0], 'the .zst unpacks to the .img');
      const manifest = readFileSync(join(out, 'anjungan-amd64.manifest.txt'), 'utf8');
      for (const pkg of ['systemd', 'nodejs', 'pcscd', 'chromium', 'libfprint-2-2'])
        t.match(manifest, new RegExp(`^${pkg}\\t\\S+\\tamd64$`, 'm'), `${pkg} and its version`);
      t.match(manifest, /^better-sqlite3\t\d+\.\d+\.\d+\tnode$/m);
      t.notMatch(manifest, /vpcd/, 'no vpcd package');
      const debian = manifest.split('\n').filter((l) => /\t(amd64|all)$/.test(l));
      t.same(readFileSync(versions, 'utf8').trim().split('\n'), debian, 'the recorded package set is the Debian part of the manifest');
    });

    t.test('a build whose Debian packages differ from the recorded set stops before laying out an image', async (t) => {
      const recorded = readFileSync(versions, 'utf8');
      const systemd = /^systemd\t(\S+)\tamd64$/m;
      const line = systemd.exec(recorded)!;
      writeFileSync(versions, recorded.replace(systemd, `systemd\t${line[1]}~older\tamd64`));
      const other = join(work, 'out-differs');
      const failed = await promisify(execFile)('bash', [join(repo, 'image/build-image.sh'), 'amd64', other], {
        cwd: repo,
        env: imageEnv,
      }).then(
        () => ({ code: 0, stderr: '' }),
        (e: { code: number; stderr: string }) => e,
      );
      t.equal(failed.code, 3, 'exit status 3');
      const lines = failed.stderr.split('\n');
      t.ok(lines.includes(`-systemd\t${line[1]}~older\tamd64`), 'the diff shows the recorded version');
      t.ok(lines.includes(`+systemd\t${line[1]}\tamd64`), 'and the one this build got');
      t.match(failed.stderr, /ANJUNGAN_VERSIONS=record/, 'and says how to accept it');
      t.same(readdirSync(other), [], 'no image');
    });
  },
);
