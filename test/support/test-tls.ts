/**
 * A test CA and a server certificate for 127.0.0.1 signed by it, made by openssl in a temporary
 * folder: what a technician installs for the staff LAN listener, and the CA a client pins.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { checkServerIdentity } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestTls {
  dir: string;
  caPem: string;
  certFile: string;
  keyFile: string;
  /** A second, unrelated key: installed with the certificate it is not the key of. */
  otherKeyFile: string;
}

/** `serverKey`: the server certificate's key type (a technician's office CA may issue RSA). */
export function makeTestTls(t: { teardown(f: () => void): void }, tag = 'anj14a-tls', serverKey: 'ec' | 'rsa' = 'ec'): TestTls {
  const dir = mkdtempSync(join(tmpdir(), `${tag}-`));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  ssl(
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=anjungan test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign',
  );
  const keyOptions = serverKey === 'rsa' ? ['rsa:2048'] : ['ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
  ssl('req', '-newkey', ...keyOptions, '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  ssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '2',
    '-extfile',
    'ext.cnf',
  );
  ssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'other.key');
  return {
    dir,
    caPem: readFileSync(join(dir, 'ca.pem'), 'utf8'),
    certFile: join(dir, 'server.pem'),
    keyFile: join(dir, 'server.key'),
    otherKeyFile: join(dir, 'other.key'),
  };
}

export interface HttpsReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json(): Record<string, unknown>;
}

/** One HTTPS request to 127.0.0.1:port, the server certificate verified against `caPem`. */
export function httpsRequest(
  port: number,
  caPem: string,
  opts: { method?: string; path: string; headers?: Record<string, string>; body?: unknown; localAddress?: string },
): Promise<HttpsReply> {
  const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: opts.method ?? 'GET',
        path: opts.path,
        ca: caPem,
        // The certificate names 127.0.0.1 whatever Host header a test sends.
        checkServerIdentity: (_host, cert) => checkServerIdentity('127.0.0.1', cert),
        agent: false,
        ...(opts.localAddress ? { localAddress: opts.localAddress } : {}),
        headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...opts.headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: text,
            json: () => JSON.parse(text) as Record<string, unknown>,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
