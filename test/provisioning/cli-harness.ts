/**
 * Runs anjungan-provision in this process on a temporary --root, with secrets piped on stdin,
 * and fingerprints a tree (paths, modes, contents) so a refused command can be shown to have
 * changed nothing.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, lstatSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { runCli } from '../../provisioning/cli.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** The --json object, when the command printed one. */
  json: Record<string, unknown> | null;
}

/** env: the command's environment (empty unless given). */
export async function cli(args: string[], opts: { stdin?: string; now?: Date; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const stdin = Readable.from(opts.stdin === undefined ? [] : [opts.stdin]);
  const code = await runCli(args, { stdin, stdout, stderr, env: opts.env ?? {}, ...(opts.now ? { now: () => opts.now! } : {}) });
  const lastLine = out.trim().split('\n').at(-1) ?? '';
  let json: Record<string, unknown> | null = null;
  try {
    json = lastLine.startsWith('{') ? (JSON.parse(lastLine) as Record<string, unknown>) : null;
  } catch {
    json = null;
  }
  return { code, stdout: out, stderr: err, json };
}

export function tempRoot(t: { teardown(f: () => void): void }, tag: string): string {
  const root = mkdtempSync(join(tmpdir(), `anj11-${tag}-`));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  return root;
}

/** SHA-256 over every path, mode and file content under root: equal hashes, identical trees. */
export function treeHash(root: string): string {
  const h = createHash('sha256');
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      const st = lstatSync(p);
      h.update(`${relative(root, p)}\0${st.mode}\0`);
      if (st.isDirectory()) walk(p);
      else h.update(readFileSync(p));
    }
  };
  walk(root);
  return h.digest('hex');
}

/** Every file's bytes under root (for scans for secrets). */
export function treeFiles(root: string): Array<{ path: string; bytes: Buffer }> {
  const files: Array<{ path: string; bytes: Buffer }> = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (lstatSync(p).isDirectory()) walk(p);
      else files.push({ path: p, bytes: readFileSync(p) });
    }
  };
  walk(root);
  return files;
}

export const mode = (path: string) => lstatSync(path).mode & 0o777;

export const INIT = [
  'init',
  '--kiosk-id',
  'KRA-01',
  '--site',
  'BKD Kabupaten Karanganyar',
  '--region-code',
  '33.13',
  '--office-address',
  'Jl. Contoh No. 1',
];
