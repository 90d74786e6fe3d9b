/**
 * The fleet's certificate authority, with the openssl CLI as elsewhere in the project
 * (device/sim/dukcapil/pki.ts): `anjungan-fleet init` makes the CA and the server certificate;
 * enrolment signs a kiosk's certificate request. The kiosk makes its key itself and only its
 * request travels: the fleet never sees a kiosk's private key.
 *
 * A signed certificate takes nothing from the request but its public key: the subject is the
 * kiosk ID the fleet assigned, the extensions are fixed (client authentication only, no CA).
 */
import { createHash, createPublicKey, randomBytes, X509Certificate } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const OPENSSL_TIMEOUT_MS = 15_000;
const openssl = (args: string[], cwd?: string) => run('openssl', args, { timeout: OPENSSL_TIMEOUT_MS, ...(cwd ? { cwd } : {}) });

export interface FleetCa {
  caPem: string;
  caKeyFile: string;
}

/** SHA-256 of a certificate's DER, hex: how the fleet knows a kiosk's certificate. */
export function certificateSha256(pemOrDer: string | Buffer): string {
  const der = typeof pemOrDer === 'string' ? new X509Certificate(pemOrDer).raw : pemOrDer;
  return createHash('sha256').update(der).digest('hex');
}

/** Base64url SHA-256 of the CA certificate's DER: the pin an enrolment token carries. */
export function caPin(caPem: string): string {
  return createHash('sha256').update(new X509Certificate(caPem).raw).digest('base64url');
}

/** Makes the CA and a server certificate for `hosts` (IP literals and names) in `dir`. */
export async function createFleetPki(dir: string, hosts: { ips: string[]; dnsNames: string[] }, days = 825): Promise<void> {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await openssl(
    [
      'req',
      '-x509',
      ...ec,
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      String(days + 365),
      '-subj',
      '/O=Badan Keuangan Daerah/CN=anjungan fleet CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE,pathlen:0',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
  await openssl(['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/O=Badan Keuangan Daerah/CN=anjungan fleet'], dir);
  const san = [...hosts.ips.map((ip) => `IP:${ip}`), ...hosts.dnsNames.map((d) => `DNS:${d}`)].join(',');
  await writeFile(
    join(dir, 'server.ext'),
    `subjectAltName=${san}\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n`,
  );
  await openssl(
    [
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-set_serial',
      `0x${randomBytes(16).toString('hex')}`,
      '-days',
      String(days),
      '-extfile',
      'server.ext',
      '-out',
      'server.pem',
    ],
    dir,
  );
  await rm(join(dir, 'server.csr'));
  await rm(join(dir, 'server.ext'));
}

export class CsrRefused extends Error {
  override readonly name = 'CsrRefused';
  constructor(readonly problem: 'format' | 'signature' | 'keyType') {
    super(`certificate request refused: ${problem}`);
  }
}

const CSR_PEM = /^-----BEGIN CERTIFICATE REQUEST-----\r?\n[A-Za-z0-9+/=\r\n]{64,3000}-----END CERTIFICATE REQUEST-----\r?\n?$/;

/**
 * Signs a kiosk's certificate request (PEM, P-256 key, valid self-signature) with the fleet CA:
 * subject CN = kioskId, client authentication only, `days` valid.
 */
export async function signKioskCertificate(ca: FleetCa, csrPem: string, kioskId: string, days: number): Promise<string> {
  if (!CSR_PEM.test(csrPem)) throw new CsrRefused('format');
  const dir = await mkdtemp(join(tmpdir(), 'anjungan-fleet-csr-'));
  try {
    await writeFile(join(dir, 'kiosk.csr'), csrPem, { mode: 0o600 });
    try {
      await openssl(['req', '-in', 'kiosk.csr', '-verify', '-noout'], dir);
    } catch {
      throw new CsrRefused('signature');
    }
    const { stdout: publicKeyPem } = await openssl(['req', '-in', 'kiosk.csr', '-pubkey', '-noout'], dir);
    const key = createPublicKey(publicKeyPem);
    if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') throw new CsrRefused('keyType');
    await writeFile(
      join(dir, 'kiosk.ext'),
      'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n',
    );
    await writeFile(join(dir, 'ca.pem'), ca.caPem);
    await openssl(
      [
        'x509',
        '-req',
        '-in',
        'kiosk.csr',
        '-CA',
        'ca.pem',
        '-CAkey',
        ca.caKeyFile,
        '-set_serial',
        `0x${randomBytes(16).toString('hex')}`,
        '-days',
        String(days),
        '-extfile',
        'kiosk.ext',
        '-subj',
        `/CN=${kioskId}`,
        '-out',
        'kiosk.pem',
      ],
      dir,
    );
    return await readFile(join(dir, 'kiosk.pem'), 'utf8');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
