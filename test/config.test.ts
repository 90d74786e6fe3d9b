/**
 * The configuration: demo defaults, a JSON file over them, environment overrides, and a clear
 * list of problems for anything invalid (the daemon then refuses to start).
 */
import t, { type Test } from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, demoDefaults, loadConfig } from '../device/config.ts';
import { makeTestTls } from './support/test-tls.ts';

const today = new Date('2026-11-27T03:00:00Z');

function configFile(t: Test, content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'anj10-config-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'config.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

function problemsOf(f: () => unknown): string[] {
  try {
    f();
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

t.test('without a file the demo defaults apply, with an agreement in force around today', async (t) => {
  const c = loadConfig({}, today);
  t.same(c, demoDefaults(today));
  t.equal(c.mode, 'demo');
  t.equal(c.http.host, '127.0.0.1', 'loopback by default');
  t.ok(c.agreement.start < '2026-11-27' && c.agreement.end > '2026-11-27');
});

t.test('a file is merged over the defaults section by section; the environment overrides both', async (t) => {
  const path = configFile(t, { session: { idleTimeoutS: 90 }, uplink: { dailyQuota: 500 } });
  const c = loadConfig({ ANJUNGAN_CONFIG: path, ANJUNGAN_PORT: '9090', ANJUNGAN_DAILY_QUOTA: '700', ANJUNGAN_LOG_LEVEL: '' }, today);
  t.equal(c.session.idleTimeoutS, 90);
  t.equal(c.session.idleWarningS, 20, 'the rest of the section keeps its default');
  t.equal(c.uplink.dailyQuota, 700, 'environment over file');
  t.equal(c.http.port, 9090);
  t.equal(c.logLevel, 'info', 'an empty variable is no override');
});

t.test('invalid values are listed by path, all at once', async (t) => {
  const path = configFile(t, { session: { idleWarningS: 5 }, card: { transmitTimeoutMs: 10 }, unknownKey: true });
  const problems = problemsOf(() => loadConfig({ ANJUNGAN_CONFIG: path, ANJUNGAN_MODE: 'kiosk' }, today));
  t.ok(
    problems.some((p) => p.startsWith('/session/idleWarningS')),
    'a warning shorter than 20 s',
  );
  t.ok(problems.some((p) => p.startsWith('/card/transmitTimeoutMs')));
  t.ok(
    problems.some((p) => p.startsWith('/mode')),
    'an unknown mode',
  );
  t.ok(problems.length >= 4, 'the unknown key too');
});

t.test('a file that is not JSON, or not an object, is refused', async (t) => {
  t.match(
    problemsOf(() => loadConfig({ ANJUNGAN_CONFIG: configFile(t, '{ not json') }, today)),
    [/cannot read .* as JSON/],
  );
  t.match(
    problemsOf(() => loadConfig({ ANJUNGAN_CONFIG: configFile(t, '[1, 2]') }, today)),
    [/must hold a JSON object/],
  );
  t.match(
    problemsOf(() => loadConfig({ ANJUNGAN_CONFIG: '/nonexistent/anj10.json' }, today)),
    [/cannot read/],
  );
});

t.test('production needs the file, an https uplink with its CA file, the issuer key, a sensor and a gpio choice', async (t) => {
  t.match(
    problemsOf(() => loadConfig({ ANJUNGAN_MODE: 'production' }, today)),
    [
      'production needs ANJUNGAN_CONFIG',
      '/uplink/baseUrl is required in production',
      '/uplink/caFile is required in production',
      '/card/issuerPublicKeyFile is required in production',
    ],
  );
  const plain = configFile(t, { mode: 'production', uplink: { baseUrl: 'http://10.0.0.1:8000' } });
  t.ok(
    problemsOf(() => loadConfig({ ANJUNGAN_CONFIG: plain }, today)).some((p) => p.startsWith('/uplink/baseUrl')),
    'no plain http',
  );
  const complete = configFile(t, {
    mode: 'production',
    stateDir: '/var/lib/anjungan',
    uplink: { baseUrl: 'https://dukcapil.test:8443', caFile: '/etc/anjungan/ca.pem' },
    card: { issuerPublicKeyFile: '/etc/anjungan/issuer.pem' },
    fingerprint: { driver: 'libfprint', helperPath: '/usr/lib/anjungan/anjungan-fprint-capture' },
    gpio: { driver: 'none' },
  });
  t.equal(loadConfig({ ANJUNGAN_CONFIG: complete }, today).mode, 'production');
});

t.test('an NPWPD pattern that is not a regular expression is refused', async (t) => {
  t.match(
    problemsOf(() => loadConfig({ ANJUNGAN_CONFIG: configFile(t, { npwpdPattern: '^P[' }) }, today)),
    ['/npwpdPattern is not a regular expression'],
  );
});

t.test('data balikan delivery is optional; in production it needs an https URL and a CA file, with bounded batches', async (t) => {
  t.equal(loadConfig({}, today).returnData, undefined, 'no delivery by default: the site may upload files instead');
  const production = {
    mode: 'production',
    uplink: { baseUrl: 'https://dukcapil.test:8443', caFile: '/etc/anjungan/ca.pem' },
    card: { issuerPublicKeyFile: '/etc/anjungan/issuer.pem' },
    fingerprint: { driver: 'libfprint', helperPath: '/usr/lib/anjungan/anjungan-fprint-capture' },
    gpio: { driver: 'none' },
  };
  const withoutCa = configFile(t, { ...production, returnData: { delivery: { url: 'https://10.0.0.9:8443/x' } } });
  t.same(
    problemsOf(() => loadConfig({ ANJUNGAN_CONFIG: withoutCa }, today)),
    ['/returnData/delivery needs url and caFile in production'],
  );
  const plain = configFile(t, {
    ...production,
    returnData: { delivery: { url: 'http://10.0.0.9/x', caFile: '/etc/ca.pem', batchSize: 1000 } },
  });
  const problems = problemsOf(() => loadConfig({ ANJUNGAN_CONFIG: plain }, today));
  t.ok(
    problems.some((p) => p.startsWith('/returnData/delivery/url')),
    'no plain http',
  );
  t.ok(
    problems.some((p) => p.startsWith('/returnData/delivery/batchSize')),
    'batch size bounded',
  );
  const complete = configFile(t, {
    ...production,
    returnData: { delivery: { url: 'https://10.0.0.9:8443/x', caFile: '/etc/ca.pem' }, retentionDays: 14 },
  });
  t.match(loadConfig({ ANJUNGAN_CONFIG: complete }, today).returnData, { retentionDays: 14, delivery: { url: 'https://10.0.0.9:8443/x' } });
});

t.test('the staff LAN listener: off by default; enabled only with a readable certificate and its key', async (t) => {
  t.equal(loadConfig({}, today).staffLan, undefined, 'no LAN listener unless configured');
  const tls = makeTestTls(t);
  const lan = (over: Record<string, unknown> = {}) => ({
    staffLan: { enabled: true, host: '192.0.2.10', port: 8443, certFile: tls.certFile, keyFile: tls.keyFile, ...over },
  });
  const env = (content: unknown) => ({ ANJUNGAN_CONFIG: configFile(t, content) });
  t.same(loadConfig(env(lan()), today).staffLan?.port, 8443, 'a valid pair loads');
  t.same(
    problemsOf(() => loadConfig(env(lan({ certFile: join(tls.dir, 'absent.pem') })), today)),
    [`/staffLan/certFile ${join(tls.dir, 'absent.pem')} cannot be read`],
  );
  t.same(
    problemsOf(() => loadConfig(env(lan({ keyFile: join(tls.dir, 'absent.key') })), today)),
    [`/staffLan/keyFile ${join(tls.dir, 'absent.key')} cannot be read`],
  );
  t.same(
    problemsOf(() => loadConfig(env(lan({ keyFile: tls.otherKeyFile })), today)),
    ['/staffLan/keyFile is not the key of /staffLan/certFile'],
  );
  t.same(
    problemsOf(() => loadConfig(env(lan({ certFile: tls.keyFile })), today)),
    ['/staffLan/certFile is not a PEM certificate'],
  );
  t.match(
    problemsOf(() => loadConfig(env(lan()), new Date(Date.now() + 5 * 86_400_000))),
    [/^\/staffLan\/certFile expired on /],
  );
  t.match(
    problemsOf(() => loadConfig(env(lan({ certFile: undefined })), today)),
    [/\/staffLan/],
    'no certificate configured at all',
  );
  t.same(
    loadConfig(env(lan({ enabled: false, certFile: join(tls.dir, 'absent.pem') })), today).staffLan?.enabled,
    false,
    'a disabled listener needs no files',
  );
});

t.test('the kiosk listener binds loopback only: any other http.host is refused', async (t) => {
  for (const host of ['0.0.0.0', '::', '192.168.10.20', 'kiosk.kantor.example', '127.0.0.1.attacker.example']) {
    t.match(
      problemsOf(() => loadConfig({ ANJUNGAN_HOST: host }, today)),
      [/^\/http\/host must be a loopback address/],
      host,
    );
  }
  for (const host of ['127.0.0.1', '::1', 'localhost', '127.0.0.2'])
    t.same(
      problemsOf(() => loadConfig({ ANJUNGAN_HOST: host }, today)),
      [],
      host,
    );
});

t.test("Dukcapil's access hours: HH:MM in WIB, from before to, weekdays 1-7", async (t) => {
  const ok = configFile(t, { uplink: { accessHours: { from: '07:00', to: '16:00', weekdays: [1, 2, 3, 4, 5] } } });
  t.same(loadConfig({ ANJUNGAN_CONFIG: ok }, today).uplink.accessHours, { from: '07:00', to: '16:00', weekdays: [1, 2, 3, 4, 5] });
  t.match(
    problemsOf(() => loadConfig({ ANJUNGAN_CONFIG: configFile(t, { uplink: { accessHours: { from: '16:00', to: '07:00' } } }) }, today)),
    [/from must be before to/],
  );
  t.ok(
    problemsOf(() =>
      loadConfig({ ANJUNGAN_CONFIG: configFile(t, { uplink: { accessHours: { from: '07:00', to: '16:00', weekdays: [0] } } }) }, today),
    ).length > 0,
    'weekday 0 refused',
  );
});
