/**
 * A production daemon on a kiosk whose provisioning is not complete: it starts (no exit, so no
 * restart loop), serves the out-of-service screen naming what is missing and says so in /healthz
 * (503); as the technician provisions, the list shrinks at the next check; it never opens a
 * device meanwhile. Runs the built daemon as `npm start` does (test/support/kiosk-process.ts).
 */
import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildKiosk, spawnKiosk } from '../support/kiosk-process.ts';
import { cli, INIT } from '../provisioning/cli-harness.ts';
import { layout } from '../../provisioning/layout.ts';

t.test('not provisioned: out of service with what is missing, and no exit', async (t) => {
  await buildKiosk();
  const root = mkdtempSync(join(tmpdir(), 'anj23-unprovisioned-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  const l = layout(root);
  const kiosk = await spawnKiosk({ ANJUNGAN_MODE: 'production', ANJUNGAN_CONFIG: l.configFile, ANJUNGAN_STATE_DIR: l.stateDir });
  t.teardown(() => kiosk.stop());
  const health = async () => {
    const r = await fetch(`${kiosk.url}/healthz`);
    return { status: r.status, body: (await r.json()) as { ready: boolean; reason?: string; missing?: string[] } };
  };
  t.match(
    await health(),
    { status: 503, body: { ready: false, reason: 'notProvisioned', missing: ['config'] } },
    'a flashed kiosk: no configuration',
  );
  const view = (await (await fetch(`${kiosk.url}/api/view`)).json()) as Record<string, unknown>;
  t.match(view, { screen: 'outOfService', reason: 'notProvisioned', missing: ['config'] });
  t.match(kiosk.output(), /"event":"notProvisioned","missing":\["config"\]/, 'logged once at start');
  t.notMatch(kiosk.output(), /"event":"gpio|pcsc|sensor/i, 'no device is opened');

  // The technician runs init; the daemon sees it at its next readiness check (every 30 s).
  t.equal((await cli([...INIT, '--root', root])).code, 0);
  const until = Date.now() + 90_000;
  let missing: string[] | undefined;
  while (Date.now() < until) {
    missing = (await health()).body.missing;
    if (missing && !missing.includes('config')) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  t.same(missing, ['dukcapilCredentials', 'uplink', 'issuerKey', 'agreement', 'sam', 'ntp'], 'what is still missing after init');
  t.equal((await health()).status, 503);
  writeFileSync(l.configFile, '{ not json', { mode: 0o640 });
  t.equal((await health()).status, 503, 'a broken file later changes nothing until the next check either');
});
