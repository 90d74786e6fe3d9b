/**
 * The daemon's policy for an error nothing caught: log the error's name only and exit non-zero,
 * so systemd restarts a clean process instead of a limping one.
 */
import t from 'tap';
import { spawnSync } from 'node:child_process';

function crash(how: string) {
  const script = `
    import { installCrashPolicy } from './device/crash-policy.ts';
    import { createLogger } from './device/log.ts';
    installCrashPolicy(createLogger({ level: 'info' }));
    setInterval(() => undefined, 1000);
    ${how}
  `;
  return spawnSync(process.execPath, ['--import=tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
}

for (const [what, how] of [
  ['uncaughtException', "setTimeout(() => { throw new RangeError('secret 3313091203880005'); }, 10);"],
  ['unhandledRejection', "Promise.reject(new TypeError('secret 3313091203880005'));"],
] as const) {
  t.test(`${what}: logged by name, then the process exits`, async (t) => {
    const r = crash(how);
    t.equal(r.status, 70, 'exits with a failure status for systemd to restart');
    const line = JSON.parse(r.stdout.trim().split('\n').pop()!) as { event: string; err: { name: string } };
    t.equal(line.event, what);
    t.equal(line.err.name, what === 'uncaughtException' ? 'RangeError' : 'TypeError');
    t.notMatch(r.stdout + r.stderr, /secret|3313091203880005|\n\s+at /, 'neither the message nor a stack is written');
  });
}
