/** Runs anjungan-provision: the entry of the bundle a device runs (dist/provisioning/main.js). */
import { main } from './cli.ts';

await main();
