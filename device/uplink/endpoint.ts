/**
 * Configuration of the one Dukcapil endpoint the kiosk may talk to, and its validation. The
 * closed network (jaringan tertutup) allows exactly one host and port; everything about the
 * request target is fixed here, once, and never derived from a response.
 */
import { X509Certificate } from 'node:crypto';

export interface UplinkEndpoint {
  /** `https://host:port[/prefix]`; the client appends `/dukcapil/get_json/{institution}/{method}`. */
  baseUrl: string;
  /** Path segment naming our institution in the Dukcapil URL. */
  institution: string;
  /** Deployments differ: `NIK`/`IP_USER` (upper) or `nik`/`ip_user` (lower). */
  keyCasing: 'upper' | 'lower';
  method: 'CALL_NIK' | 'CALL_VERIFY_BY_ELEMEN';
  /** Minimum "Sesuai (NN)" score, 0-100, sent as TRESHOLD (sic) and applied to the answer. */
  verifyThreshold: number;
  /** The pinned CA (PEM). Only certificates chaining to it are accepted; there is no off switch. */
  caPem: string;
  /** Optional pin of the server's public key: base64 SHA-256 of its DER SubjectPublicKeyInfo. */
  spkiSha256?: string;
  connectTimeoutMs: number;
  totalTimeoutMs: number;
}

/** The User ID Dukcapil issued to BKD. Confidential: never logged, shown or put in an error. */
export interface DukcapilCredentials {
  userId: string;
  password: string;
  ipUser: string;
}

export type UplinkConfigProblem =
  'baseUrl' | 'institution' | 'keyCasing' | 'method' | 'verifyThreshold' | 'caPem' | 'spkiSha256' | 'timeouts' | 'credentials';

/** A configuration the client refuses to run with. The message names the setting, never its value. */
export class UplinkConfigError extends Error {
  override readonly name = 'UplinkConfigError';
  constructor(readonly problem: UplinkConfigProblem) {
    super(`uplink configuration invalid: ${problem}`);
  }
}

/** Where requests go, resolved once from the configuration. */
export interface UplinkTarget {
  host: string;
  port: number;
  /** Hostname for SNI and certificate checks (brackets stripped from IPv6 literals). */
  hostname: string;
  pathFor(method: UplinkEndpoint['method']): string;
}

const PATH_SEGMENT = /^[A-Za-z0-9_.-]+$/;

export function resolveTarget(endpoint: UplinkEndpoint): UplinkTarget {
  let url: URL;
  try {
    url = new URL(endpoint.baseUrl);
  } catch {
    throw new UplinkConfigError('baseUrl');
  }
  // Userinfo, query and fragment have no place in a fixed endpoint; refusing them avoids ambiguity.
  if (url.protocol !== 'https:' || url.username || url.password || url.search || url.hash) {
    throw new UplinkConfigError('baseUrl');
  }
  if (!PATH_SEGMENT.test(endpoint.institution) || endpoint.institution === '.' || endpoint.institution === '..') {
    throw new UplinkConfigError('institution');
  }
  if (endpoint.keyCasing !== 'upper' && endpoint.keyCasing !== 'lower') throw new UplinkConfigError('keyCasing');
  if (endpoint.method !== 'CALL_NIK' && endpoint.method !== 'CALL_VERIFY_BY_ELEMEN') throw new UplinkConfigError('method');
  const t = endpoint.verifyThreshold;
  if (!Number.isInteger(t) || t < 0 || t > 100) throw new UplinkConfigError('verifyThreshold');
  if (!isPositiveTimeout(endpoint.connectTimeoutMs) || !isPositiveTimeout(endpoint.totalTimeoutMs)) {
    throw new UplinkConfigError('timeouts');
  }
  if (endpoint.connectTimeoutMs > endpoint.totalTimeoutMs) throw new UplinkConfigError('timeouts');
  try {
    const ca = new X509Certificate(endpoint.caPem);
    if (!ca.ca) throw new UplinkConfigError('caPem');
  } catch {
    throw new UplinkConfigError('caPem');
  }
  if (endpoint.spkiSha256 !== undefined && !/^[A-Za-z0-9+/]{43}=$/.test(endpoint.spkiSha256)) {
    throw new UplinkConfigError('spkiSha256');
  }
  const port = url.port === '' ? 443 : Number(url.port);
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const prefix = url.pathname.replace(/\/+$/, '');
  const institution = endpoint.institution;
  return {
    host: hostname,
    port,
    hostname,
    pathFor: (method) => `${prefix}/dukcapil/get_json/${institution}/${method}`,
  };
}

export function checkCredentials(c: DukcapilCredentials): void {
  const ok = (s: unknown) => typeof s === 'string' && s.length > 0 && s.length <= 256;
  if (!ok(c.userId) || !ok(c.password) || !ok(c.ipUser)) throw new UplinkConfigError('credentials');
}

function isPositiveTimeout(ms: number): boolean {
  return Number.isFinite(ms) && ms > 0 && ms <= 600_000;
}
