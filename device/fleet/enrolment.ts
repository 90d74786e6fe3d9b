/**
 * The kiosk's side of enrolment (`anjungan-provision fleet join URL TOKEN`). The token is
 * `<secret>.<pin>`, the pin being the base64url SHA-256 of the fleet CA certificate: all a
 * technician in a hall carries is the token (no CA file to copy onto the kiosk).
 *
 * The pin is checked in the TLS handshake, before a byte of the request is written: the kiosk
 * opens a connection, and the certificate chain the server presents must lead from a server
 * certificate for the fleet's address, valid now, to a CA certificate whose SHA-256 is the pin
 * (each link's signature checked). Anything else (another CA, the real CA's certificate beside a
 * leaf it did not sign, another name) ends the connection with nothing sent. Only then does the
 * kiosk talk to the fleet, over TLS that Node verifies against that CA alone (FleetClient): it
 * sends the secret and a certificate request for a key it made itself, and gets back its client
 * certificate. The fleet presents its CA in its chain for this (fleet/server.ts).
 */
import { execFile } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import tls, { type DetailedPeerCertificate, type TLSSocket } from 'node:tls';
import { promisify } from 'node:util';
import { FleetClient } from './client.ts';

const run = promisify(execFile);

export class JoinRefused extends Error {
  override readonly name = 'JoinRefused';
  constructor(
    readonly code: 'tokenFormat' | 'unreachable' | 'caMismatch' | 'tokenRefused' | 'refused' | 'badAnswer',
    message: string,
  ) {
    super(message);
  }
}

export interface JoinResult {
  kioskId: string;
  site: string;
  certificatePem: string;
  caPem: string;
}

const TOKEN = /^([A-Za-z0-9_-]{20,64})\.([A-Za-z0-9_-]{43})$/;

/** A new P-256 key in `keyFile` (0600) and a certificate request for it; the key never leaves the kiosk. */
export async function createKeyAndRequest(keyFile: string): Promise<string> {
  const old = process.umask(0o077);
  try {
    await run('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', keyFile], { timeout: 15_000 });
  } finally {
    process.umask(old);
  }
  const { stdout } = await run('openssl', ['req', '-new', '-key', keyFile, '-subj', '/CN=anjungan kiosk'], { timeout: 15_000 });
  return stdout;
}

const pinOf = (der: Buffer) => createHash('sha256').update(der).digest('base64url');
/** id-kp-serverAuth. */
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';

/**
 * The peer's chain checked against the pin: a leaf for `host`, valid now, for server
 * authentication, signed (through at most a few intermediates) by the pinned CA. Returns the
 * pinned CA's PEM, or why not.
 */
export function chainToPin(socket: TLSSocket, host: string, pin: string, now = new Date()): { caPem: string } | { refused: string } {
  const peer = socket.getPeerCertificate(true) as DetailedPeerCertificate;
  if (!peer?.raw) return { refused: 'noCertificate' };
  const nameError = tls.checkServerIdentity(host, peer);
  if (nameError) return { refused: 'wrongName' };
  let cert = new X509Certificate(peer.raw);
  if (Date.parse(cert.validFrom) > now.getTime() || Date.parse(cert.validTo) < now.getTime()) return { refused: 'notValidNow' };
  if (cert.keyUsage !== undefined && !cert.keyUsage.includes(SERVER_AUTH)) return { refused: 'notForServers' };
  let link: DetailedPeerCertificate = peer;
  for (let depth = 0; depth < 4; depth++) {
    if (pinOf(cert.raw) === pin) return cert.ca ? { caPem: cert.toString() } : { refused: 'pinnedNotCa' };
    const up = link.issuerCertificate;
    if (!up?.raw || up === link) return { refused: 'pinNotInChain' };
    const issuer = new X509Certificate(up.raw);
    if (!issuer.ca || !cert.checkIssued(issuer) || !cert.verify(issuer.publicKey)) return { refused: 'brokenChain' };
    cert = issuer;
    link = up;
  }
  return { refused: 'pinNotInChain' };
}

/**
 * One handshake with the fleet address, checked against the pin before anything is written (the
 * CA is not known before it: Node cannot check this chain itself, so the check is ours, on the
 * 'secureConnect' of a connection nothing has been written to). Ends the connection either way.
 */
function pinnedCa(url: URL, pin: string, timeoutMs: number): Promise<{ caPem: string } | { refused: string }> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host,
      port: url.port === '' ? 443 : Number(url.port),
      ...(isIP(host) ? {} : { servername: host }),
      // Checked below against the pin instead; the socket is ended before anything is written.
      rejectUnauthorized: false,
      minVersion: 'TLSv1.2',
    });
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error('timeout')));
    socket.once('secureConnect', () => {
      let verdict: { caPem: string } | { refused: string };
      try {
        verdict = chainToPin(socket, host, pin);
      } catch {
        verdict = { refused: 'badCertificate' };
      }
      socket.destroy();
      resolve(verdict);
    });
    socket.once('error', reject);
  });
}

export async function joinFleet(fleetUrl: string, token: string, keyFile: string, timeoutMs = 15_000): Promise<JoinResult> {
  const m = TOKEN.exec(token.trim());
  if (!m) throw new JoinRefused('tokenFormat', 'the token is not one the fleet administrator issued (secret.pin)');
  const [, , pin] = m;
  let url: URL;
  try {
    url = new URL(fleetUrl);
  } catch {
    throw new JoinRefused('unreachable', 'the fleet URL is not a URL');
  }
  if (url.protocol !== 'https:') throw new JoinRefused('unreachable', 'the fleet URL must start with https://');
  let checked: { caPem: string } | { refused: string };
  try {
    checked = await pinnedCa(url, pin!, timeoutMs);
  } catch {
    throw new JoinRefused('unreachable', 'the fleet could not be reached at that URL');
  }
  if ('refused' in checked)
    throw new JoinRefused(
      'caMismatch',
      `the server at that URL is not the fleet the token was issued by (CA pin mismatch: ${checked.refused}); nothing was sent`,
    );
  const { caPem } = checked;
  const csr = await createKeyAndRequest(keyFile);
  const client = new FleetClient({ url: `${url.protocol}//${url.host}`, caPem, timeoutMs });
  try {
    const reply = await client.request('POST', '/api/enrol', { token: token.trim(), csr });
    if (!reply.ok) throw new JoinRefused('unreachable', `the fleet could not be reached (${reply.failure})`);
    const body = reply.body as Partial<JoinResult> & { error?: string };
    if (reply.status === 401)
      throw new JoinRefused('tokenRefused', 'the fleet refused the token: it is used, expired or unknown; ask for a new one');
    if (reply.status !== 200) throw new JoinRefused('refused', `the fleet refused the enrolment (${body.error ?? reply.status})`);
    if (typeof body.kioskId !== 'string' || typeof body.certificatePem !== 'string' || typeof body.site !== 'string')
      throw new JoinRefused('badAnswer', 'the fleet answered without a certificate');
    const cert = new X509Certificate(body.certificatePem);
    if (!cert.verify(new X509Certificate(caPem).publicKey))
      throw new JoinRefused('badAnswer', 'the certificate is not signed by the pinned fleet CA');
    return { kioskId: body.kioskId, site: body.site, certificatePem: body.certificatePem, caPem };
  } finally {
    client.close();
  }
}
