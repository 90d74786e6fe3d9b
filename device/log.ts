/**
 * Structured logs (pino) with event codes. Callers log codes, counts and timings only; the
 * redaction list is a second line of defence for fields that must never reach a log.
 */
import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

export const REDACTED_KEYS = [
  'nik',
  'nomorKk',
  'namaLengkap',
  'tempatLahir',
  'tanggalLahir',
  'alamat',
  'person',
  'card',
  'record',
  'password',
  'userId',
  'user_id',
  'ipUser',
  'IP_USER',
  'pcid',
  'configuration',
  'pin',
  'photo',
];

export function createLogger(opts: { level?: string; destination?: DestinationStream } = {}): Logger {
  const paths = REDACTED_KEYS.flatMap((k) => [k, `*.${k}`]);
  return pino(
    {
      level: opts.level ?? process.env.ANJUNGAN_LOG_LEVEL ?? 'info',
      base: { app: 'anjungan' },
      redact: { paths, censor: '[redacted]' },
    },
    opts.destination ?? pino.destination(1),
  );
}
