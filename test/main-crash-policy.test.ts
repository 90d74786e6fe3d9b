/**
 * The daemon's policy for an error nothing caught: log the error's name only and exit non-zero,
 * so systemd restarts a clean process instead of a limping one.
 */
import t from 'tap';
import { spawn } from 'node:child_process';

/** After the policy is in place the child must exit by itself; a live one after this is a failure. */
const EXIT_DEADLINE_MS = 30_000;

/**
 * Runs `how` in a child that imports the daemon's module (through tsx: as long as the machine's
 * load makes it; tap's own file timeout bounds that), installs the crash policy and says "armed";
 * from then on it has EXIT_DEADLINE_MS to exit by the policy, else it is killed and the test fails.
 */
function crash(how: string): Promise<{ status: number | null; stdout: string; stderr: string; killed: boolean }> {
  const script = `
    import { installCrashPolicy } from './device/crash-policy.ts';
    import { createLogger } from './device/log.ts';
    installCrashPolicy(createLogger({ level: 'info' }));
    setInterval(() => undefined, 1000);
    process.stderr.write('armed\\n');
    ${how}
  `;
  const child = spawn(process.execPath, ['--import=tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let killed = false;
  let deadline: ReturnType<typeof setTimeout> | undefined;
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (!deadline && stderr.includes('armed\n')) {
      deadline = setTimeout(() => {
        killed = true;
        child.kill('SIGKILL');
      }, EXIT_DEADLINE_MS);
    }
  });
  return new Promise((resolve) =>
    child.once('close', (status) => {
      clearTimeout(deadline);
      resolve({ status, stdout, stderr: stderr.replace('armed\n', ''), killed });
    }),
  );
}

for (const [what, how] of [
  ['uncaughtException', "setTimeout(() => { throw new RangeError('secret 3313091203880005'); }, 10);"],
  ['unhandledRejection', "Promise.reject(new TypeError('secret 3313091203880005'));"],
] as const) {
  t.test(`${what}: logged by name, then the process exits`, async (t) => {
    const r = await crash(how);
    t.notOk(r.killed, 'the process exited by itself');
    t.equal(r.status, 70, 'exits with a failure status for systemd to restart');
    const line = JSON.parse(r.stdout.trim().split('\n').pop()!) as { event: string; err: { name: string } };
    t.equal(line.event, what);
    t.equal(line.err.name, what === 'uncaughtException' ? 'RangeError' : 'TypeError');
    t.notMatch(r.stdout + r.stderr, /secret|3313091203880005|\n\s+at /, 'neither the message nor a stack is written');
  });
}
