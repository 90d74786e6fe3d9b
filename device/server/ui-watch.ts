/**
 * The browser's keep-alive: the page pings the daemon every few seconds from its own event loop.
 * The watch is armed from the daemon's start, as if a ping had just arrived: a browser that never
 * reaches the page (stuck on an error page because it started before the daemon answered) is
 * reported like a page that stopped pinging. After a report it waits twice the timeout for the
 * restarted browser's first ping before reporting again, so a browser that keeps failing is
 * restarted at a calm pace and one that is starting up is not restarted twice.
 */
export class UiWatch {
  private lastPing: number | null;
  private timer: ReturnType<typeof setInterval> | null = null;

  /** armedAtStart: a kiosk's daemon (there is a browser unit to restart); off it, armed by the first ping. */
  constructor(private readonly opts: { timeoutMs: number; armedAtStart: boolean; now?: () => number; onFrozen(silentMs: number): void }) {
    this.lastPing = opts.armedAtStart ? this.now() : null;
  }

  private now(): number {
    return this.opts.now ? this.opts.now() : Date.now();
  }

  ping(): void {
    this.lastPing = this.now();
  }

  /** Reports a frozen (or never reached) page when the last ping is older than the timeout. */
  check(): void {
    if (this.lastPing === null) return;
    const silent = this.now() - this.lastPing;
    if (silent < this.opts.timeoutMs) return;
    // The next report comes only after two more timeouts of silence: the restart's grace.
    this.lastPing = this.now() + this.opts.timeoutMs;
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
