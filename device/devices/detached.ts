/**
 * The parts of a deactivated kiosk (anjungan-provision deactivate): its SAM material and uplink
 * credentials are erased and the SAM goes back to Disdukcapil, so it opens no reader, sends
 * nothing and serves nobody. Readiness always answers `deactivated`; these ports only report
 * that nothing is attached.
 */
import { DeviceError } from '../domain/failure.ts';
import type { CardPort, FingerprintSensorPort, GpioPort, ReadinessPort, ReaderHealth } from '../flow/ports.ts';
import { openPanelGpio } from '../gpio/open.ts';
import { SimulatedGpio } from '../gpio/simulated.ts';
import type { Validator } from '../uplink/validator.ts';
import type { ProvisioningItem } from '../domain/provisioning.ts';
import { createNoPanelGpio } from '../gpio/no-panel.ts';
import type { Logger } from '../log.ts';
import { loadStartConfig } from '../provisioning-state.ts';
import type { DeviceSet } from './device-set.ts';

export const deactivatedReadiness: ReadinessPort = {
  check: () => Promise.resolve({ ready: false, reason: 'deactivated' }),
  // Already stopped for good: nothing the registry says can stop it more.
  stopService: () => undefined,
};

const NOTHING_ATTACHED: ReaderHealth = { idReader: 'noReader', cardPresent: false, sam: 'missing', readers: 0 };
const refuse = () => Promise.reject(new DeviceError('samMissing', 'the kiosk is deactivated: its SAM configuration was returned'));

export function detachedCardPort(): CardPort {
  return {
    start: () => Promise.resolve(),
    stop: () => Promise.resolve(),
    health: () => NOTHING_ATTACHED,
    subscribe: () => () => undefined,
    readTemplates: refuse,
    readRecord: refuse,
    endSession: () => undefined,
  };
}

export const detachedSensor: FingerprintSensorPort = { health: () => 'missing', capture: refuse };

export function detachedValidator(dailyQuota: number, day: () => string): Validator {
  return {
    validate: refuse,
    health: () => ({ breaker: 'closed', quota: { used: 0, limit: dailyQuota, day: day() } }),
    probe: () => Promise.resolve(false),
    close: () => undefined,
  };
}

/** The detached set: nothing attached but the panel, which shows that the kiosk does not serve. */
export const detachedDevices: DeviceSet = {
  async openDevices(config, { logger }) {
    const gpio: GpioPort =
      config.mode === 'production' && config.gpio
        ? await openPanelGpio(config.gpio, logger.child({ component: 'gpio' }))
        : new SimulatedGpio();
    return {
      card: detachedCardPort(),
      sensor: detachedSensor,
      gpio,
      readerRelay: !(config.mode === 'production' && config.gpio?.driver === 'none'),
      uplink: null,
      returnData: null,
      readiness: deactivatedReadiness,
      close: async () => gpio.close(),
    };
  },
};

/**
 * A production kiosk whose provisioning is not complete opens no device either (its panel may not
 * even be configured): readiness says `notProvisioned` with what is missing, read again from the
 * files provisioning writes at every recheck; once nothing is missing the daemon stops, and
 * systemd starts it again into service.
 */
export function notProvisionedDevices(logger: Logger): DeviceSet {
  return {
    async openDevices() {
      let missing: ProvisioningItem[] = [];
      const gpio = createNoPanelGpio();
      return {
        card: detachedCardPort(),
        sensor: detachedSensor,
        gpio,
        readerRelay: false,
        uplink: null,
        returnData: null,
        readiness: {
          check: () => {
            missing = stillMissing(logger);
            if (missing.length === 0) process.kill(process.pid, 'SIGTERM');
            return Promise.resolve({ ready: false, reason: 'notProvisioned' });
          },
          stopService: () => undefined,
        },
        provisioningMissing: () => missing,
        close: async () => gpio.close(),
      };
    },
  };
}

/** What is still missing, from the files provisioning writes (the state folder's credential file, not systemd's copy from the start). */
function stillMissing(logger: Logger): ProvisioningItem[] {
  try {
    return loadStartConfig({ ...process.env, CREDENTIALS_DIRECTORY: undefined }, new Date()).missing;
  } catch (err) {
    logger.warn({ event: 'provisioningUnreadable', err: { name: (err as Error).name } }, 'the configuration cannot be read yet');
    return ['configInvalid'];
  }
}
