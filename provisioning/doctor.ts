/**
 * `doctor`: one table of what a kiosk needs to serve, each with pass/fail and the fix. It only
 * looks: no SAM is opened (ATR only), no request is sent (TLS handshake only), the fingerprint
 * sensor is listed but not opened, nothing is written.
 */
import { execFile, execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, statfsSync, statSync } from 'node:fs';
import type { CommandContext, Outcome } from './context.ts';
import { EXIT } from './errors.ts';
import { MODES } from './layout.ts';
import { scanReaders } from './readers.ts';
import { loadConfigFile, loadCredentials } from './state.ts';
import { readStaffLanTls, type KioskConfig } from '../device/config.ts';
import { CaptureHelper } from '../device/fingerprint/capture-helper.ts';
import { libfprintEnv, pickDevice } from '../device/fingerprint/libfprint-sensor.ts';
import { agreementState } from './agreement.ts';
import { handshake } from './uplink.ts';
import { onRunningKiosk } from './system.ts';
import { clockSynchronised } from '../device/clock-sync.ts';
import { GPIO_HELPER, lineArguments } from '../device/gpio/chardev-gpio.ts';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
  /** What to do when it fails. */
  fix: string;
}

const MIN_FREE_BYTES = 200 * 1024 * 1024;

export async function doctor(ctx: CommandContext): Promise<Outcome> {
  const l = ctx.layout;
  const config = loadConfigFile(l);
  const checks: Check[] = [];
  const add = (name: string, ok: boolean, detail: string, fix: string) => checks.push({ name, ok, detail, fix: ok ? '' : fix });

  add(
    'not deactivated',
    !config.deactivated,
    config.deactivated ? `deactivated ${config.deactivated.at}` : 'active',
    'run `anjungan-provision init` to provision the kiosk again',
  );
  const a = agreementState(config.agreement, ctx.now);
  add(
    'agreement in force',
    a.state === 'inForce' || a.state === 'endingSoon',
    a.state === 'none'
      ? 'none recorded'
      : `${a.state}${a.daysLeft ? `, ${a.daysLeft} days left` : ''} (${config.agreement.start} to ${config.agreement.end})`,
    '`agreement set`, or `agreement extend` with the addendum',
  );

  let credentials = null;
  try {
    credentials = loadCredentials(l);
  } catch (e) {
    add('credential file', false, (e as Error).message, 'run `anjungan-provision init` (or restore the file, mode 0600)');
  }
  if (credentials) {
    add(
      'Dukcapil credentials',
      credentials.dukcapil !== undefined,
      credentials.dukcapil ? 'set' : 'not set',
      '`credentials set --user-id ...`',
    );
    add(
      'SAM installed',
      credentials.sam !== undefined,
      credentials.sam ? `installed ${credentials.sam.installedAt ?? ''}` : 'not installed',
      '`sam install --pcid ... --config ...`',
    );
    add('operator PINs', credentials.staff.length > 0, `${credentials.staff.length} active`, '`operators add ...` (NDA signed first)');
  }

  const modeProblems: string[] = [];
  const expect = (path: string, mode: number) => {
    if (!existsSync(path)) return;
    const actual = statSync(path).mode & 0o777;
    if (actual !== mode) modeProblems.push(`${path} is ${actual.toString(8)}, should be ${mode.toString(8)}`);
  };
  expect(l.configDir, MODES.configDir);
  expect(l.configFile, MODES.config);
  expect(l.stateDir, MODES.stateDir);
  for (const f of [l.credentialFile, l.samConfigurationFile, l.operatorsFile]) expect(f, MODES.secret);
  add(
    'file modes',
    modeProblems.length === 0,
    modeProblems.join('; ') || 'config 0640, state 0700, secrets 0600',
    `chmod as stated: ${modeProblems.join('; ')}`,
  );

  try {
    const fs = statfsSync(l.stateDir);
    const free = fs.bavail * fs.bsize;
    add(
      'disk space',
      free >= MIN_FREE_BYTES,
      `${Math.floor(free / 1048576)} MB free for the state folder`,
      'free space on the state partition (at least 200 MB)',
    );
  } catch {
    add('disk space', false, 'state folder missing', 'run `anjungan-provision init`');
  }

  const ntp = config.egress?.ntpServers ?? [];
  const synchronised = clockSynchronised(config.clock?.synchronisedFlag);
  add(
    'clock synchronised',
    synchronised,
    `${synchronised ? 'NTP synchronised' : 'not synchronised'} (servers: ${ntp.join(', ') || 'none'}; read from the local clock state)`,
    ntp.length === 0
      ? '`anjungan-provision time set --ntp IP`: the kiosk validates nobody until NTP has set its clock'
      : 'check that the NTP servers answer on the closed network (`journalctl -u systemd-timesyncd`)',
  );

  if (onRunningKiosk(ctx) && process.getuid?.() === 0 && daemonUserExists()) {
    ctx.progress(`probing the devices as the daemon's user (${DAEMON_USER}): readers through pcscd, sensor, GPIO`);
    checks.push(...(await probeAsDaemonUser(ctx)));
  } else checks.push(...(await probeDevices(ctx, config)));

  if (config.uplink.baseUrl && config.uplink.caFile) {
    ctx.progress('TLS handshake with the uplink (no request)');
    const ok = await handshake(config).catch(() => false);
    add(
      'uplink TLS',
      ok,
      `${config.uplink.baseUrl}: ${ok ? 'handshake ok' : 'handshake failed'}`,
      'check the closed-network route and `uplink set --ca`; then `uplink test`',
    );
  } else add('uplink TLS', false, 'no uplink set', '`uplink set --url ... --institution ... --ca ...`');

  if (config.staffLan?.enabled) {
    const { problems } = readStaffLanTls(config.staffLan, ctx.now);
    add(
      'staff LAN certificate',
      problems.length === 0,
      problems.length === 0 ? `https://${config.staffLan.host}:${config.staffLan.port}/staff/` : problems.join('; '),
      '`staff-lan enable --cert ... --key ... --listen ...` with a valid pair, or `staff-lan disable` (the daemon does not start otherwise)',
    );
  }

  const failed = checks.filter((c) => !c.ok);
  const width = Math.max(...checks.map((c) => c.name.length));
  return {
    data: { ok: failed.length === 0, checks },
    lines: [
      ...checks.map((c) => `${c.ok ? 'ok  ' : 'FAIL'}  ${c.name.padEnd(width)}  ${c.detail}${c.ok ? '' : `\n      fix: ${c.fix}`}`),
      failed.length === 0 ? 'all checks passed' : `${failed.length} check(s) failed`,
    ],
    ...(failed.length === 0 ? {} : { exitCode: EXIT.checkFailed }),
  };
}

/** `doctor --devices-only`: the device probes alone (what doctor runs as the daemon's user). */
export async function doctorDevices(ctx: CommandContext): Promise<Outcome> {
  const checks = await probeDevices(ctx, loadConfigFile(ctx.layout));
  return { data: { checks }, lines: checks.map((c) => `${c.ok ? 'ok  ' : 'FAIL'}  ${c.name}  ${c.detail}`) };
}

/** The probes of the devices the daemon uses, as whoever runs them (doctor: the daemon's user). */
export async function probeDevices(ctx: CommandContext, config: KioskConfig): Promise<Check[]> {
  const checks: Check[] = [];
  const add = (name: string, ok: boolean, detail: string, fix: string) => checks.push({ name, ok, detail, fix: ok ? '' : fix });
  ctx.progress('looking at the readers through pcscd (ATR only)');
  const scan = await scanReaders();
  add(
    'pcscd running',
    scan.service === 'up',
    scan.service === 'up' ? 'reachable' : scan.service === 'down' ? 'not reachable' : 'PC/SC binding missing',
    'systemctl enable --now pcscd',
  );
  const readers = scan.service === 'up' ? scan.readers : [];
  const idReader = readers.find((r) => new RegExp(config.card.idReaderPattern).test(r.name));
  const samReader = readers.find((r) => new RegExp(config.card.samReaderPattern).test(r.name));
  add(
    'both readers present',
    !!idReader && !!samReader,
    `ID reader: ${idReader?.name ?? 'missing'}; SAM reader: ${samReader?.name ?? 'missing'}`,
    'check the reader cable and power; `pcsc_scan` lists what pcscd sees',
  );
  add('SAM answering', !!samReader?.atr, samReader?.atr ? `ATR ${samReader.atr}` : 'no ATR', 'seat the SAM in its slot');
  ctx.progress('asking the fingerprint capture helper which sensors libfprint sees (none is opened)');
  const sensor = await probeSensor(config.fingerprint, ctx.env);
  add('fingerprint sensor', sensor.ok, sensor.detail, sensor.fix);
  if (config.gpio?.driver === 'gpiod') {
    const gpio = probeGpio(config.gpio);
    add('GPIO panel', gpio.ok, gpio.detail, gpio.fix);
  }
  return checks;
}

const DAEMON_USER = 'anjungan';

function daemonUserExists(): boolean {
  try {
    execFileSync('id', ['-u', DAEMON_USER], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * The device probes run as the daemon's user with its groups (setpriv), so a device only root may
 * open fails here as it would fail the daemon: this command itself runs as root.
 */
async function probeAsDaemonUser(ctx: CommandContext): Promise<Check[]> {
  const argv = [
    `--reuid=${DAEMON_USER}`,
    `--regid=${DAEMON_USER}`,
    '--init-groups',
    '--no-new-privs',
    '--inh-caps=-all',
    '--',
    process.execPath,
    process.argv[1]!,
    'doctor',
    '--devices-only',
    '--json',
  ];
  const run = await new Promise<{ stdout: string; code: number | null }>((resolve) => {
    execFile(
      'setpriv',
      argv,
      { encoding: 'utf8', timeout: 120_000, env: { ...ctx.env, HOME: '/nonexistent' } },
      (err: Error | null, stdout: string) => resolve({ stdout, code: err ? ((err as { code?: number }).code ?? 1) : 0 }),
    );
  });
  try {
    const parsed = JSON.parse(run.stdout.trim().split('\n').pop()!) as { checks: Check[] };
    return parsed.checks.map((c) => ({ ...c, name: `${c.name} (as ${DAEMON_USER})` }));
  } catch {
    return [
      {
        name: `device probes as ${DAEMON_USER}`,
        ok: false,
        detail: `the probe did not run (exit ${run.code})`,
        fix: 'see the output of `setpriv --reuid=anjungan --regid=anjungan --init-groups anjungan-provision doctor --devices-only`',
      },
    ];
  }
}

/** The GPIO helper requests every panel line and lets go at once (as the daemon would). */
function probeGpio(gpio: NonNullable<KioskConfig['gpio']>): { ok: boolean; detail: string; fix: string } {
  let args: string[];
  try {
    args = lineArguments(gpio.lines!);
  } catch (e) {
    return { ok: false, detail: (e as Error).message, fix: 'correct the `gpio.lines` of the config' };
  }
  const helper = gpio.helperPath ?? GPIO_HELPER;
  const reply = (() => {
    try {
      return execFileSync(helper, ['--probe', ...args], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] });
    } catch (e) {
      return String((e as { stdout?: string }).stdout ?? '');
    }
  })();
  const first = (() => {
    try {
      return JSON.parse(reply.split('\n')[0] ?? '') as { ready?: boolean; error?: string; message?: string };
    } catch {
      return { error: 'helperMissing', message: `${helper} did not run` };
    }
  })();
  if (first.ready) return { ok: true, detail: `all ${args.length} lines requested on the character device`, fix: '' };
  return {
    ok: false,
    detail: first.message ?? first.error ?? 'no answer',
    fix:
      first.error === 'noAccess'
        ? "the udev rule gives the gpio group /dev/gpiochip*: check `ls -l /dev/gpiochip*` and that the daemon's user is in gpio"
        : 'check the panel cable and `gpio.lines` against `gpioinfo` (chip label and offsets)',
  };
}

/** How long libfprint gets to enumerate the sensors. */
const SENSOR_LIST_TIMEOUT_MS = 15_000;

async function probeSensor(
  fingerprint: KioskConfig['fingerprint'],
  env: NodeJS.ProcessEnv,
): Promise<{ ok: boolean; detail: string; fix: string }> {
  if (!fingerprint)
    return {
      ok: false,
      detail: 'no sensor in the config',
      fix: 'a production config names the libfprint sensor: `anjungan-provision init` writes it',
    };
  try {
    accessSync(fingerprint.helperPath, constants.X_OK);
  } catch {
    return {
      ok: false,
      detail: `capture helper missing: ${fingerprint.helperPath}`,
      fix: 'the image installs it; on another system build device/fingerprint/capture-helper.c there',
    };
  }
  const helper = new CaptureHelper({ helperPath: fingerprint.helperPath, env: libfprintEnv(env) });
  let timer: NodeJS.Timeout | undefined;
  try {
    const devices = await Promise.race([
      helper.list(),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('no answer in time')), SENSOR_LIST_TIMEOUT_MS))),
    ]);
    const chosen = devices[pickDevice(devices, fingerprint.device ?? { index: 0 })];
    if (!chosen) {
      return {
        ok: false,
        detail:
          devices.length === 0
            ? 'libfprint sees no sensor'
            : `not the configured one; libfprint sees: ${devices.map((d) => d.driver).join(', ')}`,
        fix: "check the sensor's USB cable (`lsusb` lists it) and that `fingerprint.device` in the config names its driver",
      };
    }
    return { ok: true, detail: `${chosen.name} (libfprint driver ${chosen.driver})`, fix: '' };
  } catch (e) {
    return {
      ok: false,
      detail: `the capture helper failed: ${(e as Error).message}`,
      fix: "see `journalctl -u anjungan`; reinstall the image's capture helper",
    };
  } finally {
    clearTimeout(timer);
    await helper.shutdown();
  }
}
