/** `init`: the config and state folders with their modes, a configuration and a credential file. */
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { onRunningKiosk } from './system.ts';
import { execFileSync } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { demoDefaults, REFERENCE_PANEL_GPIO, type KioskConfig } from '../device/config.ts';
import { newKey, type Credentials } from '../device/store/credentials.ts';
import { wibDate } from '../device/domain/wib.ts';
import type { CommandContext, Outcome } from './context.ts';
import { badInput, wrongState } from './errors.ts';
import { writeFileAtomic } from '../device/files.ts';
import { MODES } from './layout.ts';
import { checkConfig, isInitialised, loadConfigFile, loadCredentials, saveConfigFile, saveCredentials } from './state.ts';
import { MATCH_THRESHOLD, THRESHOLD_FMR } from '../device/fingerprint/matcher.ts';

export interface InitOptions {
  kioskId: string;
  site: string;
  regionCode: string;
  officeAddress?: string;
  issuerKey?: string;
  owner?: string;
}

/** Where the image mounts USB sticks (image/rootfs/usr/local/sbin/anjungan-usb-mount). */
export const EXPORT_ROOT = '/media/anjungan-export';

/** No agreement recorded yet: an empty list, a period long past, so the kiosk serves nobody. */
export const NO_AGREEMENT: KioskConfig['agreement'] = { numbers: [], start: '1970-01-01', end: '1970-01-01' };

export function init(ctx: CommandContext, o: InitOptions): Outcome {
  const l = ctx.layout;
  let previous: KioskConfig | null = null;
  if (isInitialised(l)) {
    previous = loadConfigFile(l);
    if (!previous.deactivated) throw wrongState(`this kiosk is already initialised (${l.configFile}); init again only after deactivate`);
  }
  let issuerKeyPem: string | undefined;
  if (o.issuerKey !== undefined) {
    try {
      issuerKeyPem = readFileSync(o.issuerKey, 'utf8');
      createPublicKey(issuerKeyPem);
    } catch {
      throw badInput(`--issuer-key ${o.issuerKey} is not a readable PEM public key`);
    }
  }
  const owner = o.owner === undefined ? null : resolveOwner(o.owner);
  const config: KioskConfig = previous ?? {
    ...demoDefaults(ctx.now),
    mode: 'production',
    stateDir: l.stateDir,
    agreement: NO_AGREEMENT,
    // The reference enclosure: libfprint sensor through the capture helper the image installs, GPIO
    // panel; the matcher's calibrated operating point, stated where a technician sees it.
    fingerprint: {
      driver: 'libfprint',
      helperPath: '/usr/lib/anjungan/anjungan-fprint-capture',
      threshold: { score: MATCH_THRESHOLD, fmr: THRESHOLD_FMR },
    },
    gpio: REFERENCE_PANEL_GPIO,
    // USB sticks are mounted there by the image's udev rule (one folder per stick).
    returnDataExport: { roots: [EXPORT_ROOT] },
  };
  delete config.deactivated;
  config.stateDir = l.stateDir;
  config.kiosk = { id: o.kioskId, site: o.site, regionCode: o.regionCode, ...(o.officeAddress ? { officeAddress: o.officeAddress } : {}) };
  if (issuerKeyPem) config.card.issuerPublicKeyFile = l.issuerKeyFile;

  // Re-initialising keeps the audit and outbox keys: the database written with them stays readable.
  const previousCredentials = previous ? loadCredentials(l) : null;
  const credentials: Credentials = {
    auditKey: previousCredentials?.auditKey ?? newKey(),
    outboxKey: previousCredentials?.outboxKey ?? newKey(),
    staff: [],
  };

  checkConfig(config);
  makeDir(l.configDir, MODES.configDir, owner ? { uid: 0, gid: owner.gid } : null);
  makeDir(l.stateDir, MODES.stateDir, owner);
  if (issuerKeyPem) writeFileAtomic(l.issuerKeyFile, issuerKeyPem, MODES.config);
  saveCredentials(l, credentials);
  saveConfigFile(l, config);
  const hostname = `anjungan-${o.kioskId.toLowerCase()}`;
  writeFileAtomic(l.hostnameFile, `${hostname}\n`, MODES.system);
  // sethostname(2), not /proc/sys (read-only in a container): the name at once, not at the next boot.
  if (onRunningKiosk(ctx)) execFileSync('hostname', [hostname], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 10_000 });
  return {
    data: {
      initialised: true,
      kioskId: o.kioskId,
      configFile: l.configFile,
      stateDir: l.stateDir,
      hostname,
      reinitialised: previous !== null,
    },
    lines: [
      `kiosk ${o.kioskId} initialised (${wibDate(ctx.now)} WIB)`,
      `  config: ${l.configFile} (0640)`,
      `  state:  ${l.stateDir} (0700), credentials 0600`,
      `  host name: ${hostname}`,
      'next: network set, time set, credentials set, uplink set, agreement set, sam install, operators add, then doctor',
    ],
  };
}

function makeDir(path: string, mode: number, owner: { uid: number; gid: number } | null): void {
  if (!existsSync(path)) mkdirSync(path, { recursive: true, mode });
  chmodSync(path, mode);
  if (owner) chownSync(path, owner.uid, owner.gid);
}

function resolveOwner(spec: string): { uid: number; gid: number } {
  if (!/^[a-z_][a-z0-9_-]{0,31}$/.test(spec)) throw badInput(`--owner ${spec} is not a user name`);
  try {
    const uid = Number(execFileSync('id', ['-u', spec], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', spec], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw badInput(`--owner ${spec}: no such user`);
  }
}
