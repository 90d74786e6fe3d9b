/**
 * Whether the kiosk may serve now, checked at boot, after every session and while out of
 * service. The order is the order a technician would fix things in.
 */
import { agreementInForce, type AgreementPeriod } from './domain/agreement.ts';
import { wibDate } from './domain/wib.ts';
import type { OutOfServiceReason } from './domain/failure.ts';
import type { CardPort, ClockPort, ReadinessPort, ValidatorPort } from './flow/ports.ts';
import type { Logger } from './log.ts';
import type { KioskFlags } from './store/kiosk-flags.ts';
import type { QuotaUsage } from './uplink/quota-ledger.ts';
import { accessWindowOpen, nextAccessOpening, outsideHoursUntil, type AccessHours } from './domain/access-hours.ts';

export interface Readiness extends ReadinessPort {
  /** When Dukcapil's access hours open again, while they are over; null otherwise. */
  accessReopensAt(): number | null;
}

export function createReadiness(deps: {
  agreement: AgreementPeriod;
  clock: ClockPort;
  /** The enclosure's tamper lock (device/gpio/tamper-lock.ts): open, or opened and not yet cleared. */
  tamper: { locked(): boolean };
  card: Pick<CardPort, 'health'>;
  validator: ValidatorPort & { probe(): Promise<boolean> };
  flags: KioskFlags;
  /** Dukcapil's access hours (config uplink.accessHours); null when not configured. */
  accessHours?: AccessHours | null;
  logger: Logger;
  /** The data partition (device/disk.ts): below its reserve nothing more is written. */
  disk?: { check(): 'ok' | 'low' | 'full' };
  /** NTP synchronisation (device/clock-sync.ts): the agreement window and quota day read the clock. */
  clockSynchronised?: () => boolean;
}): Readiness {
  const notReady = (reason: OutOfServiceReason) => ({ ready: false as const, reason });
  const hours = deps.accessHours ?? null;
  // Until when a 06 answer of the registry keeps the kiosk out (kept across restarts).
  const closedUntil = (now: Date): number | null => {
    const until = Date.parse(deps.flags.value('outsideAccessHoursUntil') ?? '');
    return until > now.getTime() ? until : null;
  };
  const accessReopensAt = (): number | null => {
    const now = deps.clock.now();
    if (hours && !accessWindowOpen(hours, now)) return nextAccessOpening(hours, now)?.getTime() ?? null;
    return closedUntil(now);
  };
  return {
    accessReopensAt,
    async check() {
      if (deps.disk?.check() === 'full') return notReady('diskFull');
      if (deps.clockSynchronised && !deps.clockSynchronised()) return notReady('clockUnsynchronised');
      if (!agreementInForce(deps.agreement, deps.clock.now())) return notReady('agreementNotInForce');
      if (deps.tamper.locked()) return notReady('tamper');
      if (deps.flags.isSet('pausedByStaff')) return notReady('pausedByStaff');
      const reader = deps.card.health();
      if (reader.idReader !== 'ready') return notReady('readerMissing');
      if (reader.sam === 'refused') return notReady('samRefused');
      if (reader.sam !== 'ready') return notReady('samMissing');
      if (deps.flags.isSet('uplinkRejected')) return notReady('uplinkRejected');
      // The validator's health carries its ledger's usage (a fleet kiosk's says when it waits for a lease).
      const quota: QuotaUsage = deps.validator.health().quota;
      if (quota.used >= quota.limit) return notReady('quotaReached');
      // The quota is shared with other kiosks: the registry may say it is gone before our ledger does.
      if (deps.flags.value('quotaReached') === wibDate(deps.clock.now())) return notReady('quotaReached');
      // A fleet kiosk holding no hit while the day is not spent (no lease yet, or the fleet refuses it
      // more until its leases settle): out until a lease comes, which the lease keeper says.
      if (quota.waitingForLease) return notReady('awaitingLease');
      // Outside Dukcapil's access hours nothing is asked: a question would cost a hit for a 06.
      if (accessReopensAt() !== null || (hours && !accessWindowOpen(hours, deps.clock.now()))) return notReady('outsideAccessHours');
      // An open breaker is probed with a TLS handshake only: it never spends a quota hit.
      if (deps.validator.health().breaker === 'open' && !(await deps.validator.probe())) return notReady('uplinkDown');
      return { ready: true as const };
    },
    stopService(reason, cause) {
      if (reason === 'outsideAccessHours') {
        const until = outsideHoursUntil(hours, deps.clock.now());
        deps.flags.set('outsideAccessHoursUntil', until.toISOString());
        deps.logger.warn(
          { event: 'outsideAccessHours', until: until.toISOString() },
          'the registry is outside its access hours: out of service until it opens',
        );
      } else if (reason === 'quotaReached') {
        // Our own ledger refused the hit (it says the day is gone, or a fleet kiosk waits for a
        // lease): readiness sees that at every check, and sees it end (a fleet kiosk's next lease).
        // Only the registry saying so before the ledger does keeps the kiosk out until tomorrow.
        const quota: QuotaUsage = deps.validator.health().quota;
        if (quota.used >= quota.limit || quota.waitingForLease) return;
        deps.flags.set('quotaReached', wibDate(deps.clock.now()));
        deps.logger.warn({ event: 'quotaReachedAtRegistry' }, "the registry says the day's quota is gone: out of service until tomorrow");
      } else {
        deps.flags.set('uplinkRejected', cause);
        deps.logger.error({ event: 'uplinkRejected', kind: cause }, 'registry refused our access: staff must check the credentials');
      }
    },
  };
}
