/**
 * `anjungan-provision staff-lan`: the LAN listener is enabled only with a certificate and its
 * key (the daemon's own check), at one LAN address; the files land beside the config for the
 * daemon's group; disable turns it off and erases the key. What the CLI writes, the daemon loads.
 */
import t from 'tap';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../device/config.ts';
import { layout } from '../../provisioning/layout.ts';
import { makeTestTls } from '../support/test-tls.ts';
import { cli, INIT, mode, tempRoot, treeHash } from './cli-harness.ts';

t.test('staff-lan enable checks the pair and the address, installs both files, disable turns it off', async (t) => {
  const root = tempRoot(t, 'lan');
  t.equal((await cli([...INIT, '--root', root])).code, 0);
  const l = layout(root);
  const tls = makeTestTls(t);
  const enable = (over: Record<string, string> = {}) => {
    const o = { '--cert': tls.certFile, '--key': tls.keyFile, '--listen': '192.0.2.10:8443', ...over };
    return cli(['staff-lan', 'enable', ...Object.entries(o).flat(), '--root', root, '--json']);
  };

  const before = treeHash(root);
  for (const [over, message] of [
    [{ '--key': tls.otherKeyFile }, /--key is not the key of --cert/],
    [{ '--cert': join(tls.dir, 'absent.pem') }, /--cert .* cannot be read/],
    [{ '--cert': tls.keyFile }, /--cert is not a PEM certificate/],
    [{ '--listen': '0.0.0.0:8443' }, /not a wildcard, not loopback/],
    [{ '--listen': '127.0.0.1:8443' }, /not a wildcard, not loopback/],
    [{ '--listen': '192.0.2.10' }, /must be HOST:PORT/],
    [{ '--listen': '192.0.2.10:70000' }, /must be HOST:PORT/],
    [{ '--listen': '192.0.2.10:443' }, /privileged .* 1024 or above/],
    [{ '--listen': 'bad_name!:8443' }, /neither an IP address nor a host name/],
  ] as Array<[Record<string, string>, RegExp]>) {
    const r = await enable(over);
    t.equal(r.code, 2, JSON.stringify(over));
    t.match(r.stderr, message);
  }
  t.equal(treeHash(root), before, 'refused: nothing changed');

  const ok = await enable();
  t.equal(ok.code, 0, ok.stderr);
  t.match(ok.json, { staffLan: { enabled: true, host: '192.0.2.10', port: 8443 } });
  t.equal(readFileSync(l.staffLanCertFile, 'utf8'), readFileSync(tls.certFile, 'utf8'));
  t.equal(mode(l.staffLanKeyFile), 0o640, 'the key: owner and the daemon group only');
  // demo: the rest of a production config (uplink, SAM) is not set up in this tree.
  const config = loadConfig({ ANJUNGAN_CONFIG: l.configFile, ANJUNGAN_MODE: 'demo' }, new Date());
  t.same(
    config.staffLan,
    { enabled: true, host: '192.0.2.10', port: 8443, certFile: l.staffLanCertFile, keyFile: l.staffLanKeyFile },
    'the daemon loads what was written',
  );
  t.notMatch(ok.stdout + ok.stderr, /PRIVATE KEY/, 'the key is never printed');
  t.match((await cli(['staff-lan', 'show', '--root', root, '--json'])).json, { staffLan: { enabled: true, problems: [] } });

  const off = await cli(['staff-lan', 'disable', '--root', root, '--json']);
  t.equal(off.code, 0, off.stderr);
  t.notOk(existsSync(l.staffLanKeyFile), 'the key is erased');
  t.equal(
    loadConfig({ ANJUNGAN_CONFIG: l.configFile, ANJUNGAN_MODE: 'demo' }, new Date()).staffLan?.enabled,
    false,
    'the daemon starts without the listener',
  );
  t.equal((await cli(['staff-lan', 'disable', '--root', root])).code, 6, 'disabling twice: wrong state');
});
