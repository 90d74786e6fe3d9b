/**
 * Child process for the ledger tests: opens its own connection to the state folder given in
 * argv[2], waits for "go" on stdin so every child starts together, then reserves argv[3] hits
 * concurrently against a limit of argv[4] and prints how many were granted.
 */
import { openDatabase } from '../../../device/store/db.ts';
import { SqliteQuotaLedger } from '../../../device/uplink/quota-ledger.ts';

const [dir, count, limit] = [process.argv[2]!, Number(process.argv[3]), Number(process.argv[4])];
const ledger = new SqliteQuotaLedger(openDatabase(dir), { dailyLimit: limit, clock: { now: () => new Date() } });
process.stdout.write('ready\n');
process.stdin.once('data', async () => {
  const results = await Promise.all(Array.from({ length: count }, () => ledger.reserve()));
  process.stdout.write(`${results.filter((r) => r.granted).length}\n`);
  process.exit(0);
});
