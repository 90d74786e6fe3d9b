/**
 * Who may talk to the kiosk's HTTP edge. DNS rebinding is answered by the Host allowlist: a
 * page from attacker.example whose name was re-pointed at 127.0.0.1 still sends its own name as
 * Host. Cross-site requests are answered by the Origin check: a browser names the page's origin
 * on every POST and WebSocket upgrade, and only the kiosk's own page may change the screen or
 * read the stream. A request with no Origin cannot come from a browser page; it is let through
 * only from loopback, where the only such clients are the technician's tools and the tests on
 * the device itself.
 */
import type { IncomingHttpHeaders } from 'node:http';

export interface EdgeAddress {
  /** The configured listen host: loopback for the kiosk listener, the LAN address for the staff LAN listener. */
  host: string;
  /** The port the server listens on. */
  port: number;
  /** Served over HTTPS (the staff LAN listener): pages' origins are https:, the default port 443. */
  tls?: boolean;
}

export type EdgeRefusal = 'foreignHost' | 'duplicateHost' | 'foreignOrigin' | 'missingOrigin';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

function allowedHosts(address: EdgeAddress): Set<string> {
  const name = address.host.includes(':') && !address.host.startsWith('[') ? `[${address.host}]` : address.host;
  const names = new Set([name.toLowerCase(), ...LOOPBACK_NAMES]);
  names.delete('0.0.0.0');
  names.delete('[::]');
  const withPort = [...names].map((n) => `${n}:${address.port}`);
  // A browser leaves the default port out of Host.
  return new Set(address.port === defaultPort(address) ? [...withPort, ...names] : withPort);
}

const defaultPort = (address: EdgeAddress) => (address.tls ? 443 : 80);

export function isLoopback(remoteAddress: string | undefined): boolean {
  return remoteAddress === '127.0.0.1' || remoteAddress === '::1' || remoteAddress === '::ffff:127.0.0.1';
}

/**
 * Checks one request against the allowlists; null when it may pass. `changesState` is true for
 * POST/DELETE and for the WebSocket upgrade (the stream carries personal data). `hostLines`: how
 * many Host headers were sent; Node keeps only the first, and a proxy or cache in between may
 * take another, so more than one is refused (RFC 9112 §3.2).
 */
export function refuseAtEdge(
  headers: IncomingHttpHeaders,
  remoteAddress: string | undefined,
  address: EdgeAddress,
  changesState: boolean,
  hostLines = 1,
): EdgeRefusal | null {
  if (hostLines > 1) return 'duplicateHost';
  const hosts = allowedHosts(address);
  const host = headers.host?.toLowerCase();
  if (host === undefined || !hosts.has(host)) return 'foreignHost';
  if (!changesState) return null;
  const origin = headers.origin;
  // The staff LAN listener (tls) serves browsers only: the device's own tools use loopback HTTP.
  if (origin === undefined) return isLoopback(remoteAddress) && !address.tls ? null : 'missingOrigin';
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return 'foreignOrigin';
  }
  const scheme = address.tls ? 'https:' : 'http:';
  if (parsed.protocol !== scheme || `${parsed.protocol}//${parsed.host}` !== origin.toLowerCase()) return 'foreignOrigin';
  // URL drops a default port; the kiosk's own page always names its port.
  const originHost = parsed.port === '' ? `${parsed.hostname}:${defaultPort(address)}` : parsed.host;
  return hosts.has(originHost.toLowerCase()) ? null : 'foreignOrigin';
}
