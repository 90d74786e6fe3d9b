/**
 * What start-up opened, closed in reverse order: each part registers its own close as it opens
 * (fastify's onClose, Home Assistant's async_on_unload), so shutdown needs no ordering by hand.
 */
import type { Logger } from './log.ts';

export class Lifecycle {
  private readonly closes: Array<() => unknown> = [];

  constructor(private readonly logger: Pick<Logger, 'warn'>) {}

  /** Registers how to close a part just opened: it closes before everything opened earlier. */
  defer(close: () => unknown): void {
    this.closes.push(close);
  }

  /** Closes every registered part, newest first; one that fails is logged and the rest still close. */
  async close(): Promise<void> {
    for (let close = this.closes.pop(); close; close = this.closes.pop()) {
      try {
        await close();
      } catch (err) {
        this.logger.warn({ event: 'closeFailed', err: { name: (err as Error).name } }, 'a part did not close cleanly');
      }
    }
  }
}
