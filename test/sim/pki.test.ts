/**
 * The simulators' throwaway PKI (device/sim/dukcapil/pki.ts) writes its certificates itself: they
 * are checked here by what checks them in use, OpenSSL (the openssl CLI and Node's TLS), not by
 * our own reading of them.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { promisify } from 'node:util';
import t from 'tap';
import { foreignCertificate, generateTestPki } from '../../device/sim/dukcapil/pki.ts';

const hosts = { ips: ['127.0.0.1', '::1'], dnsNames: ['localhost'] };

async function openssl(args: string[]): Promise<{ ok: boolean; out: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)('openssl', args);
    return { ok: true, out: stdout + stderr };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    return { ok: false, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

t.test('openssl verifies the server certificate against the CA, strictly, for each host', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pki-test-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const pki = await generateTestPki('Test CA', hosts);
  const foreign = foreignCertificate('Unrelated CA', hosts);
  const file = (name: string, pem: string) => (writeFileSync(join(dir, name), pem), join(dir, name));
  const ca = file('ca.pem', pki.caPem);
  const server = file('server.pem', pki.serverCertPem);
  const other = file('foreign.pem', foreign.serverCertPem);
  const strict = ['verify', '-x509_strict', '-purpose', 'sslserver', '-CAfile', ca];
  for (const ip of hosts.ips) t.ok((await openssl([...strict, '-verify_ip', ip, server])).ok, `valid for ${ip}`);
  t.ok((await openssl([...strict, '-verify_hostname', 'localhost', server])).ok, 'valid for localhost');
  t.notOk((await openssl([...strict, '-verify_ip', '10.0.0.1', server])).ok, 'not for another address');
  t.notOk((await openssl([...strict, other])).ok, 'the foreign certificate is not of the pinned CA');
  t.ok(
    (await openssl(['verify', '-x509_strict', '-CAfile', other, '-verify_ip', '127.0.0.1', other])).ok,
    'it is a CA of its own for the hosts',
  );

  const text = (await openssl(['x509', '-noout', '-text', '-in', server])).out;
  t.match(text, /Version: 3/);
  t.match(text, /Signature Algorithm: ecdsa-with-SHA256/);
  t.match(text, /Issuer: O = anjungan test only, CN = Test CA/);
  t.match(text, /Subject: O = anjungan test only, CN = dukcapil-simulator/);
  t.match(text, /ASN1 OID: prime256v1/);
  t.match(text, /Basic Constraints: critical\s+CA:FALSE/);
  t.match(text, /Key Usage: critical\s+Digital Signature\n/);
  t.match(text, /Extended Key Usage:\s+TLS Web Server Authentication/);
  t.match(text, /IP Address:127\.0\.0\.1, IP Address:0:0:0:0:0:0:0:1, DNS:localhost/);
  const caText = (await openssl(['x509', '-noout', '-text', '-in', ca])).out;
  t.match(caText, /Basic Constraints: critical\s+CA:TRUE/);
  t.match(caText, /Key Usage: critical\s+Certificate Sign, CRL Sign\n/);
  const dates = (await openssl(['x509', '-noout', '-startdate', '-enddate', '-in', server])).out;
  const [start, end] = [...dates.matchAll(/=(.+)/g)].map((m) => Date.parse(m[1]!));
  t.ok(Math.abs(start! - Date.now()) < 60_000, 'valid from now');
  t.equal(end! - start!, 2 * 86_400_000, 'for two days');
});

t.test('a TLS client pinning the CA talks to a server with the certificate; one pinning another CA does not', async (t) => {
  const pki = await generateTestPki('Test CA', hosts);
  const other = await generateTestPki('Test CA', hosts);
  t.not(other.caPem, pki.caPem, 'every PKI has keys of its own');
  const server = createServer({ key: pki.serverKeyPem, cert: pki.serverCertPem }, (_req, res) => res.end('ok'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => server.close());
  const port = (server.address() as { port: number }).port;
  const handshake = (ca: string, servername?: string) =>
    new Promise<string>((resolve) => {
      const s = connect({ host: '127.0.0.1', port, ca, ...(servername ? { servername } : {}) }, () => (s.end(), resolve('ok')));
      s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    });
  t.equal(await handshake(pki.caPem), 'ok', 'verified by IP address');
  t.equal(await handshake(pki.caPem, 'localhost'), 'ok', 'verified by name');
  t.equal(await handshake(other.caPem), 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'another CA is refused');
  t.equal(await handshake(pki.caPem, 'example.test'), 'ERR_TLS_CERT_ALTNAME_INVALID', 'another name is refused');
});
