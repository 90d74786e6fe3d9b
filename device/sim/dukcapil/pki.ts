/**
 * A throwaway PKI for the Dukcapil simulator, made with the openssl CLI at start: a test CA and
 * a server certificate for 127.0.0.1/localhost signed by it. Keys exist only in memory once
 * generated; the temporary folder is removed. The CA PEM is what a client pins.
 *
 * Each openssl run costs a process start, which on a Pi-class CPU is most of the simulator's
 * share of the daemon's start (#25): the server certificate is made and signed in one run
 * (`req -x509 -CA`, OpenSSL 3), and a certificate from another CA is one self-signed run. The
 * runs of one PKI go through one shell: a process started by the daemon costs it a fork of its
 * whole address space (~10 ms of CPU each), one started by a shell costs little.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

const shellWord = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

/** The openssl runs one after another in one shell, which stops at the first that fails. */
async function runOpenssl(runs: string[][]): Promise<void> {
  const script = ['set -e', ...runs.map((args) => ['openssl', ...args].map(shellWord).join(' '))].join('\n');
  await run('/bin/sh', ['-c', script]);
}

export interface TestPki {
  caPem: string;
  serverCertPem: string;
  serverKeyPem: string;
}

interface Hosts {
  ips: string[];
  dnsNames: string[];
}

const NEW_EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
const CA_EXTENSIONS = ['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'];

const subjectAltName = (hosts: Hosts) =>
  `subjectAltName=${[...hosts.ips.map((ip) => `IP:${ip}`), ...hosts.dnsNames.map((d) => `DNS:${d}`)].join(',')}`;

function serverExtensions(hosts: Hosts): string[] {
  const extensions = [
    subjectAltName(hosts),
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature',
    'extendedKeyUsage=serverAuth',
  ];
  return extensions.flatMap((e) => ['-addext', e]);
}

async function inTemporaryFolder<T>(work: (path: (file: string) => string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'dukcapil-sim-pki-'));
  try {
    return await work((f) => join(dir, f));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** openssl's arguments for a test CA (`ca.key`, `ca.pem`) and a server certificate it signs (`server.key`, `server.pem`). */
function testPkiRuns(caName: string, hosts: Hosts, p: (file: string) => string): string[][] {
  const subject = (cn: string) => ['-subj', `/O=anjungan test only/CN=${cn}`, '-days', '2'];
  return [
    ['req', '-x509', ...NEW_EC_KEY, '-keyout', p('ca.key'), '-out', p('ca.pem'), ...subject(caName), ...CA_EXTENSIONS],
    [
      'req',
      '-x509',
      ...NEW_EC_KEY,
      '-keyout',
      p('server.key'),
      '-out',
      p('server.pem'),
      ...subject('dukcapil-simulator'),
      '-CA',
      p('ca.pem'),
      '-CAkey',
      p('ca.key'),
      ...serverExtensions(hosts),
    ],
  ];
}

async function readTestPki(p: (file: string) => string): Promise<TestPki> {
  const [caPem, serverCertPem, serverKeyPem] = await Promise.all([
    readFile(p('ca.pem'), 'utf8'),
    readFile(p('server.pem'), 'utf8'),
    readFile(p('server.key'), 'utf8'),
  ]);
  return { caPem, serverCertPem, serverKeyPem };
}

/** openssl's arguments for a self-signed CA certificate for the hosts (`foreign.key`, `foreign.pem`). */
function foreignRun(caName: string, hosts: Hosts, p: (file: string) => string): string[] {
  return [
    'req',
    '-x509',
    ...NEW_EC_KEY,
    '-keyout',
    p('foreign.key'),
    '-out',
    p('foreign.pem'),
    '-subj',
    `/O=anjungan test only/CN=${caName}`,
    '-days',
    '2',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    subjectAltName(hosts),
  ];
}

export function generateTestPki(caName: string, hosts: Hosts): Promise<TestPki> {
  return inTemporaryFolder(async (p) => {
    await runOpenssl(testPkiRuns(caName, hosts, p));
    return readTestPki(p);
  });
}

/**
 * The test PKI and a server certificate for the same hosts from a CA no client pins: a CA
 * certificate of its own, presented as the server's (the foreign-certificate fault); its
 * `caPem` is the certificate itself. Made in one shell with the test PKI.
 */
export function generateTestPkiAndForeignCertificate(
  caName: string,
  foreignCaName: string,
  hosts: Hosts,
): Promise<{ pki: TestPki; foreign: TestPki }> {
  return inTemporaryFolder(async (p) => {
    await runOpenssl([...testPkiRuns(caName, hosts, p), foreignRun(foreignCaName, hosts, p)]);
    const [pki, certPem, keyPem] = await Promise.all([
      readTestPki(p),
      readFile(p('foreign.pem'), 'utf8'),
      readFile(p('foreign.key'), 'utf8'),
    ]);
    return { pki, foreign: { caPem: certPem, serverCertPem: certPem, serverKeyPem: keyPem } };
  });
}
