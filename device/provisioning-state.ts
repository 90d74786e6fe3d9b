/**
 * Whether a production kiosk is provisioned, read from the files `anjungan-provision` writes (the
 * configuration, the credential file in the state folder, the CA and issuer key it names). A
 * kiosk that lacks something does not exit into a restart loop: it starts out of service
 * (`notProvisioned`), lists what is missing on its screen and in /healthz, checks again while it
 * waits, and restarts itself into service once nothing is missing (device/main.ts).
 */
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, demoDefaults, loadConfig, type KioskConfig } from './config.ts';
import { PROVISIONING_ITEMS, type ProvisioningItem } from './domain/provisioning.ts';
import { readCredentials } from './store/credentials.ts';

/** What loadConfig's production check says, by the item a technician sets to fix it. */
const PRODUCTION_PROBLEMS: Array<[RegExp, ProvisioningItem]> = [
  [/^\/uplink\/(baseUrl|caFile) is required/, 'uplink'],
  [/^\/card\/issuerPublicKeyFile is required/, 'issuerKey'],
  [/^\/fingerprint is required/, 'fingerprint'],
  [/^\/gpio is required/, 'gpio'],
];

export interface StartConfig {
  config: KioskConfig;
  /** Empty when the kiosk may start normally. */
  missing: ProvisioningItem[];
  /** The configuration's own problems, for the log (never secrets: the file holds none). */
  problems: string[];
}

/**
 * The configuration to start with and what provisioning lacks. Outside production (demo,
 * pcsc-sim) nothing is required and a bad configuration is an error as before. In production a
 * missing or incomplete configuration is a state, not an error: the daemon then starts with the
 * built-in defaults for its listener only, serving the not-provisioned screen.
 */
export function loadStartConfig(env: NodeJS.ProcessEnv, now: Date): StartConfig {
  let config: KioskConfig;
  try {
    config = loadConfig(env, now);
  } catch (err) {
    if (!(err instanceof ConfigError) || !productionByEnvironment(env)) throw err;
    const items = new Set<ProvisioningItem>();
    for (const problem of err.problems) {
      if (/^cannot read .* as JSON$/.test(problem)) items.add('config');
      else items.add(PRODUCTION_PROBLEMS.find(([pattern]) => pattern.test(problem))?.[1] ?? 'configInvalid');
    }
    // A valid file that only lacks what production requires: what else is missing, all at once.
    if (!items.has('config') && !items.has('configInvalid')) {
      try {
        const lenient = loadConfig({ ...env, ANJUNGAN_MODE: 'demo' }, now);
        for (const item of provisioningGaps(lenient, credentialFile(lenient, env))) items.add(item);
      } catch {
        items.add('configInvalid');
      }
    }
    const missing = PROVISIONING_ITEMS.filter((item) => items.has(item));
    return { config: listenerOnly(env, now), missing, problems: err.problems };
  }
  if (config.mode !== 'production') return { config, missing: [], problems: [] };
  return { config, missing: provisioningGaps(config, credentialFile(config, env)), problems: [] };
}

/** Under anjungan.service the mode is production whatever the file says (ANJUNGAN_MODE). */
function productionByEnvironment(env: NodeJS.ProcessEnv): boolean {
  return env.ANJUNGAN_MODE === 'production';
}

/** The defaults with the environment's listener and state folder: enough to show the screen. */
function listenerOnly(env: NodeJS.ProcessEnv, now: Date): KioskConfig {
  const config = demoDefaults(now);
  config.mode = 'production';
  if (env.ANJUNGAN_STATE_DIR) config.stateDir = env.ANJUNGAN_STATE_DIR;
  if (env.ANJUNGAN_HOST) config.http.host = env.ANJUNGAN_HOST;
  if (env.ANJUNGAN_PORT) config.http.port = Number(env.ANJUNGAN_PORT);
  return config;
}

/**
 * The credential file the daemon reads: under systemd the copy LoadCredential= made at start;
 * for the checks while waiting, the file in the state folder that provisioning writes.
 */
export function credentialFile(config: KioskConfig, env: NodeJS.ProcessEnv): string {
  return join(env.CREDENTIALS_DIRECTORY ?? config.stateDir, 'credentials.json');
}

/** What a valid production configuration still lacks, in the order a technician sets it. */
export function provisioningGaps(config: KioskConfig, credentials: string): ProvisioningItem[] {
  if (config.deactivated) return [];
  const missing: ProvisioningItem[] = [];
  let secrets: ReturnType<typeof readCredentials> | null = null;
  try {
    secrets = readCredentials(credentials, { groupReadable: credentials !== join(config.stateDir, 'credentials.json') });
  } catch {
    missing.push('credentials');
  }
  if (secrets && !secrets.dukcapil) missing.push('dukcapilCredentials');
  if (!readable(config.uplink.caFile)) missing.push('uplink');
  if (!readable(config.card.issuerPublicKeyFile)) missing.push('issuerKey');
  if (config.agreement.numbers.length === 0) missing.push('agreement');
  if (secrets && !secrets.sam) missing.push('sam');
  if ((config.egress?.ntpServers ?? []).length === 0) missing.push('ntp');
  return missing;
}

function readable(path: string | undefined): boolean {
  if (!path) return false;
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}
