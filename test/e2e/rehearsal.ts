/**
 * The production rehearsal: the real daemon in `production` mode, configured as a technician
 * would (a config file checked against device/config.ts, credentials written with the store's
 * writer, mode 0600), on virtual devices underneath the real stacks:
 *   - pcscd + vpcd with the virtual KTP-el and SAM (the caller runs pcscd, under the PC/SC lock);
 *   - libfprint's virtual_image sensor behind our capture helper, fed rendered finger images;
 *   - the Dukcapil simulator over HTTPS, its CA file the pinned CA;
 *   - GPIO explicitly off (`gpio.driver: "none"`).
 * Used by test/e2e/production.test.ts, the bench, and `make demo PROD=1` (rehearsal-demo.ts).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startDukcapilSimulator } from '../../device/sim/dukcapil/server.ts';
import { startVirtualDevices, type VirtualDevices } from '../../device/sim/vcard/vpcd-devices.ts';
import { DEMO_ISSUER_PUBLIC_KEY_PEM, demoSamSecret } from '../../device/sim/vcard/demo-keys.ts';
import { hashStaffPin, newKey, writeCredentials } from '../../device/store/credentials.ts';
import { demoDefaults, type KioskConfig } from '../../device/config.ts';
import { buildKiosk, startKiosk, type KioskProcess } from '../support/kiosk-process.ts';
import { captureHelperPath, virtualSensor, type VirtualSensor } from '../support/virtual-fingerprint-sensor.ts';
import { renderedFingerCard } from '../support/rendered-persona-fingers.ts';
import { takeVpcdSlots } from '../support/vpcd-slots.ts';

/** The rehearsal kiosk's staff PIN (a test value, provisioned into its credential file). */
export const REHEARSAL_STAFF_PIN = '975310';

export interface Rehearsal {
  kiosk: KioskProcess;
  devices: VirtualDevices;
  sensor: VirtualSensor;
  /** Files the kiosk was given (config, CA, issuer key) and its state folder. */
  dir: string;
  stop(): Promise<void>;
}

export async function startRehearsal(opts: { port?: number } = {}): Promise<Rehearsal> {
  await buildKiosk();
  const helperPath = resolve(captureHelperPath());
  const dir = mkdtempSync(join(tmpdir(), 'anj12-rehearsal-'));
  const stateDir = join(dir, 'state');
  const cleanups: Array<() => Promise<void> | void> = [() => rmSync(dir, { recursive: true, force: true })];
  const stop = async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  };
  try {
    const dukcapil = await startDukcapilSimulator({ dailyQuota: 100 });
    cleanups.push(() => dukcapil.close());
    writeFileSync(join(dir, 'dukcapil-ca.pem'), dukcapil.caPem);
    writeFileSync(join(dir, 'issuer-public.pem'), DEMO_ISSUER_PUBLIC_KEY_PEM);

    const defaults = demoDefaults(new Date());
    const config: KioskConfig = {
      ...defaults,
      mode: 'production',
      stateDir,
      logLevel: 'info',
      card: { ...defaults.card, issuerPublicKeyFile: join(dir, 'issuer-public.pem') },
      uplink: { ...defaults.uplink, baseUrl: dukcapil.baseUrl, institution: dukcapil.institution, caFile: join(dir, 'dukcapil-ca.pem') },
      fingerprint: { driver: 'libfprint', helperPath, device: { driver: 'virtual_image', index: 0 } },
      gpio: { driver: 'none' },
    };
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config, null, 2));

    const sam = demoSamSecret();
    mkdirSync(stateDir, { mode: 0o700 });
    writeCredentials(join(stateDir, 'credentials.json'), {
      dukcapil: dukcapil.credentials,
      sam: { pcid: Buffer.from(sam.pcid).toString('hex'), configuration: Buffer.from(sam.configuration).toString('hex') },
      auditKey: newKey(),
      outboxKey: newKey(),
      staff: [await hashStaffPin('petugas-gladi', REHEARSAL_STAFF_PIN)],
    });

    cleanups.push(await takeVpcdSlots());
    // The SAM sits in its reader before the kiosk starts, as in the enclosure.
    const devices = await startVirtualDevices({ samSecret: sam, cardImage: renderedFingerCard });
    cleanups.push(() => devices.close());
    const sensor = virtualSensor();
    cleanups.push(() => sensor.cleanup());
    const kiosk = await startKiosk({
      ANJUNGAN_MODE: 'production',
      ANJUNGAN_CONFIG: join(dir, 'config.json'),
      ANJUNGAN_STATE_DIR: stateDir,
      ANJUNGAN_PORT: String(opts.port ?? 0),
      ...sensor.env,
    });
    cleanups.push(() => kiosk.stop());
    return { kiosk, devices, sensor, dir, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
