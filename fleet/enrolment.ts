/**
 * Enrolment: the fleet administrator registers a kiosk and gets a one-time token; the
 * technician runs `anjungan-provision fleet join URL TOKEN` on the kiosk, which sends the token
 * and a certificate request; the fleet signs it and forgets the token. From then on the kiosk
 * is known by its client certificate only (mutual TLS), and a revoked kiosk is refused.
 *
 * The token is shown once and stored as its SHA-256. It carries, after a dot, the pin of the
 * fleet CA (base64url SHA-256 of its certificate), so the kiosk can check the fleet it talks to
 * before it trusts anything it says: `<secret>.<ca pin>`.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { inTransaction } from './postgres/pool.ts';
import { caPin, certificateSha256, CsrRefused, signKioskCertificate, type FleetCa } from './pki.ts';

export const TOKEN_LIFETIME_MS = 24 * 3_600_000;

export class EnrolmentRefused extends Error {
  override readonly name = 'EnrolmentRefused';
  constructor(readonly code: 'tokenRefused' | 'csrRefused' | 'kioskExists' | 'unknownKiosk') {
    super(`enrolment refused: ${code}`);
  }
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export class Enrolment {
  constructor(
    private readonly pool: Pool,
    private readonly ca: FleetCa,
    private readonly certificateDays: number,
    private readonly now: () => Date,
  ) {}

  /** Registers a kiosk (or, with `again`, an existing one, e.g. a replaced board) and returns its one-time token. */
  async issueToken(kioskId: string, site: string, again = false): Promise<{ token: string; expiresAt: string }> {
    const at = this.now();
    const secret = randomBytes(24).toString('base64url');
    const token = `${secret}.${caPin(this.ca.caPem)}`;
    const expiresAt = new Date(at.getTime() + TOKEN_LIFETIME_MS);
    await inTransaction(this.pool, async (client) => {
      const inserted = await client.query('INSERT INTO kiosk (id, site, created_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING', [
        kioskId,
        site,
        at,
      ]);
      if (inserted.rowCount === 0) {
        if (!again) throw new EnrolmentRefused('kioskExists');
        await client.query('UPDATE kiosk SET site = $2 WHERE id = $1', [kioskId, site]);
      }
      // One live token per kiosk: a new one voids the last.
      await client.query('DELETE FROM enrolment_token WHERE kiosk_id = $1 AND used_at IS NULL', [kioskId]);
      await client.query('INSERT INTO enrolment_token (token_sha256, kiosk_id, created_at, expires_at) VALUES ($1, $2, $3, $4)', [
        sha256(secret),
        kioskId,
        at,
        expiresAt,
      ]);
      await client.query("INSERT INTO fleet_event (at, code, kiosk_id) VALUES ($1, 'enrolmentTokenIssued', $2)", [at, kioskId]);
    });
    return { token, expiresAt: expiresAt.toISOString() };
  }

  /**
   * Spends the token and signs the request, in one transaction: a token works once, and a
   * request that cannot be signed leaves it unspent. The kiosk's previous certificate, if any,
   * stops working.
   */
  async enrol(token: string, csrPem: string): Promise<{ kioskId: string; site: string; certificatePem: string; caPem: string }> {
    const secret = token.split('.')[0] ?? '';
    const at = this.now();
    return inTransaction(this.pool, async (client) => {
      const found = await client.query<{ kiosk_id: string; site: string; revoked_at: Date | null }>(
        `SELECT t.kiosk_id, k.site, k.revoked_at FROM enrolment_token t JOIN kiosk k ON k.id = t.kiosk_id
         WHERE t.token_sha256 = $1 AND t.used_at IS NULL AND t.expires_at > $2 FOR UPDATE OF t`,
        [sha256(secret), at],
      );
      const row = found.rows[0];
      if (!row || row.revoked_at) throw new EnrolmentRefused('tokenRefused');
      let certificatePem: string;
      try {
        certificatePem = await signKioskCertificate(this.ca, csrPem, row.kiosk_id, this.certificateDays);
      } catch (e) {
        if (e instanceof CsrRefused) throw new EnrolmentRefused('csrRefused');
        throw e;
      }
      await client.query('UPDATE enrolment_token SET used_at = $2 WHERE token_sha256 = $1', [sha256(secret), at]);
      await client.query('UPDATE kiosk SET cert_sha256 = $2, enrolled_at = $3 WHERE id = $1', [
        row.kiosk_id,
        certificateSha256(certificatePem),
        at,
      ]);
      await client.query("INSERT INTO fleet_event (at, code, kiosk_id) VALUES ($1, 'kioskEnrolled', $2)", [at, row.kiosk_id]);
      return { kioskId: row.kiosk_id, site: row.site, certificatePem, caPem: this.ca.caPem };
    });
  }

  /** The kiosk a client certificate belongs to, or null (unknown, replaced or revoked). */
  async kioskOf(certificateDer: Buffer): Promise<string | null> {
    const r = await this.pool.query<{ id: string }>('SELECT id FROM kiosk WHERE cert_sha256 = $1 AND revoked_at IS NULL', [
      certificateSha256(certificateDer),
    ]);
    return r.rows[0]?.id ?? null;
  }

  async revoke(kioskId: string): Promise<void> {
    const at = this.now();
    const r = await this.pool.query('UPDATE kiosk SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL', [kioskId, at]);
    if (r.rowCount === 0) throw new EnrolmentRefused('unknownKiosk');
    await this.pool.query("INSERT INTO fleet_event (at, code, kiosk_id) VALUES ($1, 'kioskRevoked', $2)", [at, kioskId]);
  }
}
