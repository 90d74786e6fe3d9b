/**
 * What a developer machine's first start writes into the state folder (simulators' device set,
 * device/sim/devices.ts): demo credentials that open only the simulators, and a demo operator.
 */
import { newKey, hashStaffPin, type Credentials } from '../store/credentials.ts';
import type { Operator } from '../staff/roster.ts';
import { demoSamSecret } from './vcard/demo-keys.ts';

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
