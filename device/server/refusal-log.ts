/**
 * Warn lines for what a stranger can cause at will (refused requests, refused connections, bad
 * stream frames), rate-limited so that a flood cannot push real events out of the appliance's
 * in-memory journal. The first refusal of a kind is logged at once (count 1); further ones of
 * that kind are counted, and one line per window tells how many there were (count N). Nothing
 * is lost from the totals: a window's count is flushed when it ends, and on close.
 */
import type { Logger } from '../log.ts';

/** A kind's lines come at most this often: 1,440 a day under a flood that never stops. */
export const REFUSAL_LOG_WINDOW_MS = 60_000;

/** Kinds are few (refusal codes × methods); a bound all the same, as the keys come from requests. */
const MAX_KINDS = 64;

type Fields = Record<string, string | number>;

interface Pending {
  fields: Fields;
  msg: string;
  /** Refusals since the last line of this kind. */
  count: number;
  /** Whether a line of this kind was written in the current window. */
  logged: boolean;
}

export class RefusalLog {
  private readonly kinds = new Map<string, Pending>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly logger: Pick<Logger, 'warn'>,
    private readonly windowMs = REFUSAL_LOG_WINDOW_MS,
  ) {}

  /** One refusal; `fields` name its kind (an event code and codes, never request content). */
  refused(fields: Fields & { event: string }, msg: string): void {
    const key = JSON.stringify(fields);
    let kind = this.kinds.get(key);
    if (!kind) {
      if (this.kinds.size >= MAX_KINDS) this.flush();
      kind = { fields, msg, count: 0, logged: false };
      this.kinds.set(key, kind);
    }
    kind.count += 1;
    if (!kind.logged) {
      kind.logged = true;
      this.write(kind);
    }
    this.timer ??= this.startWindow();
  }

  /** Writes the counts not yet told (on shutdown, so a flood's total reaches the journal). */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.flush();
  }

  private startWindow(): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timer = null;
      this.flush();
      if (this.kinds.size > 0) this.timer = this.startWindow();
    }, this.windowMs);
    timer.unref();
    return timer;
  }

  /** Tells each kind's count since its last line; a kind that stayed quiet is forgotten, so its next refusal is logged at once. */
  private flush(): void {
    for (const [key, kind] of this.kinds) {
      if (kind.count > 0) this.write(kind, this.windowMs);
      else this.kinds.delete(key);
    }
  }

  private write(kind: Pending, windowMs?: number): void {
    this.logger.warn({ ...kind.fields, count: kind.count, ...(windowMs !== undefined ? { windowMs } : {}) }, kind.msg);
    kind.count = 0;
  }
}
