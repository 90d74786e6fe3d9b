/** The daemon's unit against systemd's own exposure score (offline, as the unit file is shipped). */
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** systemd-analyze's "OK" band ends at 2.5 (its --threshold= is on a ×10 scale). */
const EXPOSURE_TARGET = 2.5;

t.test('anjungan.service scores at or below the exposure target', async (t) => {
  const out = execFileSync('systemd-analyze', ['security', '--offline=yes', '--json=short', 'systemd/anjungan.service'], {
    encoding: 'utf8',
  });
  const checks = JSON.parse(out) as Array<{ name: string; set: boolean; exposure: string | null }>;
  t.ok(checks.length > 40, 'systemd-analyze reported its checks');
  // Each check's share of the overall exposure, rounded to 0.1; their sum is the overall level
  // up to that rounding (systemd 252's JSON has no overall figure).
  const open = checks.filter((c) => Number(c.exposure ?? 0) > 0);
  const exposure = open.reduce((sum, c) => sum + Number(c.exposure), 0);
  t.comment(`exposure ≈ ${exposure.toFixed(1)} from: ${open.map((c) => `${c.name} ${c.exposure}`).join(', ')}`);
  t.ok(exposure <= EXPOSURE_TARGET, `exposure ${exposure.toFixed(1)} ≤ ${EXPOSURE_TARGET}`);
  // The exact overall level against the target through systemd-analyze's own threshold (exit 1 above it).
  execFileSync('systemd-analyze', ['security', '--offline=yes', `--threshold=${EXPOSURE_TARGET * 10}`, 'systemd/anjungan.service'], {
    stdio: 'ignore',
  });
  for (const name of [
    'NoNewPrivileges=',
    'ProtectSystem=',
    'PrivateTmp=',
    'ProtectHome=',
    'RestrictAddressFamilies=~…',
    'SystemCallFilter=~@privileged',
  ]) {
    const c = checks.find((x) => x.name === name);
    t.equal(c?.exposure ?? 0, 0, `${name} is set`);
  }
});

t.test('the unit starts the daemon with the Node flags the edge tests run it with', async (t) => {
  // test/support/kiosk-process.ts starts the daemon as `npm start` does; the memory the edge
  // tests measure (a bad frame under the 48 MB heap cap) holds on a device only with these flags.
  const unit = readFileSync('systemd/anjungan.service', 'utf8');
  const exec = unit.match(/^ExecStart=(.*)$/m)![1]!.split(/\s+/);
  const start = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start.split(/\s+/);
  const flags = (argv: string[]) => argv.filter((a) => a.startsWith('--'));
  t.same(flags(exec), flags(start));
  t.notOk(exec.includes('--enable-source-maps'), 'no source maps at run time');
});

t.test('a kiosk not yet provisioned starts (out of service); a genuine crash loop stops at a start limit with an alert', async (t) => {
  const unit = readFileSync('systemd/anjungan.service', 'utf8');
  t.notMatch(unit, /^ConditionPathExists=/m, 'no condition keeps the daemon from starting: it shows what is missing instead');
  t.match(
    unit,
    /^Environment=.*\bANJUNGAN_MODE=production\b/m,
    'production whatever the file says, so a missing file is "not provisioned"',
  );
  t.match(unit, /^StartLimitIntervalSec=10min$/m);
  t.match(unit, /^StartLimitBurst=6$/m);
  t.match(unit, /^OnFailure=anjungan-crash-alert\.service$/m);
  const alert = readFileSync('systemd/anjungan-crash-alert.service', 'utf8');
  t.match(alert, /\/var\/lib\/anjungan\/crash-loop/, 'the marker the daemon turns into a staff alert (device/main.ts)');
  t.match(alert, /restart anjungan-retry\.timer/, 'and another try later');
  t.notMatch(unit, /\/sys\/class\/gpio/, 'no sysfs GPIO: the character device through DeviceAllow');
});
