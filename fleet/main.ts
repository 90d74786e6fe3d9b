/**
 * anjungan-fleet: the fleet service and its administrator's commands.
 *   serve                       run one instance (ANJUNGAN_FLEET_CONFIG names the config file)
 *   init DIR --ip IP [--dns N]  a new CA, server certificate, outbox key and config in DIR
 *   admin add ID                an administrator (password on standard input)
 *   kiosk add ID --site SITE    register a kiosk and print its one-time enrolment token
 *   kiosk token ID              a new token for a registered kiosk (a replaced board)
 *   kiosk revoke ID             refuse the kiosk's certificate from now on
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { createLogger } from '../device/log.ts';
import { AdminAuth } from './admin/auth.ts';
import { loadFleetConfig, type FleetConfigFile } from './config.ts';
import { Enrolment } from './enrolment.ts';
import { createFleetPki } from './pki.ts';
import { createPool } from './postgres/pool.ts';
import { migrate } from './postgres/schema.ts';
import { startFleetInstance } from './service.ts';

const here = dirname(fileURLToPath(import.meta.url));
/** The built dashboard beside the bundle (dist/fleet) or from the source tree (tsx). */
const DEFAULT_UI_DIR = resolve(here, here.endsWith(join('dist', 'fleet')) ? '../fleet-ui' : '../dist/fleet-ui');

function configFile(): string {
  const f = process.env.ANJUNGAN_FLEET_CONFIG;
  if (!f) throw new Error('ANJUNGAN_FLEET_CONFIG must name the fleet configuration file');
  return f;
}

async function withDatabase<T>(
  run: (parts: { pool: ReturnType<typeof createPool>; config: ReturnType<typeof loadFleetConfig> }) => Promise<T>,
): Promise<T> {
  const config = loadFleetConfig(configFile(), DEFAULT_UI_DIR);
  const pool = createPool(config.database, { max: 2 });
  try {
    await migrate(pool);
    return await run({ pool, config });
  } finally {
    await pool.end();
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').split('\n')[0]!.trim();
}

export function program(): Command {
  const p = new Command('anjungan-fleet').description('the anjungan fleet service: shared quota, data balikan, semester report');
  p.command('serve')
    .description('run one fleet instance')
    .action(async () => {
      process.umask(0o077);
      const logger = createLogger({ level: process.env.ANJUNGAN_LOG_LEVEL ?? 'info' });
      const instance = await startFleetInstance(loadFleetConfig(configFile(), DEFAULT_UI_DIR), logger);
      const stop = async () => {
        await instance.close();
        process.exit(0);
      };
      process.on('SIGTERM', () => void stop());
      process.on('SIGINT', () => void stop());
    });
  p.command('init')
    .argument('<dir>', 'folder for the configuration, the CA and keys')
    .requiredOption('--ip <ips...>', "the fleet's address(es) kiosks use")
    .option('--dns <names...>', 'names of the fleet', [])
    .option('--port <port>', 'the port kiosks use', '8443')
    .option('--socket <dir>', "PostgreSQL's socket folder", '/run/postgresql')
    .action(async (dir: string, o: { ip: string[]; dns: string[]; port: string; socket: string }) => {
      mkdirSync(dir, { recursive: true, mode: 0o750 });
      await createFleetPki(dir, { ips: o.ip, dnsNames: o.dns });
      writeFileSync(join(dir, 'outbox.key'), `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
      const config: FleetConfigFile = {
        listen: { host: '0.0.0.0', port: Number(o.port) },
        publicAddress: { host: o.ip[0]!, port: Number(o.port) },
        database: { host: o.socket, port: 5432, database: 'anjungan_fleet', user: 'anjungan' },
        tls: { certFile: 'server.pem', keyFile: 'server.key', caFile: 'ca.pem', caKeyFile: 'ca.key' },
        quota: { dailyLimit: 1000 },
        outboxKeyFile: 'outbox.key',
        report: { agreementNumbers: [] },
      };
      writeFileSync(join(dir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`, { mode: 0o640 });
      process.stdout.write(`fleet configuration in ${join(dir, 'config.json')}; keep ca.key and outbox.key secret\n`);
    });
  const admin = p.command('admin').description('fleet administrators');
  admin
    .command('add')
    .argument('<id>')
    .description('add an administrator, or set a new password (read from standard input)')
    .action(async (id: string) => {
      const password = await readStdin();
      await withDatabase(({ pool }) => new AdminAuth(pool, () => new Date()).addAdmin(id, password));
      process.stdout.write(`administrator ${id} saved\n`);
    });
  const kiosk = p.command('kiosk').description('kiosks of the fleet');
  const enrolment = (pool: ReturnType<typeof createPool>, config: ReturnType<typeof loadFleetConfig>) =>
    new Enrolment(pool, { caPem: config.tls.caPem, caKeyFile: config.tls.caKeyFile }, config.kioskCertificateDays, () => new Date());
  kiosk
    .command('add')
    .argument('<id>')
    .requiredOption('--site <site>', 'where it stands')
    .action(async (id: string, o: { site: string }) => {
      const t = await withDatabase(({ pool, config }) => enrolment(pool, config).issueToken(id, o.site));
      process.stdout.write(`${t.token}\n`);
      process.stderr.write(
        `one-time enrolment token for ${id}, valid until ${t.expiresAt}: on the kiosk run anjungan-provision fleet join https://HOST:PORT TOKEN\n`,
      );
    });
  kiosk
    .command('token')
    .argument('<id>')
    .action(async (id: string) => {
      const t = await withDatabase(async ({ pool, config }) => {
        const site = (await pool.query<{ site: string }>('SELECT site FROM kiosk WHERE id = $1', [id])).rows[0]?.site;
        if (site === undefined) throw new Error(`no kiosk ${id}`);
        return enrolment(pool, config).issueToken(id, site, true);
      });
      process.stdout.write(`${t.token}\n`);
    });
  kiosk
    .command('revoke')
    .argument('<id>')
    .action(async (id: string) => {
      await withDatabase(({ pool, config }) => enrolment(pool, config).revoke(id));
      process.stdout.write(`kiosk ${id} revoked\n`);
    });
  return p;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  program()
    .parseAsync(process.argv)
    .catch((e: Error) => {
      process.stderr.write(`anjungan-fleet: ${e.name}: ${e.message}\n`);
      process.exit(1);
    });
}
