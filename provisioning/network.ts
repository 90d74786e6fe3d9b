/**
 * `network set|show` and `time set|show`: the kiosk's address and its NTP servers, as files on the
 * data partition that systemd-networkd and systemd-timesyncd read (the image links them from
 * /etc/systemd), applied at once on a running kiosk. NTP servers are IP addresses: the egress
 * firewall allows them by address and is reloaded with them.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { isIP } from 'node:net';
import { clockSynchronised } from '../device/clock-sync.ts';
import type { CommandContext, Outcome } from './context.ts';
import { badInput } from './errors.ts';
import { writeFileAtomic } from '../device/files.ts';
import { MODES } from './layout.ts';
import { checkConfig, loadConfigFile, requireActive, saveConfigFile } from './state.ts';
import { reloadFirewall, reloadNetwork, restartTimesync } from './system.ts';

export interface NetworkOptions {
  dhcp?: boolean;
  address?: string;
  gateway?: string;
  dns?: string;
  interface?: string;
}

/** Every Ethernet port, as the image's default DHCP file matches them. */
const ETHERNET = 'en* eth*';

function cidr(value: string): { ip: string; family: 4 | 6; prefix: number } {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(value);
  const family = m ? isIP(m[1]!) : 0;
  const prefix = m ? Number(m[2]) : -1;
  if (!m || family === 0 || prefix < 1 || prefix > (family === 4 ? 32 : 128)) {
    throw badInput(`--address ${JSON.stringify(value)} must be an address with its prefix length, e.g. 10.20.30.41/24`);
  }
  return { ip: m[1]!, family: family as 4 | 6, prefix };
}

function ipList(flag: string, value: string | undefined, max: number): string[] {
  if (value === undefined) return [];
  const list = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (list.length === 0 || list.length > max) throw badInput(`${flag} takes 1 to ${max} IP addresses separated by commas`);
  for (const ip of list)
    if (isIP(ip) === 0) throw badInput(`${flag}: ${JSON.stringify(ip)} is not an IP address (names are not resolved on the kiosk)`);
  return list;
}

export function setNetwork(ctx: CommandContext, o: NetworkOptions): Outcome {
  const l = ctx.layout;
  if (!!o.dhcp === (o.address !== undefined)) throw badInput('give either --dhcp or --address (with --gateway)');
  const match = o.interface ?? ETHERNET;
  if (!/^[A-Za-z0-9_.:*-]{1,15}( [A-Za-z0-9_.:*-]{1,15})*$/.test(match))
    throw badInput(`--interface ${JSON.stringify(match)} is not an interface name`);
  const network: string[] = [];
  let summary: string;
  if (o.dhcp) {
    if (o.gateway !== undefined || o.dns !== undefined) throw badInput('--gateway and --dns go with --address; DHCP gives them');
    network.push('DHCP=yes');
    summary = `DHCP on ${match}`;
  } else {
    const address = cidr(o.address!);
    const [gateway] = ipList('--gateway', o.gateway, 1);
    if (!gateway) throw badInput('--address needs --gateway');
    if (isIP(gateway) !== address.family) throw badInput('--gateway must be of the same IP version as --address');
    const dns = ipList('--dns', o.dns, 3);
    network.push(`Address=${address.ip}/${address.prefix}`, `Gateway=${gateway}`, ...dns.map((d) => `DNS=${d}`));
    summary = `${address.ip}/${address.prefix} via ${gateway} on ${match}${dns.length ? `, DNS ${dns.join(' ')}` : ''}`;
  }
  const text = [
    `# Written by anjungan-provision network set on ${ctx.now.toISOString()}: change it with that command.`,
    '[Match]',
    `Name=${match}`,
    '',
    '[Network]',
    ...network,
    'IPv6AcceptRA=no',
    'LinkLocalAddressing=no',
    '',
  ].join('\n');
  requireActive(loadConfigFile(l));
  mkdirSync(dirname(l.networkFile), { recursive: true, mode: 0o755 });
  writeFileAtomic(l.networkFile, text, MODES.system);
  const applied = reloadNetwork(ctx);
  return { data: { network: summary, file: l.networkFile }, lines: [`network: ${summary}`, `  written to ${l.networkFile}`, applied] };
}

export function showNetwork(ctx: CommandContext): Outcome {
  const file = ctx.layout.networkFile;
  const text = existsSync(file) ? readFileSync(file, 'utf8') : null;
  return {
    data: { file, configured: text !== null, content: text },
    lines:
      text === null
        ? ['network: not set; every Ethernet port asks DHCP (the image default)']
        : [
            `network (${file}):`,
            ...text
              .trimEnd()
              .split('\n')
              .map((x) => `  ${x}`),
          ],
  };
}

export function setTime(ctx: CommandContext, o: { ntp: string }): Outcome {
  const l = ctx.layout;
  const servers = ipList('--ntp', o.ntp, 8);
  const config = loadConfigFile(l);
  requireActive(config);
  config.egress = { ...config.egress, ntpServers: servers };
  checkConfig(config);
  saveConfigFile(l, config);
  writeFileAtomic(
    l.timesyncdFile,
    `# Written by anjungan-provision time set: change it with that command.\n[Time]\nNTP=${servers.join(' ')}\n`,
    MODES.system,
  );
  const lines = [
    `NTP servers: ${servers.join(', ')}`,
    `  ${l.configFile} (egress.ntpServers), ${l.timesyncdFile}`,
    reloadFirewall(ctx),
    restartTimesync(ctx),
  ];
  return { data: { ntpServers: servers }, lines };
}

/** The configured servers and whether the clock is synchronised (the local clock state only). */
export function showTime(ctx: CommandContext): Outcome {
  const config = loadConfigFile(ctx.layout);
  const servers = config.egress?.ntpServers ?? [];
  const synchronised = clockSynchronised(config.clock?.synchronisedFlag);
  return {
    data: { ntpServers: servers, synchronised, now: ctx.now.toISOString() },
    lines: [
      `NTP servers: ${servers.length ? servers.join(', ') : 'none (`time set --ntp IP`)'}`,
      `clock: ${ctx.now.toISOString()}, ${synchronised ? 'synchronised' : 'NOT synchronised: the kiosk validates nobody until it is'}`,
    ],
  };
}
