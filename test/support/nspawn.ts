/**
 * One boot of an appliance root tree under `systemd-nspawn -b`, as the booted tests use it: the
 * container's console kept, its init found, commands run inside through its namespaces, and the
 * container killed at the test's end if it is still running.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface BootedTree {
  nspawn: ChildProcess;
  /** The container's PID 1 (its systemd), as seen from the host. */
  leader: string;
  /** Settles with nspawn's exit code when the container stops. */
  exited: Promise<number | null>;
  /** nspawn's exit code once the container stops, or 'still running' after `ms` (no timer is left behind). */
  exitWithin(ms: number): Promise<number | null | 'still running'>;
  /** Everything the container printed on its console so far. */
  log(): string;
  /** Runs a command inside the container; its trimmed stdout. Rejects when it fails. */
  inside(...cmd: string[]): Promise<string>;
  /** Runs a command inside the container and gives its exit code and output, whatever they are. */
  attempt(...cmd: string[]): Promise<{ code: number; out: string }>;
  /** `systemctl show` of a unit's properties, as an object. */
  show(unit: string, ...props: string[]): Promise<Record<string, string>>;
  /** A request from the container's own network namespace (the daemon listens on its loopback). */
  request(path: string, init?: { method: string; body: unknown }): Promise<{ status?: number; body?: unknown; error?: string }>;
}

interface Teardown {
  teardown(fn: () => unknown): void;
}

/**
 * Boots `tree` with nspawn's `options` (binds, network, read-only …) on top of what every booted
 * test shares: quiet, booted to multi-user.target, not registered with machined, the console on
 * a pipe.
 */
export async function bootTree(t: Teardown, tree: string, options: string[], initTimeoutMs = 60_000): Promise<BootedTree> {
  const nspawn = spawn(
    'systemd-nspawn',
    ['-q', '-b', '-D', tree, ...options, '--register=no', '--keep-unit', '--console=pipe', 'systemd.unit=multi-user.target'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let consoleLog = '';
  nspawn.stdout!.on('data', (d) => (consoleLog += String(d)));
  nspawn.stderr!.on('data', (d) => (consoleLog += String(d)));
  const exited = new Promise<number | null>((resolve) => nspawn.on('exit', (code) => resolve(code)));
  t.teardown(async () => {
    if (nspawn.exitCode === null && nspawn.signalCode === null) {
      nspawn.kill('SIGKILL');
      await exited;
    }
  });
  // The container's PID 1 is nspawn's child.
  const leader = await poll(
    async () => {
      const pid = execFileSync('ps', ['-o', 'pid=', '--ppid', String(nspawn.pid)], { encoding: 'utf8' })
        .trim()
        .split(/\s+/)[0];
      return pid && readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'systemd' ? pid : null;
    },
    'the container init',
    initTimeoutMs,
  ).catch((e: Error) => {
    throw new Error(`${e.message}; the console said:\n${consoleLog.slice(-3000)}`);
  });
  // Commands inside run without tap's NODE_OPTIONS (its loaders are host paths): tap puts it back
  // into every child's environment, so the container's own env(1) drops it.
  const within = (cmd: string[]) => ['--target', leader, '--all', '/usr/bin/env', '-u', 'NODE_OPTIONS', ...cmd];
  const inside = async (...cmd: string[]) => (await run('nsenter', within(cmd), { encoding: 'utf8' })).stdout.trim();
  const attempt = (...cmd: string[]) =>
    run('nsenter', within(cmd), { encoding: 'utf8' }).then(
      (r) => ({ code: 0, out: `${r.stdout}${r.stderr}` }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: `${e.stdout}${e.stderr}` }),
    );
  const show = async (unit: string, ...props: string[]) => {
    const out = await inside('systemctl', 'show', unit, ...props.flatMap((p) => ['-p', p]));
    return Object.fromEntries(out.split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  };
  const request = async (path: string, init?: { method: string; body: unknown }) => {
    const options = init
      ? `{ method: ${JSON.stringify(init.method)}, headers: { 'content-type': 'application/json' }, body: ${JSON.stringify(JSON.stringify(init.body))} }`
      : '{}';
    const script = `fetch('http://127.0.0.1:8080${path}', ${options}).then(async (r) => { const text = await r.text(); let body; try { body = JSON.parse(text); } catch { body = text; } console.log(JSON.stringify({ status: r.status, body })); }, (e) => console.log(JSON.stringify({ error: String(e.cause?.code ?? e) })))`;
    const out = (await run('nsenter', ['--target', leader, '--net', process.execPath, '-e', script], { encoding: 'utf8' })).stdout;
    return JSON.parse(out) as { status?: number; body?: unknown; error?: string };
  };
  const exitWithin = async (ms: number) => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'still running'>((resolve) => (timer = setTimeout(() => resolve('still running'), ms)));
    try {
      return await Promise.race([exited, late]);
    } finally {
      clearTimeout(timer);
    }
  };
  return { nspawn, leader, exited, exitWithin, log: () => consoleLog, inside, attempt, show, request };
}

/**
 * Polls `probe` every 250 ms until it gives something other than null or false; a probe that
 * throws counts as not there yet (the container is still starting what it asks about).
 */
export async function poll<T>(probe: () => Promise<T | null | false>, what: string, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      const v = await probe();
      if (v !== null && v !== false) return v;
    } catch {
      // not there yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
