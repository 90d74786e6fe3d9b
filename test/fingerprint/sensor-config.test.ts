/**
 * Production's fingerprint and GPIO configuration: both must be stated; a helper path that is not
 * absolute or an unknown driver is refused at start with the problem named.
 */
import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../device/config.ts';

const dir = mkdtempSync(join(tmpdir(), 'anj12-config-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

const base = {
  mode: 'production',
  uplink: { baseUrl: 'https://dukcapil.example.invalid', caFile: '/etc/anjungan/ca.pem' },
  card: { issuerPublicKeyFile: '/etc/anjungan/issuer.pem' },
};

function load(extra: object): ReturnType<typeof loadConfig> {
  const file = join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify({ ...base, ...extra }));
  return loadConfig({ ANJUNGAN_CONFIG: file }, new Date());
}

function problems(extra: object): string[] {
  try {
    load(extra);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
}

t.test('production names its sensor and its GPIO', async (t) => {
  const p = problems({});
  t.ok(p.some((m) => m.startsWith('/fingerprint is required')), 'the fingerprint section is required');
  t.ok(p.some((m) => m.startsWith('/gpio is required')), 'the gpio section is required');
});

t.test('a complete production config loads with the libfprint sensor and GPIO off', async (t) => {
  const config = load({
    fingerprint: { driver: 'libfprint', helperPath: '/usr/lib/anjungan/anjungan-fprint-capture', device: { driver: 'uru4000', index: 0 } },
    gpio: { driver: 'none' },
  });
  t.equal(config.fingerprint?.device?.driver, 'uru4000');
  t.equal(config.gpio?.driver, 'none');
});

t.test('bad sensor settings are refused, each named', async (t) => {
  t.ok(problems({ fingerprint: { driver: 'libfprint', helperPath: 'relative/helper' }, gpio: { driver: 'none' } }).some((m) => m.startsWith('/fingerprint/helperPath')));
  t.ok(problems({ fingerprint: { driver: 'vendor-sdk', helperPath: '/x' }, gpio: { driver: 'none' } }).some((m) => m.startsWith('/fingerprint/driver')));
  t.ok(problems({ fingerprint: { driver: 'libfprint', helperPath: '/x', device: { index: -1 } }, gpio: { driver: 'none' } }).some((m) => m.startsWith('/fingerprint/device/index')));
  t.ok(problems({ fingerprint: { driver: 'libfprint', helperPath: '/x' }, gpio: { driver: 'sysfs' } }).some((m) => m.startsWith('/gpio/driver')));
});
