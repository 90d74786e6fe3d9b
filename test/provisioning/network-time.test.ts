/**
 * `network set|show`, `time set|show` and the audit of technician commands, on a tree made with
 * --root (nothing is applied to this machine: the booted test, test/systemd/appliance.test.ts,
 * runs the same commands inside a kiosk where networkd, timesyncd and the firewall take them).
 */
import t from 'tap';
import { readFileSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { layout } from '../../provisioning/layout.ts';
import { openDatabase } from '../../device/store/db.ts';
import { cli, INIT, tempRoot, treeHash } from './cli-harness.ts';

t.test('network set writes the networkd file: DHCP or a fixed address; bad input changes nothing', async (t) => {
  const root = tempRoot(t, 'network');
  t.equal((await cli([...INIT, '--root', root])).code, 0);
  const l = layout(root);
  const before = treeHash(root);
  for (const [args, message] of [
    [[], /either --dhcp or --address/],
    [['--dhcp', '--address', '10.1.2.3/24'], /either --dhcp or --address/],
    [['--address', '10.1.2.3'], /with its prefix length/],
    [['--address', '10.1.2.3/33', '--gateway', '10.1.2.1'], /with its prefix length/],
    [['--address', '10.1.2.3/24'], /needs --gateway/],
    [['--address', '10.1.2.3/24', '--gateway', 'router.local'], /not an IP address/],
    [['--address', '10.1.2.3/24', '--gateway', 'fd00::1'], /same IP version/],
    [['--dhcp', '--dns', '10.1.2.2'], /DHCP gives them/],
    [['--dhcp', '--interface', 'eth0; rm -rf /'], /not an interface name/],
  ] as Array<[string[], RegExp]>) {
    const r = await cli(['network', 'set', '--root', root, ...args]);
    t.equal(r.code, 2, args.join(' ') || '(nothing)');
    t.match(r.stderr, message);
  }
  t.equal(treeHash(root), before, 'bad input changed nothing');

  const fixed = await cli([
    'network',
    'set',
    '--root',
    root,
    '--address',
    '10.20.30.41/24',
    '--gateway',
    '10.20.30.1',
    '--dns',
    '10.20.30.2,10.20.30.3',
  ]);
  t.equal(fixed.code, 0, fixed.stderr);
  const file = readFileSync(l.networkFile, 'utf8');
  t.match(file, /^\[Match\]\nName=en\* eth\*$/m, 'every Ethernet port by default');
  for (const line of ['Address=10.20.30.41/24', 'Gateway=10.20.30.1', 'DNS=10.20.30.2', 'DNS=10.20.30.3', 'LinkLocalAddressing=no'])
    t.match(file, new RegExp(`^${line.replace(/[.*]/g, '\\$&')}$`, 'm'));
  t.equal(statSync(l.networkFile).mode & 0o777, 0o644, 'readable by systemd-networkd (its own user)');
  t.match(fixed.stdout, /not applied \(not on a running kiosk\)/, 'and it says it applied nothing here');
  t.equal((await cli(['network', 'set', '--root', root, '--dhcp', '--interface', 'end0'])).code, 0);
  t.match(readFileSync(l.networkFile, 'utf8'), /^Name=end0\n\n\[Network\]\nDHCP=yes$/m);
  t.match((await cli(['network', 'show', '--root', root])).stdout, /DHCP=yes/);
});

t.test('time set: NTP servers by address into the config (firewall) and timesyncd', async (t) => {
  const root = tempRoot(t, 'time');
  t.equal((await cli([...INIT, '--root', root])).code, 0);
  const l = layout(root);
  for (const bad of [
    'ntp.example',
    '10.1.2.300',
    '1,2,3,4,5,6,7,8,9'
      .split(',')
      .map((n) => `10.0.0.${n}`)
      .join(','),
  ]) {
    t.equal((await cli(['time', 'set', '--root', root, '--ntp', bad])).code, 2, bad);
  }
  const set = await cli(['time', 'set', '--root', root, '--ntp', '10.20.30.5, 10.20.31.5', '--json']);
  t.equal(set.code, 0, set.stderr);
  t.same(JSON.parse(readFileSync(l.configFile, 'utf8')).egress.ntpServers, ['10.20.30.5', '10.20.31.5']);
  t.match(readFileSync(l.timesyncdFile, 'utf8'), /^\[Time\]\nNTP=10\.20\.30\.5 10\.20\.31\.5$/m);
  const show = await cli(['time', 'show', '--root', root, '--json']);
  t.match(JSON.parse(show.stdout), { ntpServers: ['10.20.30.5', '10.20.31.5'] });
});

t.test('init names the kiosk host and the USB export root', async (t) => {
  const root = tempRoot(t, 'identity');
  t.equal((await cli([...INIT, '--root', root])).code, 0);
  const l = layout(root);
  t.match(readFileSync(l.hostnameFile, 'utf8'), /^anjungan-[a-z0-9-]+\n$/);
  t.same(JSON.parse(readFileSync(l.configFile, 'utf8')).returnDataExport, { roots: ['/media/anjungan-export'] });
});

t.test('commands that change the kiosk are audited once it has an audit trail; reading ones are not', async (t) => {
  const root = tempRoot(t, 'audit');
  t.equal((await cli([...INIT, '--root', root])).code, 0);
  const l = layout(root);
  // The daemon makes its database at its first start; the CLI never creates it.
  t.equal((await cli(['time', 'set', '--root', root, '--ntp', '10.20.30.5'])).code, 0);
  openDatabase(l.stateDir).close();
  t.equal((await cli(['time', 'set', '--root', root, '--ntp', '10.20.30.6'])).code, 0);
  t.equal((await cli(['time', 'set', '--root', root, '--ntp', 'bad'])).code, 2);
  t.equal((await cli(['time', 'show', '--root', root])).code, 0);
  t.equal((await cli(['network', 'set', '--root', root, '--dhcp'])).code, 0);
  const db = new Database(`${l.stateDir}/anjungan.sqlite`, { readonly: true });
  t.teardown(() => db.close());
  t.same(
    db.prepare("SELECT state, outcome, staff_id AS staffId FROM audit_event WHERE code = 'technicianCommand' ORDER BY id").all(),
    [
      { state: 'time set', outcome: '0', staffId: 'anjungan-provision' },
      { state: 'time set', outcome: '2', staffId: 'anjungan-provision' },
      { state: 'network set', outcome: '0', staffId: 'anjungan-provision' },
    ],
    'each change with its exit code, a refused one too; never its arguments',
  );
});
