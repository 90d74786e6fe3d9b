/**
 * The production device set: the panel on GPIO, the fingerprint sensor through libfprint, the
 * KTP-el and SAM on PC/SC readers, the registry and the data balikan service at their configured
 * addresses with their pinned CAs. Each part is opened from its own config section.
 */
import { readFileSync } from 'node:fs';
import { productionConfig } from '../config.ts';
import { pcscCardFromConfig, samSecretOf } from '../card/from-config.ts';
import { libfprintSensorFromConfig } from '../fingerprint/libfprint-sensor.ts';
import { openPanelGpio } from '../gpio/open.ts';
import { Lifecycle } from '../lifecycle.ts';
import { deliveryEndpointFromConfig } from '../return-data/from-config.ts';
import { servingCredentials } from '../store/credentials.ts';
import { uplinkEndpointFromConfig } from '../uplink/from-config.ts';
import type { DeviceSet } from './device-set.ts';

export const productionDevices: DeviceSet = {
  async openDevices(kioskConfig, { credentials, logger, env }) {
    const config = productionConfig(kioskConfig);
    const secrets = servingCredentials(credentials);
    const lifecycle = new Lifecycle(logger);
    try {
      // A GPIO helper lost at run time leaves the panel unknown: the crash policy restarts the daemon.
      const gpio = await openPanelGpio(config.gpio, logger.child({ component: 'gpio' }), {
        onLost: (err) => process.emit('uncaughtException', err),
      });
      lifecycle.defer(() => gpio.close());
      const sensor = libfprintSensorFromConfig(config.fingerprint, logger.child({ component: 'sensor' }), env);
      lifecycle.defer(() => sensor.stop());
      await sensor.start();
      const issuerPublicKeyPem = readFileSync(config.card.issuerPublicKeyFile, 'utf8');
      const card = pcscCardFromConfig(
        config.card,
        { samSecret: samSecretOf(secrets.sam), issuerPublicKeyPem },
        logger.child({ component: 'card' }),
      );
      lifecycle.defer(() => card.stop());
      await card.start();
      const delivery = config.returnData?.delivery;
      return {
        card,
        sensor,
        gpio,
        readerRelay: config.gpio.driver !== 'none',
        uplink: { endpoint: uplinkEndpointFromConfig(config.uplink), credentials: secrets.dukcapil },
        returnData: delivery ? { endpoint: deliveryEndpointFromConfig(delivery, config.uplink), credentials: secrets.dukcapil } : null,
        close: () => lifecycle.close(),
      };
    } catch (err) {
      await lifecycle.close();
      throw err;
    }
  },
};
