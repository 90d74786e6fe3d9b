/**
 * Fleet administrators: a password (scrypt) and a session cookie, kept in PostgreSQL so either
 * fleet instance serves a signed-in administrator. Like the kiosk's staff sessions
 * (device/staff/auth.ts): HttpOnly, Secure, SameSite=Strict cookie, a CSRF token for every call
 * that changes something, an idle and an absolute limit, a lockout after wrong passwords.
 */
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { Pool } from 'pg';

const scrypt = promisify(scryptCb) as (
  password: string,
  salt: Buffer,
  keylen: number,
  opts: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export const ADMIN_SESSION = { idleMs: 15 * 60_000, absoluteMs: 12 * 3_600_000 } as const;
export const ADMIN_LOCKOUT = { failures: 5, lockMs: 15 * 60_000 } as const;
export const SESSION_COOKIE = 'anjungan_fleet';
export const CSRF_HEADER = 'x-anjungan-csrf';

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, 32, SCRYPT);
  return `scrypt$${SCRYPT.N}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

async function passwordMatches(password: string, stored: string): Promise<boolean> {
  const [kind, n, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const computed = await scrypt(password, Buffer.from(salt, 'base64'), 32, { ...SCRYPT, N: Number(n) });
  const expected = Buffer.from(hash, 'base64');
  return expected.length === computed.length && timingSafeEqual(expected, computed);
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
/** Compared with every refused sign-in, so an unknown ID takes as long as a wrong password. */
const DUMMY_HASH = 'scrypt$32768$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

export type SignInResult = { ok: true; token: string; csrf: string } | { ok: false; reason: 'refused' | 'locked' };

export class AdminAuth {
  constructor(
    private readonly pool: Pool,
    private readonly now: () => Date,
  ) {}

  async addAdmin(id: string, password: string): Promise<void> {
    if (password.length < 12 || password.length > 200) throw new Error('the password must be 12 to 200 characters');
    await this.pool.query(
      'INSERT INTO admin (id, password_hash, created_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET password_hash = excluded.password_hash, failures = 0, locked_until = NULL',
      [id, await hashPassword(password), this.now()],
    );
  }

  async signIn(id: string, password: string): Promise<SignInResult> {
    const at = this.now();
    const row = (
      await this.pool.query<{ password_hash: string; locked_until: Date | null }>(
        'SELECT password_hash, locked_until FROM admin WHERE id = $1',
        [id],
      )
    ).rows[0];
    if (!row) {
      await passwordMatches(password, DUMMY_HASH);
      return { ok: false, reason: 'refused' };
    }
    if (row.locked_until && row.locked_until > at) return { ok: false, reason: 'locked' };
    if (!(await passwordMatches(password, row.password_hash))) {
      // The fifth wrong password in a row locks the ID for a while and starts the count again.
      await this.pool.query(
        `UPDATE admin SET failures = CASE WHEN failures + 1 >= $2 THEN 0 ELSE failures + 1 END,
           locked_until = CASE WHEN failures + 1 >= $2 THEN $3::timestamptz ELSE locked_until END
         WHERE id = $1`,
        [id, ADMIN_LOCKOUT.failures, new Date(at.getTime() + ADMIN_LOCKOUT.lockMs)],
      );
      return { ok: false, reason: 'refused' };
    }
    await this.pool.query('UPDATE admin SET failures = 0, locked_until = NULL WHERE id = $1', [id]);
    const token = randomBytes(32).toString('base64url');
    const csrf = randomBytes(24).toString('base64url');
    await this.pool.query(
      'INSERT INTO admin_session (token_sha256, admin_id, csrf, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $4)',
      [sha256(token), id, csrf, at],
    );
    return { ok: true, token, csrf };
  }

  /** The session of a cookie token, touched; null when unknown, idle too long or too old. */
  async session(token: string | null, touch = true): Promise<{ adminId: string; csrf: string } | null> {
    if (!token || token.length > 100) return null;
    const at = this.now();
    const r = await this.pool.query<{ admin_id: string; csrf: string }>(
      `UPDATE admin_session SET last_seen_at = CASE WHEN $4 THEN $2::timestamptz ELSE last_seen_at END
       WHERE token_sha256 = $1 AND last_seen_at > $2::timestamptz - make_interval(secs => $3::double precision / 1000)
         AND created_at > $2::timestamptz - make_interval(secs => $5::double precision / 1000)
       RETURNING admin_id, csrf`,
      [sha256(token), at, ADMIN_SESSION.idleMs, touch, ADMIN_SESSION.absoluteMs],
    );
    return r.rows[0] ? { adminId: r.rows[0].admin_id, csrf: r.rows[0].csrf } : null;
  }

  async signOut(token: string | null): Promise<void> {
    if (token) await this.pool.query('DELETE FROM admin_session WHERE token_sha256 = $1', [sha256(token)]);
  }
}

export function cookieToken(header: string | undefined): string | null {
  if (!header || header.length > 4096) return null;
  for (const part of header.split(';')) {
    const [name, value] = part.trim().split('=');
    if (name === SESSION_COOKIE && value && /^[A-Za-z0-9_-]{20,100}$/.test(value)) return value;
  }
  return null;
}

export function sessionCookie(token: string, maxAgeS: number): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=${maxAgeS}`;
}
