/**
 * The daemon's logger (device/log.ts: pino with its redaction list) writing into memory, so a
 * test reads what the process would have written: its events, and that no secret or personal
 * data is among them.
 */
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../device/log.ts';

export interface CapturedLog {
  logger: Logger;
  /** Everything written, one JSON record a line. */
  text(): string;
  /** Each record as written. */
  lines(): string[];
}

export function capturingLogger(level = 'debug'): CapturedLog {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger({ level, destination: destination as never }), text: () => lines.join(''), lines: () => lines };
}

/** A logger for tests that read no logs (at the daemon's level, so it costs what the daemon's does). */
export function quietLogger(): Logger {
  return createLogger({ level: 'info', destination: new Writable({ write: (_c, _e, done) => done() }) as never });
}
