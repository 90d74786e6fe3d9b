/** The daemon's unit against systemd's own exposure score (offline, as the unit file is shipped). */
import t from 'tap';
import { execFileSync } from 'node:child_process';

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
