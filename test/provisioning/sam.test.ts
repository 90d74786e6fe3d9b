/**
 * `sam install|status` through real pcscd + vpcd with the virtual SAM (make test starts pcscd;
 * run under /tmp/anjungan-pcsc.lock).
 */
import t, { type Test } from 'tap';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startVirtualDevices, type VirtualDevices } from '../../device/sim/vcard/vpcd-devices.ts';
import { demoSamSecret } from '../../device/sim/vcard/demo-keys.ts';
import { readCredentials } from '../../device/store/credentials.ts';
import { layout } from '../../provisioning/layout.ts';
import { scanReaders } from '../../provisioning/readers.ts';
import { pcscUnavailable } from '../card/harness.ts';
import { cli, INIT, mode, tempRoot, treeHash } from './cli-harness.ts';

const skip = pcscUnavailable();
if (skip) {
  t.pass(`skipped: ${skip}`);
} else {
  const secret = demoSamSecret();
  const pcidHex = Buffer.from(secret.pcid).toString('hex');

  // One SAM for the whole file, as in a kiosk: it stays in its reader (a vpcd SAM put back at
  // once may not be seen leaving by pcscd).
  let shared: VirtualDevices | null = null;
  t.teardown(() => shared?.close());
  const withSam = async (): Promise<VirtualDevices> => {
    if (shared) return shared;
    shared = await startVirtualDevices({ samSecret: secret });
    for (let tries = 0; ; tries++) {
      const s = await scanReaders();
      if (s.service === 'up' && s.readers.some((r) => r.name.includes('PCD 00 01') && r.present)) break;
      if (tries > 20) throw new Error('pcscd did not see the virtual SAM');
      await new Promise((r) => setTimeout(r, 200));
    }
    return shared;
  };

  const provisioned = async (t: Test) => {
    const root = tempRoot(t, 'sam');
    t.equal((await cli([...INIT, '--root', root])).code, 0);
    const configFile = join(root, 'sam-configuration.bin');
    writeFileSync(configFile, secret.configuration);
    return { root, configFile };
  };

  t.test('a correct pair opens the SAM exactly once and is stored 0600 with its hash', async (t) => {
    const devices = await withSam();
    const { root, configFile } = await provisioned(t);
    const before = devices.sam!.openAttempts;
    const r = await cli(['sam', 'install', '--root', root, '--pcid', pcidHex, '--config', configFile, '--json']);
    t.equal(r.code, 0, r.stderr);
    t.equal(devices.sam!.openAttempts - before, 1, 'one open');
    const l = layout(root);
    const sha = createHash('sha256').update(readFileSync(configFile)).digest('hex');
    t.match(r.json, { installed: true, configurationSha256: sha, atr: Buffer.from(devices.sam!.atr).toString('hex') });
    t.equal(mode(l.samConfigurationFile), 0o600);
    t.same(readFileSync(l.samConfigurationFile), readFileSync(configFile), 'the file as delivered');
    t.match(readCredentials(l.credentialFile).sam, {
      pcid: pcidHex,
      configuration: Buffer.from(secret.configuration).toString('hex'),
      configurationSha256: sha,
    });
    t.notMatch(r.stdout + r.stderr, new RegExp(pcidHex), 'the PCID is never shown');

    const status = await cli(['sam', 'status', '--root', root, '--json']);
    t.equal(status.code, 0, status.stderr);
    t.match(status.json, { state: 'present', installed: true, atrMatchesInstall: true, reader: /PCD 00 01/ });
    t.equal(devices.sam!.openAttempts - before, 1, 'status never opens the SAM');
  });

  t.test('a wrong PCID is refused after exactly one attempt and changes nothing', async (t) => {
    const devices = await withSam();
    const { root, configFile } = await provisioned(t);
    const tree = treeHash(root);
    const before = devices.sam!.openAttempts;
    const wrong = pcidHex.slice(0, -2) + (pcidHex.endsWith('00') ? '01' : '00');
    const r = await cli(['sam', 'install', '--root', root, '--pcid', wrong, '--config', configFile]);
    t.equal(r.code, 5);
    t.match(r.stderr, /REFUSED.*not be retried/);
    t.equal(devices.sam!.openAttempts - before, 1, 'the SAM saw exactly one attempt');
    t.equal(treeHash(root), tree, 'nothing stored');
  });

  t.test('bad PCID or file: refused before the SAM is touched', async (t) => {
    const devices = await withSam();
    const { root, configFile } = await provisioned(t);
    const garbage = join(root, 'garbage.txt');
    writeFileSync(garbage, 'not a configuration');
    const tree = treeHash(root);
    const before = devices.sam!.openAttempts;
    for (const [args, message] of [
      [['--pcid', pcidHex.slice(0, 62), '--config', configFile], /32 bytes \(64 hex digits\); it has 31/],
      [['--pcid', 'zz' + pcidHex.slice(2), '--config', configFile], /hexadecimal/],
      [['--pcid', pcidHex, '--config', join(root, 'absent.bin')], /cannot be read/],
      [['--pcid', pcidHex, '--config', garbage], /not a SAM configuration file/],
      [['--pcid', pcidHex], /required option '--config <file>'/],
    ] as Array<[string[], RegExp]>) {
      const r = await cli(['sam', 'install', '--root', root, ...args]);
      t.equal(r.code, 2, args.join(' '));
      t.match(r.stderr, message);
    }
    t.equal(devices.sam!.openAttempts, before, 'the SAM was never asked');
    t.equal(treeHash(root), tree);
  });
}
