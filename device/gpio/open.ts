/**
 * The panel's GPIO driver, as the `gpio` section names it (config.ts refuses production without
 * one; the demo modes simulate the panel instead).
 */
import type { GpioConfig } from '../config.ts';
import type { GpioPort } from '../flow/ports.ts';
import type { Logger } from '../log.ts';
import { createNoPanelGpio } from './no-panel.ts';
import { createOnoffGpio, type OnoffGpioClass } from './onoff-gpio.ts';

export function openPanelGpio(gpio: GpioConfig, logger: Logger, onoff?: OnoffGpioClass): GpioPort {
  if (gpio.driver === 'none') {
    logger.warn({ event: 'gpioNone' }, 'gpio.driver is "none": no lights, buzzer, reader power relay or tamper switch on this kiosk');
    return createNoPanelGpio();
  }
  const port = createOnoffGpio({
    lines: gpio.lines!,
    ...(gpio.sysfsRoot ? { sysfsRoot: gpio.sysfsRoot } : {}),
    ...(onoff ? { Gpio: onoff } : {}),
  });
  logger.info({ event: 'gpioOnoff' }, 'panel on GPIO through onoff');
  return port;
}
