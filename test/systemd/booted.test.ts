/**
 * The appliance booted for real: the amd64 root file system of image/build-rootfs.sh (cached
 * Debian trixie base + the built app + the units of systemd/, enabled) boots under
 * `systemd-nspawn -b` with the root read-only, as on the board, and no network but its own
 * loopback; the units are checked by the systemd inside it. The test's data folder stands in for
 * the data partition: bound onto /var/lib/anjungan and /etc/anjungan.
 *
 * The daemon runs from anjungan.service as shipped plus one test-only drop-in choosing demo mode
 * (production needs card readers and a sensor, which test/e2e/production.test.ts gives it as
 * virtual devices outside the container): the image holds
 * only the production bundle, so the demo bundle is bound in read-only for the test. The kiosk
 * browser has no display here: the container boots multi-user.target, which leaves it out.
 */
import t from 'tap';
import { execFile, execFileSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DEMO_STAFF_PIN, demoCredentials, demoRoster } from '../../device/sim/kit.ts';
import { DEMO_CREDENTIALS } from '../../device/sim/dukcapil/server.ts';
import { bootTree, poll } from '../support/nspawn.ts';

const run = promisify(execFile);
const DEMO_OPERATOR = demoRoster(new Date()).operators[0]!.userId;
const repo = join(import.meta.dirname, '../..');
const root = process.getuid?.() === 0;
// Longer than .taprc's 300 s: a loaded 2-core machine needs minutes to boot and wait out the watchdog.
t.setTimeout(600_000);

t.test('booted under systemd-nspawn', { skip: !root && 'needs root (mmdebstrap, systemd-nspawn)', timeout: 600_000 }, async (t) => {
  const work = mkdtempSync('/var/tmp/anj15-boot-');
  t.teardown(() => rmSync(work, { recursive: true, force: true }));
  const tree = join(work, 'root');
  const started = Date.now();
  execFileSync('bash', [join(repo, 'image/build-rootfs.sh'), 'amd64', tree], { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] });
  t.comment(`root file system ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  // What provisioning would have written, plus the test-only choice of demo mode.
  // The config file as provisioning leaves it: root:anjungan 0640 (it holds no secrets).
  const daemonGid = Number(/^anjungan:x:(\d+):/m.exec(readFileSync(join(tree, 'etc/group'), 'utf8'))![1]);
  const dataEtc = join(work, 'data/etc/anjungan');
  const dataLib = join(work, 'data/lib/anjungan');
  mkdirSync(dataEtc, { recursive: true });
  writeFileSync(join(dataEtc, 'config.json'), '{}\n', { mode: 0o640 });
  chownSync(join(dataEtc, 'config.json'), 0, daemonGid);
  mkdirSync(dataLib, { recursive: true, mode: 0o700 });
  writeFileSync(join(dataLib, 'credentials.json'), JSON.stringify(await demoCredentials(DEMO_CREDENTIALS)), { mode: 0o600 });
  chmodSync(join(dataLib, 'credentials.json'), 0o600);
  mkdirSync(join(tree, 'etc/systemd/system/anjungan.service.d'), { recursive: true });
  const demoExec = readFileSync(join(repo, 'systemd/anjungan.service'), 'utf8')
    .match(/^ExecStart=.*$/m)![0]
    .replace('/dist/appliance/', '/dist/device/');
  writeFileSync(
    join(tree, 'etc/systemd/system/anjungan.service.d/test-demo-mode.conf'),
    `[Service]\nEnvironment=ANJUNGAN_MODE=demo\nExecStart=\n${demoExec}\n`,
  );
  mkdirSync(join(tree, 'opt/anjungan/dist/device'));
  // The boot partition's stand-in (on the board a FAT partition a laptop can write to).
  const bootFirmware = join(work, 'boot-firmware');
  mkdirSync(bootFirmware);

  const booted = await bootTree(t, tree, [
    '--read-only',
    `--bind=${dataEtc}:/etc/anjungan`,
    `--bind=${dataLib}:/var/lib/anjungan`,
    `--bind-ro=${join(repo, 'dist/device')}:/opt/anjungan/dist/device`,
    `--bind-ro=${bootFirmware}:/boot/firmware`,
    '--private-network',
  ]);
  const { leader, inside, show } = booted;
  // /healthz from the container's own network namespace (it has only loopback).
  const healthz = async () =>
    (await booted.request('/healthz')) as {
      status?: number;
      body?: { ready: boolean; devices: { uplink: { quota: { used: number } } } };
      error?: string;
    };
  const post = async (path: string, body: unknown) => (await booted.request(path, { method: 'POST', body })).status;

  try {
    await poll(
      async () => ((await show('anjungan.service', 'ActiveState')).ActiveState === 'active' ? true : null),
      'anjungan.service active',
      180_000,
    );
    t.comment(`booted, daemon active ${((Date.now() - started) / 1000).toFixed(1)} s after the start of the test`);

    await t.test('every unit passes systemd-analyze verify of the systemd that runs it', async (t) => {
      const units = readdirSync(join(repo, 'systemd')).filter((f) => /\.(service|timer|path)$/.test(f));
      t.ok(units.length >= 7);
      for (const unit of units) {
        const out = await run('nsenter', ['--target', leader, '--all', 'systemd-analyze', 'verify', unit], { encoding: 'utf8' }).then(
          (r) => r.stderr.trim(),
          (e: { stderr: string }) => `exit status non-zero: ${e.stderr}`,
        );
        t.equal(out, '', `systemd-analyze verify ${unit}`);
      }
    });

    await t.test("the image's own units: board-only mounts and the data partition's growth after its mount", async (t) => {
      for (const unit of [
        'data.mount',
        'var-lib-anjungan.mount',
        'etc-anjungan.mount',
        'boot-firmware.mount',
        'anjungan-grow-data.service',
      ]) {
        const out = await run('nsenter', ['--target', leader, '--all', 'systemd-analyze', 'verify', unit], { encoding: 'utf8' }).then(
          (r) => r.stderr.trim(),
          (e: { stderr: string }) => `exit status non-zero: ${e.stderr}`,
        );
        t.equal(out, '', `systemd-analyze verify ${unit}`);
      }
      const grow = await show('anjungan-grow-data.service', 'After', 'Requires', 'ConditionResult', 'WantedBy');
      t.match(grow.After, /\bdata\.mount\b/, 'growth runs after the data partition is mounted');
      t.match(grow.Requires, /\bdata\.mount\b/, 'and needs it');
      t.match(grow.WantedBy, /\blocal-fs\.target\b/, 'pulled in at every boot (its stamp on the data partition makes it run once)');
      t.equal(grow.ConditionResult, 'no', 'skipped in a container, where the data folder is bound in');
    });

    await t.test('the root is read-only: writes land only on the data partition and tmpfs', async (t) => {
      t.match(await inside('findmnt', '-no', 'OPTIONS', '/'), /(^|,)ro(,|$)/, 'the root is mounted read-only');
      const write = (path: string) =>
        inside('sh', '-c', `echo x > ${path} && rm ${path}`).then(
          () => 'written',
          () => 'refused',
        );
      for (const path of [
        '/anj16-probe',
        '/etc/anj16-probe',
        '/usr/anj16-probe',
        '/opt/anjungan/anj16-probe',
        '/var/lib/anj16-probe',
        '/home/anj16-probe',
        '/root/anj16-probe',
      ]) {
        t.equal(await write(path), 'refused', `${path} cannot be written`);
      }
      for (const path of [
        '/var/lib/anjungan/anj16-probe',
        '/etc/anjungan/anj16-probe',
        '/tmp/anj16-probe',
        '/var/tmp/anj16-probe',
        '/var/log/anj16-probe',
        '/run/anj16-probe',
      ]) {
        t.equal(await write(path), 'written', `${path} can be written`);
      }
      for (const path of ['/tmp', '/var/tmp', '/var/log', '/var/cache', '/var/lib/systemd', '/var/lib/anjungan-kiosk']) {
        t.equal(await inside('findmnt', '-no', 'FSTYPE', path), 'tmpfs', `${path} is on tmpfs`);
      }
      t.equal(
        await inside('stat', '-c', '%U %a', '/var/lib/anjungan-kiosk'),
        'anjungan-kiosk 700',
        'the browser profile tmpfs belongs to the kiosk user',
      );
      // Persistent since #23 (on the board's data partition; appliance.test.ts checks it there).
      t.match(await inside('journalctl', '--header', '--no-pager'), /File path: \/var\/log\/journal\//, 'the journal is persistent');
      t.equal(
        await inside('systemctl', 'show', '-p', 'RuntimeWatchdogUSec', '--value'),
        '10s',
        'PID 1 asks for the hardware watchdog (10 s)',
      );
      t.match(
        await inside('systemctl', 'show', 'data.mount', '-p', 'ConditionResult', '--value'),
        /no/,
        'the data partition mount is for the board only',
      );
      t.equal(readFileSync(join(dataLib, 'anjungan.sqlite')).length > 0, true, "the daemon's database is on the data folder");
    });

    await t.test('the firewall unit loaded the rendered allowlist', async (t) => {
      t.equal((await show('anjungan-firewall.service', 'ActiveState')).ActiveState, 'active');
      t.match(await inside('nft', 'list', 'table', 'inet', 'anjungan_egress'), /counter name "?rejected"? reject/);
    });

    await t.test('active only once the daemon said READY: /healthz answers the moment start returns', async (t) => {
      const unit = await show('anjungan.service', 'Type', 'NotifyAccess', 'WatchdogUSec');
      t.equal(unit.Type, 'notify');
      // `systemctl restart` returns when the unit is active: for Type=notify that is READY=1,
      // sent after the HTTP server listens. (Type=simple would return before node has started.)
      for (let i = 0; i < 2; i++) {
        await inside('systemctl', 'restart', 'anjungan.service');
        const h = await healthz();
        t.equal(h.status, 200, `restart ${i + 1}: /healthz answers at once`);
        t.equal(h.body?.ready, true);
      }
    });

    await t.test('state survives a restart', async (t) => {
      t.equal(await post('/api/demo/card', { persona: 'valid' }), 200, 'a demo card goes in');
      await poll(
        async () =>
          ((await healthz()).body?.devices.uplink.quota.used ?? 0) > 0 || (await post('/api/demo/finger', { genuine: true }), null),
        'one NIK validation',
        60_000,
      );
      const used = (await healthz()).body!.devices.uplink.quota.used;
      await inside('systemctl', 'restart', 'anjungan.service');
      t.equal((await healthz()).body?.devices.uplink.quota.used, used, `the quota ledger still counts ${used} after the restart`);
    });

    await t.test("the kiosk browser's locked-down Chromium policies bind into its unit only", async (t) => {
      t.same(
        readdirSync(join(tree, 'etc/chromium/policies/managed')),
        [],
        'no system-wide policy (the daemon prints reports with Chromium)',
      );
      const bind = (await show('anjungan-kiosk.service', 'BindReadOnlyPaths')).BindReadOnlyPaths!;
      t.match(bind, /\/usr\/share\/anjungan\/kiosk-chromium-policies:\/etc\/chromium\/policies\/managed/);
      // The same binding in a unit of its own: the kiosk browser's view of the folder.
      const seen = await inside(
        'systemd-run',
        '--wait',
        '--pipe',
        '--quiet',
        '-p',
        `BindReadOnlyPaths=${bind.split(' ')[0]}`,
        '--',
        '/bin/cat',
        '/etc/chromium/policies/managed/anjungan.json',
      );
      t.match(JSON.parse(seen), {
        URLBlocklist: ['*'],
        URLAllowlist: ['http://127.0.0.1:8080'],
        DeveloperToolsAvailability: 2,
        PrintingEnabled: false,
      });
    });

    await t.test("the semester report's PDF is printed by the image's Chromium inside the hardened unit", async (t) => {
      const script = `(async () => {
        const base = 'http://127.0.0.1:8080';
        const signIn = await fetch(base + '/api/staff/session', { method: 'POST', headers: { 'content-type': 'application/json', origin: base }, body: JSON.stringify({ userId: ${JSON.stringify(DEMO_OPERATOR)}, pin: ${JSON.stringify(DEMO_STAFF_PIN)} }) });
        const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0];
        const r = await fetch(base + '/api/staff/report/semester/2026-2.pdf', { headers: { cookie } });
        const b = Buffer.from(await r.arrayBuffer());
        console.log(JSON.stringify({ signIn: signIn.status, status: r.status, head: b.subarray(0, 5).toString('latin1'), bytes: b.length, error: r.status === 200 ? null : b.toString('utf8').slice(0, 200) }));
      })()`;
      const reply = await run('nsenter', ['--target', leader, '--net', process.execPath, '-e', script], {
        encoding: 'utf8',
        timeout: 120_000,
      }).catch((e: Error) => e);
      if (reply instanceof Error) {
        t.fail(`no answer: ${reply.message.split('\n')[0]}`);
        t.comment(await inside('journalctl', '-u', 'anjungan', '-n', '25', '--no-pager', '-o', 'cat'));
        return;
      }
      const out = JSON.parse(reply.stdout);
      t.equal(out.signIn, 200, 'the demo operator signs in');
      t.match(out, { status: 200, head: '%PDF-' }, `a PDF (${out.bytes} bytes; ${out.error ?? 'no error'})`);
    });

    await t.test('SSH is off until the technician enables it, and takes a key, never a password', async (t) => {
      const ssh = async () => show('ssh.service', 'ActiveState', 'ConditionResult');
      const listening = async () => /:22\b/.test(await inside('ss', '-Hltn'));
      t.same(await ssh(), { ActiveState: 'inactive', ConditionResult: 'no' }, 'off after boot');
      t.equal(await listening(), false, 'nothing listens on port 22');
      t.same(
        readdirSync(join(tree, 'etc/ssh')).filter((f) => f.startsWith('ssh_host_')),
        [],
        'the image carries no host key',
      );

      const key = join(work, 'anj16-technician');
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'anj16-technician', '-f', key]);
      // The host's ssh client in the container's network namespace (loopback only).
      const login = (...options: string[]) =>
        run(
          'nsenter',
          [
            '--target',
            leader,
            '--net',
            'ssh',
            '-F',
            '/dev/null',
            '-o',
            'BatchMode=yes',
            '-o',
            'StrictHostKeyChecking=no',
            '-o',
            'UserKnownHostsFile=/dev/null',
            '-o',
            'ConnectTimeout=20',
            ...options,
            'root@127.0.0.1',
            'cat /etc/hostname',
          ],
          { encoding: 'utf8' },
        ).then(
          (r) => r.stdout.trim(),
          (e: { stderr: string }) => `refused: ${e.stderr.trim()}`,
        );
      const withPassword = ['-o', 'PubkeyAuthentication=no', '-o', 'PreferredAuthentications=password,keyboard-interactive'];

      await t.test('from a laptop: `ssh` and `authorized_keys` on the boot partition', async (t) => {
        writeFileSync(join(bootFirmware, 'ssh'), '');
        copyFileSync(`${key}.pub`, join(bootFirmware, 'authorized_keys'));
        await inside('systemctl', 'start', 'ssh.service');
        t.equal((await ssh()).ActiveState, 'active');
        t.equal(await login('-i', key), 'anjungan', 'the technician logs in with the key');
        t.match(await login(...withPassword), /^refused: [^]*Permission denied \(publickey\)/, 'a password is not even asked for');
        t.ok(existsSync(join(dataEtc, 'ssh/ssh_host_ed25519_key')), "the kiosk's own host key is made on the data partition");
        rmSync(join(bootFirmware, 'ssh'));
        rmSync(join(bootFirmware, 'authorized_keys'));
        await inside('systemctl', 'stop', 'ssh.service');
        await inside('systemctl', 'start', 'ssh.service');
        t.same(await ssh(), { ActiveState: 'inactive', ConditionResult: 'no' }, 'without the file it stays off');
        t.equal(await listening(), false);
      });

      await t.test('kept on: /etc/anjungan/ssh-enabled and the keys on the data partition', async (t) => {
        const hostKey = readFileSync(join(dataEtc, 'ssh/ssh_host_ed25519_key.pub'), 'utf8');
        writeFileSync(join(dataEtc, 'ssh-enabled'), '');
        writeFileSync(join(dataEtc, 'ssh/authorized_keys'), readFileSync(`${key}.pub`), { mode: 0o600 });
        await inside('systemctl', 'start', 'ssh.service');
        t.equal(await login('-i', key), 'anjungan', 'the technician logs in with the key');
        t.equal(readFileSync(join(dataEtc, 'ssh/ssh_host_ed25519_key.pub'), 'utf8'), hostKey, 'the same host key');
        rmSync(join(dataEtc, 'ssh-enabled'));
        await inside('systemctl', 'stop', 'ssh.service');
      });
    });

    await t.test('a stopped daemon is killed by the watchdog and restarted', async (t) => {
      const before = await show('anjungan.service', 'MainPID', 'NRestarts', 'WatchdogUSec', 'ExecMainStartTimestampMonotonic');
      const watchdogMs = timespanMs(String(before.WatchdogUSec));
      t.ok(watchdogMs > 0, `WatchdogSec is ${watchdogMs / 1000} s`);
      // Alive for longer than the watchdog period without a restart: the pings arrive.
      await new Promise((r) => setTimeout(r, watchdogMs + 3000));
      const alive = await show('anjungan.service', 'MainPID', 'NRestarts');
      t.equal(alive.MainPID, before.MainPID, 'not restarted while its event loop runs');
      await inside('kill', '-STOP', String(before.MainPID));
      const stoppedAt = Date.now();
      const after = await poll(
        async () => {
          const s = await show('anjungan.service', 'MainPID', 'NRestarts', 'ActiveState');
          return s.MainPID !== before.MainPID && s.MainPID !== '0' && s.ActiveState === 'active' ? s : null;
        },
        'a restart after the watchdog timeout',
        watchdogMs * 4 + 60_000,
      );
      t.comment(`restarted ${((Date.now() - stoppedAt) / 1000).toFixed(1)} s after SIGSTOP`);
      t.equal(Number(after.NRestarts), Number(before.NRestarts) + 1, 'one automatic restart');
      t.match(await inside('journalctl', '-u', 'anjungan.service', '--no-pager', '-o', 'cat'), /[Ww]atchdog timeout/);
      t.equal((await healthz()).status, 200, '/healthz answers again');
    });

    await t.test('polkit lets the daemon, and no other user, use pcscd', async (t) => {
      const pkcheck = (pid: string) =>
        inside('pkcheck', '--action-id', 'org.debian.pcsc-lite.access_pcsc', '--process', pid).then(
          () => 'allowed',
          () => 'refused',
        );
      t.equal(await pkcheck((await show('anjungan.service', 'MainPID')).MainPID!), 'allowed', 'the daemon may');
      await inside('systemd-run', '--unit=anj15-nobody', '-p', 'User=nobody', 'sleep', '120');
      const other = await poll(
        async () => {
          const pid = (await show('anj15-nobody.service', 'MainPID')).MainPID;
          return pid && pid !== '0' ? pid : null;
        },
        'a process of another user',
        10_000,
      );
      t.equal(await pkcheck(other), 'refused', 'another system user may not');
      await inside('systemctl', 'stop', 'anj15-nobody.service');
    });

    await t.test('a page that stops pinging gets the browser restarted', async (t) => {
      t.equal(await post('/api/ui-ping', {}), 204, 'the page pings once, then falls silent');
      const restart = await poll(
        async () => {
          const s = await show('anjungan-kiosk-restart.service', 'ExecMainStartTimestampMonotonic');
          return Number(s.ExecMainStartTimestampMonotonic) > 0 ? s : null;
        },
        'anjungan-kiosk-restart.service to run',
        90_000,
      );
      t.ok(restart, 'the path unit started the restart of the browser unit');
      t.match(await inside('journalctl', '-u', 'anjungan.service', '--no-pager', '-o', 'cat'), /stopped pinging/);
    });

    await t.test('the agreement timer is scheduled', async (t) => {
      const timer = await show('anjungan-agreement.timer', 'ActiveState', 'NextElapseUSecRealtime', 'NextElapseUSecMonotonic');
      t.equal(timer.ActiveState, 'active');
      t.ok(
        timer.NextElapseUSecRealtime !== '' || Number(timer.NextElapseUSecMonotonic) > 0,
        `next run: ${timer.NextElapseUSecRealtime || timer.NextElapseUSecMonotonic}`,
      );
    });
  } catch (err) {
    t.comment(booted.log().slice(-4000));
    t.comment(await inside('journalctl', '--no-pager', '-n', '80', '-o', 'cat').catch(() => 'no journal'));
    throw err;
  } finally {
    await inside('systemctl', 'poweroff', '--no-block').catch(() => undefined);
    await booted.exitWithin(30_000);
  }
});

/** systemctl show prints time spans the way a person writes them: "15s", "1min 30s", "500ms". */
function timespanMs(span: string): number {
  const unit: Record<string, number> = { h: 3_600_000, min: 60_000, s: 1000, ms: 1, us: 0.001 };
  let total = 0;
  for (const [, n, u] of span.matchAll(/(\d+(?:\.\d+)?)\s*(h|min|s|ms|us)\b/g)) total += Number(n) * unit[u!]!;
  return total > 0 ? total : NaN;
}
