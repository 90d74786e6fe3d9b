/**
 * Chooses the panel's GPIO driver: simulated outside production; in production what the `gpio`
 * section says (config.ts refuses production without one).
 */
import type { KioskConfig } from '../config.ts';
import type { GpioPort } from '../flow/ports.ts';
import type { Logger } from '../log.ts';
import { createNoPanelGpio } from './no-panel.ts';
import { createOnoffGpio, type OnoffGpioClass } from './onoff-gpio.ts';
import { SimulatedGpio } from './simulated.ts';

export function openPanelGpio(config: Pick<KioskConfig, 'mode' | 'gpio'>, logger: Logger, onoff?: OnoffGpioClass): GpioPort {
  if (config.mode !== 'production') return new SimulatedGpio();
  const gpio = config.gpio;
  if (!gpio) throw new Error('production needs a gpio section');
  if (gpio.driver === 'none') {
    logger.warn({ event: 'gpioNone' }, 'gpio.driver is "none": no lights, buzzer, reader power relay or tamper switch on this kiosk');
    return createNoPanelGpio();
  }
  const port = createOnoffGpio({ lines: gpio.lines!, ...(gpio.sysfsRoot ? { sysfsRoot: gpio.sysfsRoot } : {}), ...(onoff ? { Gpio: onoff } : {}) });
  logger.info({ event: 'gpioOnoff' }, 'panel on GPIO through onoff');
  return port;
}
