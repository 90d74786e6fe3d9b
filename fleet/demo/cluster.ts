/**
 * A whole fleet on one machine, for `make fleet-demo` and the fleet tests: a private PostgreSQL
 * (../postgres/cluster.ts), a fresh CA and server certificate for 127.0.0.1, N fleet instances
 * (child processes running `anjungan-fleet serve`, as on a server, or in this process when a test
 * sets the clock) and a TCP balancer giving them one address.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Pool } from 'pg';
import { createLogger, type Logger } from '../../device/log.ts';
import { joinFleet } from '../../device/fleet/enrolment.ts';
import type { FleetLink } from '../../device/fleet/client.ts';
import { startBalancer, type Balancer } from '../balancer.ts';
import { loadFleetConfig, type FleetConfigFile } from '../config.ts';
import { Enrolment } from '../enrolment.ts';
import { createFleetPki } from '../pki.ts';
import { startPostgresCluster, type PostgresCluster } from '../postgres/cluster.ts';
import { createPool } from '../postgres/pool.ts';
import { migrate } from '../postgres/schema.ts';
import { startFleetInstance, type FleetInstance } from '../service.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface LocalFleetOptions {
  instances?: number;
  /** Child processes (the default) or in this process (a test's clock applies). */
  inProcess?: boolean;
  now?: () => Date;
  quota?: FleetConfigFile['quota'];
  /** Written into the config's returnData section (delivery to a simulator, retention). */
  returnData?: FleetConfigFile['returnData'];
  /** Extra files the returnData section names, written into the config folder. */
  files?: Record<string, string>;
  /** A fixed port for the balancer (the demo's); 0 picks one. */
  port?: number;
  logger?: Logger;
  agreementNumbers?: string[];
}

export interface RunningInstance {
  port: number;
  /** The child's process id (child-process instances only). */
  pid: number | null;
  /** What a child instance wrote to stderr (the start of it), for a test that failed. */
  stderr(): string;
  stop(): Promise<void>;
}

export interface LocalFleet {
  url: string;
  caPem: string;
  dir: string;
  configFile: string;
  cluster: PostgresCluster;
  /** A pool of the test's own, for looking at the database. */
  pool: Pool;
  balancer: Balancer;
  instances: RunningInstance[];
  /** Starts one more instance (e.g. after a kill) and puts it behind the balancer. */
  startInstance(): Promise<RunningInstance>;
  /** Registers a kiosk and enrols it as `anjungan-provision fleet join` does; returns its link. */
  enrolKiosk(id: string, site?: string): Promise<FleetLink & { kioskId: string }>;
  /** A one-time token for a kiosk (registered if new). */
  issueToken(id: string, site?: string): Promise<string>;
  close(): Promise<void>;
}

export async function startLocalFleet(opts: LocalFleetOptions = {}): Promise<LocalFleet> {
  const logger = opts.logger ?? createLogger({ level: 'silent' });
  const cluster = await startPostgresCluster({ settings: { max_connections: 200 } });
  const dir = mkdtempSync(join(tmpdir(), 'anjungan-fleet-'));
  const cleanups: Array<() => Promise<void> | void> = [() => cluster.destroy(), () => rmSync(dir, { recursive: true, force: true })];
  try {
    await createFleetPki(dir, { ips: ['127.0.0.1'], dnsNames: ['localhost'] });
    writeFileSync(join(dir, 'outbox.key'), `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
    for (const [name, content] of Object.entries(opts.files ?? {})) writeFileSync(join(dir, name), content, { mode: 0o600 });
    const balancer = await startBalancer([], { port: opts.port ?? 0 });
    cleanups.unshift(() => balancer.close());
    const config: FleetConfigFile = {
      listen: { host: '127.0.0.1', port: 0 },
      publicAddress: { host: '127.0.0.1', port: balancer.port },
      database: { host: cluster.socketDir, port: 5432, database: cluster.database, user: cluster.user },
      tls: { certFile: 'server.pem', keyFile: 'server.key', caFile: 'ca.pem', caKeyFile: 'ca.key' },
      quota: opts.quota ?? {},
      outboxKeyFile: 'outbox.key',
      ...(opts.returnData ? { returnData: opts.returnData } : {}),
      report: { agreementNumbers: opts.agreementNumbers ?? ['473.3/2741.12/XI/2022', '473.3/215.1/XI/2022'] },
      uiDir: join(ROOT, 'dist/fleet-ui'),
      poolSize: 20,
    };
    const configFile = join(dir, 'config.json');
    writeFileSync(configFile, JSON.stringify(config, null, 2));
    const pool = createPool(cluster.connection, { max: 5 });
    cleanups.unshift(() => pool.end());
    await migrate(pool);
    const instances: RunningInstance[] = [];

    const startInstance = async (): Promise<RunningInstance> => {
      let running: RunningInstance;
      if (opts.inProcess) {
        const inst: FleetInstance = await startFleetInstance(loadFleetConfig(configFile, join(ROOT, 'dist/fleet-ui')), logger, opts.now);
        running = { port: inst.port, pid: null, stderr: () => '', stop: () => inst.close() };
      } else {
        running = await spawnInstance(configFile);
      }
      instances.push(running);
      balancer.setBackends(instances.map((i) => i.port));
      return running;
    };
    for (let i = 0; i < (opts.instances ?? 2); i++) await startInstance();
    cleanups.unshift(async () => {
      for (const i of instances) await i.stop().catch(() => undefined);
    });

    const caPem = readFileSync(join(dir, 'ca.pem'), 'utf8');
    const url = `https://127.0.0.1:${balancer.port}`;
    const enrolment = new Enrolment(pool, { caPem, caKeyFile: join(dir, 'ca.key') }, 30, () => new Date());
    const issueToken = async (id: string, site = `Anjungan ${id}`) => {
      const known = (await pool.query('SELECT 1 FROM kiosk WHERE id = $1', [id])).rowCount === 1;
      return (await enrolment.issueToken(id, site, known)).token;
    };
    return {
      url,
      caPem,
      dir,
      configFile,
      cluster,
      pool,
      balancer,
      instances,
      startInstance,
      issueToken,
      async enrolKiosk(id, site) {
        const token = await issueToken(id, site);
        const keyFile = join(dir, `kiosk-${id}.key`);
        const joined = await joinFleet(url, token, keyFile);
        return { kioskId: joined.kioskId, url, caPem: joined.caPem, certPem: joined.certificatePem, keyPem: readFileSync(keyFile, 'utf8') };
      },
      async close() {
        for (const c of cleanups) await Promise.resolve(c()).catch(() => undefined);
      },
    };
  } catch (e) {
    for (const c of cleanups) await Promise.resolve(c()).catch(() => undefined);
    throw e;
  }
}

/** `anjungan-fleet serve` as a child process; resolves once it logged that it listens. */
async function spawnInstance(configFile: string): Promise<RunningInstance> {
  const child: ChildProcess = spawn(process.execPath, ['--import=tsx', join(ROOT, 'fleet/main.ts'), 'serve'], {
    cwd: ROOT,
    env: { ...process.env, ANJUNGAN_FLEET_CONFIG: configFile, ANJUNGAN_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => {
    if (stderr.length < 4000) stderr += c.toString('utf8');
  });
  const port = await new Promise<number>((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`fleet instance did not start: ${stderr}`)), 120_000);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      try {
        const entry = JSON.parse(line) as { event?: string; port?: number };
        if (entry.event === 'fleetReady' && typeof entry.port === 'number') {
          clearTimeout(timer);
          resolvePort(entry.port);
        }
      } catch {
        // not a log line
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`fleet instance exited ${code}: ${stderr}`));
    });
  });
  const exited = new Promise<void>((r) => (child.exitCode !== null ? r() : child.once('exit', () => r())));
  return {
    port,
    pid: child.pid ?? null,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
