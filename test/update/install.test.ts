/**
 * `anjungan-provision update install` and `update confirm-boot` on a kiosk whose slots are files
 * (rauc-kiosk.ts): real RAUC, the real firmware backend and pre-install handler. A good bundle
 * goes into the slot not running, is tried once, and stays only when it proves itself; otherwise
 * the old slot boots again and the kiosk serves on it; a RAUC killed while writing leaves the
 * running slot the boot slot. Every step is in the audit trail (refusals: install-refused.test.ts).
 */
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { existsSync, openSync, readSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { layout } from '../../provisioning/layout.ts';
import { readJournal } from '../../device/update/journal.ts';
import { installFootprint, laterBuild, pauseFlag, raucKiosk, updateAuditRows } from './rauc-kiosk.ts';
import { healthStandIn, HEALTHY } from './health-stand-in.ts';
import { PARTITION, ROOT_OF } from './fake-board.ts';

t.setTimeout(900_000);

t.test('a good bundle: installed into slot B, tried once, marked good after it proved itself', async (t) => {
  const k = await raucKiosk(t);
  const health = await healthStandIn(t, k.root);
  const slotA = { boot: k.board.digest(k.board.slots.A.boot), root: k.board.digest(k.board.slots.A.root) };
  const file = k.bundle({ version: '0.2.0', build: laterBuild(5), format: 'plain', marker: 'release 0.2.0' });
  const r = await k.cli(['update', 'install', file]);
  t.equal(r.code, 0, 'installed', { stderr: r.stderr });
  t.match(r.stdout, /release 0\.2\.0 \(20260101T000500Z-bbbbbbb\) installed into slot B \(running: 0\.1\.0/);
  const percents = [...r.stderr.matchAll(/… +(\d+)% /g)].map((m) => Number(m[1]));
  t.ok(percents.length >= 5 && percents.at(-1) === 100, `progress shown (${percents.join(' ')})`);
  t.ok(
    percents.every((p, i) => i === 0 || p >= percents[i - 1]!),
    'and it only goes forward',
  );
  t.same(
    k.systemctl().filter((c) => c.startsWith('reboot')),
    ['reboot 0 tryboot'],
    'reboots asking the firmware for a tryboot',
  );
  t.same({ boot: k.board.digest(k.board.slots.A.boot), root: k.board.digest(k.board.slots.A.root) }, slotA, 'slot A untouched');
  t.match(execText('debugfs', ['-R', 'cat /release', k.board.slots.B.root]), /release 0\.2\.0/, "slot B holds the bundle's root");
  t.match(k.board.cmdline('B'), new RegExp(`^root=${ROOT_OF.B} rauc\\.slot=B `), "B's cmdline.txt names B's root");
  t.same(k.board.autobootPartitions(), { all: PARTITION.A, tryboot: PARTITION.B }, 'autoboot.txt still boots A by default');
  t.equal(readJournal(layout(k.root).updateJournalFile)?.state, 'installed');
  t.equal(pauseFlag(k), 'anjungan-provision update', 'the kiosk stays paused through the reboot');

  t.same(await k.reboot(), { slot: 'B', tryboot: true }, 'the firmware tries slot B');
  const c = await k.cli(['update', 'confirm-boot', '--deadline-s', '30']);
  t.equal(c.code, 0, 'judged', { stderr: c.stderr });
  t.match(c.stdout, /release 0\.2\.0 .* proved itself and is now the boot slot/);
  t.same(k.board.autobootPartitions(), { all: PARTITION.B, tryboot: PARTITION.A }, 'committed in autoboot.txt');
  t.equal(readJournal(layout(k.root).updateJournalFile)?.state, 'markedGood');
  t.equal(pauseFlag(k), null, 'the kiosk serves again');
  t.same(await k.reboot(), { slot: 'B', tryboot: false }, 'B boots from now on');
  const again = await k.cli(['update', 'confirm-boot', '--deadline-s', '30']);
  t.equal(again.code, 0);
  t.match(again.stdout, /no update waits for a decision/);
  const status = await k.cli(['update', 'status']);
  t.match(status.stdout, /slot A: inactive, good, no release installed/);
  t.match(status.stdout, /slot B: booted \(running\), good, release 0\.2\.0/);
  t.same(
    updateAuditRows(k).map((r) => [r.code, r.state, r.outcome]),
    [
      ['kioskPaused', null, null],
      ['updateInstalled', 'B', '0.2.0 20260101T000500Z-bbbbbbb'],
      ['updateBooted', 'B', '0.2.0 20260101T000500Z-bbbbbbb'],
      ['updateMarkedGood', 'B', '0.2.0 20260101T000500Z-bbbbbbb'],
      ['kioskResumed', null, null],
    ],
    'audit: paused, installed, booted, marked good, resumed',
  );
  health.set(HEALTHY);
});

t.test('a release that does not prove itself in time is marked bad; the board returns to the old slot and serves', async (t) => {
  const k = await raucKiosk(t);
  const health = await healthStandIn(t, k.root);
  t.equal((await k.cli(['update', 'install', k.bundle({ version: '0.2.0', build: laterBuild(5), format: 'plain' })])).code, 0);
  await k.reboot();
  // The new release's daemon answers, but its page never pings: the screen is dead.
  health.set({ ...HEALTHY, ui: { lastPingAgoMs: null } });
  const started = Date.now();
  const c = await k.cli(['update', 'confirm-boot', '--deadline-s', '3']);
  t.equal(c.code, 5, 'exit 5: its unit fails and reboots the board');
  t.ok(Date.now() - started >= 3000, 'it waited for its deadline');
  t.match(c.stdout, /did not show screen within 3 s: marked bad/);
  t.equal(k.backendState('B'), 'bad');
  t.same(k.board.autobootPartitions(), { all: PARTITION.A, tryboot: PARTITION.B });
  t.same(await k.reboot(), { slot: 'A', tryboot: false }, 'the board boots A again');
  const onA = await k.cli(['update', 'confirm-boot', '--deadline-s', '3']);
  t.equal(onA.code, 0, 'judged', { stderr: onA.stderr });
  t.match(onA.stdout, /release 0\.2\.0 .* did not show screen in time: slot A with release 0\.1\.0 .* runs again/);
  t.equal(pauseFlag(k), null, 'the kiosk serves on the old release');
  t.same(
    updateAuditRows(k).map((r) => [r.code, r.state, r.outcome]),
    [
      ['kioskPaused', null, null],
      ['updateInstalled', 'B', '0.2.0 20260101T000500Z-bbbbbbb'],
      ['updateBooted', 'B', '0.2.0 20260101T000500Z-bbbbbbb'],
      ['updateRolledBack', 'B', 'checkFailed: screen'],
      ['kioskResumed', null, null],
    ],
  );
  const next = await k.cli(['update', 'confirm-boot']);
  t.match(next.stdout, /no update waits for a decision/, 'settled once');
});

t.test('a new release that dies before its check (or never boots) is left by the next boot', async (t) => {
  const k = await raucKiosk(t);
  t.equal((await k.cli(['update', 'install', k.bundle({ version: '0.2.0', build: laterBuild(5), format: 'plain' })])).code, 0);
  t.same(await k.reboot(), { slot: 'B', tryboot: true });
  // A kernel panic, a hang the watchdog resets, a power cut: no check ran.
  t.same(await k.reboot({ powerCut: true }), { slot: 'A', tryboot: false });
  const onA = await k.cli(['update', 'confirm-boot']);
  t.equal(onA.code, 0);
  t.match(onA.stdout, /never reached its boot check/);
  t.equal(updateAuditRows(k).at(-2)?.outcome, 'neverChecked');
  t.equal(readJournal(layout(k.root).updateJournalFile)?.reason, 'neverChecked');
  t.equal(pauseFlag(k), null);
  t.test('and a later bundle installs over the failed slot', async (t) => {
    const r = await k.cli(['update', 'install', k.bundle({ version: '0.2.1', build: laterBuild(9), format: 'plain' })]);
    t.equal(r.code, 0, 'installed', { stderr: r.stderr });
    t.match(r.stdout, /installed into slot B/);
  });
});

t.test('no install while a release is on trial: the fallback slot is the one it would overwrite', async (t) => {
  const k = await raucKiosk(t);
  t.equal((await k.cli(['update', 'install', k.bundle({ version: '0.2.0', build: laterBuild(5), format: 'plain' })])).code, 0);
  await k.reboot();
  const before = installFootprint(k);
  const r = await k.cli(['update', 'install', k.bundle({ version: '0.3.0', build: laterBuild(9), format: 'plain' })]);
  t.equal(r.code, 6);
  t.match(r.stderr, /slot B is on trial/);
  t.same(installFootprint(k), before);
});

t.test('kill -9 of RAUC in the middle of writing: the running slot stays the boot slot, a new install completes', async (t) => {
  const k = await raucKiosk(t, { rootMiB: 96 });
  // A root image large enough that its copy is seen under way.
  const file = k.bundle({ version: '0.2.0', build: laterBuild(5), format: 'plain', rootMiB: 96, payloadKiB: 64 * 1024 });
  const slotA = { boot: k.board.digest(k.board.slots.A.boot), root: k.board.digest(k.board.slots.A.root) };
  const emptyB = k.board.digest(k.board.slots.B.root);
  // The ext4 magic at byte 1080 of slot B: the copy has begun once it is there.
  const copyBegun = () => {
    const fd = openSync(k.board.slots.B.root, 'r');
    try {
      const b = Buffer.alloc(2);
      readSync(fd, b, 0, 2, 1080);
      return b.readUInt16LE() === 0xef53;
    } finally {
      closeSync(fd);
    }
  };
  let watch: ReturnType<typeof setInterval> | null = null;
  let killed = '';
  const kill = (when: string) => {
    if (killed) return;
    killed = when;
    if (watch) clearInterval(watch);
    process.kill(k.raucPid(), 'SIGKILL');
  };
  const r = await k.cli(['update', 'install', file], {}, (line) => {
    if (/Copying image to rootfs\.1$/.test(line)) watch = setInterval(() => copyBegun() && kill('while copying the root image'), 2);
    if (/Copying image to rootfs\.1 done/.test(line)) kill('after the root image, before the boot image');
  });
  t.ok(killed, `killed ${killed}`);
  t.not(r.code, 0, 'the install fails');
  t.match(r.stderr, /the running release 0\.1\.0 .* stays the boot slot/);
  t.same(
    k.systemctl().filter((c) => c.startsWith('reboot')),
    [],
    'no reboot asked',
  );
  t.same({ boot: k.board.digest(k.board.slots.A.boot), root: k.board.digest(k.board.slots.A.root) }, slotA, 'slot A untouched');
  t.not(k.board.digest(k.board.slots.B.root), emptyB, 'slot B was (partly) written');
  t.equal(k.backendState('B'), 'bad', 'B was marked bad before its write');
  t.same(k.board.autobootPartitions(), { all: PARTITION.A, tryboot: PARTITION.B });
  t.notOk(existsSync(k.board.flag), 'no tryboot armed');
  t.same(await k.reboot({ powerCut: true }), { slot: 'A', tryboot: false }, 'the board boots A');
  t.equal(pauseFlag(k), null, 'the failed install resumed the kiosk');
  const again = await k.cli(['update', 'install', file]);
  t.equal(again.code, 0, 'installed', { stderr: again.stderr });
  t.same(await k.reboot(), { slot: 'B', tryboot: true }, 'the complete install is tried');
});

function execText(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
}
