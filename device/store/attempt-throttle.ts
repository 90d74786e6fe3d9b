/**
 * Wrong staff PINs, throttled per source with exponential backoff (docs/staff-sign-in.md). A
 * source is where tries come from: the kiosk's own screen (its sign-in form and its PIN pad:
 * everyone standing at the kiosk, one at a time, in view of the hall), or one peer of the office
 * LAN (an IPv4 address, an IPv6 /64). After a few free failures a source waits before its next
 * try, twice as long after each further failure, up to a ceiling; a right PIN from that source
 * starts it over. Nothing is ever locked for everybody: a stranger slows only the source they
 * use, and at the kiosk, where staff share the source with strangers, the ceiling is short.
 *
 * In SQLite, so neither a restart nor a crash gives a guesser fresh tries: a try is counted
 * before the PIN is checked (killing the daemon mid-check keeps it) and undone on success.
 * Failures are also kept for a short window across all sources, so that guessing spread over
 * many LAN addresses shows up as a burst (staff alert).
 */
import { isIPv6 } from 'node:net';
import type { ClockPort } from '../flow/ports.ts';
import type { Db } from './db.ts';

/** Where staff PIN tries come from. */
export type AttemptSource = 'kioskScreen' | `lan:${string}`;

export const KIOSK_SCREEN: AttemptSource = 'kioskScreen';

/** The source of a try over the office LAN from `address`: an IPv6 host may use its whole /64. */
export function lanSource(address: string | undefined): AttemptSource {
  const a = (address ?? 'unknown').toLowerCase().replace(/^::ffff:(?=[0-9.]+$)/, '');
  return isIPv6(a) ? `lan:${ipv6Prefix64(a)}::/64` : `lan:${a}`;
}

function ipv6Prefix64(a: string): string {
  const [head = '', tail] = a.split('::');
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  // A dotted IPv4 tail stands for two groups.
  const width = (part: string[]) => part.reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0);
  const h = groups(head);
  const all = tail === undefined ? h : [...h, ...Array<string>(8 - width(h) - width(groups(tail))).fill('0'), ...groups(tail)];
  return all
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':');
}

export interface ThrottlePolicy {
  /** Failures before the first wait. */
  freeFailures: number;
  /** The wait after the first failure past the free ones; it doubles with each further failure. */
  firstWaitMs: number;
  maxWaitMs: number;
  /** A source with no failure for this long starts over. */
  forgetAfterMs: number;
}

/**
 * The kiosk screen: a touch keyboard invites typos, and a stranger's tries must not keep staff
 * from their own kiosk for long. At the ceiling a guesser standing at the screen gets one try a
 * minute, and staff in the hall see them (and the alert).
 */
export const KIOSK_SCREEN_THROTTLE: ThrottlePolicy = { freeFailures: 5, firstWaitMs: 5_000, maxWaitMs: 60_000, forgetAfterMs: 15 * 60_000 };

/** One LAN peer: a staff PC never needs more than a few tries; a guesser gets four an hour at the ceiling. */
export const OFFICE_LAN_THROTTLE: ThrottlePolicy = {
  freeFailures: 5,
  firstWaitMs: 10_000,
  maxWaitMs: 15 * 60_000,
  forgetAfterMs: 24 * 60 * 60_000,
};

/** Failures across every source within `windowMs` that make a burst. */
export const BURST = { failures: 10, windowMs: 10 * 60_000 };

/** What a confirmed failure tells staff: its source is now made to wait, and/or many sources fail at once. */
export type GuessingSignal = 'throttled' | 'burst';

interface Row {
  failures: number;
  last_failure: number;
  wait_until: number | null;
}

export class AttemptThrottle {
  constructor(
    private readonly db: Db,
    private readonly clock: ClockPort,
    /** Told on each confirmed failure that should reach staff (a staff alert; never throws into the check). */
    private readonly onGuessing: (signal: GuessingSignal, source: AttemptSource) => void = () => undefined,
    private readonly policies: { kioskScreen: ThrottlePolicy; officeLan: ThrottlePolicy } = {
      kioskScreen: KIOSK_SCREEN_THROTTLE,
      officeLan: OFFICE_LAN_THROTTLE,
    },
  ) {}

  private policy(source: AttemptSource): ThrottlePolicy {
    return source === KIOSK_SCREEN ? this.policies.kioskScreen : this.policies.officeLan;
  }

  /** The source's row, unless it is old enough to be forgotten. */
  private row(source: AttemptSource, now: number): Row | undefined {
    const row = this.db.prepare('SELECT failures, last_failure, wait_until FROM staff_attempt_throttle WHERE source = ?').get(source) as
      Row | undefined;
    return row && now - row.last_failure < this.policy(source).forgetAfterMs ? row : undefined;
  }

  /** Failures of this source that still count. */
  failures(source: AttemptSource): number {
    return this.row(source, this.clock.now().getTime())?.failures ?? 0;
  }

  /** Failures this source may still make before it has to wait. */
  freeLeft(source: AttemptSource): number {
    return Math.max(0, this.policy(source).freeFailures - this.failures(source));
  }

  /** Epoch ms before which this source may not try; null when it may try now. */
  waitUntil(source: AttemptSource): number | null {
    return this.wait(source)?.until ?? null;
  }

  /** How long this source must still wait, and until when; null when it may try now. */
  wait(source: AttemptSource): { until: number; ms: number } | null {
    const now = this.clock.now().getTime();
    const until = this.row(source, now)?.wait_until ?? null;
    return until !== null && until > now ? { until, ms: until - now } : null;
  }

  /**
   * Counts one try as failed before its PIN is checked, and sets the wait the failure earns:
   * tries that arrive meanwhile (parallel requests included) find the source waiting.
   */
  beginAttempt(source: AttemptSource): void {
    const now = this.clock.now().getTime();
    const policy = this.policy(source);
    this.db.transaction(() => {
      const failures = (this.row(source, now)?.failures ?? 0) + 1;
      const past = failures - policy.freeFailures;
      const waitUntil = past > 0 ? now + Math.min(policy.maxWaitMs, policy.firstWaitMs * 2 ** Math.min(past - 1, 30)) : null;
      this.db
        .prepare(
          `INSERT INTO staff_attempt_throttle (source, failures, last_failure, wait_until) VALUES (?, ?, ?, ?)
           ON CONFLICT (source) DO UPDATE SET failures = excluded.failures, last_failure = excluded.last_failure, wait_until = excluded.wait_until`,
        )
        .run(source, failures, now, waitUntil);
      this.db.prepare('INSERT INTO staff_attempt_failure (source, at) VALUES (?, ?)').run(source, now);
      // Forgotten sources and failures out of the burst window go: the tables stay small.
      this.db.prepare('DELETE FROM staff_attempt_failure WHERE at <= ?').run(now - BURST.windowMs);
      this.db
        .prepare('DELETE FROM staff_attempt_throttle WHERE last_failure <= ?')
        .run(now - Math.max(this.policies.kioskScreen.forgetAfterMs, this.policies.officeLan.forgetAfterMs));
    })();
  }

  /** The PIN was right: the source starts over and its try is undone. */
  succeeded(source: AttemptSource): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM staff_attempt_throttle WHERE source = ?').run(source);
      this.db
        .prepare('DELETE FROM staff_attempt_failure WHERE id = (SELECT max(id) FROM staff_attempt_failure WHERE source = ?)')
        .run(source);
    })();
  }

  /** The PIN was wrong (the try stays counted): staff are told when the source now waits, or many fail at once. */
  failed(source: AttemptSource): void {
    const now = this.clock.now().getTime();
    if ((this.row(source, now)?.failures ?? 0) > this.policy(source).freeFailures) this.onGuessing('throttled', source);
    const recent = (
      this.db.prepare('SELECT count(*) AS n FROM staff_attempt_failure WHERE at > ?').get(now - BURST.windowMs) as { n: number }
    ).n;
    if (recent >= BURST.failures) this.onGuessing('burst', source);
  }
}
