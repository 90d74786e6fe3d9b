/**
 * A throwaway PKI for the Dukcapil simulator, made with the openssl CLI at start: a test CA and
 * a server certificate for 127.0.0.1/localhost signed by it. Keys exist only in memory once
 * generated; the temporary folder is removed. The CA PEM is what a client pins.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestPki {
  caPem: string;
  serverCertPem: string;
  serverKeyPem: string;
}

export async function generateTestPki(caName: string, hosts: { ips: string[]; dnsNames: string[] }): Promise<TestPki> {
  const dir = await mkdtemp(join(tmpdir(), 'dukcapil-sim-pki-'));
  try {
    const p = (f: string) => join(dir, f);
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    await run('openssl', [
      'req',
      '-x509',
      ...ec,
      '-keyout',
      p('ca.key'),
      '-out',
      p('ca.pem'),
      '-days',
      '2',
      '-subj',
      `/O=anjungan test only/CN=${caName}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    await run('openssl', [
      'req',
      ...ec,
      '-keyout',
      p('server.key'),
      '-out',
      p('server.csr'),
      '-subj',
      '/O=anjungan test only/CN=dukcapil-simulator',
    ]);
    const san = [...hosts.ips.map((ip) => `IP:${ip}`), ...hosts.dnsNames.map((d) => `DNS:${d}`)].join(',');
    await writeFile(
      p('server.ext'),
      `subjectAltName=${san}\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n`,
    );
    await run('openssl', [
      'x509',
      '-req',
      '-in',
      p('server.csr'),
      '-CA',
      p('ca.pem'),
      '-CAkey',
      p('ca.key'),
      '-CAcreateserial',
      '-out',
      p('server.pem'),
      '-days',
      '2',
      '-extfile',
      p('server.ext'),
    ]);
    const [caPem, serverCertPem, serverKeyPem] = await Promise.all([
      readFile(p('ca.pem'), 'utf8'),
      readFile(p('server.pem'), 'utf8'),
      readFile(p('server.key'), 'utf8'),
    ]);
    return { caPem, serverCertPem, serverKeyPem };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
