/**
 * Child process for the kill -9 test: validates one card against the simulator named in the
 * environment, with its ledger in the state folder argv[2]. The parent kills it mid-request.
 */
import { openDatabase } from '../../../device/store/db.ts';
import { createLogger } from '../../../device/log.ts';
import { SqliteQuotaLedger } from '../../../device/uplink/quota-ledger.ts';
import { createValidator } from '../../../device/uplink/validator.ts';
import { persona } from '../../../device/sim/personas.ts';

const env = (k: string) => process.env[k] ?? '';
const clock = { now: () => new Date() };
const ledger = new SqliteQuotaLedger(openDatabase(process.argv[2]!), { dailyLimit: 1000, clock });
const validator = createValidator({
  endpoint: {
    baseUrl: env('SIM_BASE_URL'),
    institution: env('SIM_INSTITUTION'),
    keyCasing: 'upper',
    method: 'CALL_NIK',
    verifyThreshold: 80,
    caPem: env('SIM_CA_PEM'),
    connectTimeoutMs: 5000,
    totalTimeoutMs: 60000,
  },
  credentials: JSON.parse(env('SIM_CREDENTIALS')),
  ledger,
  clock,
  logger: createLogger({ level: 'silent' }),
});
await validator.validate(persona('valid').card, new AbortController().signal);
