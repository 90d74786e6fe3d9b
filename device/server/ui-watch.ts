/**
 * The browser's keep-alive: the page pings the daemon every few seconds from its own event loop.
 * The watch is armed from the daemon's start, as if a ping had just arrived: a browser that never
 * reaches the page (stuck on an error page because it started before the daemon answered) is
 * reported like a page that stopped pinging. After a report it waits twice the timeout for the
 * restarted browser's first ping before reporting again, and twice as long again after each
 * further report without a ping (up to MAX_GRACE_MS): a browser that keeps failing is restarted at
 * a calm pace, and one that starts slowly (a cold board, a first start creating its profile) is
 * given the time to reach the page instead of being killed at the same point every time.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../log.ts';

/** The page pings every 5 s (ui/api.ts): six missed pings mean a frozen page. */
export const UI_FROZEN_AFTER_MS = 30_000;
/** The longest wait for a restarted browser's first ping. */
const MAX_GRACE_MS = 8 * 60_000;
export class UiWatch {
  private lastPing: number | null;
  /** Not cleared by a report: how long ago the page last spoke (the update's boot check reads it). */
  private lastSeen: number | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  /** Reports since the last ping: each doubles the restarted browser's grace. */
  private reportsWithoutPing = 0;

  /** armedAtStart: a kiosk's daemon (there is a browser unit to restart); off it, armed by the first ping. */
  constructor(private readonly opts: { timeoutMs: number; armedAtStart: boolean; now?: () => number; onFrozen(silentMs: number): void }) {
    this.lastPing = opts.armedAtStart ? this.now() : null;
  }

  private now(): number {
    return this.opts.now ? this.opts.now() : Date.now();
  }

  ping(): void {
    this.lastPing = this.now();
    this.lastSeen = this.lastPing;
    this.reportsWithoutPing = 0;
  }

  sinceLastPingMs(): number | null {
    return this.lastSeen === null ? null : this.now() - this.lastSeen;
  }

  /** Reports a frozen (or never reached) page when the last ping is older than the timeout. */
  check(): void {
    if (this.lastPing === null) return;
    const silent = this.now() - this.lastPing;
    if (silent < this.opts.timeoutMs) return;
    // The restart's grace: 2, 4, 8 … timeouts of silence before the next report.
    this.reportsWithoutPing += 1;
    const grace = Math.min(this.opts.timeoutMs * 2 ** this.reportsWithoutPing, Math.max(MAX_GRACE_MS, this.opts.timeoutMs * 2));
    this.lastPing = this.now() + grace - this.opts.timeoutMs;
    this.opts.onFrozen(silent);
  }

  start(): void {
    if (this.opts.armedAtStart) this.lastPing = this.now();
    this.timer = setInterval(() => this.check(), Math.max(250, Math.floor(this.opts.timeoutMs / 4)));
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}

/**
 * Watches the kiosk page. Under systemd a frozen page makes the daemon write the flag file that
 * anjungan-kiosk-restart.path turns into a restart of the browser unit (it may not do that itself).
 */
export function watchKioskPage(logger: Pick<Logger, 'warn'>, env: NodeJS.ProcessEnv): UiWatch {
  const runtimeDir = env.RUNTIME_DIRECTORY?.split(':')[0];
  const watch = new UiWatch({
    timeoutMs: UI_FROZEN_AFTER_MS,
    // Armed from the start only where there is a browser unit to restart (under systemd).
    armedAtStart: runtimeDir !== undefined,
    onFrozen: (silentMs) => {
      logger.warn({ event: 'uiFrozen', silentMs }, 'the kiosk page stopped pinging');
      if (runtimeDir) writeFileSync(join(runtimeDir, 'kiosk-frozen'), `${new Date().toISOString()}\n`);
    },
  });
  watch.start();
  return watch;
}
