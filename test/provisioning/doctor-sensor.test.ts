/**
 * doctor's fingerprint check, against libfprint's own virtual image sensor through the real
 * capture helper: the configured sensor is found (listed, never opened), and a missing one, a
 * sensor of another driver and a missing helper are each told with their fix.
 */
import t from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import { layout } from '../../provisioning/layout.ts';
import { captureHelperPath, virtualSensor } from '../support/virtual-fingerprint-sensor.ts';
import { cli, INIT, tempRoot } from './cli-harness.ts';

const helperPath = captureHelperPath();

async function sensorCheck(root: string, env: NodeJS.ProcessEnv) {
  const r = await cli(['doctor', '--root', root, '--json'], { env });
  return (r.json!.checks as Array<{ name: string; ok: boolean; detail: string; fix: string }>).find((c) => c.name === 'fingerprint sensor');
}

function setFingerprint(root: string, fingerprint: Record<string, unknown>): void {
  const file = layout(root).configFile;
  const config = JSON.parse(readFileSync(file, 'utf8'));
  writeFileSync(file, JSON.stringify({ ...config, fingerprint: { ...config.fingerprint, ...fingerprint } }));
}

t.test('doctor finds the configured sensor through the capture helper, and says why when it does not', async (t) => {
  const root = tempRoot(t, 'doctor-sensor');
  t.equal((await cli([...INIT, '--root', root])).code, 0);
  const sensor = virtualSensor();
  t.teardown(() => sensor.cleanup());

  t.match(
    await sensorCheck(root, sensor.env),
    { ok: false, detail: /capture helper missing: \/usr\/lib\/anjungan\/anjungan-fprint-capture/ },
    'the image path, absent here',
  );

  setFingerprint(root, { helperPath });
  t.match(await sensorCheck(root, sensor.env), { ok: true, detail: /virtual_image/ }, 'the virtual sensor is found');
  t.match(
    await sensorCheck(root, { FP_DRIVERS_WHITELIST: 'virtual_image' }),
    { ok: false, detail: 'libfprint sees no sensor', fix: /USB cable/ },
    'no sensor attached',
  );

  setFingerprint(root, { helperPath, device: { driver: 'uru4000', index: 0 } });
  t.match(
    await sensorCheck(root, sensor.env),
    { ok: false, detail: /not the configured one; libfprint sees: virtual_image/ },
    'a sensor of another driver',
  );
});
