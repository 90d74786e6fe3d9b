/**
 * A private PostgreSQL cluster from Debian's binaries, with no system service: `initdb` into a
 * temporary folder, then `pg_ctl start` with the socket in that folder and no TCP listener at
 * all. `make fleet-demo` and every fleet test start one this way; a BKD server runs its own
 * PostgreSQL and gives the fleet a connection string instead.
 *
 * PostgreSQL refuses to run as root: as root the cluster runs as the `postgres` user the Debian
 * package creates (its folder is given to that user); as anyone else it runs as that user.
 */
import { execFile, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export class PostgresMissing extends Error {
  override readonly name = 'PostgresMissing';
  constructor() {
    super("PostgreSQL binaries not found: install Debian's postgresql package (make system-deps does)");
  }
}

/** The folder with initdb, pg_ctl and postgres: pg_config's, else the newest /usr/lib/postgresql/N/bin. */
export async function postgresBinDir(): Promise<string> {
  const has = (dir: string) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'));
  try {
    const { stdout } = await run('pg_config', ['--bindir']);
    const dir = stdout.trim();
    if (has(dir)) return dir;
  } catch {
    // pg_config comes with libpq-dev, which a server need not have.
  }
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^[0-9]+$/.test(v) && has(join(root, v, 'bin')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) throw new PostgresMissing();
  return join(root, versions[0]!, 'bin');
}

export interface PostgresCluster {
  /** The data folder; the socket lives in it too. */
  dir: string;
  socketDir: string;
  database: string;
  user: string;
  /** Options for `pg` (node-postgres): host is the socket folder. */
  connection: { host: string; database: string; user: string; port: number };
  /** The postmaster's process id (for kill -9 in tests). */
  pid(): number;
  start(): Promise<void>;
  /** kill -9 of the postmaster and every backend (a crash, not a shutdown); resolves once they are gone. */
  kill(): Promise<void>;
  /** `fast` ends sessions and checkpoints; `immediate` is a crash without cleanup (recovery at the next start). */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Stops and removes the folder. */
  destroy(): Promise<void>;
}

interface RunAs {
  uid?: number;
  gid?: number;
}

async function runAs(): Promise<RunAs> {
  if (process.getuid?.() !== 0) return {};
  try {
    const [{ stdout: uid }, { stdout: gid }] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
    return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
  } catch {
    throw new PostgresMissing();
  }
}

function exec(file: string, args: string[], as: RunAs, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    // Its own process group: the postmaster outlives pg_ctl and must not get our terminal's signals.
    const child = spawn(file, args, {
      ...as,
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
      env: { ...process.env, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' },
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      if (stderr.length < 4096) stderr += c.toString('utf8');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`${file.split('/').pop()} exited ${code}: ${stderr.trim().slice(0, 600)}`));
    });
    child.unref();
  });
}

/**
 * Whether a process of the group still runs. A killed process whose parent does not reap it (the
 * postmaster's parent is whoever adopted it) stays a zombie: it holds nothing and does not count.
 */
function livingInGroup(pgid: number): boolean {
  for (const entry of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // pid (comm) state ppid pgrp ...; comm may hold spaces and parentheses: read after the last ')'.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z') return true;
  }
  return false;
}

/**
 * Creates and starts a cluster in a new temporary folder. `settings` are extra `-c` options
 * (e.g. max_connections); the defaults keep every committed transaction across a crash.
 */
export async function startPostgresCluster(
  opts: { settings?: Record<string, string | number>; database?: string } = {},
): Promise<PostgresCluster> {
  const bin = await postgresBinDir();
  const as = await runAs();
  const dir = mkdtempSync(join(tmpdir(), 'anjungan-pg-'));
  if (as.uid !== undefined) chownSync(dir, as.uid, as.gid!);
  const user = 'anjungan';
  const database = opts.database ?? 'anjungan_fleet';
  await exec(
    join(bin, 'initdb'),
    ['-D', dir, '-U', user, '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '--no-instructions'],
    as,
    120_000,
  );
  const settings = { max_connections: 100, ...opts.settings };
  const options = [`-k ${dir}`, "-c listen_addresses=''", ...Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`)].join(' ');
  const logFile = join(dir, 'postgres.log');
  const start = () => exec(join(bin, 'pg_ctl'), ['-D', dir, '-o', options, '-l', logFile, '-w', '-t', '60', 'start'], as, 90_000);
  await start();
  // The database the fleet uses, through the postgres binary's own client-free path: psql may be absent.
  const { default: pg } = await import('pg');
  const admin = new pg.Client({ host: dir, database: 'postgres', user, port: 5432 });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${database}`);
  } finally {
    await admin.end();
  }
  const cluster: PostgresCluster = {
    dir,
    socketDir: dir,
    database,
    user,
    connection: { host: dir, database, user, port: 5432 },
    pid: () => Number(readFileSync(join(dir, 'postmaster.pid'), 'utf8').split('\n')[0]),
    start,
    async kill() {
      const pid = cluster.pid();
      // The postmaster leads its own process group (pg_ctl starts it detached): the group is every backend.
      process.kill(-pid, 'SIGKILL');
      const deadline = Date.now() + 30_000;
      while (livingInGroup(pid)) {
        if (Date.now() > deadline) throw new Error('PostgreSQL did not die');
        await new Promise((r) => setTimeout(r, 50));
      }
      // Its lock files name its pid, which a zombie (unreaped where nothing adopts it, e.g. in a
      // test's PID namespace) keeps alive to a kill(pid, 0): the next start would refuse. It is dead.
      rmSync(join(dir, 'postmaster.pid'), { force: true });
      rmSync(join(dir, '.s.PGSQL.5432.lock'), { force: true });
    },
    async stop(mode = 'fast') {
      if (!existsSync(join(dir, 'postmaster.pid'))) return;
      await exec(join(bin, 'pg_ctl'), ['-D', dir, '-m', mode, '-w', '-t', '60', 'stop'], as, 90_000);
    },
    async destroy() {
      try {
        await cluster.stop('immediate');
      } catch {
        // Already gone (a test killed it): the folder goes all the same.
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return cluster;
}
