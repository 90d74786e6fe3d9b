/**
 * Signed-in staff sessions, in memory: a restart signs everybody out, which on a kiosk is the
 * safe side. The cookie carries a random token; the map is keyed by the token's SHA-256, so the
 * tokens themselves are not held. Each session has its own CSRF token, an idle expiry and an
 * absolute one. Each operator has a few sessions at most (their oldest goes first), so one
 * operator signing in again and again never signs anybody else out; the total is bounded too.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { ClockPort } from '../flow/ports.ts';

export interface SessionPolicy {
  idleMs: number;
  absoluteMs: number;
  /** All sessions of the listener (a memory bound): past it, the one idle longest goes. */
  maxSessions: number;
  /** Sessions of one operator (a phone, a PC, a second tab): past it, their own oldest goes. */
  maxPerOperator: number;
}

/** The office LAN: a shift is eight hours; fifteen idle minutes means the desk was left. */
export const STAFF_SESSION_POLICY: SessionPolicy = { idleMs: 15 * 60_000, absoluteMs: 8 * 60 * 60_000, maxSessions: 64, maxPerOperator: 4 };

/**
 * The kiosk's own screen, in the public hall: the next person at it may be a stranger. Two idle
 * minutes (the dashboard's own sign-out on the kiosk, ui/dashboard/app.ts), half an hour at most.
 */
export const KIOSK_STAFF_SESSION_POLICY: SessionPolicy = {
  idleMs: 2 * 60_000,
  absoluteMs: 30 * 60_000,
  maxSessions: 16,
  maxPerOperator: 4,
};

export interface StaffSession {
  operatorId: string;
  csrf: string;
  createdAt: number;
  lastSeenAt: number;
}

const digest = (token: string) => createHash('sha256').update(token).digest('base64url');

export class StaffSessions {
  private readonly sessions = new Map<string, StaffSession>();
  private wasLive = false;

  constructor(
    private readonly clock: ClockPort,
    readonly policy: SessionPolicy = STAFF_SESSION_POLICY,
    /** Told when the store goes from no live session to some, and back (the kiosk pauses its taxpayer's idle clock). */
    private readonly onPresence: (anyLive: boolean) => void = () => undefined,
  ) {}

  private presenceMayHaveChanged(): void {
    const live = this.sessions.size > 0;
    if (live !== this.wasLive) {
      this.wasLive = live;
      this.onPresence(live);
    }
  }

  /** A new session; returns the cookie token (shown once, never kept) and the session. */
  create(operatorId: string): { token: string; session: StaffSession } {
    this.sweep();
    const own = [...this.sessions].filter(([, s]) => s.operatorId === operatorId);
    for (const [key] of own.slice(0, Math.max(0, own.length - this.policy.maxPerOperator + 1))) this.sessions.delete(key);
    while (this.sessions.size >= this.policy.maxSessions) {
      const [idlest] = [...this.sessions].reduce((a, b) => (b[1].lastSeenAt < a[1].lastSeenAt ? b : a));
      this.sessions.delete(idlest);
    }
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now().getTime();
    const session = { operatorId, csrf: randomBytes(32).toString('base64url'), createdAt: now, lastSeenAt: now };
    this.sessions.set(digest(token), session);
    this.presenceMayHaveChanged();
    return { token, session };
  }

  /** The live session of a token, its idle clock restarted; null when unknown or expired. */
  touch(token: string): StaffSession | null {
    return this.live(token, true);
  }

  /** The live session of a token, its idle clock left alone: a page refreshing itself is not someone at the desk. */
  peek(token: string): StaffSession | null {
    return this.live(token, false);
  }

  private live(token: string, restartIdleClock: boolean): StaffSession | null {
    const key = digest(token);
    const session = this.sessions.get(key);
    if (!session) return null;
    const now = this.clock.now().getTime();
    if (now - session.lastSeenAt >= this.policy.idleMs || now - session.createdAt >= this.policy.absoluteMs) {
      this.sessions.delete(key);
      this.presenceMayHaveChanged();
      return null;
    }
    if (restartIdleClock) session.lastSeenAt = now;
    return session;
  }

  end(token: string): StaffSession | null {
    const key = digest(token);
    const session = this.sessions.get(key) ?? null;
    this.sessions.delete(key);
    this.presenceMayHaveChanged();
    return session;
  }

  /** Ends every session (the kiosk's screen changed hands); returns the operators they were of. */
  endAll(): string[] {
    const operators = [...this.sessions.values()].map((s) => s.operatorId);
    this.sessions.clear();
    return operators;
  }

  size(): number {
    this.sweep();
    return this.sessions.size;
  }

  private sweep(): void {
    const now = this.clock.now().getTime();
    for (const [key, s] of this.sessions) {
      if (now - s.lastSeenAt >= this.policy.idleMs || now - s.createdAt >= this.policy.absoluteMs) this.sessions.delete(key);
    }
    this.presenceMayHaveChanged();
  }
}
