/**
 * The egress allowlist, rendered from the kiosk configuration as an nftables rule set: output
 * only to loopback, the uplink host:port, the data balikan endpoint, the fleet service, the update
 * folder and the NTP servers (plus the DHCP client and IPv6 neighbour discovery the link itself
 * needs); everything else is
 * rejected and counted. Loaded at boot by anjungan-firewall.service before the network is up, so
 * destinations must be IP literals (no DNS then, and a name could resolve anywhere).
 * device/firewall-script.ts prints the rule set for the configuration in ANJUNGAN_CONFIG.
 */
import { isIP } from 'node:net';
import type { KioskConfig } from './config.ts';

export const EGRESS_TABLE = 'anjungan_egress';
export const REJECTED_COUNTER = 'rejected';

export class EgressConfigError extends Error {
  override readonly name = 'EgressConfigError';
}

interface Destination {
  address: string;
  protocol: 'tcp' | 'udp';
  port: number;
}

function urlDestination(url: string, what: string): Destination {
  const parsed = new URL(url);
  const address = parsed.hostname.replace(/^\[|\]$/g, '');
  if (isIP(address) === 0) throw new EgressConfigError(`${what}: the egress allowlist needs an IP address, not "${parsed.hostname}"`);
  return { address, protocol: 'tcp', port: parsed.port ? Number(parsed.port) : 443 };
}

export function egressDestinations(config: KioskConfig): Destination[] {
  const out: Destination[] = [];
  if (config.uplink.baseUrl) out.push(urlDestination(config.uplink.baseUrl, 'uplink.baseUrl'));
  if (config.egress?.returnDataUrl) out.push(urlDestination(config.egress.returnDataUrl, 'egress.returnDataUrl'));
  if (config.fleet) out.push(urlDestination(config.fleet.url, 'fleet.url'));
  const delivery = config.returnData?.delivery?.url;
  if (delivery) out.push(urlDestination(delivery, 'returnData.delivery.url'));
  const updates = config.updates?.source?.url;
  if (updates) out.push(urlDestination(updates, 'updates.source.url'));
  for (const ntp of config.egress?.ntpServers ?? []) {
    if (isIP(ntp) === 0) throw new EgressConfigError(`egress.ntpServers: the egress allowlist needs an IP address, not "${ntp}"`);
    out.push({ address: ntp, protocol: 'udp', port: 123 });
  }
  return out;
}

export function renderEgressRules(config: KioskConfig): string {
  return renderRuleSet(egressDestinations(config));
}

/** Loopback (and the link's own DHCP and neighbour discovery) only: what a broken configuration gets. */
export const CLOSED_RULES = (): string => renderRuleSet([]);

function renderRuleSet(destinations: Destination[]): string {
  const allow = destinations.map(
    (d) => `    ${isIP(d.address) === 6 ? 'ip6' : 'ip'} daddr ${d.address} ${d.protocol} dport ${d.port} accept`,
  );
  return [
    `# Rendered by anjungan from its configuration; do not edit (see device/firewall.ts).`,
    `table inet ${EGRESS_TABLE}`,
    `delete table inet ${EGRESS_TABLE}`,
    `table inet ${EGRESS_TABLE} {`,
    `  counter ${REJECTED_COUNTER} {}`,
    `  chain output {`,
    `    type filter hook output priority filter; policy accept;`,
    `    oif "lo" accept`,
    `    ct state established,related accept`,
    `    udp sport 68 udp dport 67 accept`,
    `    icmpv6 type { nd-router-solicit, nd-neighbor-solicit, nd-neighbor-advert } accept`,
    ...allow,
    `    counter name ${REJECTED_COUNTER} reject with icmpx admin-prohibited`,
    `  }`,
    `}`,
    ``,
  ].join('\n');
}
