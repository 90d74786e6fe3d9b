/**
 * The kiosk's files as the daemon reads them, loaded and saved through the daemon's own schema
 * (device/config.ts) and credential writer (device/store/credentials.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { configProblems, type KioskConfig } from '../device/config.ts';
import { CredentialFileError, readCredentials, writeCredentials, type Credentials } from '../device/store/credentials.ts';
import { badInput, EXIT, ProvisionError, wrongState } from './errors.ts';
import { fsyncDir, takeFolderOwner, writeFileAtomic } from '../device/files.ts';
import { MODES, type Layout } from './layout.ts';

export function isInitialised(l: Layout): boolean {
  return existsSync(l.configFile);
}

export function loadConfigFile(l: Layout): KioskConfig {
  if (!existsSync(l.configFile))
    throw wrongState(`this kiosk is not initialised (no ${l.configFile}): run \`anjungan-provision init\` first`);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(l.configFile, 'utf8'));
  } catch {
    throw new ProvisionError(EXIT.failure, `${l.configFile} is not readable JSON: restore it from a backup or run init again`);
  }
  const problems = configProblems(data);
  if (problems.length > 0) throw new ProvisionError(EXIT.failure, `${l.configFile} is not valid: ${problems.join('; ')}`);
  return data as KioskConfig;
}

/** Checks a whole new configuration with the daemon's schema; commands call it before any write. */
export function checkConfig(config: KioskConfig): void {
  const problems = configProblems(config);
  if (problems.length > 0) throw badInput(`the configuration would not be valid: ${problems.join('; ')}`);
}

export function saveConfigFile(l: Layout, config: KioskConfig): void {
  checkConfig(config);
  writeFileAtomic(l.configFile, `${JSON.stringify(config, null, 2)}\n`, MODES.config);
}

export function loadCredentials(l: Layout): Credentials {
  try {
    return readCredentials(l.credentialFile);
  } catch (e) {
    if (e instanceof CredentialFileError) {
      const why = { missing: 'is missing', permissions: 'is readable by others (must be 0600)', malformed: 'is malformed' }[e.code];
      throw wrongState(`the credential file ${l.credentialFile} ${why}: run \`anjungan-provision doctor\``);
    }
    throw e;
  }
}

export function saveCredentials(l: Layout, credentials: Credentials): void {
  writeCredentials(l.credentialFile, credentials);
  takeFolderOwner(l.credentialFile);
  fsyncDir(l.stateDir);
}

/** Commands that change a kiosk refuse a deactivated one: it must be initialised again. */
export function requireActive(config: KioskConfig): void {
  if (config.deactivated)
    throw wrongState(`this kiosk was deactivated on ${config.deactivated.at}: run \`anjungan-provision init\` to provision it again`);
}
