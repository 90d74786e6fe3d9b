/**
 * `sam install|status` through real pcscd + vpcd with the virtual SAM (make test starts pcscd;
 * run under /tmp/anjungan-pcsc.lock).
 */
import t, { type Test } from 'tap';
import { createHash } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { loadConfig } from '../../device/config.ts';
import { startDukcapilSimulator } from '../../device/sim/dukcapil/server.ts';
import { DEMO_ISSUER_PUBLIC_KEY_PEM } from '../../device/sim/vcard/demo-keys.ts';
import { join } from 'node:path';
import { startVirtualDevices, type VirtualDevices } from '../../device/sim/vcard/vpcd-devices.ts';
import { demoSamSecret } from '../../device/sim/vcard/demo-keys.ts';
import { readCredentials } from '../../device/store/credentials.ts';
import { layout } from '../../provisioning/layout.ts';
import { scanReaders } from '../../provisioning/readers.ts';
import { pcscUnavailable } from '../card/harness.ts';
import { takeVpcdSlots } from '../support/vpcd-slots.ts';
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
  let releaseSlots: (() => void) | null = null;
  t.teardown(async () => {
    await shared?.close();
    releaseSlots?.();
  });
  const withSam = async (): Promise<VirtualDevices> => {
    if (shared) return shared;
    // The vpcd slots are the machine's: other test files (the production rehearsal) take turns.
    releaseSlots = await takeVpcdSlots();
    // The file before may have closed its SAM just now: until pcscd polls the slot it still shows
    // that SAM, and a SAM put in before then is taken for it (vpcd-devices.ts). Ours goes in once
    // pcscd saw the slot empty, and counts as there once pcscd shows it with its ATR.
    const samSlot = async (want: (sam: { present: boolean; atr: string | null } | undefined) => boolean, what: string) => {
      for (let tries = 0; ; tries++) {
        const s = await scanReaders();
        if (s.service === 'up' && want(s.readers.find((r) => r.name.includes('PCD 00 01')))) return;
        if (tries > 25) throw new Error(`pcscd did not see ${what}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    await samSlot((sam) => sam !== undefined && !sam.present, 'the SAM slot empty');
    shared = await startVirtualDevices({ samSecret: secret });
    await samSlot((sam) => sam?.present === true && sam.atr !== null, 'the virtual SAM');
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

  t.test('a fresh tree to a provisioned kiosk and back to a deactivated one, with this CLI only', async (t) => {
    const devices = await withSam();
    const sim = await startDukcapilSimulator({});
    t.teardown(() => sim.close());
    const root = tempRoot(t, 'life');
    const l = layout(root);
    const file = (name: string, content: string | Uint8Array) => {
      writeFileSync(join(root, name), content);
      return join(root, name);
    };
    const step = async (args: string[], stdin?: string) => {
      const r = await cli([...args, '--root', root], stdin === undefined ? {} : { stdin });
      t.equal(r.code, 0, `${args.slice(0, 2).join(' ')}: ${r.stderr}`);
      return r;
    };
    await step([...INIT, '--issuer-key', file('issuer.pem', DEMO_ISSUER_PUBLIC_KEY_PEM)]);
    await step(['credentials', 'set', '--user-id', sim.credentials.userId], `${sim.credentials.password}\n${sim.credentials.ipUser}\n`);
    await step(['uplink', 'set', '--url', sim.baseUrl, '--institution', sim.institution, '--ca', file('ca.pem', sim.caPem)]);
    await step(['uplink', 'test']);
    const today = new Date().toISOString().slice(0, 10);
    await step([
      'agreement',
      'set',
      '--numbers',
      'SIM/1,SIM/2',
      '--from',
      '2022-11-10',
      '--until',
      `${Number(today.slice(0, 4)) + 1}-12-31`,
    ]);
    await step(['sam', 'install', '--pcid', pcidHex, '--config', file('sam.bin', secret.configuration)]);
    await step(
      [
        'operators',
        'add',
        '--user-id',
        'siti',
        '--name',
        'Siti Sintetis',
        '--nip',
        '199001012015012001',
        '--employment-status',
        'PPPK',
        '--position',
        'Operator',
        '--nda-signed',
        '2022-11-01',
      ],
      '975310\n',
    );

    // What the daemon reads in production loads with its own loader and reader.
    const config = loadConfig({ ANJUNGAN_CONFIG: l.configFile }, new Date());
    t.equal(config.mode, 'production');
    t.match(readCredentials(l.credentialFile), { dukcapil: sim.credentials, sam: { pcid: pcidHex }, staff: [{ id: 'siti' }] });

    const tree = treeHash(root);
    const doctor = await cli(['doctor', '--root', root, '--json']);
    t.equal(treeHash(root), tree, 'doctor changes nothing');
    const checks = Object.fromEntries((doctor.json!.checks as Array<{ name: string; ok: boolean }>).map((c) => [c.name, c.ok]));
    t.match(checks, {
      'not deactivated': true,
      'agreement in force': true,
      'Dukcapil credentials': true,
      'SAM installed': true,
      'operator PINs': true,
      'file modes': true,
      'pcscd running': true,
      'both readers present': true,
      'SAM answering': true,
      'uplink TLS': true,
      'fingerprint sensor': false,
    });
    t.equal(doctor.code, 5, 'a failing check (the capture helper is not installed on this machine) fails doctor');
    t.match(
      (doctor.json!.checks as Array<{ name: string; detail: string }>).find((c) => c.name === 'fingerprint sensor'),
      { detail: /capture helper missing/ },
    );
    chmodSync(l.credentialFile, 0o644);
    const loose = await cli(['doctor', '--root', root, '--json']);
    t.match(loose.json, { checks: [{ name: 'not deactivated', ok: true }] });
    t.ok(
      (loose.json!.checks as Array<{ name: string; ok: boolean }>).some((c) => c.name === 'credential file' && !c.ok),
      'a readable credential file is flagged',
    );
    chmodSync(l.credentialFile, 0o600);

    const opens = devices.sam!.openAttempts;
    await step([
      'deactivate',
      '--out',
      join(root, 'pengembalian'),
      '--reason',
      'Perjanjian berakhir',
      '--technician',
      'Teknisi Sintetis',
      '--yes',
    ]);
    t.equal(devices.sam!.openAttempts, opens, 'deactivation never opens the SAM');
    const after = await cli(['doctor', '--root', root, '--json']);
    t.match(after.json, { checks: [{ name: 'not deactivated', ok: false }] });
  });
}
