/**
 * What a developer machine's first start writes into the state folder (simulators' device set,
 * device/sim/devices.ts): demo credentials that open only the simulators, and a demo operator.
 */
import { newKey, type Credentials } from '../store/credentials.ts';
import type { Operator } from '../staff/roster.ts';
import { demoSamSecret } from './vcard/demo-keys.ts';

/** The demo staff PIN; demo and pcsc-sim only. A real kiosk's PINs are set by provisioning. */
export const DEMO_STAFF_PIN = '246810';

const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/**
 * The demo operator's PIN entry as hashStaffPin makes it (scrypt), hashed once here with a fixed
 * salt: hashing the public demo PIN at every fresh demo start cost a Pi-class CPU a tenth of a
 * second of its start (#25).
 */
const DEMO_STAFF_ENTRY: Credentials['staff'][number] = {
  id: 'petugas-demo',
  salt: '616e6a756e67616e2d64656d6f2d7069',
  hash: 'dc9f25e70d2fdee354faa724751a3319863b01249de71ceda461b6ce60ed5d16',
};

export async function demoCredentials(dukcapil: Credentials['dukcapil']): Promise<Credentials> {
  const sam = demoSamSecret();
  return {
    dukcapil,
    sam: { pcid: toHex(sam.pcid), configuration: toHex(sam.configuration) },
    auditKey: newKey(),
    outboxKey: newKey(),
    staff: [{ ...DEMO_STAFF_ENTRY }],
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
