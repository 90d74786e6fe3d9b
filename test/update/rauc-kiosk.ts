/**
 * A kiosk whose A/B slots are files, driven by the real RAUC (its D-Bus service on a private
 * session bus, as its own test suite runs it), the real firmware backend and handlers of
 * image/rauc/, and anjungan-provision run in this process with --root on the board's folder.
 * The configuration is image/rauc/system.conf with its device paths, keyring and data folder
 * pointed at the test's files; the bundle formats also allow 'plain', because this machine's
 * kernel has no device-mapper (dm-verity) to mount a verity bundle for installing it. Signing
 * keys come from a test CA made here with openssl.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Test } from 'tap';
import Database from 'better-sqlite3';
import { layout } from '../../provisioning/layout.ts';
import { PassThrough, Readable } from 'node:stream';
import { runCli } from '../../provisioning/cli.ts';
import { cli, INIT, type CliRun } from '../provisioning/cli-harness.ts';
import { until } from '../support/until.ts';
import { bootImage, fakeBoard, REPO, type FakeBoard } from './fake-board.ts';

export const RUNNING = { version: '0.1.0', build: '20260101T000000Z-aaaaaaa', compatible: 'anjungan-amd64' } as const;

const sh = (cmd: string, args: string[], cwd?: string) =>
  execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...(cwd ? { cwd } : {}) });

/** A CA and a code-signing certificate under it (what a technician's office keeps). */
export interface Signer {
  ca: string;
  cert: string;
  key: string;
}

/** A certificate under the same CA that is not for signing code (no extendedKeyUsage codeSigning). */
export function signerWithoutCodeSigning(of: Signer, dir: string): Signer {
  const p = (f: string) => join(dir, f);
  mkdirSync(dir, { recursive: true });
  sh('openssl', [
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    p('tls.key'),
    '-out',
    p('tls.csr'),
    '-subj',
    '/CN=a TLS server',
  ]);
  writeFileSync(p('tls.ext'), 'basicConstraints=CA:false\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n');
  sh('openssl', [
    'x509',
    '-req',
    '-in',
    p('tls.csr'),
    '-CA',
    of.ca,
    '-CAkey',
    of.ca.replace(/ca\.pem$/, 'ca.key'),
    '-CAcreateserial',
    '-out',
    p('tls.pem'),
    '-days',
    '30',
    '-extfile',
    p('tls.ext'),
  ]);
  return { ca: of.ca, cert: p('tls.pem'), key: p('tls.key') };
}

/** A CA and a release signer under it, made by image/rauc/signing-keys.sh as a technician makes them. */
export function makeSigner(dir: string, name: string): Signer {
  mkdirSync(dir, { recursive: true });
  const d = join(dir, name);
  sh('bash', [join(REPO, 'image/rauc/signing-keys.sh'), d, name]);
  return { ca: join(d, 'ca.pem'), cert: join(d, 'signer.pem'), key: join(d, 'signer.key') };
}

export interface BundleSpec {
  version: string;
  build: string;
  compatible?: string;
  format?: 'plain' | 'verity';
  signer?: Signer;
  /** Written into the root image, so each bundle's root differs. */
  marker?: string;
  /** The root image's size (default 16) and how much incompressible data it holds (default 64 KiB). */
  rootMiB?: number;
  payloadKiB?: number;
}

export interface RaucKiosk {
  board: FakeBoard;
  root: string;
  trusted: Signer;
  env: NodeJS.ProcessEnv;
  startRauc(): Promise<void>;
  /** Stops RAUC's service; kill: SIGKILL, as a power cut leaves it. */
  stopRauc(opts?: { kill?: boolean }): Promise<void>;
  raucPid(): number;
  /** The firmware boots the board again (RAUC's service restarted for the new boot). */
  reboot(opts?: { powerCut?: boolean }): Promise<{ slot: 'A' | 'B'; tryboot: boolean }>;
  /** anjungan-provision on the board's root; onLine sees each line it writes to stderr as it comes. */
  cli(args: string[], env?: NodeJS.ProcessEnv, onLine?: (line: string) => void): Promise<CliRun>;
  /** The backend's good/bad for a slot. */
  backendState(slot: 'A' | 'B'): string;
  /** What anjungan-provision asked systemctl for (the stand-in records it). */
  systemctl(): string[];
  bundle(spec: BundleSpec): string;
  /** The SHA-256 of both slots' files, to show what an operation wrote. */
  slotDigests(): Record<string, string>;
}

export async function raucKiosk(t: Test, opts: { provisioned?: boolean; rootMiB?: number } = {}): Promise<RaucKiosk> {
  const board = fakeBoard(t, { rootMiB: opts.rootMiB ?? 16 });
  const root = board.dir;
  const l = layout(root);
  const pki = join(root, 'pki');
  const trusted = makeSigner(pki, 'office');

  // The root as the image has it: release.json, RAUC's configuration.
  mkdirSync(join(root, 'usr/lib/anjungan'), { recursive: true });
  writeFileSync(l.releaseFile, JSON.stringify(RUNNING));
  mkdirSync(join(root, 'etc/rauc'), { recursive: true });
  const devices: Record<string, string> = {
    '414e4a47-05': board.slots.A.root,
    '414e4a47-02': board.slots.A.boot,
    '414e4a47-06': board.slots.B.root,
    '414e4a47-03': board.slots.B.boot,
  };
  const conf = readFileSync(join(REPO, 'image/rauc/system.conf'), 'utf8')
    .replace('@COMPATIBLE@', RUNNING.compatible)
    .replace(/^bundle-formats=.*$/m, 'bundle-formats=plain verity')
    .replace(/^data-directory=.*$/m, `data-directory=${join(root, 'data/rauc')}`)
    .replace(/^mountprefix=.*$/m, `mountprefix=${join(root, 'run/rauc')}`)
    .replace(/^path=\/etc\/rauc\/keyring\.pem$/m, `path=${trusted.ca}`)
    .replace(/^bootloader-custom-backend=.*$/m, `bootloader-custom-backend=${join(REPO, 'image/rauc/boot-backend')}`)
    .replace(/^pre-install=.*$/m, `pre-install=${join(REPO, 'image/rauc/pre-install')}`)
    .replace(/^device=\/dev\/disk\/by-partuuid\/(\S+)$/gm, (_l, id: string) => `device=${devices[id]}`);
  writeFileSync(l.raucSystemConf, conf);

  // Stand-ins on PATH: anjungan-provision (RAUC's pre-install handler calls it) runs this checkout
  // on the board's root; systemctl records what it is asked and forwards SIGHUP to a test daemon.
  const bin = join(root, 'bin');
  mkdirSync(bin);
  writeFileSync(
    join(bin, 'anjungan-provision'),
    `#!/bin/sh\ncd ${REPO} && exec ${process.execPath} --import=tsx provisioning/main.ts "$@" --root ${root}\n`,
  );
  const systemctlLog = join(root, 'systemctl.log');
  writeFileSync(
    join(bin, 'systemctl'),
    `#!/bin/sh\necho "$*" >> ${systemctlLog}\ncase "$*" in *SIGHUP*anjungan.service*) [ -z "$ANJUNGAN_TEST_DAEMON_PID" ] || kill -HUP "$ANJUNGAN_TEST_DAEMON_PID" ;; esac\nexit 0\n`,
  );
  chmodSync(join(bin, 'anjungan-provision'), 0o755);
  chmodSync(join(bin, 'systemctl'), 0o755);

  const bus = join(root, 'run/bus');
  const env: NodeJS.ProcessEnv = {
    ...board.env,
    PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    DBUS_SESSION_BUS_ADDRESS: `unix:path=${bus}`,
    DBUS_STARTER_BUS_TYPE: 'session',
  };
  delete env.NODE_OPTIONS;

  if (opts.provisioned !== false) {
    const init = await cli([...INIT, '--root', root]);
    if (init.code !== 0) throw new Error(`init failed: ${init.stderr}`);
    // Nothing listens on port 1: no daemon answers unless a test starts one and says where.
    const config = JSON.parse(readFileSync(l.configFile, 'utf8')) as { http: { host: string; port: number } };
    config.http = { host: '127.0.0.1', port: 1 };
    writeFileSync(l.configFile, JSON.stringify(config, null, 2));
  }

  let dbus: ChildProcess | null = null;
  let rauc: ChildProcess | null = null;
  let raucLog = '';
  const exited = (p: ChildProcess) =>
    new Promise<void>((r) => (p.exitCode !== null || p.signalCode !== null ? r() : p.once('exit', () => r())));
  const startRauc = async () => {
    mkdirSync(join(root, 'run'), { recursive: true });
    rmSync(bus, { force: true });
    dbus = spawn('dbus-daemon', ['--session', `--address=unix:path=${bus}`, '--nofork', '--nopidfile'], { stdio: 'ignore' });
    await until(() => existsSync(bus), 'the session bus', 10_000);
    const booted = board.booted().slot;
    rauc = spawn('rauc', ['service', `--conf=${l.raucSystemConf}`, `--override-boot-slot=${booted}`], {
      env,
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    rauc.stdout!.on('data', (d: Buffer) => (raucLog += d.toString()));
    rauc.stderr!.on('data', (d: Buffer) => (raucLog += d.toString()));
    // Ready once it answers on the bus.
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        execFileSync('rauc', ['status', '--output-format=json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
        return;
      } catch {
        if (Date.now() > deadline) throw new Error(`rauc service did not answer:\n${raucLog.slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };
  const stopRauc = async (o: { kill?: boolean } = {}) => {
    for (const p of [rauc, dbus]) {
      if (!p || p.exitCode !== null || p.signalCode !== null) continue;
      p.kill(o.kill ? 'SIGKILL' : 'SIGTERM');
      await exited(p);
    }
    rauc = null;
    dbus = null;
  };
  t.teardown(() => stopRauc({ kill: true }));

  const content = join(root, 'bundle-content');
  const out = join(root, 'bundles');
  let serial = 0;
  const kiosk: RaucKiosk = {
    board,
    root,
    trusted,
    env,
    startRauc,
    stopRauc,
    raucPid: () => rauc!.pid!,
    async reboot(o = {}) {
      await stopRauc({ kill: o.powerCut });
      if (o.powerCut) board.powerCut();
      const booted = board.boot();
      await startRauc();
      return booted;
    },
    cli: (args, extra, onLine) => runLive([...args, '--root', root], { ...env, ...extra }, onLine),
    backendState: (slot) => board.backend('get-state', slot).stdout,
    systemctl: () => (existsSync(systemctlLog) ? readFileSync(systemctlLog, 'utf8').trim().split('\n') : []),
    bundle(spec) {
      const dir = join(content, String(++serial));
      mkdirSync(join(dir, 'tree'), { recursive: true });
      bootImage(join(dir, 'boot.vfat'), `console=tty3 root=PARTUUID=414e4a47-05 rauc.slot=A rootfstype=ext4 ro rootwait panic=10 quiet`);
      // Incompressible content, so the bundle's payload is larger than one verity block.
      writeFileSync(join(dir, 'tree/release'), `${spec.marker ?? spec.version}\n`);
      sh('sh', ['-c', `head -c ${(spec.payloadKiB ?? 64) * 1024} /dev/urandom > ${join(dir, 'tree/payload')}`]);
      sh('mkfs.ext4', ['-q', '-F', '-L', 'ANJ-ROOT', '-d', join(dir, 'tree'), join(dir, 'root.ext4'), `${spec.rootMiB ?? 16}M`]);
      const release = join(dir, 'release.json');
      writeFileSync(
        release,
        JSON.stringify({ version: spec.version, build: spec.build, compatible: spec.compatible ?? RUNNING.compatible }),
      );
      const signer = spec.signer ?? trusted;
      const made = execFileSync(
        'bash',
        [join(REPO, 'image/rauc/bundle.sh'), release, join(dir, 'boot.vfat'), join(dir, 'root.ext4'), join(out, String(serial))],
        {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
          env: {
            ...process.env,
            ANJUNGAN_SIGNING_CERT: signer.cert,
            ANJUNGAN_SIGNING_KEY: signer.key,
            ANJUNGAN_BUNDLE_FORMAT: spec.format ?? 'verity',
            ANJUNGAN_ZSTD_LEVEL: '1',
          },
        },
      );
      return made.trim();
    },
    slotDigests: () =>
      Object.fromEntries(
        (['A', 'B'] as const).flatMap((s) => [
          [`boot ${s}`, board.digest(board.slots[s].boot)],
          [`root ${s}`, board.digest(board.slots[s].root)],
        ]),
      ),
  };
  await startRauc();
  return kiosk;
}

async function runLive(args: string[], env: NodeJS.ProcessEnv, onLine?: (line: string) => void): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  let pending = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => {
    err += c.toString();
    pending += c.toString();
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const l of lines) onLine?.(l);
  });
  const code = await runCli(args, { stdin: Readable.from([]), stdout, stderr, env });
  const last = out.trim().split('\n').at(-1) ?? '';
  return { code, stdout: out, stderr: err, json: last.startsWith('{') ? (JSON.parse(last) as Record<string, unknown>) : null };
}

/** A build string `count` minutes after the running release's. */
export const laterBuild = (minutes: number, commit = 'bbbbbbb') => {
  const d = new Date(Date.UTC(2026, 0, 1, 0, minutes));
  return `${d.toISOString().replace(/[-:]/g, '').slice(0, 15)}Z-${commit}`;
};

/** The audit trail's update and kiosk events, as the kiosk's store holds them. */
export function updateAuditRows(k: RaucKiosk) {
  const db = new Database(join(layout(k.root).stateDir, 'anjungan.sqlite'), { readonly: true });
  try {
    return db
      .prepare(
        "SELECT code, state, outcome, staff_id AS staffId FROM audit_event WHERE code LIKE 'update%' OR code LIKE 'kiosk%' ORDER BY id",
      )
      .all() as Array<{ code: string; state: string | null; outcome: string | null; staffId: string | null }>;
  } finally {
    db.close();
  }
}

/** Who paused the kiosk for staff, if anyone (an install pauses it while it runs). */
export function pauseFlag(k: RaucKiosk): string | null {
  const db = new Database(join(layout(k.root).stateDir, 'anjungan.sqlite'), { readonly: true });
  try {
    return (db.prepare("SELECT value FROM kiosk_flag WHERE name = 'pausedByStaff'").get() as { value: string } | undefined)?.value ?? null;
  } finally {
    db.close();
  }
}

/** Everything an install could have touched: slots, autoboot.txt, the flag, RAUC's and our state. */
export function installFootprint(k: RaucKiosk) {
  const b = k.board;
  const read = (p: string) => (existsSync(p) ? readFileSync(p, 'utf8') : null);
  return {
    slots: k.slotDigests(),
    autoboot: read(b.autoboot),
    flag: existsSync(b.flag),
    bootState: read(b.stateFile),
    raucStatus: read(join(k.root, 'data/rauc/central.raucs')),
    journal: read(layout(k.root).updateJournalFile),
    reboots: k.systemctl().filter((c) => c.startsWith('reboot')),
  };
}
