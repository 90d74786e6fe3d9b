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
  t.ok(
    p.some((m) => m.startsWith('/fingerprint is required')),
    'the fingerprint section is required',
  );
  t.ok(
    p.some((m) => m.startsWith('/gpio is required')),
    'the gpio section is required',
  );
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
  t.ok(
    problems({ fingerprint: { driver: 'libfprint', helperPath: 'relative/helper' }, gpio: { driver: 'none' } }).some((m) =>
      m.startsWith('/fingerprint/helperPath'),
    ),
  );
  t.ok(
    problems({ fingerprint: { driver: 'vendor-sdk', helperPath: '/x' }, gpio: { driver: 'none' } }).some((m) =>
      m.startsWith('/fingerprint/driver'),
    ),
  );
  t.ok(
    problems({ fingerprint: { driver: 'libfprint', helperPath: '/x', device: { index: -1 } }, gpio: { driver: 'none' } }).some((m) =>
      m.startsWith('/fingerprint/device/index'),
    ),
  );
  t.ok(
    problems({ fingerprint: { driver: 'libfprint', helperPath: '/x' }, gpio: { driver: 'sysfs' } }).some((m) =>
      m.startsWith('/gpio/driver'),
    ),
  );
});

t.test('the fingerprint section carries the sensor table overrides, the minutiae source and the operating point', async (t) => {
  const config = load({
    fingerprint: {
      driver: 'libfprint',
      helperPath: '/usr/lib/anjungan/anjungan-fprint-capture',
      sensors: { egis0570: { nativeDpi: 500, enlargement: 2 } },
      minutiae: 'own',
      threshold: { score: 9.5, fmr: 0.001 },
    },
    gpio: { driver: 'none' },
  });
  t.same(config.fingerprint?.sensors, { egis0570: { nativeDpi: 500, enlargement: 2 } });
  t.equal(config.fingerprint?.minutiae, 'own');
  t.same(config.fingerprint?.threshold, { score: 9.5, fmr: 0.001 });
  const fp = (extra: object) => ({ fingerprint: { driver: 'libfprint', helperPath: '/x', ...extra }, gpio: { driver: 'none' } });
  t.ok(
    problems(fp({ sensors: { uru4000: { nativeDpi: 500, enlargement: 9 } } })).some((m) => m.startsWith('/fingerprint/sensors')),
    'an enlargement no driver makes',
  );
  t.ok(
    problems(fp({ sensors: { 'Bad Name': { nativeDpi: 500, enlargement: 1 } } })).some((m) => m.startsWith('/fingerprint/sensors')),
    'a driver name libfprint would not use',
  );
  t.ok(
    problems(fp({ minutiae: 'vendor' })).some((m) => m.startsWith('/fingerprint/minutiae')),
    'an unknown minutiae source',
  );
  t.ok(
    problems(fp({ threshold: { score: 9.5 } })).some((m) => m.startsWith('/fingerprint/threshold')),
    'a threshold without the FMR it was set for',
  );
  t.ok(
    problems(fp({ threshold: { score: 0, fmr: 0.001 } })).some((m) => m.startsWith('/fingerprint/threshold/score')),
    'a threshold that matches anything',
  );
});
