/**
 * `make fleet-demo`: a private PostgreSQL, two fleet instances behind one address
 * (https://127.0.0.1:8443), the Disdukcapil data balikan simulator, and three demo kiosks
 * (http://127.0.0.1:8081-8083) enrolled with one-time tokens and sharing one day's quota.
 * Ctrl-C stops everything and removes the temporary folders.
 *
 * Keys typed while it runs: `f` stops the fleet instances (the kiosks go on serving from their
 * leases), `s` starts them again, `q` quits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startReturnDataSimulator } from '../../device/sim/return-data/server.ts';
import { AdminAuth } from '../admin/auth.ts';
import { startLocalFleet } from './cluster.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const FLEET_PORT = Number(process.env.ANJUNGAN_FLEET_PORT ?? 8443);
const KIOSK_PORTS = [8081, 8082, 8083];

async function main(): Promise<void> {
  const say = (line: string) => process.stdout.write(`${line}\n`);
  say('fleet demo: starting PostgreSQL (initdb + pg_ctl in a temporary folder, no TCP) …');
  const simulator = await startReturnDataSimulator();
  const fleet = await startLocalFleet({
    instances: 2,
    port: FLEET_PORT,
    quota: { dailyLimit: 1000, maxLeaseSize: 20, leaseTtlS: 300 },
    files: { 'dukcapil-ca.pem': simulator.caPem, 'dukcapil-credentials.json': JSON.stringify(simulator.credentials) },
    returnData: {
      retentionDays: 30,
      delivery: { url: simulator.url, caFile: 'dukcapil-ca.pem', credentialsFile: 'dukcapil-credentials.json', idleIntervalMs: 5_000 },
    },
  });
  const password = randomBytes(9).toString('base64url');
  await new AdminAuth(fleet.pool, () => new Date()).addAdmin('admin', password);

  const kiosks: ChildProcess[] = [];
  const sites = ['Kantor BKD, aula pelayanan', 'UPT Pendapatan Karanganyar', 'Layanan keliling'];
  for (const [i, port] of KIOSK_PORTS.entries()) {
    const id = `KRA-0${i + 1}`;
    const link = await fleet.enrolKiosk(id, sites[i]);
    const stateDir = join(fleet.dir, `kiosk-${id}`);
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    const file = (name: string, content: string) => {
      const path = join(stateDir, name);
      writeFileSync(path, content, { mode: 0o600 });
      return path;
    };
    const config = {
      mode: 'demo',
      stateDir,
      http: { host: '127.0.0.1', port },
      kiosk: { id, site: sites[i], regionCode: '33.13' },
      fleet: {
        url: fleet.url,
        kioskId: id,
        caFile: file('fleet-ca.pem', link.caPem),
        certFile: file('fleet-cert.pem', link.certPem!),
        keyFile: file('fleet-key.pem', link.keyPem!),
        leaseSize: 10,
        lowWater: 3,
      },
    };
    const configFile = file('config.json', JSON.stringify(config, null, 2));
    const child = spawn(process.execPath, [join(ROOT, 'dist/device/main.cjs')], {
      cwd: ROOT,
      env: { ...process.env, ANJUNGAN_CONFIG: configFile, ANJUNGAN_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    kiosks.push(child);
  }

  say('');
  say(`fleet dashboard:  ${fleet.url}/   (sign in as admin, password ${password}; the CA is ${join(fleet.dir, 'ca.pem')})`);
  KIOSK_PORTS.forEach((p, i) => say(`kiosk KRA-0${i + 1}:      http://127.0.0.1:${p}/  (staff dashboard /staff/)`));
  say('');
  say('keys: f = stop the fleet instances (kiosks serve from their leases), s = start them again, q = quit');

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    say('stopping …');
    for (const k of kiosks) k.kill('SIGTERM');
    await Promise.all(kiosks.map((k) => new Promise((r) => (k.exitCode !== null ? r(null) : k.once('exit', r)))));
    await fleet.close();
    await simulator.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  if (process.stdin.isTTY) {
    process.stdin.setRawMode(true);
    process.stdin.resume();
    process.stdin.on('data', (key: Buffer) => {
      const k = key.toString();
      if (k === 'q' || k === '\u0003') void stop();
      else if (k === 'f') {
        void Promise.all(fleet.instances.splice(0).map((i) => i.stop())).then(() => {
          fleet.balancer.setBackends([]);
          say('fleet instances stopped: the kiosks spend what their leases hold');
        });
      } else if (k === 's' && fleet.instances.length === 0) {
        void (async () => {
          await fleet.startInstance();
          await fleet.startInstance();
          say('fleet instances started again');
        })();
      }
    });
  }
}

main().catch((e: Error) => {
  process.stderr.write(`fleet demo: ${e.name}: ${e.message}\n`);
  process.exit(1);
});
