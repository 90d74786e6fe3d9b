/**
 * HTTPS transport to the one configured Dukcapil endpoint (the closed-network guard).
 * - Host and port come only from configuration; redirects are returned, never followed.
 * - A dedicated agent, never the global one, and no proxy: proxy environment variables have
 *   no effect on a request that names its own agent, host and port.
 * - TLS is verified against the pinned CA (plus an optional SPKI pin); there is no switch to
 *   turn verification off.
 * - Bodies are capped at 64 KiB and the whole exchange has a deadline.
 * - It reports whether the request may have left: no request byte is written before the TLS
 *   handshake completes, so a failure before that point provably sent nothing.
 */
import https from 'node:https';
import tls from 'node:tls';
import { createHash, X509Certificate } from 'node:crypto';
import type { UplinkTarget } from './endpoint.ts';

export const MAX_RESPONSE_BYTES = 64 * 1024;

export type TransportFailure =
  'connectRefused' | 'connectTimeout' | 'tlsRejected' | 'pinMismatch' | 'timeout' | 'reset' | 'bodyTooLarge' | 'aborted' | 'network';

export type TransportResult =
  { kind: 'response'; statusCode: number; body: string } | { kind: 'failure'; failure: TransportFailure; sent: boolean };

export interface UplinkTransport {
  /**
   * POSTs a JSON body. `onSent` runs synchronously at the moment request bytes may start to
   * leave (handshake complete), before any is written. Never rejects.
   */
  post(path: string, body: string, opts: { signal: AbortSignal; onSent: () => void }): Promise<TransportResult>;
  /** A TLS handshake with full verification and nothing else: no HTTP request is written. */
  handshake(): Promise<boolean>;
  close(): void;
}

export interface TransportTls {
  caPem: string;
  spkiSha256?: string;
}

export interface TransportTimeouts {
  connectTimeoutMs: number;
  totalTimeoutMs: number;
}

const PIN_MISMATCH = 'ERR_UPLINK_SPKI_PIN';

export function createTransport(target: UplinkTarget, tlsConfig: TransportTls, timeouts: TransportTimeouts): UplinkTransport {
  // One fresh connection per request: with keep-alive, a reused socket that the server closed
  // while idle would make it impossible to prove a failed request never left, costing hits.
  const agent = new https.Agent({ keepAlive: false, maxSockets: 4 });
  const tlsOptions = {
    ca: [tlsConfig.caPem],
    rejectUnauthorized: true,
    minVersion: 'TLSv1.2' as const,
    checkServerIdentity: (hostname: string, cert: tls.PeerCertificate): Error | undefined => {
      const identityError = tls.checkServerIdentity(hostname, cert);
      if (identityError) return identityError;
      if (tlsConfig.spkiSha256 !== undefined && spkiSha256(cert) !== tlsConfig.spkiSha256) {
        return Object.assign(new Error('server public key does not match the pin'), { code: PIN_MISMATCH });
      }
      return undefined;
    },
  };
  // SNI must not carry an IP literal (RFC 6066); the certificate check then uses the host.
  const servername = isIpLiteral(target.hostname) ? undefined : target.hostname;

  function post(path: string, body: string, opts: { signal: AbortSignal; onSent: () => void }): Promise<TransportResult> {
    return new Promise((resolve) => {
      let sent = false;
      let settled = false;
      const chunks: Buffer[] = [];
      let received = 0;
      const finish = (result: TransportResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(connectTimer);
        clearTimeout(totalTimer);
        opts.signal.removeEventListener('abort', onAbort);
        resolve(result);
      };
      const fail = (failure: TransportFailure) => {
        finish({ kind: 'failure', failure, sent });
        req.destroy();
      };
      const payload = Buffer.from(body, 'utf8');
      const req = https.request({
        ...tlsOptions,
        agent,
        host: target.host,
        port: target.port,
        servername,
        path,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': payload.length,
          accept: 'application/json',
          connection: 'close',
        },
      });
      // The connect deadline runs from when the agent hands out a socket: a request queued
      // behind busy sockets has not started to connect (the total deadline bounds the wait).
      let connectTimer: NodeJS.Timeout | undefined;
      const totalTimer = setTimeout(() => fail(sent ? 'timeout' : 'connectTimeout'), timeouts.totalTimeoutMs);
      const onAbort = () => fail('aborted');
      opts.signal.addEventListener('abort', onAbort, { once: true });
      req.on('socket', (socket) => {
        if (!settled) connectTimer = setTimeout(() => fail(sent ? 'timeout' : 'connectTimeout'), timeouts.connectTimeoutMs);
        socket.once('secureConnect', () => {
          if (settled) return;
          sent = true;
          clearTimeout(connectTimer);
          opts.onSent();
        });
      });
      req.on('error', (err: NodeJS.ErrnoException) => fail(classifyError(err, sent)));
      req.on('response', (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400) {
          // A redirect could lead off the closed network: report it, never follow it.
          finish({ kind: 'response', statusCode: status, body: '' });
          res.destroy();
          return;
        }
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > MAX_RESPONSE_BYTES) {
          fail('bodyTooLarge');
          return;
        }
        res.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > MAX_RESPONSE_BYTES) {
            fail('bodyTooLarge');
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => finish({ kind: 'response', statusCode: status, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('aborted', () => fail('reset'));
        res.on('error', () => fail('reset'));
      });
      if (opts.signal.aborted) {
        fail('aborted');
        return;
      }
      req.end(payload);
    });
  }

  function handshake(): Promise<boolean> {
    return new Promise((resolve) => {
      let done = false;
      const socket = tls.connect({ ...tlsOptions, host: target.host, port: target.port, servername });
      const end = (ok: boolean) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        if (ok) socket.end();
        else socket.destroy();
        resolve(ok);
      };
      const timer = setTimeout(() => end(false), timeouts.connectTimeoutMs);
      socket.once('secureConnect', () => end(true));
      socket.once('error', () => end(false));
    });
  }

  return { post, handshake, close: () => agent.destroy() };
}

function classifyError(err: NodeJS.ErrnoException, sent: boolean): TransportFailure {
  if (err.code === PIN_MISMATCH) return 'pinMismatch';
  if (!sent) {
    if (err.code === 'ECONNREFUSED') return 'connectRefused';
    if (isTlsError(err)) return 'tlsRejected';
    return 'network';
  }
  if (err.code === 'ECONNRESET' || err.code === 'EPIPE' || err.message === 'socket hang up') return 'reset';
  return 'network';
}

function isTlsError(err: NodeJS.ErrnoException): boolean {
  const code = err.code ?? '';
  return (
    code.startsWith('ERR_SSL_') ||
    code.startsWith('ERR_TLS_') ||
    code.includes('CERT') ||
    code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' ||
    code === 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' ||
    code === 'UNABLE_TO_GET_ISSUER_CERT'
  );
}

function isIpLiteral(host: string): boolean {
  return /^[0-9.]+$/.test(host) || host.includes(':');
}

/** Base64 SHA-256 of the certificate's DER SubjectPublicKeyInfo (the HPKP `pin-sha256` form). */
export function spkiSha256(cert: { raw: Buffer }): string {
  const spki = new X509Certificate(cert.raw).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}
