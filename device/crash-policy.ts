/**
 * After an error nothing caught, the daemon's state is unknown: it logs the error's name (never
 * its message or stack, which may hold data and whose formatting costs memory) and exits, and
 * systemd (Restart=always) starts a clean one. A limping kiosk would serve on broken state.
 */
import type { Logger } from './log.ts';

export function installCrashPolicy(logger: Logger): void {
  const die = (event: string) => (err: unknown) => {
    const name = err instanceof Error ? err.name : typeof err;
    try {
      logger.fatal({ event, err: { name } }, 'unexpected error: exiting for a restart');
      logger.flush();
    } finally {
      process.exit(70);
    }
  };
  process.on('uncaughtException', die('uncaughtException'));
  process.on('unhandledRejection', die('unhandledRejection'));
}
