/**
 * The shared daily quota (DOMAIN.md rule 5: one User ID, 1,000 NIK hits a day for every kiosk on
 * it), handed to kiosks in leases: small blocks of the day's hits a kiosk spends from its own
 * ledger, so it keeps serving while the fleet is away.
 *
 * Row lock, not SKIP LOCKED: a reservation locks the day's one quota_day row (UPDATE takes the
 * row lock) for the length of a short transaction. Every reservation of a day waits its turn on
 * that row, which is exactly what a counter needs: the answer "nothing left" is always true.
 * SKIP LOCKED over one row per hit would let reservations pass each other, but a reservation
 * that skips rows another transaction holds (and may yet roll back) can refuse while hits are
 * free, and 1,000 rows a day buy nothing at a few lease requests a second. SKIP LOCKED is what
 * the data balikan queue uses (../return-data/delivery.ts), where skipping is the point.
 *
 * A lease counts in full against its day until its kiosk settles it (how many it spent); only
 * then does the unused part return. A lease that expired unsettled stays counted: the kiosk may
 * have spent it while cut off, and the fleet cannot know. Expiry bounds how long a kiosk spends
 * from one lease and how long unused hits sit idle; the day ends every lease at WIB midnight.
 */
import type { Pool, PoolClient } from 'pg';
import { WIB_OFFSET_MS, wibDate } from '../../device/domain/wib.ts';

export interface QuotaSettings {
  /** Hits per WIB day for the User ID (Juknis 2 e: 1,000). */
  dailyLimit: number;
  /** The largest lease handed out at once. */
  maxLeaseSize: number;
  /** How long a kiosk may spend from a lease. */
  leaseTtlMs: number;
  /** Hits one kiosk may hold unsettled at once (so one kiosk cannot take the whole day). */
  maxOutstandingPerKiosk: number;
}

export const DEFAULT_QUOTA: QuotaSettings = {
  dailyLimit: 1000,
  maxLeaseSize: 25,
  leaseTtlMs: 10 * 60_000,
  maxOutstandingPerKiosk: 100,
};

export interface DayFigures {
  day: string;
  limit: number;
  /** Hits held by leases or spent from settled ones. */
  committed: number;
}

export interface GrantedLease {
  id: string;
  day: string;
  size: number;
  grantedAt: string;
  expiresAt: string;
}

export type LeaseAnswer = { lease: GrantedLease | null; day: DayFigures; refusal?: 'dayExhausted' | 'kioskLimit' };

export type SettleAnswer =
  | { settled: true; lease: { id: string; size: number; used: number; returned: number }; day: DayFigures }
  | { settled: false; refusal: 'unknownLease' | 'usedAboveSize' | 'settledDifferently' };

/** End of the WIB day `day` (`YYYY-MM-DD`) as an instant. */
export function wibDayEnd(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - WIB_OFFSET_MS + 86_400_000);
}

async function inTransaction<T>(pool: Pool, run: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await run(client);
    await client.query('COMMIT');
    return result;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

/** `date` columns arrive as text (../postgres/pool.ts sets the parser). */
const dayText = (d: unknown) => String(d);

export class QuotaLeases {
  constructor(
    private readonly pool: Pool,
    private readonly settings: QuotaSettings,
    private readonly now: () => Date,
  ) {}

  /**
   * Grants up to `size` hits of today's quota to `kioskId`, or a smaller lease, or none. The
   * same `requestId` from the same kiosk always answers with the same lease (a kiosk that lost
   * the answer asks again and gets what it was given, never a second lease).
   */
  async reserve(kioskId: string, requestId: string, size: number): Promise<LeaseAnswer> {
    const at = this.now();
    const day = wibDate(at);
    const expiresAt = new Date(Math.min(at.getTime() + this.settings.leaseTtlMs, wibDayEnd(day).getTime()));
    return inTransaction(this.pool, async (c) => {
      await c.query('INSERT INTO quota_day (day, daily_limit) VALUES ($1, $2) ON CONFLICT (day) DO NOTHING', [day, this.settings.dailyLimit]);
      // The row lock every reservation of the day queues on.
      const locked = await c.query<{ daily_limit: number; committed: number }>(
        'SELECT daily_limit, committed FROM quota_day WHERE day = $1 FOR UPDATE',
        [day],
      );
      const { daily_limit: limit, committed } = locked.rows[0]!;
      const figures = (c2: number): DayFigures => ({ day, limit, committed: c2 });
      const earlier = await c.query<LeaseRow>(`SELECT ${LEASE_COLUMNS} FROM lease WHERE kiosk_id = $1 AND request_id = $2`, [kioskId, requestId]);
      if (earlier.rows[0]) return { lease: leaseOf(earlier.rows[0]), day: figures(committed) };
      const held = await c.query<{ held: string }>(
        'SELECT coalesce(sum(size), 0) AS held FROM lease WHERE day = $1 AND kiosk_id = $2 AND settled_at IS NULL',
        [day, kioskId],
      );
      const kioskRoom = this.settings.maxOutstandingPerKiosk - Number(held.rows[0]!.held);
      const grant = Math.min(size, this.settings.maxLeaseSize, limit - committed, kioskRoom);
      if (grant <= 0) return { lease: null, day: figures(committed), refusal: limit - committed <= 0 ? 'dayExhausted' : 'kioskLimit' };
      await c.query('UPDATE quota_day SET committed = committed + $2 WHERE day = $1', [day, grant]);
      const inserted = await c.query<LeaseRow>(
        `INSERT INTO lease (kiosk_id, request_id, day, size, granted_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${LEASE_COLUMNS}`,
        [kioskId, requestId, day, grant, at, expiresAt],
      );
      return { lease: leaseOf(inserted.rows[0]!), day: figures(committed + grant) };
    });
  }

  /**
   * The kiosk says it spent `used` hits of the lease and will spend no more: the rest goes back
   * to the day. Settling again with the same figure answers the same; with another, refused.
   */
  async settle(kioskId: string, leaseId: string, used: number): Promise<SettleAnswer> {
    const at = this.now();
    return inTransaction(this.pool, async (c) => {
      // The lease's day row first, then the lease: the same order as reserve, so no deadlock.
      const found = await c.query<{ day: unknown }>('SELECT day FROM lease WHERE id = $1 AND kiosk_id = $2', [leaseId, kioskId]);
      if (!found.rows[0]) return { settled: false, refusal: 'unknownLease' };
      const dayRow = await c.query<{ day: unknown; daily_limit: number; committed: number }>(
        'SELECT day, daily_limit, committed FROM quota_day WHERE day = $1 FOR UPDATE',
        [found.rows[0].day],
      );
      const lease = (await c.query<LeaseRow>(`SELECT ${LEASE_COLUMNS} FROM lease WHERE id = $1 FOR UPDATE`, [leaseId])).rows[0]!;
      const d = dayRow.rows[0]!;
      const day = dayText(d.day);
      if (lease.settled_at !== null) {
        if (lease.used !== used) return { settled: false, refusal: 'settledDifferently' };
        return { settled: true, lease: { id: leaseId, size: lease.size, used, returned: lease.size - used }, day: { day, limit: d.daily_limit, committed: d.committed } };
      }
      if (used > lease.size) return { settled: false, refusal: 'usedAboveSize' };
      const returned = lease.size - used;
      await c.query('UPDATE lease SET used = $2, settled_at = $3 WHERE id = $1', [leaseId, used, at]);
      await c.query('UPDATE quota_day SET committed = committed - $2 WHERE day = $1', [d.day, returned]);
      return { settled: true, lease: { id: leaseId, size: lease.size, used, returned }, day: { day, limit: d.daily_limit, committed: d.committed - returned } };
    });
  }

  /** Today's figures (no row yet: nothing committed). */
  async today(): Promise<DayFigures> {
    const day = wibDate(this.now());
    const r = await this.pool.query<{ daily_limit: number; committed: number }>('SELECT daily_limit, committed FROM quota_day WHERE day = $1', [day]);
    return { day, limit: r.rows[0]?.daily_limit ?? this.settings.dailyLimit, committed: r.rows[0]?.committed ?? 0 };
  }

  /** Per kiosk, today: hits in open leases (and of those, expired unsettled) and hits spent from settled ones. */
  async todayByKiosk(): Promise<Array<{ kioskId: string; held: number; expiredHeld: number; openLeases: number; spent: number }>> {
    const at = this.now();
    const r = await this.pool.query<{ kiosk_id: string; held: string; expired_held: string; open_leases: string; spent: string }>(
      `SELECT kiosk_id,
              coalesce(sum(size) FILTER (WHERE settled_at IS NULL), 0) AS held,
              coalesce(sum(size) FILTER (WHERE settled_at IS NULL AND expires_at <= $2), 0) AS expired_held,
              count(*) FILTER (WHERE settled_at IS NULL) AS open_leases,
              coalesce(sum(used), 0) AS spent
       FROM lease WHERE day = $1 GROUP BY kiosk_id`,
      [wibDate(at), at],
    );
    return r.rows.map((x) => ({ kioskId: x.kiosk_id, held: Number(x.held), expiredHeld: Number(x.expired_held), openLeases: Number(x.open_leases), spent: Number(x.spent) }));
  }
}

const LEASE_COLUMNS = 'id, day, size, granted_at, expires_at, used, settled_at';
interface LeaseRow {
  id: string;
  day: unknown;
  size: number;
  granted_at: Date;
  expires_at: Date;
  used: number | null;
  settled_at: Date | null;
}

function leaseOf(r: LeaseRow): GrantedLease {
  return { id: String(r.id), day: dayText(r.day), size: r.size, grantedAt: r.granted_at.toISOString(), expiresAt: r.expires_at.toISOString() };
}
