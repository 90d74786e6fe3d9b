/**
 * A throwaway PKI for the Dukcapil and data balikan simulators, made in memory at start: a test
 * CA (EC P-256) and a server certificate for the simulator's hosts signed by it. Keys exist only
 * in memory. The CA PEM is what a client pins.
 *
 * The certificates are X.509 v3 written here (DER) and signed with node:crypto: Node 20 can sign
 * but has no API that writes a certificate. They used to be made by the openssl CLI, whose
 * process starts (and the fork of the daemon to run them) were ~0.1 s of CPU of every demo
 * start, ~0.3 s on a Pi-class CPU (#25, docs/boot-time.md). What checks them is still OpenSSL:
 * the kiosk's TLS client verifies the server's chain against the pinned CA
 * (test/sim/pki.test.ts has openssl itself verify and read them).
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { encodeConstructed } from '../../card/tlv.ts';

export interface TestPki {
  caPem: string;
  serverCertPem: string;
  serverKeyPem: string;
}

interface Hosts {
  ips: string[];
  dnsNames: string[];
}

const VALID_DAYS = 2;

// DER: tag, definite length, contents (the card's TLV encoder writes the same minimal lengths).
const der = (tag: number, ...contents: Buffer[]): Buffer => Buffer.from(encodeConstructed(tag, contents));
const sequence = (...items: Buffer[]) => der(0x30, ...items);
const set = (...items: Buffer[]) => der(0x31, ...items);
const explicit = (n: number, item: Buffer) => der(0xa0 + n, item);
const utf8 = (s: string) => der(0x0c, Buffer.from(s, 'utf8'));
const bitString = (bytes: Buffer, unusedBits = 0) => der(0x03, Buffer.from([unusedBits]), bytes);
const octetString = (bytes: Buffer) => der(0x04, bytes);
const TRUE = der(0x01, Buffer.from([0xff]));

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number) as [number, number, ...number[]];
  const bytes = [a * 40 + b];
  for (const arc of rest) {
    const groups = [arc & 0x7f];
    for (let v = arc >>> 7; v > 0; v >>>= 7) groups.unshift((v & 0x7f) | 0x80);
    bytes.push(...groups);
  }
  return der(0x06, Buffer.from(bytes));
}

/** A positive INTEGER from unsigned big-endian bytes. */
function unsignedInteger(bytes: Buffer): Buffer {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const trimmed = bytes.subarray(i);
  return der(0x02, trimmed[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

/** UTCTime until 2049, GeneralizedTime after (RFC 5280 4.1.2.5), to the second. */
function time(d: Date): Buffer {
  const s = d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
  return d.getUTCFullYear() < 2050 ? der(0x17, Buffer.from(s.slice(2), 'ascii')) : der(0x18, Buffer.from(s, 'ascii'));
}

/**
 * An IP address's bytes. Not with node:net's isIPv6: its first call compiles a regular expression
 * that cost more than the whole PKI (~6 ms of a start).
 */
function ipBytes(ip: string): Buffer {
  const v4 = ip.split('.');
  if (v4.length === 4 && v4.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255)) return Buffer.from(v4.map(Number));
  const halves = ip.split('::');
  const groups = halves.map((h) => (h ? h.split(':') : []));
  const count = groups.flat().length;
  const valid = groups.flat().every((g) => /^[0-9a-f]{1,4}$/i.test(g));
  if (halves.length > 2 || !valid || (halves.length === 1 ? count !== 8 : count > 7)) {
    throw new TypeError(`not an IP address for a test certificate: ${ip}`);
  }
  const [head = [], tail = []] = groups;
  const all = [...head, ...new Array<string>(8 - count).fill('0'), ...tail];
  const out = Buffer.alloc(16);
  all.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}

const ECDSA_WITH_SHA256 = sequence(oid('1.2.840.10045.4.3.2'));
const name = (cn: string) => sequence(set(sequence(oid('2.5.4.10'), utf8('anjungan test only'))), set(sequence(oid('2.5.4.3'), utf8(cn))));
const extension = (id: string, critical: boolean, value: Buffer) => sequence(oid(id), ...(critical ? [TRUE] : []), octetString(value));

const subjectAltName = (hosts: Hosts) =>
  extension(
    '2.5.29.17',
    false,
    sequence(...hosts.ips.map((ip) => der(0x87, ipBytes(ip))), ...hosts.dnsNames.map((d) => der(0x82, Buffer.from(d, 'ascii')))),
  );
const caBasicConstraints = extension('2.5.29.19', true, sequence(TRUE));
// keyUsage bits: digitalSignature (0); keyCertSign (5) and cRLSign (6).
const caKeyUsage = extension('2.5.29.15', true, bitString(Buffer.from([0x06]), 1));
const serverExtensions = [
  extension('2.5.29.19', true, sequence()),
  extension('2.5.29.15', true, bitString(Buffer.from([0x80]), 7)),
  extension('2.5.29.37', false, sequence(oid('1.3.6.1.5.5.7.3.1'))),
];

interface Party {
  cn: string;
  privateKey: KeyObject;
  /** The public key as SubjectPublicKeyInfo (DER), exported once: each export is a search through OpenSSL's encoders. */
  spki: Buffer;
}

function newParty(cn: string): Party {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return { cn, privateKey, spki: publicKey.export({ type: 'spki', format: 'der' }) };
}

/** The SHA-1 of the public key's bits (RFC 5280 4.2.1.2, method 1); the P-256 SPKI ends with its 65-byte uncompressed point. */
const keyIdentifier = (p: Party): Buffer =>
  createHash('sha1')
    .update(p.spki.subarray(p.spki.length - 65))
    .digest();

/** A certificate for `subject`, signed by `issuer` (the same party for a self-signed one). */
function certificate(subject: Party, issuer: Party, extensions: Buffer[]): string {
  const now = Date.now();
  const tbs = sequence(
    explicit(0, der(0x02, Buffer.from([2]))),
    unsignedInteger(randomBytes(16)),
    ECDSA_WITH_SHA256,
    name(issuer.cn),
    sequence(time(new Date(now)), time(new Date(now + VALID_DAYS * 86_400_000))),
    name(subject.cn),
    subject.spki,
    explicit(
      3,
      sequence(
        ...extensions,
        extension('2.5.29.14', false, octetString(keyIdentifier(subject))),
        extension('2.5.29.35', false, sequence(der(0x80, keyIdentifier(issuer)))),
      ),
    ),
  );
  const signature = sign('sha256', tbs, issuer.privateKey);
  const body = sequence(tbs, ECDSA_WITH_SHA256, bitString(signature)).toString('base64');
  return `-----BEGIN CERTIFICATE-----\n${body.replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END CERTIFICATE-----\n`;
}

const keyPem = (p: Party) => p.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;

function testPki(caName: string, hosts: Hosts): TestPki {
  const ca = newParty(caName);
  const server = newParty('dukcapil-simulator');
  return {
    caPem: certificate(ca, ca, [caBasicConstraints, caKeyUsage]),
    serverCertPem: certificate(server, ca, [subjectAltName(hosts), ...serverExtensions]),
    serverKeyPem: keyPem(server),
  };
}

export function generateTestPki(caName: string, hosts: Hosts): Promise<TestPki> {
  return Promise.resolve().then(() => testPki(caName, hosts));
}

/**
 * A server certificate for `hosts` from a CA no client pins: a CA certificate of its own,
 * presented as the server's (the foreign-certificate fault); its `caPem` is the certificate itself.
 */
export function foreignCertificate(foreignCaName: string, hosts: Hosts): TestPki {
  const foreign = newParty(foreignCaName);
  const certPem = certificate(foreign, foreign, [caBasicConstraints, subjectAltName(hosts)]);
  return { caPem: certPem, serverCertPem: certPem, serverKeyPem: keyPem(foreign) };
}
