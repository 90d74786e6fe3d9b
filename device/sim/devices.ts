/**
 * The simulators' device set (demo and pcsc-sim): the Dukcapil and data balikan simulators stand
 * in for the closed network, the simulated sensor for the finger, and the virtual KTP-el either
 * in process (demo) or behind pcscd through vpcd (pcsc-sim). A developer machine gets demo
 * credentials and a demo operator on its first start. The demo strip drives it all.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { KioskConfig } from '../config.ts';
import { samSecretOf, pcscCardFromConfig } from '../card/from-config.ts';
import type { PcscCardPort } from '../card/pcsc-card.ts';
import type { Devices, DeviceSet } from '../devices/device-set.ts';
import { SimulatedGpio } from '../gpio/simulated.ts';
import { Lifecycle } from '../lifecycle.ts';
import type { Logger } from '../log.ts';
import { deliveryTimeouts } from '../return-data/from-config.ts';
import { DemoConflict, type DemoControls } from '../server/app.ts';
import { servingCredentials, writeCredentials, type ServingCredentials } from '../store/credentials.ts';
import { uplinkRequestShape } from '../uplink/from-config.ts';
import { DEMO_CREDENTIALS, startDukcapilSimulator } from './dukcapil/server.ts';
import { createRng } from './finger-synth.ts';
import { SimulatedFingerSensor } from './finger-sensor.ts';
import { demoCredentials, demoRoster } from './kit.ts';
import { loadPersonas } from './load-personas.ts';
import { PERSONA_IDS, isPersonaId } from './persona-ids.ts';
import type { Persona } from './personas.ts';
import { startReturnDataSimulator } from './return-data/server.ts';
import { DEMO_ISSUER_PUBLIC_KEY_PEM, demoSamSecret } from './vcard/demo-keys.ts';
import { createInProcessCardPort } from './vcard/in-process.ts';

export const simulators: DeviceSet = {
  async prepareState(files, clock) {
    if (!files.fromSystemd && !existsSync(files.credentials)) writeCredentials(files.credentials, await demoCredentials(DEMO_CREDENTIALS));
    if (!existsSync(files.roster)) writeFileSync(files.roster, JSON.stringify(demoRoster(clock.now()), null, 2), { mode: 0o600 });
  },

  async openDevices(config, { credentials, logger, env }) {
    const secrets = servingCredentials(credentials);
    const lifecycle = new Lifecycle(logger);
    try {
      // The simulator keeps the configured access hours too, as the registry would.
      const dukcapil = await startDukcapilSimulator({
        dailyQuota: config.uplink.dailyQuota,
        ...(config.uplink.accessHours ? { accessHours: config.uplink.accessHours } : {}),
      });
      lifecycle.defer(() => dukcapil.close());
      const returnData = await startReturnData(config, secrets, lifecycle);
      const gpio = new SimulatedGpio();
      lifecycle.defer(() => gpio.close());
      // The simulated sensor draws a fresh impression per touch; tests fix the draws with
      // ANJUNGAN_SIM_FINGER_SEED so a run is reproducible (the matcher's error rates are the bench's).
      const seed = env.ANJUNGAN_SIM_FINGER_SEED;
      const sensor = new SimulatedFingerSensor(seed ? { rng: createRng(seed) } : {});
      const { card, demo } = await openCard(config, secrets, { gpio, sensor, logger: logger.child({ component: 'card' }), lifecycle });
      lifecycle.defer(() => card.stop());
      await card.start();
      return {
        card,
        sensor,
        gpio,
        readerRelay: true,
        uplink: {
          endpoint: {
            baseUrl: dukcapil.baseUrl,
            institution: dukcapil.institution,
            caPem: dukcapil.caPem,
            ...uplinkRequestShape(config.uplink),
          },
          credentials: secrets.dukcapil,
        },
        returnData,
        demo,
        close: () => lifecycle.close(),
      };
    } catch (err) {
      await lifecycle.close();
      throw err;
    }
  },
};

/** The data balikan simulator, when the configuration asks for delivery by web service. */
async function startReturnData(config: KioskConfig, secrets: ServingCredentials, lifecycle: Lifecycle): Promise<Devices['returnData']> {
  const delivery = config.returnData?.delivery;
  if (!delivery) return null;
  const simulator = await startReturnDataSimulator({ credentials: secrets.dukcapil });
  lifecycle.defer(() => simulator.close());
  return {
    endpoint: { url: simulator.url, caPem: simulator.caPem, ...deliveryTimeouts(delivery, config.uplink) },
    credentials: secrets.dukcapil,
  };
}

/** The virtual KTP-el: in process for demo, behind pcscd through vpcd for pcsc-sim. */
async function openCard(
  config: KioskConfig,
  secrets: ServingCredentials,
  parts: { gpio: SimulatedGpio; sensor: SimulatedFingerSensor; logger: Logger; lifecycle: Lifecycle },
): Promise<{ card: Devices['card']; demo: DemoControls }> {
  const samSecret = samSecretOf(secrets.sam);
  const issuerPublicKeyPem = config.card.issuerPublicKeyFile
    ? readFileSync(config.card.issuerPublicKeyFile, 'utf8')
    : DEMO_ISSUER_PUBLIC_KEY_PEM;
  if (config.mode === 'demo') {
    const inProcess = createInProcessCardPort({ issuerPublicKeyPem, samSecret, logger: parts.logger });
    const slot = {
      insert: async (p: Persona) => inProcess.slot.insert(p),
      remove: async () => inProcess.slot.remove(),
      current: () => inProcess.slot.current(),
    };
    return { card: inProcess.port, demo: demoControls({ ...slot, gpio: parts.gpio, sensor: parts.sensor }) };
  }
  let card: PcscCardPort | null = null;
  // Removals wait until pcscd counted them (see vpcd-devices.ts), so a quick re-insert is seen.
  // vpcd's side only in pcsc-sim mode: loaded here, not with the demo's start.
  const { startVirtualDevices } = await import('./vcard/vpcd-devices.ts');
  const devices = await startVirtualDevices({ samSecret: demoSamSecret(), readers: () => card!.readers() });
  parts.lifecycle.defer(() => devices.close());
  card = pcscCardFromConfig(config.card, { samSecret, issuerPublicKeyPem }, parts.logger);
  const demo = demoControls({
    gpio: parts.gpio,
    sensor: parts.sensor,
    // A slot pcscd has not yet seen empty is a state the demo user can wait out: 409.
    insert: (p) => devices.insert(p).catch((e: Error) => Promise.reject(new DemoConflict(e.message))),
    // The card is out either way; a slow pcscd shows up at the next insert.
    remove: () => devices.remove().catch(() => undefined),
    current: () => devices.current(),
  });
  return { card, demo };
}

function demoControls(slot: {
  gpio: SimulatedGpio;
  insert(p: Persona): Promise<void>;
  remove(): Promise<void>;
  current(): Persona | null;
  sensor: SimulatedFingerSensor;
}): DemoControls {
  return {
    personaIds: PERSONA_IDS,
    async personas() {
      const { allPersonas } = await loadPersonas();
      return allPersonas().map((p) => ({ id: p.id, title: p.title }));
    },
    async insertCard(id) {
      if (!isPersonaId(id)) throw new DemoConflict('unknown persona');
      if (slot.current()) throw new DemoConflict('a card is already in the reader');
      const { persona } = await loadPersonas();
      await slot.insert(persona(id));
    },
    async removeCard() {
      if (slot.current()) await slot.remove();
    },
    presentFinger(genuine) {
      const holder = slot.current();
      if (!holder) throw new DemoConflict('no card in the reader');
      slot.sensor.present(holder, genuine);
    },
    setTamper(open) {
      slot.gpio.setTamper(open);
    },
  };
}
