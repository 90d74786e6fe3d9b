/**
 * `fleet join URL TOKEN`: makes this kiosk a member of a fleet (device/fleet/). The token from
 * the fleet administrator is used once; it carries the pin of the fleet's CA, so the kiosk checks
 * the fleet before it sends anything. The kiosk makes its own key, the fleet signs a certificate
 * for it, and both go next to the config with the fleet's CA; the config gets the `fleet` section
 * (the egress firewall then allows the fleet's address, as it does the uplink's).
 * `fleet show` says whether and where the kiosk is a member.
 */
import { renameSync, rmSync } from 'node:fs';
import { egressDestinations, EgressConfigError } from '../device/firewall.ts';
import { joinFleet, JoinRefused } from '../device/fleet/enrolment.ts';
import type { CommandContext, Outcome } from './context.ts';
import { badInput, EXIT, ProvisionError } from './errors.ts';
import { writeFileAtomic } from '../device/files.ts';
import { MODES } from './layout.ts';
import { checkConfig, loadConfigFile, requireActive, saveConfigFile } from './state.ts';

export async function joinFleetCommand(ctx: CommandContext, url: string, token: string): Promise<Outcome> {
  const l = ctx.layout;
  const config = loadConfigFile(l);
  requireActive(config);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw badInput('URL must be https://ADDRESS:PORT of the fleet');
  }
  if (parsed.protocol !== 'https:' || (parsed.pathname !== '/' && parsed.pathname !== '') || parsed.search || parsed.username) {
    throw badInput('URL must be https://ADDRESS:PORT of the fleet, with nothing after it');
  }
  const fleetUrl = `${parsed.protocol}//${parsed.host}`;
  const fleet = { url: fleetUrl, kioskId: 'pending', caFile: l.fleetCaFile, certFile: l.fleetCertFile, keyFile: l.fleetKeyFile };
  try {
    egressDestinations({ ...config, fleet });
  } catch (e) {
    if (e instanceof EgressConfigError)
      throw badInput('the fleet URL must name an IP address: the egress firewall is loaded before names resolve');
    throw e;
  }
  const newKey = `${l.fleetKeyFile}.new`;
  ctx.progress(`joining the fleet at ${fleetUrl}`);
  let joined;
  try {
    joined = await joinFleet(fleetUrl, token, newKey);
  } catch (e) {
    rmSync(newKey, { force: true });
    if (e instanceof JoinRefused) throw new ProvisionError(e.code === 'tokenFormat' ? EXIT.badInput : EXIT.checkFailed, e.message);
    throw e;
  }
  const next = { ...config, fleet: { ...fleet, kioskId: joined.kioskId } };
  checkConfig(next);
  writeFileAtomic(l.fleetCaFile, joined.caPem, MODES.config);
  writeFileAtomic(l.fleetCertFile, joined.certificatePem, MODES.config);
  renameSync(newKey, l.fleetKeyFile);
  saveConfigFile(l, next);
  return {
    data: { fleet: { url: fleetUrl, kioskId: joined.kioskId, site: joined.site } },
    lines: [
      `joined the fleet at ${fleetUrl} as ${joined.kioskId} (${joined.site}); certificate and key in ${l.configDir}`,
      'Restart the kiosk service: it then takes its quota in leases from the fleet and forwards data balikan to it.',
    ],
  };
}

export function showFleet(ctx: CommandContext): Outcome {
  const config = loadConfigFile(ctx.layout);
  const f = config.fleet;
  return {
    data: { fleet: f ? { url: f.url, kioskId: f.kioskId } : null },
    lines: [f ? `member of the fleet at ${f.url} as ${f.kioskId}` : 'not a member of a fleet: the kiosk keeps its own quota ledger'],
  };
}
