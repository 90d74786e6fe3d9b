/**
 * Running the system's tools (rauc, veritysetup, systemctl) with the caller's environment: its
 * PATH finds them (tests put stand-ins first) and its D-Bus address reaches RAUC's service.
 */
import { spawn } from 'node:child_process';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end; onLine gets each line of its output as it comes (progress). */
export type Run = (cmd: string, args: string[], onLine?: (line: string) => void) => Promise<RunResult>;

/** Output beyond this is not kept (the tools answer in a few lines; progress is streamed). */
const KEEP_BYTES = 256 * 1024;

export function runner(env: NodeJS.ProcessEnv): Run {
  return (cmd, args, onLine) =>
    new Promise((resolve) => {
      const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      let pending = '';
      const lines = (chunk: string) => {
        if (!onLine) return;
        pending += chunk;
        const parts = pending.split('\n');
        pending = parts.pop()!;
        for (const l of parts) onLine(l);
      };
      child.stdout.setEncoding('utf8').on('data', (c: string) => {
        if (stdout.length < KEEP_BYTES) stdout += c;
        lines(c);
      });
      child.stderr.setEncoding('utf8').on('data', (c: string) => {
        if (stderr.length < KEEP_BYTES) stderr += c;
        lines(c);
      });
      child.on('error', (e: NodeJS.ErrnoException) =>
        resolve({ code: 127, stdout, stderr: `${cmd}: ${e.code === 'ENOENT' ? 'not installed' : e.message}` }),
      );
      child.on('close', (code, signal) => {
        if (pending && onLine) onLine(pending);
        resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
      });
    });
}
