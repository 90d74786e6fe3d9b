/**
 * The real kiosk as a child process (as `npm start` runs it) in demo mode with its own state
 * folder and a free port; ready when it logs `"msg":"ready"` with the port. Keeps everything it
 * printed so tests can check the logs too.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, rmdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface KioskExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface KioskProcess {
  url: string;
  pid: number;
  stateDir: string;
  /** How long from spawn to the ready line. */
  bootMs: number;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /**
   * Stops the process (SIGTERM, then SIGKILL after 5 s) and keeps its state folder; resolves how
   * it ended (signal 'SIGKILL': it did not exit by itself).
   */
  halt(): Promise<KioskExit>;
  /** Stops the process and removes its state folder. */
  stop(): Promise<void>;
}

const SOURCES = ['device', 'ui', 'build.mjs', 'package-lock.json'];
const OUTPUTS = [
  'dist/device/main.cjs',
  'dist/appliance/main.cjs',
  'dist/ui/main.js',
  'dist/ui/index.html',
  'dist/ui/dashboard/main.js',
  'dist/ui/dashboard/index.html',
];

/** The kiosk is started as `npm start` starts it: the same Node flags (its heap cap among them). */
const START_ARGS = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start.split(/\s+/).slice(1);
const BUILD_LOCK = 'dist/.e2e-build.lock';

async function newestMtime(path: string): Promise<number> {
  const s = await stat(path);
  if (!s.isDirectory()) return s.mtimeMs;
  const entries = await readdir(path);
  return Math.max(s.mtimeMs, ...(await Promise.all(entries.map((e) => newestMtime(join(path, e))))));
}

async function builtIsFresh(): Promise<boolean> {
  try {
    const built = Math.min(...(await Promise.all(OUTPUTS.map(async (o) => (await stat(o)).mtimeMs))));
    const source = Math.max(...(await Promise.all(SOURCES.map(newestMtime))));
    return built >= source;
  } catch {
    return false;
  }
}

/**
 * Bundles daemon and UI as `make build` does, unless dist/ is already newer than every source
 * (make test builds first). Test files run in parallel: a lock folder keeps two of them from
 * rewriting dist/ under each other's running kiosk.
 */
export async function buildKiosk(): Promise<void> {
  await mkdir('dist', { recursive: true });
  for (let waited = 0; ; waited += 100) {
    try {
      await mkdir(BUILD_LOCK);
      break;
    } catch {
      if (waited > 120_000) throw new Error(`${BUILD_LOCK} held for 2 minutes; remove it if no build runs`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    if (!(await builtIsFresh())) await promisify(execFile)(process.execPath, ['build.mjs'], { cwd: process.cwd() });
  } finally {
    await rmdir(BUILD_LOCK);
  }
}

export interface SpawnOptions {
  /** A command the daemon's command line is handed to, which must exec it in place (a CPU limit: test/support/pi-class-cpu.ts). */
  prefix?: string[];
  /** Where the state folder is made (the system's temporary folder by default). */
  stateRoot?: string;
  /** A state folder to start with instead of a fresh one (an earlier start's); `stop` leaves it. */
  stateDir?: string;
}

export async function spawnKiosk(env: Record<string, string> = {}, options: SpawnOptions = {}): Promise<KioskProcess> {
  const stateDir = options.stateDir ?? (await mkdtemp(join(options.stateRoot ?? tmpdir(), 'anjungan-e2e-state-')));
  const spawnedAt = performance.now();
  // tap instruments child processes through NODE_OPTIONS, source maps on among other things;
  // `env -u` drops it (and execs node in place, so the pid is the daemon's) to run the daemon
  // as production does.
  const argv = ['/usr/bin/env', '-u', 'NODE_OPTIONS', process.execPath, ...START_ARGS];
  const [command, ...args] = [...(options.prefix ?? []), ...argv] as [string, ...string[]];
  const child: ChildProcess = spawn(command, args, {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      ANJUNGAN_MODE: 'demo',
      ANJUNGAN_STATE_DIR: stateDir,
      ANJUNGAN_PORT: '0',
      ANJUNGAN_IDLE_TIMEOUT_S: '60',
      // Reproducible touches of the simulated sensor (device/sim/devices.ts).
      ANJUNGAN_SIM_FINGER_SEED: 'anjungan-tests',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<KioskExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  const port = await new Promise<number>((resolve, reject) => {
    let pending = '';
    const timer = setTimeout(() => reject(new Error('kiosk did not log ready within 30 s')), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      pending += d.toString();
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        try {
          const entry = JSON.parse(line) as { msg?: string; port?: number };
          if (entry.msg === 'ready' && typeof entry.port === 'number') {
            clearTimeout(timer);
            resolve(entry.port);
          }
        } catch {
          // not a log line; kept in the output all the same
        }
      }
    });
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`kiosk exited (${code}) before ready:\n${out.slice(-2000)}`));
    });
  });

  const bootMs = performance.now() - spawnedAt;
  const halt = async (): Promise<KioskExit> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      const how = await exited;
      clearTimeout(killer);
      return how;
    }
    return exited;
  };
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    stateDir,
    bootMs,
    output: () => out,
    halt,
    stop: async () => {
      await halt();
      if (!options.stateDir) await rm(stateDir, { recursive: true, force: true });
    },
  };
}
