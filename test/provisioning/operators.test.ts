import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCredentials, StaffPinVerifier } from '../../device/store/credentials.ts';
import { openDatabase } from '../../device/store/db.ts';
import { AttemptThrottle } from '../../device/store/attempt-throttle.ts';
import { permittedOperatorIds, readRoster } from '../../device/staff/roster.ts';
import { layout } from '../../provisioning/layout.ts';
import { cli, INIT, mode, tempRoot, treeHash } from './cli-harness.ts';

const ADD = [
  'operators',
  'add',
  '--user-id',
  'budi',
  '--name',
  'Budi Contoh',
  '--nip',
  '198001012010011001',
  '--employment-status',
  'PNS',
  '--position',
  'Pengelola Layanan',
];
const NOW = new Date('2024-06-01T03:00:00Z');

t.test('operators: NDA first, PIN hashed where the daemon checks it, disable, roster', async (t) => {
  const root = tempRoot(t, 'ops');
  t.equal((await cli([...INIT, '--root', root])).code, 0);
  const l = layout(root);
  const tree = treeHash(root);
  for (const [args, stdin, message] of [
    [[...ADD], '135790\n', /only after signing the NDA: give --nda-signed/],
    [[...ADD, '--nda-signed', '2024-02-30'], '135790\n', /not a date/],
    [[...ADD, '--nda-signed', '2024-06-02'], '135790\n', /in the future/],
    [[...ADD, '--nda-signed', '2024-01-15'], '12ab\n', /6 to 12 digits/],
    [[...ADD, '--nda-signed', '2024-01-15', '--pin', '135790'], '', /never given on the command line/],
    [[...ADD.map((a) => (a === '198001012010011001' ? '1980' : a)), '--nda-signed', '2024-01-15'], '135790\n', /18-digit NIP/],
    [[...ADD.map((a) => (a === 'PNS' ? 'honorer' : a)), '--nda-signed', '2024-01-15'], '135790\n', /PNS, PPPK, Non-ASN/],
  ] as Array<[string[], string, RegExp]>) {
    const r = await cli([...args, '--root', root], { stdin, now: NOW });
    t.equal(r.code, 2, args.join(' '));
    t.match(r.stderr, message);
  }
  t.equal(treeHash(root), tree, 'refused operators changed nothing');

  const added = await cli([...ADD, '--nda-signed', '2024-01-15', '--root', root], { stdin: '135790\n', now: NOW });
  t.equal(added.code, 0, added.stderr);
  t.equal(mode(l.operatorsFile), 0o600);
  t.equal(mode(l.credentialFile), 0o600);
  const staff = readCredentials(l.credentialFile).staff;
  t.equal(staff.length, 1);
  t.notMatch(readFileSync(l.credentialFile, 'utf8') + readFileSync(l.operatorsFile, 'utf8'), /135790/, 'the PIN is stored only as a hash');
  const db = openDatabase(join(root, 'db'));
  t.teardown(() => db.close());
  const throttle = new AttemptThrottle(db, { now: () => NOW });
  const permitted = permittedOperatorIds(readRoster(l.operatorsFile), '2024-06-01');
  const verifier = new StaffPinVerifier(staff, throttle, (id) => permitted.has(id));
  t.same(await verifier.verifyPin('135790'), { staffId: 'budi' }, "the daemon's PIN check accepts it, the roster permitting");
  t.equal(await verifier.verifyPin('246810'), null, 'the demo PIN is not a staff PIN here');
  t.equal((await cli([...ADD, '--nda-signed', '2024-01-15', '--root', root], { stdin: '135790\n', now: NOW })).code, 2, 'a user ID once');

  const list = await cli(['operators', 'list', '--root', root, '--json']);
  t.match(list.json, { operators: [{ userId: 'budi', ndaSigned: '2024-01-15', active: true }] });
  t.notMatch(list.stdout, /salt|hash/);

  const roster = join(root, 'roster.csv');
  t.equal((await cli(['operators', 'roster', '--root', root, '--out', roster])).code, 0);
  const csv = readFileSync(roster, 'utf8').split('\r\n');
  t.equal(csv[0], 'Nama,NIP,Status Kepegawaian,Jabatan,Kode Wilayah Kantor,Nama Kantor,Alamat Kantor,User ID Lokal,Tanggal NDA');
  t.equal(csv[1], 'Budi Contoh,198001012010011001,PNS,Pengelola Layanan,33.13,BKD Kabupaten Karanganyar,Jl. Contoh No. 1,budi,2024-01-15');

  const disabled = await cli(['operators', 'disable', 'budi', '--root', root], { now: NOW });
  t.equal(disabled.code, 0, disabled.stderr);
  t.same(readCredentials(l.credentialFile).staff, [], 'the PIN is gone from what the daemon reads');
  t.match((await cli(['operators', 'list', '--root', root, '--json'])).json, {
    operators: [{ userId: 'budi', active: false, disabledAt: NOW.toISOString() }],
  });
  t.equal((await cli(['operators', 'disable', 'siti', '--root', root])).code, 2);
  t.equal((await cli(['operators', 'roster', '--root', root, '--out', roster])).code, 0);
  t.equal(readFileSync(roster, 'utf8').split('\r\n').filter(Boolean).length, 1, 'a disabled operator is not on the roster');
});
