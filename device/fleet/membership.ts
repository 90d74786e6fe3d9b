/**
 * A kiosk that joined a fleet (config `fleet`): its quota ledger spends from leases, and the
 * fleet link forwards data balikan, sends heartbeats and semester figures. The daemon asks for
 * the ledger first (the validator needs it) and starts the rest once the parts the heartbeat
 * reports on exist.
 */
import { readFileSync } from 'node:fs';
import type { KioskConfig } from '../config.ts';
import type { ClockPort } from '../flow/ports.ts';
import type { Logger } from '../log.ts';
import type { Db } from '../store/db.ts';
import type { ReturnDataOutbox } from '../store/return-data-outbox.ts';
import type { Overview } from '../staff/protocol.ts';
import type { SemesterReportDeps } from '../report/semester.ts';
import { FleetClient } from './client.ts';
import { DEFAULT_LEASES, LeaseKeeper } from './lease-keeper.ts';
import { LeaseLedger } from './lease-ledger.ts';
import { DEFAULT_LINK, startFleetLink, type LinkSettings } from './link.ts';

export interface FleetMembership {
  ledger: LeaseLedger;
  /** Starts the keeper and the link; the returned function stops both. */
  start(parts: {
    outbox: ReturnDataOutbox;
    overview: () => Promise<Overview>;
    report: SemesterReportDeps;
    /** What the kiosk can count on crossed zero (hits again, or none left): the flow checks readiness anew. */
    onAvailabilityChanged: () => void;
    link?: Partial<LinkSettings>;
  }): () => Promise<void>;
}

export function joinedFleet(
  fleet: NonNullable<KioskConfig['fleet']>,
  deps: { db: Db; clock: ClockPort; dailyLimit: number; logger: Logger },
): FleetMembership {
  const client = new FleetClient({
    url: fleet.url,
    caPem: readFileSync(fleet.caFile, 'utf8'),
    certPem: readFileSync(fleet.certFile, 'utf8'),
    keyPem: readFileSync(fleet.keyFile, 'utf8'),
  });
  const settings = {
    ...DEFAULT_LEASES,
    ...(fleet.leaseSize ? { leaseSize: fleet.leaseSize } : {}),
    ...(fleet.lowWater !== undefined ? { lowWater: fleet.lowWater } : {}),
  };
  // The fleet's word on what is still unallocated counts for two lease checks; after that the kiosk counts on its own leases.
  const ledger = new LeaseLedger(deps.db, { clock: deps.clock, dailyLimit: deps.dailyLimit, fleetViewFreshMs: 60_000 });
  const logger = deps.logger.child({ component: 'fleet' });
  let onAvailabilityChanged = () => undefined as void;
  const keeper = new LeaseKeeper({
    db: deps.db,
    ledger,
    client,
    clock: deps.clock,
    logger,
    settings,
    onAvailabilityChanged: () => onAvailabilityChanged(),
  });
  return {
    ledger,
    start(parts) {
      onAvailabilityChanged = parts.onAvailabilityChanged;
      keeper.start();
      const stopLink = startFleetLink({
        client,
        outbox: parts.outbox,
        async heartbeat() {
          const o = await parts.overview();
          const held = ledger.held();
          const counts = parts.outbox.counts();
          return {
            health: o.health,
            kiosk: o.kiosk,
            quota: { ...o.quota, used: ledger.spentToday() },
            agreement: o.agreement,
            leases: { remaining: held.remaining, open: held.open },
            returnData: { pending: counts.pending, forwarded: parts.outbox.forwardedCount() },
          };
        },
        report: parts.report,
        onDay: (day) => keeper.heard(day),
        onUnreachable: () => keeper.lost(),
        now: () => deps.clock.now(),
        logger,
        settings: {
          ...DEFAULT_LINK,
          ...(fleet.heartbeatEveryS ? { heartbeatMs: fleet.heartbeatEveryS * 1000 } : {}),
          ...(fleet.figuresEveryS ? { figuresMs: fleet.figuresEveryS * 1000 } : {}),
          ...parts.link,
        },
      });
      return async () => {
        await keeper.stop();
        await stopLink();
        client.close();
      };
    },
  };
}

/** The fleet this kiosk joined (anjungan-provision fleet join), if any; a deactivated kiosk has left it. */
export function fleetFromConfig(config: KioskConfig, deps: { db: Db; clock: ClockPort; logger: Logger }): FleetMembership | null {
  if (!config.fleet || config.deactivated !== undefined) return null;
  return joinedFleet(config.fleet, { ...deps, dailyLimit: config.uplink.dailyQuota });
}
