/**
 * The parts of a deactivated kiosk (anjungan-provision deactivate): its SAM material and uplink
 * credentials are erased and the SAM goes back to Disdukcapil, so it opens no reader, sends
 * nothing and serves nobody. Readiness always answers `deactivated`; these ports only report
 * that nothing is attached.
 */
import { DeviceError } from './domain/failure.ts';
import type { CardPort, FingerprintSensorPort, ReadinessPort, ReaderHealth } from './flow/ports.ts';
import type { Validator } from './uplink/validator.ts';

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

/**
 * A production kiosk whose provisioning is not complete opens no device either; readiness says
 * `notProvisioned` and looks again at every recheck, and once nothing is missing it hands over to
 * `onProvisioned` (the daemon then restarts itself into service, device/main.ts).
 */
export function notProvisionedReadiness(deps: { missing: () => readonly string[]; onProvisioned: () => void }): ReadinessPort {
  return {
    check: () => {
      if (deps.missing().length === 0) deps.onProvisioned();
      return Promise.resolve({ ready: false, reason: 'notProvisioned' });
    },
    stopService: () => undefined,
  };
}
