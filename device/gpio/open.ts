/**
 * Chooses the panel's GPIO driver: simulated outside production; in production what the `gpio`
 * section says (config.ts refuses production without one): `gpiod`, the lines through the GPIO
 * character device (chardev-gpio.ts), or `none`.
 */
import type { KioskConfig } from '../config.ts';
import type { GpioPort } from '../flow/ports.ts';
import type { Logger } from '../log.ts';
import { createChardevGpio, type GpioUnavailableError, type SpawnHelper } from './chardev-gpio.ts';
import { createNoPanelGpio } from './no-panel.ts';
import { SimulatedGpio } from './simulated.ts';

export async function openPanelGpio(
  config: Pick<KioskConfig, 'mode' | 'gpio'>,
  logger: Logger,
  opts: { spawn?: SpawnHelper; onLost?: (err: GpioUnavailableError) => void } = {},
): Promise<GpioPort> {
  if (config.mode !== 'production') return new SimulatedGpio();
  const gpio = config.gpio;
  if (!gpio) throw new Error('production needs a gpio section');
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
