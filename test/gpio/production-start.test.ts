/**
 * Production and the panel: without a `gpio` section the daemon refuses to start and says what
 * to write; `driver: "none"` is accepted and logged; `driver: "gpiod"` needs its lines, the GPIO
 * helper and a machine with GPIO. Config checks run on loadConfig, the start on the real daemon process.
 */
import t, { type Test } from 'tap';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../device/config.ts';
import { openPanelGpio } from '../../device/gpio/open.ts';
import { GpioUnavailableError } from '../../device/gpio/chardev-gpio.ts';
import { hashStaffPin, newKey, writeCredentials } from '../../device/store/credentials.ts';
import { capturingLogger } from '../support/logger.ts';

const today = new Date('2026-12-01T03:00:00Z');

function productionFiles(t: Test, gpio: object | undefined) {
  const dir = mkdtempSync(join(tmpdir(), 'anj9-prod-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  // Contents are never parsed before the GPIO is chosen except the credentials, which are valid.
  writeFileSync(join(dir, 'ca.pem'), 'not needed before the GPIO is opened\n');
  writeFileSync(join(dir, 'issuer.pem'), 'not needed before the GPIO is opened\n');
  const config = {
    mode: 'production',
    stateDir: join(dir, 'state'),
    http: { host: '127.0.0.1', port: 0 },
    agreement: { numbers: ['TEST/1'], start: '2026-01-01', end: '2027-12-31' },
    uplink: {
      baseUrl: 'https://127.0.0.1:1/',
      caFile: join(dir, 'ca.pem'),
      institution: 'BKD_TEST',
      keyCasing: 'upper',
      method: 'CALL_NIK',
      verifyThreshold: 90,
      connectTimeoutMs: 1000,
      totalTimeoutMs: 2000,
      dailyQuota: 10,
    },
    card: {
      // No reader of this machine: the vpcd SAM and card belong to the test file holding the vpcd
      // slots (test/support/vpcd-slots.ts), and a daemon opening that SAM with its own PCID
      // changed what those files saw (a SAM mid-reset without its ATR, a wrong open counted).
      idReaderPattern: 'no reader of this test',
      samReaderPattern: 'no SAM of this test',
      issuerPublicKeyFile: join(dir, 'issuer.pem'),
      transmitTimeoutMs: 5000,
    },
    fingerprint: { driver: 'libfprint', helperPath: '/usr/lib/anjungan/anjungan-fprint-capture' },
    // Provisioned in full (a kiosk lacking something starts not provisioned, before any device).
    egress: { ntpServers: ['127.0.0.1'] },
    ...(gpio ? { gpio } : {}),
  };
  const configFile = join(dir, 'config.json');
  writeFileSync(configFile, JSON.stringify(config));
  return { dir, configFile, stateDir: config.stateDir };
}

t.test('loadConfig: production without a gpio section is refused with a message saying what to write', async (t) => {
  const { configFile } = productionFiles(t, undefined);
  const err = t.throws(() => loadConfig({ ANJUNGAN_CONFIG: configFile }, today)) as ConfigError;
  t.ok(err instanceof ConfigError);
  t.match(err.message, /\/gpio is required in production: .*"driver": "none"/);
  t.match(loadConfig({ ANJUNGAN_CONFIG: productionFiles(t, { driver: 'none' }).configFile }, today).gpio, { driver: 'none' });
  t.match(
    t.throws(() => loadConfig({ ANJUNGAN_CONFIG: productionFiles(t, { driver: 'gpiod' }).configFile }, today)),
    {
      message: /\/gpio\/lines is required with driver "gpiod"/,
    },
  );
  t.match(
    t.throws(() => loadConfig({ ANJUNGAN_CONFIG: productionFiles(t, { driver: 'onoff' }).configFile }, today)),
    { name: 'ConfigError' },
    'sysfs GPIO (onoff) is gone',
  );
  t.equal(loadConfig({}, today).gpio, undefined, 'demo needs no gpio section');
});

t.test('choosing the driver: none logged, gpiod refused without its helper', async (t) => {
  const log = capturingLogger();
  const none = await openPanelGpio({ driver: 'none' }, log.logger);
  t.equal(none.tamperOpen(), false, 'no tamper switch: never open');
  t.match(log.text(), /"event":"gpioNone".*no lights, buzzer, reader power relay or tamper switch/);
  const line = { chip: 'pinctrl-bcm2711', offset: 17, direction: 'out' as const };
  const lines = {
    ledGreen: line,
    ledAmber: line,
    ledRed: line,
    buzzer: line,
    readerPower: line,
    tamper: { ...line, direction: 'in' as const },
  };
  // Off the image there is no GPIO helper (and this machine's kernel has no GPIO chip): refused.
  const refused = await openPanelGpio({ driver: 'gpiod', lines, helperPath: '/nonexistent/anjungan-gpio' }, log.logger).catch(
    (e: unknown) => e,
  );
  t.ok(refused instanceof GpioUnavailableError);
});

function runDaemon(configFile: string, stateDir: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import=tsx', 'device/main.ts'], {
      env: { ...process.env, ANJUNGAN_CONFIG: configFile, ANJUNGAN_STATE_DIR: stateDir, ANJUNGAN_MODE: '', ANJUNGAN_PORT: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    // Whatever comes after the GPIO (readers, sensor) is not this test's business: once the
    // panel was chosen the daemon is stopped, and on a busy machine it gets two minutes to get there.
    let stopping = false;
    const collect = (d: Buffer) => {
      output += String(d);
      if (!stopping && /"event":"gpio(None|Chardev)"/.test(output)) {
        stopping = true;
        setTimeout(() => child.kill('SIGTERM'), 1000);
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => child.kill('SIGTERM'), 120_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

async function provision(stateDir: string): Promise<void> {
  const { mkdirSync } = await import('node:fs');
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  writeCredentials(join(stateDir, 'credentials.json'), {
    dukcapil: { userId: 'test-user', password: 'test-password', ipUser: '127.0.0.1' },
    sam: { pcid: newKey(), configuration: newKey() },
    auditKey: newKey(),
    outboxKey: newKey(),
    staff: [await hashStaffPin('petugas-uji', '975310')],
  });
}

t.test('the daemon: no gpio section, no start; driver "none" gets past the panel and says so', async (t) => {
  const missing = productionFiles(t, undefined);
  await provision(missing.stateDir);
  const refused = await runDaemon(missing.configFile, missing.stateDir);
  t.equal(refused.code, 1);
  t.match(refused.output, /anjungan: cannot start: ConfigError: .*\/gpio is required in production/);

  const none = productionFiles(t, { driver: 'none' });
  await provision(none.stateDir);
  const started = await runDaemon(none.configFile, none.stateDir);
  t.match(started.output, /"event":"gpioNone"/, 'the choice is logged');
  t.notMatch(started.output, /gpio is required|GpioUnavailable|GpioLineError/, 'and the panel stops nothing');
});
