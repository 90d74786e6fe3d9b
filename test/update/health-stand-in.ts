/**
 * The daemon's /healthz as the boot check reads it, with the answer a test chooses: for the
 * checks' logic without starting a kiosk (install-idle.test.ts runs the real daemon). The kiosk
 * configuration under root is pointed at it.
 */
import { createServer } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { layout } from '../../provisioning/layout.ts';
import type { HealthSample } from '../../device/update/proof.ts';

export const HEALTHY: HealthSample & { state: string } = {
  state: 'outOfService',
  devices: { reader: { idReader: 'ready', sam: 'ready', readers: 2 }, sensor: 'ready' },
  ui: { lastPingAgoMs: 2000 },
};

export async function healthStandIn(t: { teardown(f: () => void | Promise<void>): void }, root: string) {
  let answer: (HealthSample & { state: string }) | null = HEALTHY;
  const server = createServer((req, res) => {
    if (req.url !== '/healthz' || !answer) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise<void>((r) => server.close(() => r())));
  const l = layout(root);
  const config = JSON.parse(readFileSync(l.configFile, 'utf8')) as { http: { host: string; port: number } };
  config.http = { host: '127.0.0.1', port: (server.address() as AddressInfo).port };
  writeFileSync(l.configFile, JSON.stringify(config, null, 2));
  return {
    /** null: the daemon does not answer. */
    set(a: (HealthSample & { state: string }) | null) {
      answer = a;
    },
  };
}
