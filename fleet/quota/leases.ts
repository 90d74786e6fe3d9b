/**
 * The shared daily quota (DOMAIN.md rule 5: one User ID, 1,000 NIK hits a day for every kiosk on
 * it), handed to kiosks in leases: small blocks of the day's hits a kiosk spends from its own
 * ledger, so it keeps serving while the fleet is away.
 *
 * Row lock, not SKIP LOCKED: a reservation locks the day's one quota_day row (SELECT … FOR UPDATE,
 * inside one server-side function, reserve_lease in ../postgres/schema.ts) until its commit, a
 * few statements later. Every reservation of a day waits its turn on
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
import type { Pool } from 'pg';
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
    const s = this.settings;
    const r = await this.pool.query<ReserveRow>('SELECT * FROM reserve_lease($1, $2, $3, $4, $5, $6, $7, $8, $9)', [
      kioskId,
      requestId,
      size,
      day,
      s.dailyLimit,
      s.maxLeaseSize,
      s.maxOutstandingPerKiosk,
      at,
      expiresAt,
    ]);
    const x = r.rows[0]!;
    const figures: DayFigures = { day, limit: x.day_limit, committed: x.day_committed };
    if (x.lease_id === null) return { lease: null, day: figures, refusal: x.refusal as 'dayExhausted' | 'kioskLimit' };
    return {
      lease: {
        id: String(x.lease_id),
        day: x.lease_day!,
        size: x.lease_size!,
        grantedAt: x.granted_at!.toISOString(),
        expiresAt: x.expires_at!.toISOString(),
      },
      day: figures,
    };
  }

  /**
   * The kiosk says it spent `used` hits of the lease and will spend no more: the rest goes back
   * to the day. Settling again with the same figure answers the same; with another, refused.
   */
  async settle(kioskId: string, leaseId: string, used: number): Promise<SettleAnswer> {
    const r = await this.pool.query<SettleRow>('SELECT * FROM settle_lease($1, $2, $3, $4)', [kioskId, leaseId, used, this.now()]);
    const x = r.rows[0]!;
    if (x.refusal !== null) return { settled: false, refusal: x.refusal as 'unknownLease' | 'usedAboveSize' | 'settledDifferently' };
    return {
      settled: true,
      lease: { id: leaseId, size: x.lease_size!, used: x.lease_used!, returned: x.returned! },
      day: { day: x.lease_day!, limit: x.day_limit!, committed: x.day_committed! },
    };
  }

  /** Today's figures (no row yet: nothing committed). */
  async today(): Promise<DayFigures> {
    const day = wibDate(this.now());
    const r = await this.pool.query<{ daily_limit: number; committed: number }>(
      'SELECT daily_limit, committed FROM quota_day WHERE day = $1',
      [day],
    );
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
    return r.rows.map((x) => ({
      kioskId: x.kiosk_id,
      held: Number(x.held),
      expiredHeld: Number(x.expired_held),
      openLeases: Number(x.open_leases),
      spent: Number(x.spent),
    }));
  }
}

interface ReserveRow {
  lease_id: string | null;
  lease_day: string | null;
  lease_size: number | null;
  granted_at: Date | null;
  expires_at: Date | null;
  day_limit: number;
  day_committed: number;
  refusal: string | null;
}

interface SettleRow {
  lease_size: number | null;
  lease_used: number | null;
  returned: number | null;
  lease_day: string | null;
  day_limit: number | null;
  day_committed: number | null;
  refusal: string | null;
}
