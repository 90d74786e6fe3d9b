/**
 * Where a kiosk's files live. Production: the config in /etc/anjungan, the state (secrets, the
 * database) in /var/lib/anjungan. `--root DIR` puts the same tree under DIR (tests, image
 * builds); the paths written into the config then point into DIR as well.
 */
import { join, resolve } from 'node:path';
import { stateFiles } from '../device/store/credentials.ts';

export interface Layout {
  root: string;
  configDir: string;
  configFile: string;
  stateDir: string;
  credentialFile: string;
  /** The SAM configuration file exactly as Disdukcapil delivered it (returned at deactivation). */
  samConfigurationFile: string;
  operatorsFile: string;
  /** Written once a return package is verified, removed once the erase is complete. */
  deactivationPendingFile: string;
  uplinkCaFile: string;
  issuerKeyFile: string;
  /** The staff LAN listener's certificate (chain) and key, readable by the daemon's group. */
  staffLanCertFile: string;
  staffLanKeyFile: string;
  /** The fleet's CA, this kiosk's client certificate and its key (`fleet join`). */
  fleetCaFile: string;
  fleetCertFile: string;
  fleetKeyFile: string;
  /** What the running root is (version, build, board): written into the image by image/rauc/install.sh. */
  releaseFile: string;
  /** RAUC's configuration: slots, keyring, the bundle formats it takes. */
  raucSystemConf: string;
  /** Where an update stands (device/update/journal.ts), on the data partition next to RAUC's status. */
  updateJournalFile: string;
  /** Bundles pulled from the office LAN wait here (data partition). */
  updateDownloadDir: string;
  /** systemd-networkd's file (linked from /etc/systemd/network on the image), `network set`. */
  networkFile: string;
  /** systemd-timesyncd's drop-in (linked from /etc/systemd/timesyncd.conf.d), `time set`. */
  timesyncdFile: string;
  /** The kiosk's host name, set at boot by anjungan-identity.service. */
  hostnameFile: string;
}

export function layout(root = '/'): Layout {
  const r = resolve(root);
  const configDir = join(r, 'etc/anjungan');
  const stateDir = join(r, 'var/lib/anjungan');
  return {
    root: r,
    configDir,
    configFile: join(configDir, 'config.json'),
    stateDir,
    // The daemon's own names for them (device/store/credentials.ts).
    credentialFile: stateFiles(stateDir, {}).credentials,
    samConfigurationFile: join(stateDir, 'sam-configuration'),
    operatorsFile: stateFiles(stateDir, {}).roster,
    deactivationPendingFile: join(stateDir, 'deactivation-pending.json'),
    uplinkCaFile: join(configDir, 'uplink-ca.pem'),
    issuerKeyFile: join(configDir, 'issuer-public-key.pem'),
    staffLanCertFile: join(configDir, 'staff-lan-cert.pem'),
    staffLanKeyFile: join(configDir, 'staff-lan-key.pem'),
    fleetCaFile: join(configDir, 'fleet-ca.pem'),
    fleetCertFile: join(configDir, 'fleet-cert.pem'),
    fleetKeyFile: join(configDir, 'fleet-key.pem'),
    releaseFile: join(r, 'usr/lib/anjungan/release.json'),
    raucSystemConf: join(r, 'etc/rauc/system.conf'),
    updateJournalFile: join(r, 'data/rauc/anjungan-update.json'),
    updateDownloadDir: join(r, 'data/updates'),
    networkFile: join(configDir, 'network/10-anjungan.network'),
    timesyncdFile: join(configDir, 'timesyncd.conf'),
    hostnameFile: join(configDir, 'hostname'),
  };
}

/** File modes the kiosk's tree must have (doctor checks them). */
/**
 * The config folder is 0751: others may not list it, but networkd and timesyncd (users of their
 * own) must reach the network and NTP files in it (`network set`, `time set`), which are 0644.
 */
export const MODES = { configDir: 0o751, config: 0o640, stateDir: 0o700, secret: 0o600, system: 0o644 } as const;
