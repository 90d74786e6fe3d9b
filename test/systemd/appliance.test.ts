/**
 * A freshly flashed kiosk, booted: the amd64 root file system of image/build-rootfs.sh under
 * `systemd-nspawn -b --read-only`, in production mode as shipped (no test drop-in), with an empty
 * data partition (a tmpfs the test makes, bound onto /data, /etc/anjungan and /var/lib/anjungan as
 * the board's mount units would) and one veth link for networkd. It checks what a technician meets:
 * the not-provisioned screen instead of a restart loop, the browser's start page while the daemon
 * is down, provisioning through the CLI inside the kiosk (address, NTP, firewall reloads, audit),
 * the clock file, the persistent journal and stable identity, the udev rules, a crash loop stopped
 * by the start limit, and a full data partition taking the kiosk out of service with an alert.
 * The container has no CAP_SYS_TIME (set explicitly below): its clock is the host's, never set.
 */
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import Database from 'better-sqlite3';
import { buildKiosk } from '../support/kiosk-process.ts';
import { demoCredentials } from '../../device/sim/kit.ts';
import { bootTree, poll } from '../support/nspawn.ts';
import { DEMO_CREDENTIALS } from '../../device/sim/dukcapil/server.ts';

const repo = join(import.meta.dirname, '../..');
t.setTimeout(900_000);

t.test(
  'a freshly flashed kiosk, booted under systemd-nspawn',
  { skip: process.getuid?.() !== 0 && 'needs root (mmdebstrap, systemd-nspawn, tmpfs)', timeout: 900_000 },
  async (t) => {
    await buildKiosk();
    const work = mkdtempSync('/var/tmp/anj23-boot-');
    const data = join(work, 'data');
    mkdirSync(data);
    // The data partition: a small file system of its own, so it can be filled.
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=160M,mode=0755', 'anj23-data', data]);
    t.teardown(() => {
      execFileSync('umount', ['-l', data], { stdio: 'ignore' });
      rmSync(work, { recursive: true, force: true });
    });
    const tree = join(work, 'root');
    const started = Date.now();
    execFileSync('bash', [join(repo, 'image/build-rootfs.sh'), 'amd64', tree], { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] });
    t.comment(`root file system ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    await t.test("the technician's documentation is on the kiosk: every unit's and the README's links resolve", async (t) => {
      const units = readdirSync(join(tree, 'etc/systemd/system')).filter((f) => f.startsWith('anjungan'));
      const named = units.flatMap((u) => {
        const unitFile = join(tree, 'etc/systemd/system', u);
        if (!statSync(unitFile).isFile()) return [];
        return [...readFileSync(unitFile, 'utf8').matchAll(/^Documentation=(.+)$/gm)].flatMap((m) =>
          m[1]!
            .split(/\s+/)
            .filter((uri) => uri.startsWith('file:'))
            .map((uri) => uri.slice('file:'.length)),
        );
      });
      t.ok(named.length > 0, 'the units name their documentation');
      const app = join(tree, 'opt/anjungan');
      const readmeLinks = [...readFileSync(join(app, 'README.md'), 'utf8').matchAll(/\]\((docs\/[^)#\s]+\.md)/g)].map((m) =>
        join('/opt/anjungan', m[1]!),
      );
      t.ok(readmeLinks.length > 0, 'the README links to docs/');
      t.same(
        [...new Set([...named, ...readmeLinks])].filter((path) => !existsSync(join(tree, path))),
        [],
        'every linked page is in the image',
      );
    });

    // The data partition as build-image.sh lays it out (and nothing provisioned).
    const ids = (user: string) => {
      const m = new RegExp(`^${user}:x:(\\d+):(\\d+):`, 'm').exec(readFileSync(join(tree, 'etc/passwd'), 'utf8'))!;
      return { uid: Number(m[1]), gid: Number(m[2]) };
    };
    const daemon = ids('anjungan');
    const journalGid = Number(/^systemd-journal:x:(\d+):/m.exec(readFileSync(join(tree, 'etc/group'), 'utf8'))![1]);
    const dataEtc = join(data, 'etc/anjungan');
    const dataLib = join(data, 'lib/anjungan');
    const savedClock = join(data, 'lib/clock/saved');
    mkdirSync(dataEtc, { recursive: true, mode: 0o751 });
    chownSync(dataEtc, 0, daemon.gid);
    chmodSync(dataEtc, 0o751);
    mkdirSync(join(data, 'lib'), { mode: 0o755 });
    chmodSync(join(data, 'lib'), 0o755);
    mkdirSync(dataLib, { recursive: true, mode: 0o700 });
    chownSync(dataLib, daemon.uid, daemon.gid);
    mkdirSync(join(data, 'lib/clock'));
    writeFileSync(savedClock, '');
    const yesterday = new Date(Date.now() - 86_400_000);
    utimesSync(savedClock, yesterday, yesterday);
    mkdirSync(join(data, 'log/journal'), { recursive: true });
    chownSync(join(data, 'log/journal'), 0, journalGid);
    chmodSync(join(data, 'log/journal'), 0o2755);
    // Later the test switches the daemon to demo mode (readers and a sensor the container lacks);
    // the demo bundle is bound in for that, read-only, beside the production one.
    mkdirSync(join(tree, 'opt/anjungan/dist/device'));

    const machine = `anj23-${process.pid % 100000}`;
    // One boot of the kiosk. The same tree and data partition boot again later (a reboot of the
    // board); the helpers below always act on the current boot.
    const boot = () =>
      bootTree(t, tree, [
        '--read-only',
        `--machine=${machine}`,
        `--bind=${data}:/data`,
        `--bind=${dataEtc}:/etc/anjungan`,
        `--bind=${dataLib}:/var/lib/anjungan`,
        `--bind-ro=${join(repo, 'dist/device')}:/opt/anjungan/dist/device`,
        '--drop-capability=CAP_SYS_TIME',
        '--network-veth',
      ]);
    let booted = await boot();
    const inside = (...cmd: string[]) => booted.inside(...cmd);
    const attempt = (...cmd: string[]) => booted.attempt(...cmd);
    const show = (unit: string, ...props: string[]) => booted.show(unit, ...props);
    const get = async (path: string) => (await booted.request(path)) as { status?: number; body?: Record<string, unknown>; error?: string };
    const provision = (...args: string[]) => attempt('anjungan-provision', ...args);
    const journal = (unit: string) => inside('journalctl', '-u', unit, '--no-pager', '-o', 'cat');

    try {
      await poll(
        async () => ((await show('anjungan.service', 'ActiveState')).ActiveState === 'active' ? true : null),
        'anjungan.service active',
        180_000,
      );
      t.comment(`booted, daemon ready ${((Date.now() - started) / 1000).toFixed(1)} s after the start of the test`);

      await t.test('not provisioned: out of service, saying what is missing, and no restart loop', async (t) => {
        const health = await get('/healthz');
        t.equal(health.status, 503, '/healthz says it is not ready');
        t.match(health.body, { ready: false, state: 'outOfService', reason: 'notProvisioned' });
        t.match(health.body!.missing, ['config'], 'the configuration is what is missing first');
        const view = await get('/api/view');
        t.match(view.body, { screen: 'outOfService', reason: 'notProvisioned', missing: ['config'] });
        const before = await show('anjungan.service', 'NRestarts', 'MainPID');
        await new Promise((r) => setTimeout(r, 5000));
        const after = await show('anjungan.service', 'NRestarts', 'MainPID', 'ActiveState');
        t.same(after, { ...before, ActiveState: 'active' }, 'the same process, no restart');
        t.equal(before.NRestarts, '0');
      });

      await t.test("the code cache: the daemon's first start leaves a candidate, root seals it, the daemon cannot change it", async (t) => {
        // docs/boot-time.md: a code cache is code the daemon runs, so the one it reads is root's.
        const candidate = join(dataLib, 'code-cache.new');
        const sealedDir = join(data, 'lib/anjungan-code-cache');
        const sealed = join(sealedDir, 'code-cache.bin');
        await poll(
          async () => (/"event":"codeCache","cache":"saved"/.test(await journal('anjungan.service')) ? true : null),
          'the candidate saved',
          90_000,
        );
        t.match(
          await journal('anjungan.service'),
          /"cache":"saved".*"file":"\/var\/lib\/anjungan\/code-cache\.new"/,
          'as a candidate in its state folder',
        );
        await poll(async () => (existsSync(sealed) && !existsSync(candidate) ? true : null), 'the candidate sealed', 60_000);
        t.match(await journal('anjungan-code-cache.service'), /code cache: sealed \d+ bytes as \S+$/m, 'by anjungan-code-cache.service');
        const file = statSync(sealed);
        t.comment(`the production bundle's sealed cache, not provisioned: ${file.size} bytes`);
        const dir = statSync(sealedDir);
        t.same([file.uid, file.mode & 0o7777, dir.uid, dir.mode & 0o7777], [0, 0o644, 0, 0o755], "root's: 0644 in a 0755 folder");
        const inCache = '/data/lib/anjungan-code-cache';
        t.equal(
          (await attempt('runuser', '-u', 'anjungan', '--', 'head', '-c', '1', `${inCache}/code-cache.bin`)).code,
          0,
          "the daemon's user reads it",
        );
        for (const cmd of [
          ['touch', `${inCache}/code-cache.bin`],
          ['sh', '-c', `echo planted > ${inCache}/code-cache.bin`],
          ['sh', '-c', `echo planted > ${inCache}/code-cache.bin.tmp`],
          ['mv', `${inCache}/code-cache.bin`, '/var/lib/anjungan/moved'],
        ]) {
          t.not((await attempt('runuser', '-u', 'anjungan', '--', ...cmd)).code, 0, `the daemon's user cannot: ${cmd.join(' ')}`);
        }
        // A daemon taken over could still write a candidate, one with a right key and checksum: once
        // the release's cache is sealed, it is deleted and changes nothing.
        const before = readFileSync(sealed);
        const eol = before.indexOf(10);
        const header = JSON.parse(before.subarray(0, eol).toString('utf8')) as { sha256: string };
        const forged = randomBytes(before.length - eol - 1);
        header.sha256 = createHash('sha256').update(forged).digest('hex');
        writeFileSync(`${candidate}.tmp`, Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), forged]), { mode: 0o600 });
        chownSync(`${candidate}.tmp`, daemon.uid, daemon.gid);
        renameSync(`${candidate}.tmp`, candidate);
        await poll(async () => (existsSync(candidate) ? null : true), 'the forged candidate handled', 60_000);
        t.match(await journal('anjungan-code-cache.service'), /already sealed: candidate deleted/, 'a forged candidate is deleted');
        t.ok(readFileSync(sealed).equals(before), 'and the sealed cache is unchanged');
        const used = async () => ((await journal('anjungan.service')).match(/"event":"codeCache","cache":"used"/g) ?? []).length;
        t.equal(await used(), 0, 'the first start ran without a cache');
        await inside('systemctl', 'restart', 'anjungan.service');
        t.ok(
          await poll(async () => ((await used()) === 1 ? true : null), 'the next start with the sealed cache', 90_000),
          'the next start runs with it',
        );
        t.notOk(existsSync(candidate), 'and leaves no candidate');
      });

      await t.test('the frozen-page watch is armed from the start: no page ever pinged, the browser is restarted', async (t) => {
        await poll(
          async () =>
            Number((await show('anjungan-kiosk-restart.service', 'ExecMainStartTimestampMonotonic')).ExecMainStartTimestampMonotonic) > 0
              ? true
              : null,
          'the browser restart',
          120_000,
        );
        t.match(await journal('anjungan.service'), /stopped pinging/);
        // The container has no display for the browser: stopped, and masked so the next report
        // does not start it again.
        await attempt('systemctl', 'mask', '--runtime', '--now', 'anjungan-kiosk.service');
      });

      await t.test("the kiosk browser's start page, from the image, waits for the daemon and then shows its screen", async (t) => {
        const kiosk = readFileSync(join(tree, 'etc/systemd/system/anjungan-kiosk.service'), 'utf8');
        t.match(kiosk, /file:\/\/\/usr\/share\/anjungan\/start\/index\.html$/m, 'the browser starts on the local page');
        const policy = JSON.parse(readFileSync(join(tree, 'usr/share/anjungan/kiosk-chromium-policies/anjungan.json'), 'utf8'));
        t.ok(policy.URLAllowlist.includes('file:///usr/share/anjungan/start/index.html'), "the kiosk's policies allow it");
        await inside('systemctl', 'stop', 'anjungan.service');
        // The host's Chromium in the container's network namespace opens the image's own file.
        const wrapper = join(work, 'chromium-in-kiosk-net');
        writeFileSync(wrapper, `#!/bin/sh\nexec nsenter --target ${booted.leader} --net /usr/bin/chromium "$@"\n`, { mode: 0o755 });
        const browser = await chromium.launch({
          executablePath: wrapper,
          args: [
            '--headless',
            '--no-sandbox',
            '--disable-gpu',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        });
        t.teardown(() => browser.close());
        const page = await browser.newPage({ viewport: { width: 800, height: 480 } });
        await page.goto(`file://${join(tree, 'usr/share/anjungan/start/index.html')}`);
        await page.waitForSelector('[data-testid="start-page"][data-state="starting"]');
        t.match(await page.textContent('h1'), 'Anjungan sedang disiapkan', 'a calm "starting" screen while the daemon is down');
        await new Promise((r) => setTimeout(r, 4000));
        t.match(page.url(), /^file:/, 'still there while nothing answers (no browser error page)');
        await inside('systemctl', 'start', 'anjungan.service');
        await page.waitForURL('http://127.0.0.1:8080/', { timeout: 60_000 });
        await page.waitForSelector('[data-testid="provisioning-missing"]', { timeout: 60_000 });
        t.match(
          await page.textContent('[data-testid="out-of-service-reason"]'),
          'belum selesai disiapkan',
          "the daemon's not-provisioned screen",
        );
        t.match(await page.textContent('[data-testid="provisioning-missing"]'), 'init', 'naming the command that sets what is missing');
      });

      await t.test('provisioning inside the kiosk: the screen follows, commands are audited', async (t) => {
        const issuer = join(dataEtc, 'issuer-delivered.pem');
        writeFileSync(
          issuer,
          execFileSync('openssl', ['pkey', '-pubout'], {
            input: execFileSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']),
          }),
        );
        const init = await provision(
          'init',
          '--kiosk-id',
          'KRA-23',
          '--site',
          'BKD Uji',
          '--region-code',
          '33.13',
          '--issuer-key',
          '/etc/anjungan/issuer-delivered.pem',
          '--owner',
          'anjungan',
        );
        t.equal(init.code, 0, init.out);
        t.equal(readFileSync(join(dataEtc, 'hostname'), 'utf8').trim(), 'anjungan-kra-23', 'a host name of its own');
        t.equal(await inside('cat', '/proc/sys/kernel/hostname'), 'anjungan-kra-23', 'set at once');
        const missing = await poll(
          async () => {
            const m = (await get('/healthz')).body?.missing as string[] | undefined;
            return m && !m.includes('config') ? m : null;
          },
          'the screen to follow the configuration',
          90_000,
        );
        t.same(missing, ['dukcapilCredentials', 'uplink', 'agreement', 'sam', 'ntp'], 'what is left, in the order a technician sets it');
        const db = new Database(join(dataLib, 'anjungan.sqlite'), { readonly: true });
        t.teardown(() => db.close());
        t.match(
          db.prepare("SELECT state, outcome, staff_id AS staffId FROM audit_event WHERE code = 'technicianCommand'").all(),
          [{ state: 'init', outcome: '0', staffId: 'anjungan-provision' }],
          'init is in the audit trail',
        );
        t.match(
          await inside('journalctl', '-t', 'anjungan-provision', '--no-pager', '-o', 'cat'),
          /technician command: init: exit 0/,
          'and in the journal',
        );
      });

      await t.test('network set: networkd gives the link the written address', async (t) => {
        // The cable: networkd puts a fixed address on a link only once it has a carrier, and the
        // veth's far end (in this test's network namespace, with no address) is down until raised.
        execFileSync('ip', ['link', 'set', `ve-${machine}`, 'up']);
        const set = await provision('network', 'set', '--address', '10.223.0.2/24', '--gateway', '10.223.0.1', '--interface', 'host0');
        t.equal(set.code, 0, set.out);
        t.match(readFileSync(join(dataEtc, 'network/10-anjungan.network'), 'utf8'), /^Address=10\.223\.0\.2\/24$/m);
        const address = await poll(
          async () => ((await inside('ip', '-4', '-o', 'addr', 'show', 'host0')).includes('10.223.0.2/24') ? true : null),
          'the address on host0',
          60_000,
        );
        t.ok(address, 'host0 has 10.223.0.2/24');
        t.equal(
          (await provision('network', 'set', '--address', '10.223.0.2', '--gateway', '10.223.0.1')).code,
          2,
          'an address without its prefix is refused',
        );
      });

      await t.test('time set: timesyncd pointed at the servers, never a fallback pool; the firewall allows them', async (t) => {
        const set = await provision('time', 'set', '--ntp', '10.223.0.1');
        t.equal(set.code, 0, set.out);
        const merged = await inside('systemd-analyze', 'cat-config', 'systemd/timesyncd.conf');
        t.match(merged, /^NTP=10\.223\.0\.1$/m);
        t.match(merged, /^FallbackNTP=$/m, 'no Debian pool as fallback');
        t.equal(
          (await show('systemd-timesyncd.service', 'UnitFileState')).UnitFileState,
          'enabled',
          'timesyncd is enabled (a container may not set the clock, so it is skipped here)',
        );
        t.match(
          await inside('nft', 'list', 'table', 'inet', 'anjungan_egress'),
          /ip daddr 10\.223\.0\.1 udp dport 123 accept/,
          'the firewall was reloaded with the NTP server',
        );
        t.equal((await provision('time', 'set', '--ntp', 'ntp.example')).code, 2, 'a name is refused');
      });

      await t.test('uplink set: an IP address is required, and the firewall is reloaded with it', async (t) => {
        const ca = '/etc/anjungan/ca-delivered.pem';
        writeFileSync(
          join(dataEtc, 'ca-delivered.pem'),
          execFileSync(
            'openssl',
            [
              'req',
              '-x509',
              '-newkey',
              'ec',
              '-pkeyopt',
              'ec_paramgen_curve:P-256',
              '-nodes',
              '-keyout',
              '/dev/null',
              '-subj',
              '/CN=Uji CA',
              '-days',
              '30',
              '-addext',
              'basicConstraints=critical,CA:TRUE',
            ],
            { stdio: ['ignore', 'pipe', 'ignore'] },
          ),
        );
        const byName = await provision('uplink', 'set', '--url', 'https://dukcapil.example:8443/', '--institution', 'BKD_UJI', '--ca', ca);
        t.equal(byName.code, 2);
        t.match(byName.out, /by IP address/);
        t.notMatch(await inside('nft', 'list', 'table', 'inet', 'anjungan_egress'), /8443/, 'nothing changed');
        const set = await provision('uplink', 'set', '--url', 'https://10.223.0.9:8443/', '--institution', 'BKD_UJI', '--ca', ca);
        t.equal(set.code, 0, set.out);
        t.match(set.out, /firewall: reloaded/);
        t.match(
          await inside('nft', 'list', 'table', 'inet', 'anjungan_egress'),
          /ip daddr 10\.223\.0\.9 tcp dport 8443 accept/,
          'the rules allow the new endpoint',
        );
      });

      await t.test('the clock: restored from the data partition early at boot, never set back; saved again', async (t) => {
        const restore = await show('anjungan-clock.service', 'ActiveState', 'After', 'Before');
        t.equal(restore.ActiveState, 'active');
        t.match(restore.Before, /time-set\.target/);
        t.match(restore.Before, /systemd-timesyncd\.service/);
        t.match(await journal('anjungan-clock.service'), /is not behind the saved time/, 'a clock ahead of the saved time is kept');
        const ahead = new Date(Date.now() + 86_400_000);
        utimesSync(savedClock, ahead, ahead);
        await attempt('systemctl', 'restart', 'anjungan-clock.service');
        const log = await journal('anjungan-clock.service');
        t.match(log, /is behind the saved time .*: setting it forward/, 'a clock behind the saved time is set forward');
        t.match(log, /not saved/, 'and the stop did not drag the saved time back');
        t.ok(
          Math.abs(Date.now() - new Date().getTime()) < 1000 && Date.now() < ahead.getTime() - 3_600_000,
          'here the container may not set the clock (no CAP_SYS_TIME): the host clock is untouched',
        );
        utimesSync(savedClock, yesterday, yesterday);
        await attempt('systemctl', 'reset-failed', 'anjungan-clock.service');
        await inside('systemctl', 'start', 'anjungan-clock-save.service');
        t.ok(Math.abs(statSync(savedClock).mtimeMs - Date.now()) < 120_000, 'the save brings the file to now');
        t.equal((await show('anjungan-clock-save.timer', 'ActiveState')).ActiveState, 'active', 'saved every 15 minutes');
        t.ok(statSync(join(tree, 'usr/lib/clock-epoch')).mtimeMs > Date.parse('2026-01-01'), 'the image never boots before its build time');
      });

      await t.test('identity and evidence: a stable machine ID, the journal on the data partition', async (t) => {
        const committed = readFileSync(join(dataEtc, 'machine-id'), 'utf8').trim();
        t.match(committed, /^[0-9a-f]{32}$/, "the first boot's machine ID is committed to the data partition");
        t.equal(await inside('cat', '/etc/machine-id'), committed);
        t.match(
          await inside('journalctl', '--header', '--no-pager'),
          new RegExp(`File path: /var/log/journal/${committed}/`),
          'the journal is persistent',
        );
        await inside('journalctl', '--sync');
        t.ok(
          readdirSync(join(data, 'log/journal', committed)).some((f) => f.endsWith('.journal')),
          'on the data partition',
        );
        t.match(await inside('systemd-analyze', 'cat-config', 'systemd/journald.conf'), /^SystemMaxUse=64M$/m, 'size-capped');
        for (const tool of ['vi', 'ping', 'lsusb', 'pcsc_scan', 'gpioinfo', 'less'])
          t.equal((await attempt('sh', '-c', `command -v ${tool}`)).code, 0, `${tool} is there`);
      });

      await t.test('udev rules give the daemon its devices; the GPIO helper runs as the daemon', async (t) => {
        const rules = ['60-anjungan-devices.rules', '61-anjungan-fingerprint.rules', '80-anjungan-usb-export.rules'];
        const verify = await attempt('udevadm', 'verify', ...rules.map((r) => `/etc/udev/rules.d/${r}`));
        t.equal(verify.code, 0, verify.out);
        t.match(await inside('cat', '/etc/udev/rules.d/60-anjungan-devices.rules'), /KERNEL=="gpiochip\*", GROUP="gpio", MODE="0660"/);
        const sensors = (await inside('cat', '/etc/udev/rules.d/61-anjungan-fingerprint.rules'))
          .split('\n')
          .filter((l) => l.startsWith('ACTION'));
        t.ok(sensors.length > 50, `${sensors.length} fingerprint sensors libfprint supports go to the daemon's group`);
        t.match(await inside('id', '-nG', 'anjungan'), /\bgpio\b/, "the daemon's user is in gpio");
        t.match(
          await inside('systemctl', 'show', 'anjungan.service', '-p', 'ReadWritePaths', '--value'),
          /^-?\/media\/anjungan-export$/,
          'the daemon writes only under the export root',
        );
        // No gpio-sim or gpio-mockup in this kernel: the chip cannot be opened for real here; the
        // helper, as the daemon's user, tells there is none (not that it may not open one).
        const probe = await attempt(
          'setpriv',
          '--reuid=anjungan',
          '--regid=anjungan',
          '--init-groups',
          '/usr/lib/anjungan/anjungan-gpio',
          '--probe',
          'tamper:pinctrl-bcm2711:25:in:1',
        );
        t.equal(probe.code, 2);
        t.match(JSON.parse(probe.out.trim()), { error: existsSync('/dev/gpiochip0') ? 'chipNotFound' : 'noChip' });
      });

      await t.test('a genuine crash loop stops at the start limit, alerts, and is tried again later', async (t) => {
        mkdirSync(join(tree, 'etc/systemd/system/anjungan.service.d'), { recursive: true });
        const dropIn = join(tree, 'etc/systemd/system/anjungan.service.d/test-crash.conf');
        writeFileSync(dropIn, '[Service]\nExecStart=\nExecStart=/bin/false\n');
        await inside('systemctl', 'daemon-reload');
        try {
          await attempt('systemctl', 'restart', 'anjungan.service');
          const failed = await poll(
            async () => ((await show('anjungan.service', 'ActiveState')).ActiveState === 'failed' ? true : null),
            'the unit to give up',
            180_000,
          );
          t.ok(failed, 'the unit stopped restarting: failed');
          t.match(await journal('anjungan.service'), /Start request repeated too quickly/, 'at its start limit');
          await poll(async () => (existsSync(join(dataLib, 'crash-loop')) ? true : null), 'the crash alert marker', 30_000);
          const alerts = (await journal('anjungan-crash-alert.service')).match(/crashed 6 times in 10 minutes/g) ?? [];
          t.equal(alerts.length, 1, 'one alert for the loop, not one per crash');
          t.equal((await show('anjungan-retry.timer', 'ActiveState')).ActiveState, 'active', 'another try is scheduled');
        } finally {
          rmSync(dropIn);
          await inside('systemctl', 'daemon-reload');
          await attempt('systemctl', 'reset-failed', 'anjungan.service');
        }
      });

      await t.test('a full data partition: out of service with an alert before SQLite fails, /healthz truthful', async (t) => {
        // Demo mode from here: production would need the readers and sensor the container lacks.
        const demoExec = readFileSync(join(repo, 'systemd/anjungan.service'), 'utf8')
          .match(/^ExecStart=.*$/m)![0]
          .replace('/dist/appliance/', '/dist/device/');
        writeFileSync(
          join(tree, 'etc/systemd/system/anjungan.service.d/test-demo-mode.conf'),
          `[Service]\nEnvironment=ANJUNGAN_MODE=demo\nExecStart=\n${demoExec}\n`,
        );
        // The demo bundle stands in for another release: its cache is sealed by its own sealer.
        const sealExec = readFileSync(join(repo, 'systemd/anjungan-code-cache.service'), 'utf8')
          .match(/^ExecStart=.*$/m)![0]
          .replace('/dist/appliance/', '/dist/device/');
        mkdirSync(join(tree, 'etc/systemd/system/anjungan-code-cache.service.d'), { recursive: true });
        writeFileSync(
          join(tree, 'etc/systemd/system/anjungan-code-cache.service.d/test-demo-mode.conf'),
          `[Service]\nExecStart=\n${sealExec}\n`,
        );
        // The demo's own configuration and credentials (simulated registry and SAM), as booted.test.ts.
        writeFileSync(join(dataEtc, 'config.json'), JSON.stringify({ disk: { lowMb: 64, reserveMb: 32 } }), { mode: 0o640 });
        writeFileSync(join(dataLib, 'credentials.json'), JSON.stringify(await demoCredentials(DEMO_CREDENTIALS)), { mode: 0o600 });
        await inside('systemctl', 'daemon-reload');
        await inside('systemctl', 'restart', 'anjungan.service');
        const ready = await poll(async () => ((await get('/healthz')).status === 200 ? true : null), 'the demo kiosk ready', 90_000);
        t.ok(ready, 'in service with room on the data partition');
        const free = statfsBytes(data);
        execFileSync('fallocate', ['-l', String(free - 20 * 1048576), join(data, 'filler')]);
        const out = await poll(
          async () => {
            const h = await get('/healthz');
            return h.status === 503 && h.body?.reason === 'diskFull' ? h : null;
          },
          'out of service: diskFull',
          60_000,
        );
        t.match(out.body, { ready: false, state: 'outOfService', disk: 'full' });
        t.match((await get('/api/view')).body, { screen: 'outOfService', reason: 'diskFull' }, 'the screen says so');
        const db = new Database(join(dataLib, 'anjungan.sqlite'), { readonly: true });
        t.teardown(() => db.close());
        t.ok(db.prepare("SELECT 1 FROM staff_alerts WHERE kind = 'diskLow'").get(), 'staff have a low-disk alert');
        t.ok(db.prepare("SELECT 1 FROM staff_alerts WHERE kind = 'crashLoop'").get(), 'and the crash loop of before');
        t.equal((await show('anjungan.service', 'ActiveState')).ActiveState, 'active', 'the daemon runs on, not crashing');
        rmSync(join(data, 'filler'));
        const back = await poll(async () => ((await get('/healthz')).status === 200 ? true : null), 'back in service', 90_000);
        t.ok(back, 'in service again once there is room');
      });

      await t.test("a second boot: the same machine ID and host name, the first boot's journal kept", async (t) => {
        const committed = readFileSync(join(dataEtc, 'machine-id'), 'utf8').trim();
        await inside('systemctl', 'poweroff', '--no-block');
        t.not(await booted.exitWithin(120_000), 'still running', 'the kiosk powers off');
        booted = await boot();
        const identity = await poll(
          async () => ((await show('anjungan-identity.service', 'ActiveState')).ActiveState === 'active' ? true : null),
          'anjungan-identity.service after the second boot',
          180_000,
        );
        t.ok(identity, 'the identity service ran');
        t.equal(await inside('cat', '/etc/machine-id'), committed, "the machine ID is the first boot's, from the data partition");
        t.match(
          await journal('anjungan-identity.service'),
          new RegExp(`machine ID ${committed} from /etc/anjungan/machine-id`),
          'bound over the one systemd made for this boot',
        );
        t.equal(await inside('cat', '/proc/sys/kernel/hostname'), 'anjungan-kra-23', 'the host name from init');
        const boots = (await inside('journalctl', '--list-boots', '--no-pager', '-q')).split('\n').filter((l) => l.trim() !== '');
        t.ok(boots.length >= 2, `the journal holds both boots (${boots.length})`);
        t.match(
          await inside('journalctl', '-b', '-1', '-u', 'anjungan-crash-alert.service', '--no-pager', '-o', 'cat'),
          /crashed 6 times in 10 minutes/,
          "the first boot's crash-loop alert is still in the journal",
        );
        const ready = await poll(
          async () => ((await get('/healthz')).status === 200 ? true : null),
          'the kiosk serving after the reboot',
          180_000,
        );
        t.ok(ready, 'the kiosk serves again after the reboot');
        // The code cache (docs/boot-time.md): the first boot's demo daemon (another release than the
        // production one's cache) left a candidate, root sealed it, and this boot's daemon reads it.
        t.match(
          await inside('journalctl', '-b', '-1', '-u', 'anjungan-code-cache.service', '--no-pager', '-o', 'cat'),
          /code cache: sealed \d+ bytes[^]*code cache: sealed \d+ bytes/,
          "the first boot sealed the production release's cache, then the demo's",
        );
        const cacheUsed = await poll(
          async () =>
            /"event":"codeCache","cache":"used"/.test(await inside('journalctl', '-b', '-u', 'anjungan.service', '--no-pager', '-o', 'cat'))
              ? true
              : null,
          'the code cache used after the reboot',
          60_000,
        );
        t.ok(cacheUsed, "this boot's daemon started with it");
      });
    } catch (err) {
      t.comment(booted.log().slice(-4000));
      t.comment(await inside('journalctl', '--no-pager', '-n', '80', '-o', 'cat').catch(() => 'no journal'));
      throw err;
    } finally {
      await inside('systemctl', 'poweroff', '--no-block').catch(() => undefined);
      await booted.exitWithin(30_000);
    }
  },
);

function statfsBytes(dir: string): number {
  const [available, blockSize] = execFileSync('stat', ['-f', '-c', '%a %S', dir], { encoding: 'utf8' }).trim().split(' ').map(Number);
  return available! * blockSize!;
}
