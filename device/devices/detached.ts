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
    const gpio: GpioPort = config.mode === 'production' && config.gpio ? openPanelGpio(config.gpio, logger.child({ component: 'gpio' })) : new SimulatedGpio();
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
