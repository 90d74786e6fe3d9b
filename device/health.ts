/**
 * The kiosk's health, gathered in one place for everything that reports it: /healthz (the
 * systemd unit and the technician read it) and the staff dashboard's overview.
 */
import type { DiskLevel } from './disk.ts';
import type { KioskSnapshot } from './flow/machine.ts';
import type { KioskView } from './view/protocol.ts';
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

/**
 * `/healthz`: serving or not, the flow's state (and why it does not serve), the data partition,
 * the devices, and how long ago the kiosk page last pinged (an update's proof reads it).
 */
export function healthReport(
  kiosk: { snapshot: KioskSnapshot; running: boolean; view: KioskView },
  devices: DeviceHealth,
  extra: { ui: { lastPingAgoMs: number | null }; disk: DiskLevel | null },
) {
  const { snapshot, running, view } = kiosk;
  const state = typeof snapshot.value === 'string' ? snapshot.value : Object.keys(snapshot.value)[0]!;
  return {
    // A flow that stopped on an error serves nobody, whatever state it stopped in.
    ready: running && state !== 'booting' && state !== 'outOfService',
    state: running ? state : 'stopped',
    ...(view.screen === 'outOfService' ? { reason: view.reason, ...(view.missing ? { missing: view.missing } : {}) } : {}),
    ...(extra.disk ? { disk: extra.disk } : {}),
    devices: {
      reader: devices.reader,
      sensor: devices.sensor,
      uplink: devices.uplink,
      tamperOpen: devices.tamper.open,
      tamperLocked: devices.tamper.locked,
    },
    ui: extra.ui,
  };
}
