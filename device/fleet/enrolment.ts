/**
 * The kiosk's side of enrolment (`anjungan-provision fleet join URL TOKEN`). The token is
 * `<secret>.<pin>`, the pin being the base64url SHA-256 of the fleet CA certificate. The kiosk
 * fetches the CA, keeps it only if it matches the pin, and from then on talks to the fleet over
 * TLS verified against it: it sends the secret and a certificate request for a key it made
 * itself, and gets back its client certificate.
 */
import { execFile } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import https from 'node:https';
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

/** The CA the fleet serves, read without trusting it: it is trusted only if it matches the pin. */
function fetchCa(url: URL, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = https.get(
      {
        host: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port || 443,
        path: '/api/enrol/ca',
        rejectUnauthorized: false,
        agent: false,
        headers: { host: url.host },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
          if (text.length > 16_384) req.destroy();
        });
        res.on('end', () => resolve(text));
        res.on('error', reject);
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
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
  let caPem: string;
  try {
    caPem = await fetchCa(url, timeoutMs);
  } catch {
    throw new JoinRefused('unreachable', 'the fleet could not be reached at that URL');
  }
  let matches = false;
  try {
    const ca = new X509Certificate(caPem);
    matches = ca.ca && createHash('sha256').update(ca.raw).digest('base64url') === pin;
  } catch {
    matches = false;
  }
  if (!matches) throw new JoinRefused('caMismatch', 'the server at that URL is not the fleet the token was issued by (CA pin mismatch)');
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
