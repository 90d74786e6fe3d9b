/**
 * What the fleet dashboard shows: every kiosk with the health its staff dashboard shows (from its
 * last heartbeat), when that was, its quota per WIB hour today and the leases it holds; the day's
 * shared quota; data balikan at the fleet; and alerts derived from all of it. Codes, counts and
 * times only.
 */
import type { Pool } from 'pg';
import type { Heartbeat } from '../device/fleet/protocol.ts';
import type { DayFigures, QuotaLeases } from './quota/leases.ts';
import type { FleetReturnData } from './return-data.ts';

export type FleetAlertKind =
  | 'kioskSilent'
  | 'kioskOutOfService'
  | 'deviceProblem'
  | 'quota80'
  | 'quota95'
  | 'quotaReached'
  | 'leaseExpiredUnsettled'
  | 'returnDataSetAside';

export interface FleetAlert {
  kind: FleetAlertKind;
  kioskId: string | null;
}

export interface KioskRow {
  id: string;
  site: string;
  enrolled: boolean;
  revoked: boolean;
  heartbeatAt: string | null;
  silent: boolean;
  status: Pick<Heartbeat, 'health' | 'kiosk' | 'agreement' | 'leases' | 'returnData'> | null;
  quota: Heartbeat['quota'] | null;
  leases: { held: number; expiredHeld: number; open: number; spent: number };
}

export interface FleetOverview {
  now: string;
  day: DayFigures;
  kiosks: KioskRow[];
  returnData: Awaited<ReturnType<FleetReturnData['counts']>>;
  alerts: FleetAlert[];
}

export async function fleetOverview(
  pool: Pool,
  leases: QuotaLeases,
  returnData: FleetReturnData,
  opts: { now: Date; silentAfterMs: number },
): Promise<FleetOverview> {
  const [day, byKiosk, counts, rows] = await Promise.all([
    leases.today(),
    leases.todayByKiosk(),
    returnData.counts(),
    pool.query<{
      id: string;
      site: string;
      enrolled_at: Date | null;
      revoked_at: Date | null;
      heartbeat_at: Date | null;
      health: KioskRow['status'];
      quota: KioskRow['quota'];
    }>(
      `SELECT k.id, k.site, k.enrolled_at, k.revoked_at, s.heartbeat_at, s.health, s.quota
       FROM kiosk k LEFT JOIN kiosk_status s ON s.kiosk_id = k.id ORDER BY k.id`,
    ),
  ]);
  const alerts: FleetAlert[] = [];
  const kiosks = rows.rows.map((r): KioskRow => {
    const l = byKiosk.find((x) => x.kioskId === r.id);
    const silent =
      r.enrolled_at !== null &&
      r.revoked_at === null &&
      (r.heartbeat_at === null || opts.now.getTime() - r.heartbeat_at.getTime() > opts.silentAfterMs);
    const row: KioskRow = {
      id: r.id,
      site: r.site,
      enrolled: r.enrolled_at !== null,
      revoked: r.revoked_at !== null,
      heartbeatAt: r.heartbeat_at?.toISOString() ?? null,
      silent,
      status: r.health,
      // Yesterday's hours are not today's.
      quota: r.quota && r.quota.day === day.day ? r.quota : null,
      leases: { held: l?.held ?? 0, expiredHeld: l?.expiredHeld ?? 0, open: l?.openLeases ?? 0, spent: l?.spent ?? 0 },
    };
    if (row.revoked) return row;
    if (silent) alerts.push({ kind: 'kioskSilent', kioskId: r.id });
    const h = r.health?.health;
    if (
      h &&
      !silent &&
      (h.idReader !== 'ready' || h.sam !== 'ready' || h.sensor !== 'ready' || h.uplink !== 'ready' || h.tamper !== 'closed')
    )
      alerts.push({ kind: 'deviceProblem', kioskId: r.id });
    if (r.health?.kiosk.screen === 'outOfService' && !silent) alerts.push({ kind: 'kioskOutOfService', kioskId: r.id });
    if (row.leases.expiredHeld > 0) alerts.push({ kind: 'leaseExpiredUnsettled', kioskId: r.id });
    return row;
  });
  if (day.committed >= day.limit) alerts.push({ kind: 'quotaReached', kioskId: null });
  else if (day.committed * 100 >= day.limit * 95) alerts.push({ kind: 'quota95', kioskId: null });
  else if (day.committed * 100 >= day.limit * 80) alerts.push({ kind: 'quota80', kioskId: null });
  if (counts.setAside > 0) alerts.push({ kind: 'returnDataSetAside', kioskId: null });
  return { now: opts.now.toISOString(), day, kiosks, returnData: counts, alerts };
}
