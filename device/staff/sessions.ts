/**
 * Signed-in staff sessions, in memory: a restart signs everybody out, which on a kiosk is the
 * safe side. The cookie carries a random token; the map is keyed by the token's SHA-256, so the
 * tokens themselves are not held. Each session has its own CSRF token, an idle expiry and an
 * absolute one, and the number of sessions is bounded (the oldest goes first).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { ClockPort } from '../flow/ports.ts';

export interface SessionPolicy {
  idleMs: number;
  absoluteMs: number;
  maxSessions: number;
}

/** A shift is eight hours; fifteen idle minutes means the desk was left. */
export const STAFF_SESSION_POLICY: SessionPolicy = { idleMs: 15 * 60_000, absoluteMs: 8 * 60 * 60_000, maxSessions: 16 };

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
    while (this.sessions.size >= this.policy.maxSessions) this.sessions.delete(this.sessions.keys().next().value!);
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
