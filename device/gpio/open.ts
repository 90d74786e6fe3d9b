/**
 * The panel's GPIO driver, as the `gpio` section names it (config.ts refuses production without
 * one; the demo modes simulate the panel instead): `gpiod`, the lines through the GPIO character
 * device (chardev-gpio.ts), or `none`.
 */
import type { GpioConfig } from '../config.ts';
import type { GpioPort } from '../flow/ports.ts';
import type { Logger } from '../log.ts';
import { createChardevGpio, type GpioUnavailableError, type SpawnHelper } from './chardev-gpio.ts';
import { createNoPanelGpio } from './no-panel.ts';

export async function openPanelGpio(
  gpio: GpioConfig,
  logger: Logger,
  opts: { spawn?: SpawnHelper; onLost?: (err: GpioUnavailableError) => void } = {},
): Promise<GpioPort> {
  if (gpio.driver === 'none') {
    logger.warn({ event: 'gpioNone' }, 'gpio.driver is "none": no lights, buzzer, reader power relay or tamper switch on this kiosk');
    return createNoPanelGpio();
  }
  const port = await createChardevGpio({
    lines: gpio.lines!,
    ...(gpio.helperPath ? { helperPath: gpio.helperPath } : {}),
    ...(opts.spawn ? { spawn: opts.spawn } : {}),
    ...(opts.onLost ? { onLost: opts.onLost } : {}),
  });
  logger.info({ event: 'gpioChardev' }, 'panel on the GPIO character device');
  return port;
}
