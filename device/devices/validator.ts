/** The registry client on the device set's endpoint; a kiosk with none (deactivated, not provisioned) asks nobody. */
import { wibDate } from '../domain/wib.ts';
import type { ClockPort } from '../flow/ports.ts';
import type { Logger } from '../log.ts';
import { quotaAlertKind, type AlertLog } from '../staff/alerts.ts';
import type { QuotaLedger } from '../uplink/quota-ledger.ts';
import { createValidator, type Validator } from '../uplink/validator.ts';
import { detachedValidator } from './detached.ts';
import type { Devices } from './device-set.ts';

export function openValidator(
  devices: Pick<Devices, 'uplink'>,
  deps: { ledger: QuotaLedger; alerts: AlertLog; clock: ClockPort; logger: Logger; dailyQuota: number },
): Validator {
  if (!devices.uplink) return detachedValidator(deps.dailyQuota, () => wibDate(deps.clock.now()));
  return createValidator({
    ...devices.uplink,
    ledger: deps.ledger,
    clock: deps.clock,
    logger: deps.logger.child({ component: 'uplink' }),
    onQuotaAlert: (level, used, limit) => {
      deps.logger.warn({ event: 'quotaAlert', level, used, limit }, 'staff alert: daily quota');
      deps.alerts.raise(quotaAlertKind(level));
    },
  });
}
