/**
 * The update machinery in the booted appliance: the amd64 root file system of
 * image/build-rootfs.sh boots under systemd-nspawn (read-only, no network but loopback) with
 * RAUC's real configuration (/etc/rauc/system.conf, keyring, the firmware backend) and the real
 * anjungan-update-check.service. It is started as the firmware starts a release on trial: slot B
 * by a tryboot, right after an update. With its page alive it is marked good and committed in
 * autoboot.txt; with its page dead it is marked bad and the unit reboots the board (the
 * container exits), leaving autoboot.txt on slot A.
 *
 * What a container cannot have is stood in for, by files bound in and one test-only drop-in
 * for rauc.service: the kernel command line (rauc.slot=B, by --override-boot-slot), the
 * firmware's report of the boot (/proc/device-tree/chosen/bootloader, a folder) and the SD card's
 * partitions (p1's autoboot.txt, a folder on /boot/firmware; the boot slots, FAT image files).
 * The daemon runs the demo bundle (no card reader or sensor here), as in test/systemd/booted.test.ts.
 */
import t, { type Test } from 'tap';
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { demoDefaults } from '../../device/config.ts';
import { demoCredentials } from '../../device/sim/kit.ts';
import { DEMO_CREDENTIALS } from '../../device/sim/dukcapil/server.ts';
import { bootImage, CMDLINE_A } from './fake-board.ts';
import { makeSigner } from './rauc-kiosk.ts';
import { bootTree, poll } from '../support/nspawn.ts';

const repo = join(import.meta.dirname, '../..');
t.setTimeout(900_000);

function be32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

t.test(
  'a release on trial in the booted appliance',
  { skip: process.getuid?.() !== 0 && 'needs root (mmdebstrap, systemd-nspawn)', timeout: 900_000 },
  async (t) => {
    const work = mkdtempSync('/var/tmp/anj26-booted-');
    t.teardown(() => rmSync(work, { recursive: true, force: true }));
    const tree = join(work, 'root');
    const signer = makeSigner(work, 'office');
    const started = Date.now();
    execFileSync('bash', [join(repo, 'image/build-rootfs.sh'), 'amd64', tree], {
      cwd: repo,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, ANJUNGAN_UPDATE_KEYRING: signer.ca },
    });
    t.comment(`root file system ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const release = JSON.parse(readFileSync(join(tree, 'usr/lib/anjungan/release.json'), 'utf8')) as {
      version: string;
      build: string;
      compatible: string;
    };

    // The test-only parts of the tree: the daemon in demo mode, and RAUC told which slot booted and
    // where the firmware's stand-ins are.
    mkdirSync(join(tree, 'etc/systemd/system/anjungan.service.d'), { recursive: true });
    const demoExec = readFileSync(join(repo, 'systemd/anjungan.service'), 'utf8')
      .match(/^ExecStart=.*$/m)![0]
      .replace('/dist/appliance/', '/dist/device/');
    writeFileSync(
      join(tree, 'etc/systemd/system/anjungan.service.d/test-demo-mode.conf'),
      `[Service]\nEnvironment=ANJUNGAN_MODE=demo\nExecStart=\n${demoExec}\n`,
    );
    mkdirSync(join(tree, 'opt/anjungan/dist/device'));
    mkdirSync(join(tree, 'test-board'));
    const boardConf = readFileSync(join(tree, 'etc/rauc/anjungan-boot.conf'), 'utf8')
      .replace(/^BOOTLOADER_DT=.*$/m, 'BOOTLOADER_DT=/test-board/firmware')
      .replace(/^SLOT_A_BOOT=.*$/m, 'SLOT_A_BOOT=/test-board/boot-a.vfat')
      .replace(/^SLOT_B_BOOT=.*$/m, 'SLOT_B_BOOT=/test-board/boot-b.vfat');
    writeFileSync(join(tree, 'etc/rauc/test-board.conf'), boardConf);
    mkdirSync(join(tree, 'etc/systemd/system/rauc.service.d'), { recursive: true });
    const raucExec = execFileSync(
      'sh',
      [
        '-c',
        `grep -h '^ExecStart=' ${tree}/usr/lib/systemd/system/rauc.service ${tree}/lib/systemd/system/rauc.service 2>/dev/null | head -n 1`,
      ],
      { encoding: 'utf8' },
    ).trim();
    t.match(raucExec, /^ExecStart=\/usr\/bin\/rauc .*service/, "Debian's rauc.service");
    writeFileSync(
      join(tree, 'etc/systemd/system/rauc.service.d/test-board.conf'),
      `[Service]\nEnvironment=ANJUNGAN_BOOT_CONF=/etc/rauc/test-board.conf\nExecStart=\n${raucExec} --override-boot-slot=B\n`,
    );
    // The confirm-boot command reads the board the same way.
    mkdirSync(join(tree, 'etc/systemd/system/anjungan-update-check.service.d'), { recursive: true });
    writeFileSync(
      join(tree, 'etc/systemd/system/anjungan-update-check.service.d/test-board.conf'),
      '[Service]\nEnvironment=ANJUNGAN_BOOT_CONF=/etc/rauc/test-board.conf\n',
    );
    // The kiosk page's stand-in: pings the daemon as the page does, when the test lets it (a flag file).
    writeFileSync(
      join(tree, 'etc/systemd/system/test-page.service'),
      `[Unit]\nAfter=anjungan.service\nConditionPathExists=/test-board/page-alive\n[Service]\nExecStart=/usr/bin/node -e "setInterval(() => fetch('http://127.0.0.1:8080/api/ui-ping', { method: 'POST' }).catch(() => {}), 2000)"\n[Install]\nWantedBy=multi-user.target\n`,
    );
    execFileSync('systemctl', [`--root=${tree}`, '--quiet', 'enable', 'test-page.service']);

    const daemonGid = Number(/^anjungan:x:(\d+):/m.exec(readFileSync(join(tree, 'etc/group'), 'utf8'))![1]);
    const daemonUid = Number(/^anjungan:x:(\d+):/m.exec(readFileSync(join(tree, 'etc/passwd'), 'utf8'))![1]);

    /** One boot of the board as the firmware starts it after an update: slot B, on a tryboot. */
    async function trialBoot(t: Test, opts: { pageAlive: boolean; deadlineS: number }) {
      const boot = join(work, `boot-${opts.pageAlive ? 'good' : 'bad'}`);
      const board = join(boot, 'board');
      const data = join(boot, 'data');
      const p1 = join(boot, 'p1');
      for (const d of [board, join(board, 'firmware'), p1, join(data, 'rauc')]) mkdirSync(d, { recursive: true });
      const dataEtc = join(data, 'etc/anjungan');
      const dataLib = join(data, 'lib/anjungan');
      mkdirSync(dataEtc, { recursive: true });
      mkdirSync(dataLib, { recursive: true, mode: 0o700 });
      chownSync(dataLib, daemonUid, daemonGid);
      const config = { ...demoDefaults(new Date()), stateDir: '/var/lib/anjungan', updates: { proofDeadlineS: opts.deadlineS } };
      writeFileSync(join(dataEtc, 'config.json'), JSON.stringify(config, null, 2), { mode: 0o640 });
      chownSync(join(dataEtc, 'config.json'), 0, daemonGid);
      writeFileSync(join(dataLib, 'credentials.json'), JSON.stringify(await demoCredentials(DEMO_CREDENTIALS)), { mode: 0o600 });
      chmodSync(join(dataLib, 'credentials.json'), 0o600);
      // The card as an update left it: autoboot.txt still on A, B written and made primary once.
      writeFileSync(join(p1, 'autoboot.txt'), '[all]\ntryboot_a_b=1\nboot_partition=2\n[tryboot]\nboot_partition=3\n');
      bootImage(join(board, 'boot-a.vfat'), CMDLINE_A);
      bootImage(join(board, 'boot-b.vfat'), CMDLINE_A.replace('414e4a47-05', '414e4a47-06').replace('rauc.slot=A', 'rauc.slot=B'));
      writeFileSync(join(board, 'firmware/partition'), be32(3));
      writeFileSync(join(board, 'firmware/tryboot'), be32(1));
      writeFileSync(join(data, 'rauc/anjungan-boot-state'), 'A good\nB bad\n');
      const journal = { state: 'installed', slot: 'B', release, from: { ...release, version: '0.0.1' }, at: new Date().toISOString() };
      writeFileSync(join(data, 'rauc/anjungan-update.json'), JSON.stringify(journal));
      if (opts.pageAlive) writeFileSync(join(board, 'page-alive'), '');

      const booted = await bootTree(
        t,
        tree,
        [
          '--read-only',
          `--bind=${data}:/data`,
          `--bind=${dataEtc}:/etc/anjungan`,
          `--bind=${dataLib}:/var/lib/anjungan`,
          `--bind-ro=${join(repo, 'dist/device')}:/opt/anjungan/dist/device`,
          `--bind=${p1}:/boot/firmware`,
          `--bind=${board}:/test-board`,
          '--private-network',
        ],
        120_000,
      );
      const audit = () => {
        const db = new Database(join(dataLib, 'anjungan.sqlite'), { readonly: true });
        try {
          return (
            db.prepare("SELECT code, state, outcome FROM audit_event WHERE code LIKE 'update%' ORDER BY id").all() as Array<{
              code: string;
              state: string;
              outcome: string;
            }>
          ).map((r) => [r.code, r.state, r.outcome]);
        } finally {
          db.close();
        }
      };
      return {
        board,
        data,
        p1,
        exited: booted.exited,
        exitWithin: booted.exitWithin,
        inside: booted.inside,
        audit,
        log: booted.log,
        nspawn: booted.nspawn,
      };
    }

    await t.test('proved: rauc status knows the slots, the check marks B good and commits it in autoboot.txt', async (t) => {
      const b = await trialBoot(t, { pageAlive: true, deadlineS: 300 });
      const check = await poll(
        async () => {
          const s = await b.inside('systemctl', 'show', 'anjungan-update-check.service', '-p', 'ActiveState', '-p', 'Result');
          const unit = Object.fromEntries(s.split('\n').map((l) => l.split('=', 2)));
          return unit.ActiveState === 'active' || unit.ActiveState === 'failed' ? `${unit.ActiveState} ${unit.Result}` : null;
        },
        'the boot check to finish',
        400_000,
      ).catch(async (e: Error) => {
        t.comment(b.log().slice(-3000));
        t.comment(
          await b
            .inside(
              'journalctl',
              '--no-pager',
              '-n',
              '150',
              '-u',
              'anjungan-update-check.service',
              '-u',
              'rauc.service',
              '-u',
              'test-page.service',
              '-u',
              'anjungan.service',
            )
            .catch((x: Error) => String(x)),
        );
        throw e;
      });
      t.equal(check, 'active success', 'anjungan-update-check.service succeeded');
      const status = JSON.parse(await b.inside('rauc', 'status', '--detailed', '--output-format=json')) as {
        compatible: string;
        booted: string;
        boot_primary: string;
        slots: Array<Record<string, { bootname: string | null; boot_status: string | null }>>;
      };
      t.equal(status.compatible, 'anjungan-amd64', "rauc status: the image's compatible");
      t.equal(status.booted, 'B');
      t.equal(status.boot_primary, 'rootfs.1', 'B is primary');
      const bootStatus = Object.fromEntries(
        status.slots
          .flatMap((s) => Object.values(s))
          .filter((s) => s.bootname)
          .map((s) => [s.bootname, s.boot_status]),
      );
      t.same(bootStatus, { A: 'good', B: 'good' });
      t.equal(
        readFileSync(join(b.p1, 'autoboot.txt'), 'utf8'),
        '[all]\ntryboot_a_b=1\nboot_partition=3\n[tryboot]\nboot_partition=2\n',
        'autoboot.txt boots B from now on',
      );
      t.match(
        await b.inside('journalctl', '-u', 'anjungan-update-check.service', '--no-pager', '-o', 'cat'),
        new RegExp(`release ${release.version.replace(/\./g, '\\.')} .* proved itself`),
      );
      t.same(b.audit(), [
        ['updateBooted', 'B', `${release.version} ${release.build}`],
        ['updateMarkedGood', 'B', `${release.version} ${release.build}`],
      ]);
      t.equal((JSON.parse(readFileSync(join(b.data, 'rauc/anjungan-update.json'), 'utf8')) as { state: string }).state, 'markedGood');
      await b.inside('systemctl', 'poweroff').catch(() => undefined);
      await b.exited;
    });

    await t.test('not proved in time (its page never pings): marked bad, and the unit reboots the board', async (t) => {
      const b = await trialBoot(t, { pageAlive: false, deadlineS: 30 });
      const code = await b.exitWithin(400_000);
      t.not(code, 'still running', `the container went down by itself (exit ${String(code)})`);
      t.equal(
        readFileSync(join(b.p1, 'autoboot.txt'), 'utf8'),
        '[all]\ntryboot_a_b=1\nboot_partition=2\n[tryboot]\nboot_partition=3\n',
        'autoboot.txt still boots A',
      );
      t.equal(readFileSync(join(b.data, 'rauc/anjungan-boot-state'), 'utf8'), 'A good\nB bad\n');
      const journal = JSON.parse(readFileSync(join(b.data, 'rauc/anjungan-update.json'), 'utf8')) as {
        state: string;
        reason: string;
        missing: string[];
      };
      t.match(journal, { state: 'rolledBack', reason: 'checkFailed', missing: ['screen'] });
      t.same(b.audit(), [
        ['updateBooted', 'B', `${release.version} ${release.build}`],
        ['updateRolledBack', 'B', 'checkFailed: screen'],
      ]);
    });
  },
);
