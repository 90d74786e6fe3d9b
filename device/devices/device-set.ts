/**
 * What the kiosk runs on, chosen once at start (ESPHome's components pick their platform the
 * same way): production drivers, the detached parts of a deactivated kiosk, or the simulators
 * of the demo modes. Each set opens its own parts from their config sections and closes them.
 */
import type { KioskConfig } from '../config.ts';
import type { ProvisioningItem } from '../domain/provisioning.ts';
import type { CardPort, ClockPort, FingerprintSensorPort, GpioPort, ReadinessPort } from '../flow/ports.ts';
import type { Logger } from '../log.ts';
import type { ReturnDataEndpoint } from '../return-data/delivery.ts';
import type { DemoControls } from '../server/app.ts';
import type { Credentials, StateFiles } from '../store/credentials.ts';
import type { DukcapilCredentials, UplinkEndpoint } from '../uplink/endpoint.ts';

export interface Devices {
  card: CardPort;
  sensor: FingerprintSensorPort;
  gpio: GpioPort;
  /** The panel has a reader power relay to cycle (a kiosk without a panel pretends no cycle). */
  readerRelay: boolean;
  /** The registry web service and our access to it; null: this kiosk asks nobody. */
  uplink: { endpoint: UplinkEndpoint; credentials: DukcapilCredentials } | null;
  /** Data balikan delivery by web service; null when the site hands over files instead. */
  returnData: { endpoint: ReturnDataEndpoint; credentials: DukcapilCredentials } | null;
  /** Whether the kiosk may serve, where the set decides it alone (a deactivated kiosk never does). */
  readiness?: ReadinessPort;
  /** What provisioning still lacks, for the not-provisioned screen (detached.ts). */
  provisioningMissing?: () => ProvisioningItem[];
  /** The demo strip's card, finger and tamper controls (demo and pcsc-sim). */
  demo?: DemoControls;
  close(): Promise<void>;
}

export interface DeviceContext {
  credentials: Credentials;
  clock: ClockPort;
  logger: Logger;
  env: NodeJS.ProcessEnv;
}

export interface DeviceSet {
  /** A developer machine's first start: demo credentials and roster where there are none. */
  prepareState?(files: StateFiles, clock: ClockPort): Promise<void>;
  openDevices(config: KioskConfig, context: DeviceContext): Promise<Devices>;
}
