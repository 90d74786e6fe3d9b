/**
 * The real daemon (demo mode, as `npm start` runs it) with its staff LAN listener enabled on a
 * free loopback port, under a certificate from a test CA.
 */
import type { Test } from 'tap';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnKiosk, type KioskProcess } from './kiosk-process.ts';
import { makeTestTls } from './test-tls.ts';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface LanKiosk {
  kiosk: KioskProcess;
  lanPort: number;
  /** The CA the listener's certificate chains to. */
  caPem: string;
}

/** `config`: more of the config file (merged over the demo defaults by the daemon); `env`: more environment. */
export async function startLanKiosk(
  t: Test,
  opts: { config?: Record<string, unknown>; env?: Record<string, string>; serverKey?: 'ec' | 'rsa' } = {},
): Promise<LanKiosk> {
  const tls = makeTestTls(t, 'anj-lan-kiosk', opts.serverKey);
  const lanPort = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'anj-lan-config-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'config.json');
  writeFileSync(
    file,
    JSON.stringify({
      ...opts.config,
      staffLan: { enabled: true, host: '127.0.0.1', port: lanPort, certFile: tls.certFile, keyFile: tls.keyFile },
    }),
  );
  const kiosk = await spawnKiosk({ ANJUNGAN_CONFIG: file, ...opts.env });
  t.teardown(() => kiosk.stop());
  return { kiosk, lanPort, caPem: tls.caPem };
}
