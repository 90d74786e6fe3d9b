/**
 * `gpio.driver: "none"`: a kiosk without a panel (a bench, a rehearsal of production). An
 * explicit choice the daemon logs at start: no lights, no buzzer, no relay, no tamper switch.
 */
import type { GpioPort } from '../flow/ports.ts';

export function createNoPanelGpio(): GpioPort {
  return {
    setLights: () => undefined,
    sound: () => undefined,
    setReaderPower: async () => undefined,
    tamperOpen: () => false,
    subscribe: () => () => undefined,
    close: () => undefined,
  };
}
