/**
 * Everything the demo and pcsc-sim modes run on instead of real hardware and the closed network:
 * the Dukcapil simulator, the virtual cards (in process or through vpcd), the simulated finger
 * sensor, the demo keys and personas. The daemon reaches it only through device/simulation.ts,
 * which the production bundle replaces (build.mjs), so none of it ships on a kiosk.
 */
import { newKey, hashStaffPin, type Credentials } from '../store/credentials.ts';
import type { Operator } from '../staff/roster.ts';
import { DEMO_ISSUER_PUBLIC_KEY_PEM, demoSamSecret } from './vcard/demo-keys.ts';

export { SimulatedFingerSensor } from './finger-sensor.ts';
export { createRng } from './finger-synth.ts';
export { createInProcessCardPort } from './vcard/in-process.ts';
export { startVirtualDevices } from './vcard/vpcd-devices.ts';
export { startDukcapilSimulator } from './dukcapil/server.ts';
export { startReturnDataSimulator } from './return-data/server.ts';
export { allPersonas, isPersonaId, persona, type Persona } from './personas.ts';
export { DEMO_ISSUER_PUBLIC_KEY_PEM, demoSamSecret };

/** The demo staff PIN; demo and pcsc-sim only. A real kiosk's PINs are set by provisioning. */
export const DEMO_STAFF_PIN = '246810';

const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

export async function demoCredentials(dukcapil: Credentials['dukcapil']): Promise<Credentials> {
  const sam = demoSamSecret();
  return {
    dukcapil,
    sam: { pcid: toHex(sam.pcid), configuration: toHex(sam.configuration) },
    auditKey: newKey(),
    outboxKey: newKey(),
    staff: [await hashStaffPin('petugas-demo', DEMO_STAFF_PIN)],
  };
}

/** The demo operator's roster entry (synthetic name and NIP), NDA signed, as provisioning writes it. */
export function demoRoster(now: Date): { operators: Operator[] } {
  return {
    operators: [
      {
        userId: 'petugas-demo',
        name: 'Petugas Demo',
        nip: '199001012020011001',
        employmentStatus: 'PNS',
        position: 'Pengelola Layanan',
        ndaSigned: '2024-01-02',
        addedAt: now.toISOString(),
      },
    ],
  };
}
