/**
 * An update never cuts a taxpayer's session: with the real daemon (demo mode) serving a card,
 * `update install` pauses the kiosk and waits; nothing is written until the session has ended
 * and the kiosk is out of service. After the reboot into the new slot the same daemon proves
 * the release (readers, sensor, a page that pings) and the kiosk serves again.
 */
import t from 'tap';
import { mkdirSync, writeFileSync } from 'node:fs';
import { demoDefaults } from '../../device/config.ts';
import { layout } from '../../provisioning/layout.ts';
import { spawnKiosk, buildKiosk } from '../support/kiosk-process.ts';
import { KioskClient } from '../support/kiosk-client.ts';
import { raucKiosk, laterBuild } from './rauc-kiosk.ts';
import { PARTITION } from './fake-board.ts';

t.setTimeout(600_000);

t.test('install waits for the session to end, pauses the kiosk, and the new release resumes it', async (t) => {
  await buildKiosk();
  const k = await raucKiosk(t, { provisioned: false });
  const l = layout(k.root);
  mkdirSync(l.stateDir, { recursive: true, mode: 0o700 });
  mkdirSync(l.configDir, { recursive: true });
  const daemon = await spawnKiosk({ ANJUNGAN_STATE_DIR: l.stateDir });
  t.teardown(() => daemon.halt());
  // What the update command reads: where the daemon listens.
  const config = demoDefaults(new Date());
  config.stateDir = l.stateDir;
  config.http = { host: '127.0.0.1', port: Number(new URL(daemon.url).port) };
  writeFileSync(l.configFile, JSON.stringify(config, null, 2));
  const kiosk = new KioskClient(daemon.url);
  const env = { ANJUNGAN_TEST_DAEMON_PID: String(daemon.pid) };
  const slots = k.slotDigests();

  await kiosk.until((v) => v.screen === 'welcome', 'welcome');
  t.equal(await kiosk.call('POST', '/api/demo/card', { persona: 'valid' }), 200, 'a taxpayer puts a card in');
  await kiosk.until((v) => v.screen !== 'welcome', 'the session');

  let waiting = false;
  const install = k.cli(['update', 'install', k.bundle({ version: '0.2.0', build: laterBuild(5), format: 'plain' })], env, (line) => {
    if (/waiting for the taxpayer's session to end/.test(line)) waiting = true;
  });
  const deadline = Date.now() + 60_000;
  while (!waiting && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  t.ok(waiting, 'the command says it waits for the session');
  const during = await kiosk.view();
  t.not(during.screen, 'outOfService', `the session goes on (${during.screen})`);
  await new Promise((r) => setTimeout(r, 1500));
  t.same(k.slotDigests(), slots, 'nothing is written while the session runs');

  t.equal(await kiosk.call('DELETE', '/api/demo/card'), 200, 'the taxpayer takes the card');
  const r = await install;
  t.equal(r.code, 0, 'installed once the kiosk was idle', { stderr: r.stderr });
  const after = await kiosk.view();
  t.match(after, { screen: 'outOfService' }, 'the kiosk is paused (out of service), not serving');
  t.equal(k.board.autobootPartitions().tryboot, PARTITION.B);

  // The new release boots on trial; its daemon (here the same one) shows readers and sensor, and
  // its page pings.
  await k.reboot();
  const pinger = setInterval(() => void fetch(`${daemon.url}/api/ui-ping`, { method: 'POST' }).catch(() => undefined), 1000);
  t.teardown(() => clearInterval(pinger));
  const c = await k.cli(['update', 'confirm-boot', '--deadline-s', '60'], env);
  t.equal(c.code, 0, 'proved and marked good', { stderr: c.stderr });
  await kiosk.until((v) => v.screen === 'welcome', 'the kiosk serving again', 30_000);
  t.same(k.board.autobootPartitions(), { all: PARTITION.B, tryboot: PARTITION.A });
});
