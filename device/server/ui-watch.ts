/**
 * The browser's keep-alive: the page pings the daemon every few seconds from its own event loop.
 * When pings that had been arriving stop (a frozen or crashed page), the watch reports it once;
 * it arms again with the next ping, so a browser that is being restarted is not reported twice.
 */
export class UiWatch {
  private lastPing: number | null = null;
  /** Not cleared by a report: how long ago the page last spoke (the update's boot check reads it). */
  private lastSeen: number | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly opts: { timeoutMs: number; now?: () => number; onFrozen(silentMs: number): void }) {}

  private now(): number {
    return this.opts.now ? this.opts.now() : Date.now();
  }

  ping(): void {
    this.lastPing = this.now();
    this.lastSeen = this.lastPing;
  }

  sinceLastPingMs(): number | null {
    return this.lastSeen === null ? null : this.now() - this.lastSeen;
  }

  /** Reports a frozen page once when the last ping is older than the timeout. */
  check(): void {
    if (this.lastPing === null) return;
    const silent = this.now() - this.lastPing;
    if (silent < this.opts.timeoutMs) return;
    this.lastPing = null;
    this.opts.onFrozen(silent);
  }

  start(): void {
    this.timer = setInterval(() => this.check(), Math.max(250, Math.floor(this.opts.timeoutMs / 4)));
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
