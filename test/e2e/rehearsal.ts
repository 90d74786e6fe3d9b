/**
 * The production rehearsal: the real daemon in `production` mode on a tree written by the
 * technician CLI (`anjungan-provision`, run as a child process on a temporary `--root`, secrets on
 * stdin), on virtual devices underneath the real stacks:
 *   - pcscd + vpcd with the virtual KTP-el and SAM (the caller runs pcscd, under the PC/SC lock);
 *   - libfprint's virtual_image sensor behind our capture helper, fed rendered finger images;
 *   - the Dukcapil simulator over HTTPS, its CA file the pinned CA;
 *   - GPIO explicitly off (`gpio.driver: "none"`).
 * Used by test/e2e/production.test.ts, the bench, and `make demo PROD=1` (rehearsal-demo.ts).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startDukcapilSimulator } from '../../device/sim/dukcapil/server.ts';
import { startVirtualDevices, type VirtualDevices } from '../../device/sim/vcard/vpcd-devices.ts';
import { DEMO_ISSUER_PUBLIC_KEY_PEM, demoSamSecret } from '../../device/sim/vcard/demo-keys.ts';
import { type KioskConfig } from '../../device/config.ts';
import { layout } from '../../provisioning/layout.ts';
import { scanReaders } from '../../provisioning/readers.ts';
import { buildKiosk, spawnKiosk, type KioskProcess } from '../support/kiosk-process.ts';
import { captureHelperPath, virtualSensor, type VirtualSensor } from '../support/virtual-fingerprint-sensor.ts';
import { renderedFingerCard } from '../support/rendered-persona-fingers.ts';
import { takeVpcdSlots } from '../support/vpcd-slots.ts';

/** The rehearsal kiosk's staff PIN (a test value, given to `operators add`). */
export const REHEARSAL_STAFF_PIN = '975310';

const PROVISION_BIN = resolve('provisioning/bin.mjs');

export interface Rehearsal {
  kiosk: KioskProcess;
  devices: VirtualDevices;
  sensor: VirtualSensor;
  /** The provisioned tree's root (etc/anjungan, var/lib/anjungan) and what Disdukcapil delivered. */
  dir: string;
  stop(): Promise<void>;
}

/** One `anjungan-provision` command as a technician types it; secrets only on stdin. */
async function provision(root: string, args: string[], stdin = ''): Promise<void> {
  const child = spawn('/usr/bin/env', ['-u', 'NODE_OPTIONS', process.execPath, PROVISION_BIN, ...args, '--root', root], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  child.stdin.end(stdin);
  const code = await new Promise<number | null>((done, fail) => {
    child.once('error', fail);
    child.once('exit', done);
  });
  if (code !== 0) throw new Error(`anjungan-provision ${args.slice(0, 2).join(' ')} exited ${code}: ${output.trim()}`);
}

/** The SAM must be in its reader, seen by pcscd, before `sam install` opens it. */
async function samSeenByPcscd(): Promise<void> {
  for (let tries = 0; ; tries++) {
    const s = await scanReaders();
    if (s.service === 'up' && s.readers.some((r) => r.name.includes('PCD 00 01') && r.present)) return;
    if (tries > 50) throw new Error('pcscd did not see the virtual SAM');
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function startRehearsal(opts: { port?: number } = {}): Promise<Rehearsal> {
  await buildKiosk();
  const helperPath = resolve(captureHelperPath());
  const dir = mkdtempSync(join(tmpdir(), 'anj12-rehearsal-'));
  const tree = layout(join(dir, 'root'));
  const cleanups: Array<() => Promise<void> | void> = [() => rmSync(dir, { recursive: true, force: true })];
  const stop = async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  };
  try {
    const dukcapil = await startDukcapilSimulator({ dailyQuota: 100 });
    cleanups.push(() => dukcapil.close());
    // What the technician is handed: the issuer key, Dukcapil's CA, the SAM's configuration file.
    const delivered = join(dir, 'delivered');
    mkdirSync(delivered, { mode: 0o700 });
    const deliveredFile = (name: string, content: string | Uint8Array) => {
      writeFileSync(join(delivered, name), content, { mode: 0o600 });
      return join(delivered, name);
    };
    const sam = demoSamSecret();

    cleanups.push(await takeVpcdSlots());
    // The SAM sits in its reader from before `sam install` on, as in the enclosure.
    const devices = await startVirtualDevices({ samSecret: sam, cardImage: renderedFingerCard });
    cleanups.push(() => devices.close());
    await samSeenByPcscd();

    const root = tree.root;
    const today = new Date().toISOString().slice(0, 10);
    await provision(root, [
      'init',
      '--kiosk-id',
      'GLADI-01',
      '--site',
      'BKD Kabupaten Gladi',
      '--region-code',
      '33.13',
      '--office-address',
      'Jl. Sintetis No. 1',
      '--issuer-key',
      deliveredFile('issuer-public.pem', DEMO_ISSUER_PUBLIC_KEY_PEM),
    ]);
    const { userId, password, ipUser } = dukcapil.credentials;
    await provision(root, ['credentials', 'set', '--user-id', userId], `${password}\n${ipUser}\n`);
    await provision(root, [
      'uplink',
      'set',
      '--url',
      dukcapil.baseUrl,
      '--institution',
      dukcapil.institution,
      '--ca',
      deliveredFile('dukcapil-ca.pem', dukcapil.caPem),
    ]);
    // NTP by address (written into the configuration and timesyncd's file; nothing is contacted).
    await provision(root, ['time', 'set', '--ntp', '127.0.0.1']);
    await provision(root, [
      'agreement',
      'set',
      '--numbers',
      'GLADI/1,GLADI/2',
      '--from',
      '2022-11-10',
      '--until',
      `${Number(today.slice(0, 4)) + 1}-12-31`,
    ]);
    await provision(root, [
      'sam',
      'install',
      '--pcid',
      Buffer.from(sam.pcid).toString('hex'),
      '--config',
      deliveredFile('sam-configuration.bin', sam.configuration),
    ]);
    await provision(
      root,
      [
        'operators',
        'add',
        '--user-id',
        'petugas-gladi',
        '--name',
        'Petugas Gladi',
        '--nip',
        '199001012015012001',
        '--employment-status',
        'PPPK',
        '--position',
        'Operator',
        '--nda-signed',
        '2022-11-01',
      ],
      `${REHEARSAL_STAFF_PIN}\n`,
    );

    // The CLI has no command for these: init writes the reference enclosure (installed capture
    // helper, GPIO panel, port 8080). The rehearsal edits the JSON for the built helper on the
    // virtual_image device, no panel, and its own port; the file keeps the mode init gave it.
    const config = JSON.parse(readFileSync(tree.configFile, 'utf8')) as KioskConfig;
    const port = opts.port ?? 0;
    config.fingerprint = { driver: 'libfprint', helperPath, device: { driver: 'virtual_image', index: 0 } };
    config.gpio = { driver: 'none' };
    config.http = { ...config.http, port };
    // The host's clock is whatever it is: the rehearsal stands in for timesyncd's synchronised flag.
    const synchronised = join(root, 'timesync-synchronized');
    writeFileSync(synchronised, '');
    config.clock = { synchronisedFlag: synchronised };
    writeFileSync(tree.configFile, JSON.stringify(config, null, 2));

    const sensor = virtualSensor();
    cleanups.push(() => sensor.cleanup());
    const kiosk = await spawnKiosk({
      // spawnKiosk's demo defaults (mode, state folder, port) would override the config file.
      ANJUNGAN_MODE: 'production',
      ANJUNGAN_CONFIG: tree.configFile,
      ANJUNGAN_STATE_DIR: tree.stateDir,
      ANJUNGAN_PORT: String(port),
      ...sensor.env,
    });
    cleanups.push(() => kiosk.stop());
    return { kiosk, devices, sensor, dir: root, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
