/**
 * The Raspberry Pi firmware backend (image/rauc/boot-backend) as RAUC drives it, over a fake
 * board (fake-board.ts): autoboot.txt on the first partition, the one-shot tryboot flag, the
 * firmware's report of each boot. Primary, tryboot, good, bad: an update is tried once and
 * committed only by mark-good; anything else boots the old slot again.
 */
import t, { type Test } from 'tap';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { bootImage, fakeBoard, PARTITION, ROOT_OF, type FakeBoard } from './fake-board.ts';

/** What RAUC does around writing slot B: non-bootable first, then (after the write) primary. */
function installIntoB(t: Test, board: FakeBoard) {
  t.equal(board.backend('set-state', 'B', 'bad').code, 0, 'B marked bad before it is written');
  bootImage(board.slots.B.boot, 'console=tty3 root=PARTUUID=414e4a47-05 rauc.slot=A ro quiet');
  return board.backend('set-primary', 'B');
}

t.test('as flashed: slot A boots, is primary and good; the empty slot B is bad', async (t) => {
  const board = fakeBoard(t);
  t.same(board.booted(), { slot: 'A', tryboot: false });
  t.equal(board.backend('get-primary').stdout, 'A');
  t.equal(board.backend('get-state', 'A').stdout, 'good');
  t.equal(board.backend('get-state', 'B').stdout, 'bad');
});

t.test('an installed slot is tried once, and becomes the boot slot only when marked good', async (t) => {
  const board = fakeBoard(t);
  const r = installIntoB(t, board);
  t.equal(r.code, 0, r.stderr);
  t.equal(
    board
      .cmdline('B')
      .split(' ')
      .filter((w) => w.startsWith('root=') || w.startsWith('rauc.slot='))
      .join(' '),
    `root=${ROOT_OF.B} rauc.slot=B`,
    "B's cmdline.txt names B's root",
  );
  t.match(board.cmdline('B'), /console=tty3 .*ro quiet$/, 'the rest of the command line is kept');
  t.equal(board.backend('get-primary').stdout, 'B', 'the next boot is B');
  t.same(board.autobootPartitions(), { all: PARTITION.A, tryboot: PARTITION.B }, 'autoboot.txt still boots A by default');

  t.same(board.boot(), { slot: 'B', tryboot: true }, 'the firmware tries B');
  t.equal(board.backend('get-primary').stdout, 'A', 'the flag is spent: A would boot next');
  t.equal(board.backend('get-state', 'B').stdout, 'bad', 'not yet proven');
  t.equal(board.backend('set-state', 'B', 'good').code, 0);
  t.same(board.autobootPartitions(), { all: PARTITION.B, tryboot: PARTITION.A }, 'mark-good commits B in autoboot.txt');
  t.equal(board.backend('get-primary').stdout, 'B');
  t.equal(board.backend('get-state', 'A').stdout, 'good', 'A stays a good fallback');
  t.same(board.boot(), { slot: 'B', tryboot: false }, 'B boots from then on');
  t.same(board.boot(), { slot: 'B', tryboot: false });
});

t.test('a first boot that is never marked good returns to the old slot', async (t) => {
  const board = fakeBoard(t);
  t.equal(installIntoB(t, board).code, 0);
  t.same(board.boot(), { slot: 'B', tryboot: true });
  // No mark-good: the watchdog, a panic or the mark-good service's deadline resets the board.
  t.same(board.boot(), { slot: 'A', tryboot: false }, 'the next boot is A again');
  t.equal(board.backend('get-primary').stdout, 'A');
  t.equal(board.backend('get-state', 'B').stdout, 'bad');
});

t.test('the mark-good service giving up (mark-bad on B) leaves A as the boot slot', async (t) => {
  const board = fakeBoard(t);
  t.equal(installIntoB(t, board).code, 0);
  board.boot();
  const r = board.backend('set-state', 'B', 'bad');
  t.equal(r.code, 0, r.stderr);
  t.same(board.autobootPartitions(), { all: PARTITION.A, tryboot: PARTITION.B });
  t.same(board.boot(), { slot: 'A', tryboot: false });
  t.equal(board.backend('get-state', 'B').stdout, 'bad');
});

t.test('a power cut between install and reboot: the old slot boots, the update is not tried', async (t) => {
  const board = fakeBoard(t);
  t.equal(installIntoB(t, board).code, 0);
  board.powerCut();
  t.same(board.boot(), { slot: 'A', tryboot: false });
});

t.test('during a trial boot the fallback slot cannot be marked bad (it is the one that boots)', async (t) => {
  const board = fakeBoard(t);
  t.equal(installIntoB(t, board).code, 0);
  board.boot();
  const before = readFileSync(board.autoboot, 'utf8');
  const r = board.backend('set-state', 'A', 'bad');
  t.not(r.code, 0, 'refused');
  t.match(r.stderr, /slot A is the one this trial boot falls back to/);
  t.equal(readFileSync(board.autoboot, 'utf8'), before);
  t.equal(board.backend('get-state', 'A').stdout, 'good');
});

t.test('marking the boot slot bad hands over to the other slot if that one is good', async (t) => {
  const board = fakeBoard(t);
  t.equal(installIntoB(t, board).code, 0);
  board.boot();
  t.equal(board.backend('set-state', 'B', 'good').code, 0);
  board.boot();
  t.equal(board.backend('set-state', 'B', 'bad').code, 0);
  t.same(board.autobootPartitions(), { all: PARTITION.A, tryboot: PARTITION.B }, 'A is the boot slot again');
  t.same(board.boot(), { slot: 'A', tryboot: false });
});

t.test('a slot marked primary again (rauc status mark-active) disarms the trial', async (t) => {
  const board = fakeBoard(t);
  t.equal(installIntoB(t, board).code, 0);
  t.equal(board.backend('set-primary', 'A').code, 0);
  t.equal(board.backend('get-primary').stdout, 'A');
  t.notOk(existsSync(board.flag));
  t.same(board.boot(), { slot: 'A', tryboot: false });
});

t.test('refusals change nothing', async (t) => {
  const board = fakeBoard(t);
  const unchanged = () => [readFileSync(board.autoboot, 'utf8'), existsSync(board.flag), existsSync(board.stateFile)];
  const before = unchanged();
  t.test('a boot partition without cmdline.txt is not armed', async (t) => {
    const r = board.backend('set-primary', 'B');
    t.not(r.code, 0);
    t.match(r.stderr, /slot B: no cmdline\.txt/);
    t.same(unchanged(), before);
  });
  t.test('unknown slot, unknown state, unknown command', async (t) => {
    for (const args of [['set-primary', 'C'], ['set-state', 'A', 'fine'], ['get-state'], ['reboot']]) {
      const r = board.backend(...args);
      t.not(r.code, 0, args.join(' '));
      t.match(r.stderr, /^boot-backend: /);
    }
    t.same(unchanged(), before);
  });
  t.test('an autoboot.txt naming no slot', async (t) => {
    writeFileSync(board.autoboot, '[all]\nboot_partition=7\n');
    const r = board.backend('get-primary');
    t.not(r.code, 0);
    t.match(r.stderr, /partition 7 is no slot's boot partition/);
    t.equal(board.backend('set-state', 'B', 'good').code, 1, 'nothing is decided on it');
    t.notOk(existsSync(board.stateFile));
  });
});
