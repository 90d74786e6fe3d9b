/** What every command gets: where the tree is, the time, and the process's streams. */
import type { ExitCode } from './errors.ts';
import type { Layout } from './layout.ts';
import type { SecretSource } from './secret-input.ts';

export interface CommandContext {
  layout: Layout;
  now: Date;
  secrets: SecretSource;
  /** A progress line for a slow step (stderr, so it never mixes with --json output). */
  progress(line: string): void;
  env: NodeJS.ProcessEnv;
}

export interface Outcome {
  /** What --json prints. */
  data: Record<string, unknown>;
  /** What a person reads. */
  lines: string[];
  exitCode?: ExitCode;
}
