/**
 * A Raspberry Pi's A/B boot as files: the first FAT partition's autoboot.txt (a folder), the
 * firmware's report of the boot (/proc/device-tree/chosen/bootloader: partition and tryboot),
 * the one-shot tryboot flag, the data partition's folder, and each slot's boot partition (a FAT
 * image with cmdline.txt) and root (an ext4 image). The firmware itself is played by boot():
 * it reads autoboot.txt and the flag as the board's firmware does, consumes the flag, and reports
 * what it booted. image/rauc/anjungan-boot.conf is the configuration, its paths pointed here.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const REPO = join(import.meta.dirname, '../..');
export const BACKEND = join(REPO, 'image/rauc/boot-backend');
export type Slot = 'A' | 'B';
export const PARTITION: Record<Slot, number> = { A: 2, B: 3 };
export const ROOT_OF: Record<Slot, string> = { A: 'PARTUUID=414e4a47-05', B: 'PARTUUID=414e4a47-06' };

export interface FakeBoard {
  dir: string;
  /** The backend's configuration (ANJUNGAN_BOOT_CONF). */
  conf: string;
  env: NodeJS.ProcessEnv;
  autoboot: string;
  flag: string;
  stateFile: string;
  /** The data partition's stand-in (RAUC's status lives in rauc/ below it). */
  data: string;
  slots: Record<Slot, { boot: string; root: string }>;
  backend(...args: string[]): { code: number; stdout: string; stderr: string };
  /** The firmware starting the board: the partition it loads, and whether it is a tryboot. */
  boot(): { slot: Slot; tryboot: boolean };
  /** A power cut (or any reset not asked for): the one-shot flag is gone. */
  powerCut(): void;
  booted(): { slot: Slot; tryboot: boolean };
  /** [all] and [tryboot] boot_partition of autoboot.txt. */
  autobootPartitions(): { all: number; tryboot: number };
  cmdline(slot: Slot): string;
  /** SHA-256 of a file's bytes. */
  digest(path: string): string;
}

const sh = (cmd: string, args: string[], env?: NodeJS.ProcessEnv) =>
  execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MTOOLS_SKIP_CHECK: '1', ...env } });

/** A FAT boot partition image holding cmdline.txt (and config.txt), as build-image.sh makes one. */
export function bootImage(path: string, cmdline: string, mib = 8): void {
  rmSync(path, { force: true });
  sh('mkfs.vfat', ['-C', '-n', 'ANJ-SYSBOOT', path, String(mib * 1024)]);
  const tmp = mkdtempSync(join(path, '..', 'boot-'));
  writeFileSync(join(tmp, 'cmdline.txt'), `${cmdline}\n`);
  writeFileSync(join(tmp, 'config.txt'), '[all]\narm_64bit=1\n');
  sh('mcopy', ['-i', path, join(tmp, 'cmdline.txt'), join(tmp, 'config.txt'), '::/']);
  rmSync(tmp, { recursive: true });
}

export const CMDLINE_A = `console=tty3 root=${ROOT_OF.A} rauc.slot=A rootfstype=ext4 ro rootwait panic=10 quiet`;

function be32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

/** What a reboot does to mounts: those a killed process left under dir are gone. */
export function unmountUnder(dir: string): void {
  const points = readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[1] ?? '')
    .filter((p) => p.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
  for (const p of points) spawnSync('umount', ['-l', p]);
}

export function fakeBoard(t: { teardown(f: () => void): void }, opts: { bootMiB?: number; rootMiB?: number } = {}): FakeBoard {
  const dir = mkdtempSync('/var/tmp/anj26-board-');
  t.teardown(() => {
    unmountUnder(dir);
    rmSync(dir, { recursive: true, force: true });
  });
  const autobootDir = join(dir, 'p1');
  const dt = join(dir, 'device-tree/chosen/bootloader');
  const data = join(dir, 'data');
  const slotsDir = join(dir, 'slots');
  for (const d of [autobootDir, dt, data, slotsDir]) mkdirSync(d, { recursive: true });
  const autoboot = join(autobootDir, 'autoboot.txt');
  // As build-image.sh writes it: slot A persistent, B for a tryboot.
  writeFileSync(autoboot, '[all]\ntryboot_a_b=1\nboot_partition=2\n[tryboot]\nboot_partition=3\n');
  const slots = {
    A: { boot: join(slotsDir, 'boot-a.vfat'), root: join(slotsDir, 'root-a.ext4') },
    B: { boot: join(slotsDir, 'boot-b.vfat'), root: join(slotsDir, 'root-b.ext4') },
  };
  const bootMiB = opts.bootMiB ?? 8;
  const rootMiB = opts.rootMiB ?? 16;
  bootImage(slots.A.boot, CMDLINE_A, bootMiB);
  const rootTree = mkdtempSync(join(dir, 'root-'));
  writeFileSync(join(rootTree, 'release'), 'slot A as flashed\n');
  sh('mkfs.ext4', ['-q', '-F', '-L', 'ANJ-ROOT', '-d', rootTree, slots.A.root, `${rootMiB}M`]);
  // Slot B as a new card has it: nothing written yet.
  sh('truncate', ['-s', `${bootMiB}M`, slots.B.boot]);
  sh('truncate', ['-s', `${rootMiB}M`, slots.B.root]);

  const flag = join(dir, 'run/anjungan-update/tryboot');
  const stateFile = join(data, 'rauc/anjungan-boot-state');
  const overrides: Record<string, string> = {
    AUTOBOOT: autoboot,
    BOOTLOADER_DT: dt,
    TRYBOOT_FLAG: flag,
    STATE_FILE: stateFile,
    SLOT_A_BOOT: slots.A.boot,
    SLOT_B_BOOT: slots.B.boot,
  };
  const template = readFileSync(join(REPO, 'image/rauc/anjungan-boot.conf'), 'utf8');
  const conf = join(dir, 'anjungan-boot.conf');
  writeFileSync(
    conf,
    template.replace(/^([A-Z_]+)=.*$/gm, (line, key: string) => (overrides[key] !== undefined ? `${key}=${overrides[key]}` : line)),
  );
  const env = { ...process.env, ANJUNGAN_BOOT_CONF: conf };

  const autobootPartitions = () => {
    const text = readFileSync(autoboot, 'utf8');
    const all = /\[all\][^[]*?boot_partition=(\d+)/.exec(text);
    const tryboot = /\[tryboot\][^[]*?boot_partition=(\d+)/.exec(text);
    return { all: Number(all?.[1]), tryboot: Number(tryboot?.[1]) };
  };
  const slotOf = (partition: number): Slot =>
    partition === PARTITION.A
      ? 'A'
      : partition === PARTITION.B
        ? 'B'
        : (() => {
            throw new Error(`no slot on partition ${partition}`);
          })();
  const board: FakeBoard = {
    dir,
    conf,
    env,
    autoboot,
    flag,
    stateFile,
    data,
    slots,
    backend(...args) {
      const r = spawnSync(BACKEND, args, { encoding: 'utf8', env });
      return { code: r.status ?? -1, stdout: r.stdout.trim(), stderr: r.stderr.trim() };
    },
    boot() {
      const tryboot = existsSync(flag);
      const { all, tryboot: other } = autobootPartitions();
      const partition = tryboot ? other : all;
      unmountUnder(dir);
      rmSync(join(dir, 'run'), { recursive: true, force: true });
      writeFileSync(join(dt, 'partition'), be32(partition));
      writeFileSync(join(dt, 'tryboot'), be32(tryboot ? 1 : 0));
      return { slot: slotOf(partition), tryboot };
    },
    powerCut() {
      unmountUnder(dir);
      rmSync(join(dir, 'run'), { recursive: true, force: true });
    },
    booted() {
      return {
        slot: slotOf(readFileSync(join(dt, 'partition')).readUInt32BE()),
        tryboot: readFileSync(join(dt, 'tryboot')).readUInt32BE() === 1,
      };
    },
    autobootPartitions,
    cmdline(slot) {
      return sh('mtype', ['-i', slots[slot].boot, '::cmdline.txt']).trim();
    },
    digest(path) {
      return createHash('sha256').update(readFileSync(path)).digest('hex');
    },
  };
  board.boot();
  return board;
}
