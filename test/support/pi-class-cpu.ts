/**
 * A Pi-class CPU for the boot bench (#25): a command prefix that runs the daemon with 30 % of one
 * of this machine's cores.
 * - Where the cgroup tree is writable (root): a CPU-quota cgroup, v2 (`cpu.max`) or v1
 *   (`cpu.cfs_quota_us`), 30 ms in every 100 ms. Its weight is raised, so that other work on this
 *   machine does not hold it below its quota: the quota is the limit being modelled.
 * - Elsewhere: `taskset` pins the daemon to CPU 0 beside a busy neighbour pinned there too, the
 *   daemon at nice 4, which the scheduler weighs 423 against the neighbour's 1024 (29 %); the
 *   share is measured once with a probe and reported.
 * `ANJUNGAN_BENCH_PI_CLASS=taskset` chooses the second where both would work.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PiClassCpu {
  /** How the limit is made, for the bench's report. */
  how: string;
  /** Command and arguments the daemon's command line goes after (each execs the next in place). */
  prefix: string[];
  close(): void;
}

const PERIOD_US = 100_000;
const QUOTA_US = 30_000;

/** Moves the shell into the cgroup, then execs the daemon's command line. */
const intoCgroup = (dir: string) => ['/bin/sh', '-c', 'echo $$ > "$0" && exec "$@"', join(dir, 'cgroup.procs')];

function cgroupV2(): PiClassCpu | null {
  const root = '/sys/fs/cgroup';
  if (!existsSync(join(root, 'cgroup.controllers'))) return null;
  if (!readFileSync(join(root, 'cgroup.controllers'), 'utf8').split(/\s+/).includes('cpu')) return null;
  const dir = join(root, `anjungan-bench-${process.pid}`);
  try {
    writeFileSync(join(root, 'cgroup.subtree_control'), '+cpu');
    mkdirSync(dir);
    writeFileSync(join(dir, 'cpu.max'), `${QUOTA_US} ${PERIOD_US}`);
    writeFileSync(join(dir, 'cpu.weight'), '10000');
  } catch {
    try {
      rmdirSync(dir);
    } catch {
      // never made
    }
    return null;
  }
  return { how: 'cgroup v2 cpu.max 30000/100000', prefix: intoCgroup(dir), close: () => rmdirSync(dir) };
}

function cgroupV1(): PiClassCpu | null {
  const root = ['/sys/fs/cgroup/cpu', '/sys/fs/cgroup/cpu,cpuacct'].find((d) => existsSync(join(d, 'cpu.cfs_quota_us')));
  if (!root) return null;
  const dir = join(root, `anjungan-bench-${process.pid}`);
  try {
    mkdirSync(dir);
    writeFileSync(join(dir, 'cpu.cfs_period_us'), String(PERIOD_US));
    writeFileSync(join(dir, 'cpu.cfs_quota_us'), String(QUOTA_US));
    writeFileSync(join(dir, 'cpu.shares'), '10240');
  } catch {
    try {
      rmdirSync(dir);
    } catch {
      // never made
    }
    return null;
  }
  return { how: 'cgroup v1 cpu.cfs_quota_us 30000/100000', prefix: intoCgroup(dir), close: () => rmdirSync(dir) };
}

/** The share of CPU 0 a nice-4 process gets beside the neighbour, measured over one second. */
function probeShare(prefix: string[]): number {
  const probe =
    'const w=Date.now();while(Date.now()-w<1000);const u=process.cpuUsage();process.stdout.write(String((u.user+u.system)/1e6))';
  const [command, ...args] = [...prefix, process.execPath, '-e', probe];
  return Number(spawnSync(command!, args, { encoding: 'utf8' }).stdout);
}

function tasksetNeighbour(): PiClassCpu {
  const neighbour: ChildProcess = spawn('taskset', ['-c', '0', process.execPath, '-e', 'for (;;);'], { stdio: 'ignore' });
  const prefix = ['taskset', '-c', '0', 'nice', '-n', '4'];
  const share = probeShare(prefix);
  return {
    how: `taskset CPU 0, nice 4 beside a busy neighbour (measured share ${Math.round(share * 100)} %)`,
    prefix,
    close: () => neighbour.kill('SIGKILL'),
  };
}

export function piClassCpu(): PiClassCpu {
  if (process.env.ANJUNGAN_BENCH_PI_CLASS !== 'taskset') {
    const cgroup = cgroupV2() ?? cgroupV1();
    if (cgroup) return cgroup;
  }
  return tasksetNeighbour();
}
