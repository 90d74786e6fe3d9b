/** `uplink set|test`: the one Dukcapil endpoint and its pinned CA; the test is a TLS handshake only. */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { reloadFirewall } from './system.ts';
import { resolveTarget, UplinkConfigError, type UplinkEndpoint } from '../device/uplink/endpoint.ts';
import { createTransport } from '../device/uplink/transport.ts';
import type { KioskConfig } from '../device/config.ts';
import type { CommandContext, Outcome } from './context.ts';
import { badInput, EXIT, wrongState } from './errors.ts';
import { writeFileAtomic } from '../device/files.ts';
import { MODES } from './layout.ts';
import { checkConfig, loadConfigFile, requireActive, saveConfigFile } from './state.ts';

const PROBLEM_TEXT: Record<string, string> = {
  baseUrl: '--url must be https://host[:port][/prefix] with no user, query or fragment',
  institution: '--institution must be letters, digits, _ or - (the path segment Dukcapil assigned)',
  caPem: '--ca must be a PEM CA certificate (basicConstraints CA:TRUE)',
  spkiSha256: '--spki-pin must be the base64 SHA-256 of the server public key (44 characters ending in =)',
};

function endpointOf(config: KioskConfig, caPem: string): UplinkEndpoint {
  const u = config.uplink;
  return {
    baseUrl: u.baseUrl ?? '',
    institution: u.institution,
    keyCasing: u.keyCasing,
    method: u.method,
    verifyThreshold: u.verifyThreshold,
    caPem,
    ...(u.spkiSha256 ? { spkiSha256: u.spkiSha256 } : {}),
    connectTimeoutMs: u.connectTimeoutMs,
    totalTimeoutMs: u.totalTimeoutMs,
  };
}

export function setUplink(ctx: CommandContext, o: { url: string; institution: string; ca: string; spkiPin?: string }): Outcome {
  const l = ctx.layout;
  let caPem: string;
  try {
    caPem = readFileSync(o.ca, 'utf8');
  } catch {
    throw badInput(`--ca ${o.ca} cannot be read`);
  }
  const config = loadConfigFile(l);
  requireActive(config);
  config.uplink = { ...config.uplink, baseUrl: o.url, institution: o.institution, caFile: l.uplinkCaFile };
  if (o.spkiPin !== undefined) config.uplink.spkiSha256 = o.spkiPin;
  else delete config.uplink.spkiSha256;
  // The firewall allows the uplink by address (it loads before DNS works, and a name could resolve
  // anywhere): a name is refused here rather than becoming a rule set that allows nothing.
  const host = (() => {
    try {
      return new URL(o.url).hostname.replace(/^\[|\]$/g, '');
    } catch {
      return '';
    }
  })();
  if (host !== '' && isIP(host) === 0) {
    throw badInput(
      `--url must name the endpoint by IP address, not "${host}": the egress firewall allows an address; look the name up once and check it with Disdukcapil`,
    );
  }
  try {
    resolveTarget(endpointOf(config, caPem));
  } catch (e) {
    if (e instanceof UplinkConfigError) throw badInput(PROBLEM_TEXT[e.problem] ?? `uplink setting ${e.problem} is not valid`);
    throw e;
  }
  checkConfig(config);
  writeFileAtomic(l.uplinkCaFile, caPem, MODES.config);
  saveConfigFile(l, config);
  const firewall = reloadFirewall(ctx);
  return {
    data: { baseUrl: o.url, institution: o.institution, caFile: l.uplinkCaFile, spkiPinned: o.spkiPin !== undefined, firewall },
    lines: [
      `uplink: ${o.url} (institution ${o.institution}), CA pinned in ${l.uplinkCaFile}`,
      firewall,
      'next: `anjungan-provision uplink test`',
    ],
  };
}

/** A TLS handshake with full verification against the pinned CA: no request, no quota spent. */
export async function testUplink(ctx: CommandContext): Promise<Outcome> {
  const config = loadConfigFile(ctx.layout);
  const { baseUrl, caFile } = config.uplink;
  if (!baseUrl || !caFile) throw wrongState('no uplink is set: run `anjungan-provision uplink set` first');
  const ok = await handshake(config);
  return {
    data: { baseUrl, handshake: ok ? 'ok' : 'failed' },
    lines: [
      ok
        ? `uplink ${baseUrl}: TLS handshake ok, certificate chains to the pinned CA (no request sent)`
        : `uplink ${baseUrl}: TLS handshake FAILED: check the network path, the URL and that --ca is the CA that signed the server certificate`,
    ],
    ...(ok ? {} : { exitCode: EXIT.checkFailed }),
  };
}

export async function handshake(config: KioskConfig): Promise<boolean> {
  const endpoint = endpointOf(config, readFileSync(config.uplink.caFile!, 'utf8'));
  const transport = createTransport(
    resolveTarget(endpoint),
    { caPem: endpoint.caPem, ...(endpoint.spkiSha256 ? { spkiSha256: endpoint.spkiSha256 } : {}) },
    { connectTimeoutMs: endpoint.connectTimeoutMs, totalTimeoutMs: endpoint.totalTimeoutMs },
  );
  try {
    return await transport.handshake();
  } finally {
    transport.close();
  }
}
