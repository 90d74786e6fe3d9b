/**
 * The real kiosk as a child process (`node dist/device/main.js`) in demo mode with its own state
 * folder and a free port; ready when it logs `"msg":"ready"` with the port. Keeps everything it
 * printed so tests can check the logs too.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface KioskProcess {
  url: string;
  stateDir: string;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  stop(): Promise<void>;
}

/** Bundles daemon and UI as `make build` does. */
export async function buildKiosk(): Promise<void> {
  await promisify(execFile)(process.execPath, ['build.mjs'], { cwd: process.cwd() });
}

export async function startKiosk(env: Record<string, string> = {}): Promise<KioskProcess> {
  const stateDir = await mkdtemp(join(tmpdir(), 'anjungan-e2e-state-'));
  const child: ChildProcess = spawn(process.execPath, ['dist/device/main.js'], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      ANJUNGAN_MODE: 'demo',
      ANJUNGAN_STATE_DIR: stateDir,
      ANJUNGAN_PORT: '0',
      ANJUNGAN_IDLE_TIMEOUT_S: '60',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

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
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`kiosk exited (${code}) before ready:\n${out.slice(-2000)}`));
    });
  });

  return {
    url: `http://127.0.0.1:${port}`,
    stateDir,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(killer);
      }
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}
