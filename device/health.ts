/**
 * The kiosk's health, gathered in one place for everything that reports it: /healthz (the
 * systemd unit and the technician read it) and the staff dashboard's overview.
 */
import type { KioskSnapshot } from './flow/machine.ts';
import type { CardPort, FingerprintSensorPort, GpioPort, ReaderHealth, UplinkHealth, ValidatorPort } from './flow/ports.ts';

export interface DeviceHealth {
  reader: ReaderHealth;
  sensor: ReturnType<FingerprintSensorPort['health']>;
  uplink: UplinkHealth;
  /** open: the enclosure's switch now; locked: it was opened and staff have not cleared it. */
  tamper: { open: boolean; locked: boolean };
}

export interface HealthSources {
  card: Pick<CardPort, 'health'>;
  sensor: Pick<FingerprintSensorPort, 'health'>;
  validator: Pick<ValidatorPort, 'health'>;
  gpio: Pick<GpioPort, 'tamperOpen'>;
  tamper: { locked(): boolean };
}

export function deviceHealth(s: HealthSources): DeviceHealth {
  return {
    reader: s.card.health(),
    sensor: s.sensor.health(),
    uplink: s.validator.health(),
    tamper: { open: s.gpio.tamperOpen(), locked: s.tamper.locked() },
  };
}

/** /healthz: serving or not, the flow's state, and the devices. */
/** `/healthz`: the flow's state, the devices, and how long ago the kiosk page last pinged (an update's proof reads it). */
export function healthReport(snapshot: KioskSnapshot, devices: DeviceHealth, ui: { lastPingAgoMs: number | null }) {
  const state = typeof snapshot.value === 'string' ? snapshot.value : Object.keys(snapshot.value)[0]!;
  return {
    ready: state !== 'booting' && state !== 'outOfService',
    state,
    devices: {
      reader: devices.reader,
      sensor: devices.sensor,
      uplink: devices.uplink,
      tamperOpen: devices.tamper.open,
      tamperLocked: devices.tamper.locked,
    },
    ui,
  };
}
