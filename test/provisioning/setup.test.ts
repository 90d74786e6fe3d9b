import t from 'tap';
import { readFileSync } from 'node:fs';
import { loadConfig, type ConfigError } from '../../device/config.ts';
import { readCredentials } from '../../device/store/credentials.ts';
import { layout } from '../../provisioning/layout.ts';
import { cli, INIT, mode, tempRoot, treeHash } from './cli-harness.ts';

t.test('init makes the tree with its modes; the daemon loads what it wrote', async (t) => {
  const root = tempRoot(t, 'init');
  const r = await cli([...INIT, '--root', root, '--json']);
  t.equal(r.code, 0, r.stderr);
  t.match(r.json, { ok: true, kioskId: 'KRA-01' });
  const l = layout(root);
  t.equal(mode(l.configDir), 0o751);
  t.equal(mode(l.configFile), 0o640);
  t.equal(mode(l.stateDir), 0o700);
  t.equal(mode(l.credentialFile), 0o600);
  let problems: string[] = [];
  try {
    loadConfig({ ANJUNGAN_CONFIG: l.configFile }, new Date());
  } catch (e) {
    problems = (e as ConfigError).problems;
  }
  t.same(
    problems,
    [
      '/uplink/baseUrl is required in production',
      '/uplink/caFile is required in production',
      '/card/issuerPublicKeyFile is required in production',
    ],
    'production still needs the uplink and the issuer key',
  );

  // The file as the daemon checks it, before the uplink is set: the schema only.
  const config = loadConfig({ ANJUNGAN_CONFIG: l.configFile, ANJUNGAN_MODE: 'pcsc-sim' }, new Date());
  t.equal(JSON.parse(readFileSync(l.configFile, 'utf8')).mode, 'production');
  t.equal(config.stateDir, l.stateDir);
  t.same(config.kiosk, { id: 'KRA-01', site: 'BKD Kabupaten Karanganyar', regionCode: '33.13', officeAddress: 'Jl. Contoh No. 1' });
  t.same(config.agreement.numbers, [], 'no agreement until one is set: the demo agreement never leaks in');
  const credentials = readCredentials(l.credentialFile);
  t.match(credentials, { auditKey: /^[0-9a-f]{64}$/, outboxKey: /^[0-9a-f]{64}$/, staff: [] });
  t.notOk(credentials.dukcapil);

  const again = treeHash(root);
  const twice = await cli([...INIT, '--root', root]);
  t.equal(twice.code, 6, 'a second init is refused');
  t.match(twice.stderr, /already initialised/);
  t.equal(treeHash(root), again);
});

t.test('credentials: secrets from stdin, never argv; show prints no value', async (t) => {
  const root = tempRoot(t, 'cred');
  t.equal((await cli([...INIT, '--root', root])).code, 0);
  const l = layout(root);
  const before = treeHash(root);
  for (const args of [['--password', 'hunter2'], ['--password=hunter2'], ['--ip-user', '192.0.2.10']]) {
    const r = await cli(['credentials', 'set', '--root', root, '--user-id', 'BKD-KRA-01', ...args], { stdin: 'pw\n192.0.2.10\n' });
    t.equal(r.code, 2, args.join(' '));
    t.match(r.stderr, /never given on the command line/);
    t.notMatch(r.stderr + r.stdout, /hunter2/);
  }
  const short = await cli(['credentials', 'set', '--root', root, '--user-id', 'BKD-KRA-01'], { stdin: 'only-a-password\n' });
  t.equal(short.code, 2);
  t.match(short.stderr, /expected Password, IP_USER on stdin/);
  t.equal(treeHash(root), before, 'refused input changed nothing');

  const set = await cli(['credentials', 'set', '--root', root, '--user-id', 'BKD-KRA-01'], {
    stdin: 'synthetic-password-1\n192.0.2.10\n',
    now: new Date('2024-05-01T03:00:00Z'),
  });
  t.equal(set.code, 0, set.stderr);
  t.equal(mode(l.credentialFile), 0o600);
  t.match(readCredentials(l.credentialFile).dukcapil, { userId: 'BKD-KRA-01', password: 'synthetic-password-1', ipUser: '192.0.2.10' });
  const show = await cli(['credentials', 'show', '--root', root, '--json']);
  t.equal(show.code, 0);
  t.match(show.json, { dukcapil: { set: true, at: '2024-05-01T03:00:00.000Z' }, sam: { set: false } });
  const human = await cli(['credentials', 'show', '--root', root]);
  for (const out of [show.stdout, human.stdout]) t.notMatch(out, /BKD-KRA-01|synthetic-password-1|192\.0\.2\.10/);
});

t.test('agreement: WIB day boundaries, extension, exit codes of check', async (t) => {
  const root = tempRoot(t, 'agr');
  t.equal((await cli([...INIT, '--root', root])).code, 0);
  const l = layout(root);
  const check = (at: string) => cli(['agreement', 'check', '--root', root, '--json', '--at', at]);
  t.equal((await check('2024-06-01T00:00:00+07:00')).code, 4, 'none recorded: not in force');

  const set = await cli([
    'agreement',
    'set',
    '--root',
    root,
    '--numbers',
    '470/1/2022, 027/2/2022',
    '--from',
    '2022-11-10',
    '--until',
    '2024-11-09',
  ]);
  t.equal(set.code, 0, set.stderr);
  t.same(loadConfig({ ANJUNGAN_CONFIG: l.configFile, ANJUNGAN_MODE: 'pcsc-sim' }, new Date()).agreement, {
    numbers: ['470/1/2022', '027/2/2022'],
    start: '2022-11-10',
    end: '2024-11-09',
  });

  t.equal((await check('2022-11-09T23:59:00+07:00')).code, 4, 'the day before the start');
  t.equal((await check('2022-11-10T00:00:00+07:00')).code, 0, 'the first day');
  t.equal((await check('2024-10-10T23:59:00+07:00')).code, 0, '31 days left');
  const ending = await check('2024-10-11T00:00:00+07:00');
  t.equal(ending.code, 3, '30 days left');
  t.match(ending.json, { state: 'endingSoon', daysLeft: 30 });
  const lastMinute = await check('2024-11-09T23:59:00+07:00');
  t.equal(lastMinute.code, 3, '9 Nov 2024 23:59 WIB is still in force');
  t.match(lastMinute.json, { daysLeft: 1 });
  t.equal((await check('2024-11-09T16:59:00Z')).code, 3, 'the same minute written in UTC');
  const ended = await check('2024-11-10T00:00:00+07:00');
  t.equal(ended.code, 4, '10 Nov 2024 00:00 WIB is not');
  t.match(ended.json, { state: 'ended' });

  const before = treeHash(root);
  const bad: string[][] = [
    ['agreement', 'set', '--numbers', 'X', '--from', '2022-11-31', '--until', '2024-11-09'],
    ['agreement', 'set', '--numbers', 'X', '--from', '10-11-2022', '--until', '2024-11-09'],
    ['agreement', 'set', '--numbers', 'X', '--from', '2024-11-10', '--until', '2024-11-09'],
    ['agreement', 'set', '--numbers', ',', '--from', '2022-11-10', '--until', '2024-11-09'],
    ['agreement', 'extend', '--addendum', 'A/1', '--until', '2024-11-09'],
    ['agreement', 'extend', '--addendum', 'A/1', '--until', 'next year'],
    ['agreement', 'check', '--at', 'tomorrow'],
    ['agreement', 'set', '--numbers', 'X', '--from', '2022-11-10'],
    ['agreement', 'set', '--numbers', 'X', '--from', '2022-11-10', '--until', '2024-11-09', '--frm', 'x'],
  ];
  for (const args of bad) {
    const r = await cli([...args, '--root', root]);
    t.equal(r.code, 2, args.join(' '));
    t.ok(r.stderr.trim().length > 10, `clear error: ${r.stderr.trim()}`);
  }
  t.equal(treeHash(root), before, 'bad input changed nothing');

  const ext = await cli(['agreement', 'extend', '--root', root, '--addendum', '470/9/2024', '--until', '2026-11-09', '--json'], {
    now: new Date('2024-11-01T02:00:00Z'),
  });
  t.equal(ext.code, 0, ext.stderr);
  t.equal((await check('2024-11-10T00:00:00+07:00')).code, 0, 'the extension takes effect');
  t.equal((await check('2026-11-10T00:00:00+07:00')).code, 4);
  const show = await cli(['agreement', 'show', '--root', root, '--at', '2025-01-01T00:00:00+07:00']);
  t.match(show.stdout, /addendum 470\/9\/2024: until 2026-11-09/);
  t.same(loadConfig({ ANJUNGAN_CONFIG: l.configFile, ANJUNGAN_MODE: 'pcsc-sim' }, new Date()).agreement.addenda, [
    { number: '470/9/2024', until: '2026-11-09', recordedAt: '2024-11-01T02:00:00.000Z' },
  ]);
  t.equal(
    (await cli(['agreement', 'extend', '--root', root, '--addendum', '470/9/2024', '--until', '2027-11-09'])).code,
    2,
    'an addendum is recorded once',
  );
});

t.test('every command has help with examples and exit codes', async (t) => {
  for (const cmd of [
    ['init'],
    ['credentials', 'set'],
    ['credentials', 'show'],
    ['agreement', 'set'],
    ['agreement', 'extend'],
    ['agreement', 'check'],
    ['uplink', 'set'],
    ['uplink', 'test'],
    ['sam', 'install'],
    ['sam', 'status'],
    ['operators', 'add'],
    ['operators', 'list'],
    ['operators', 'disable'],
    ['operators', 'roster'],
    ['return-data', 'export'],
    ['deactivate'],
    ['doctor'],
  ]) {
    const r = await cli([...cmd, '--help']);
    t.equal(r.code, 0, cmd.join(' '));
    t.match(r.stdout, /Examples:\n\s+\$ anjungan-provision/);
    t.match(r.stdout, /Exit codes:/);
  }
  const unknown = await cli(['frobnicate']);
  t.equal(unknown.code, 2);
  t.match(unknown.stderr, /unknown command/);
});

t.test('uninitialised tree: commands say to run init', async (t) => {
  const root = tempRoot(t, 'none');
  const r = await cli(['agreement', 'show', '--root', root]);
  t.equal(r.code, 6);
  t.match(r.stderr, /not initialised.*anjungan-provision init/);
});
