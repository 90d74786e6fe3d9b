import t from 'tap';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDukcapilSimulator } from '../../device/sim/dukcapil/server.ts';
import { layout } from '../../provisioning/layout.ts';
import { cli, INIT, mode, tempRoot, treeHash } from './cli-harness.ts';

t.test('uplink set pins the CA; uplink test is a handshake that spends nothing', async (t) => {
  const sim = await startDukcapilSimulator({});
  t.teardown(() => sim.close());
  const root = tempRoot(t, 'uplink');
  t.equal((await cli([...INIT, '--root', root])).code, 0);
  const l = layout(root);
  const ca = join(root, 'dukcapil-ca.pem');
  writeFileSync(ca, sim.caPem);

  t.equal((await cli(['uplink', 'test', '--root', root])).code, 6, 'nothing to test before set');
  const tree = treeHash(root);
  const foreign = join(root, 'foreign-ca.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      join(root, 'k'),
      '-out',
      foreign,
      '-days',
      '1',
      '-subj',
      '/CN=foreign',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
    ],
    { stdio: 'ignore' },
  );
  const notCa = join(root, 'not-ca.pem');
  writeFileSync(notCa, 'hello');
  const tree2 = treeHash(root);
  t.not(tree, tree2);
  for (const [args, message] of [
    [['--url', 'http://127.0.0.1:1', '--institution', 'X', '--ca', ca], /--url must be https/],
    [['--url', sim.baseUrl, '--institution', 'a/b', '--ca', ca], /--institution/],
    [['--url', sim.baseUrl, '--institution', 'X', '--ca', notCa], /--ca must be a PEM CA/],
    [['--url', sim.baseUrl, '--institution', 'X', '--ca', join(root, 'absent.pem')], /cannot be read/],
    [['--url', sim.baseUrl, '--institution', 'X', '--ca', ca, '--spki-pin', 'abc'], /--spki-pin/],
    // The egress firewall allows an address: a name would become rules that allow nothing.
    [
      ['--url', 'https://dukcapil.example:8443/', '--institution', 'X', '--ca', ca],
      /--url must name the endpoint by IP address, not "dukcapil.example"/,
    ],
  ] as Array<[string[], RegExp]>) {
    const r = await cli(['uplink', 'set', '--root', root, ...args]);
    t.equal(r.code, 2, args.join(' '));
    t.match(r.stderr, message);
  }
  t.equal(treeHash(root), tree2, 'bad input changed nothing');

  const set = await cli(['uplink', 'set', '--root', root, '--url', sim.baseUrl, '--institution', sim.institution, '--ca', ca, '--json']);
  t.equal(set.code, 0, set.stderr);
  t.equal(mode(l.uplinkCaFile), 0o640);
  t.equal(readFileSync(l.uplinkCaFile, 'utf8'), sim.caPem);
  const hits = sim.hits();
  const test = await cli(['uplink', 'test', '--root', root, '--json']);
  t.equal(test.code, 0, test.stderr);
  t.match(test.json, { handshake: 'ok' });
  t.equal(sim.hits(), hits, 'no request reached the service');
  t.equal(sim.quotaUsed(), 0, 'no quota spent');

  t.equal((await cli(['uplink', 'set', '--root', root, '--url', sim.baseUrl, '--institution', sim.institution, '--ca', foreign])).code, 0);
  const wrong = await cli(['uplink', 'test', '--root', root]);
  t.equal(wrong.code, 5, 'a server not chaining to the pinned CA fails');
  t.match(wrong.stdout, /FAILED/);
});
