/**
 * The kiosk's HTTPS client for the fleet service, like the uplink's transport
 * (device/uplink/transport.ts): only the configured host and port, the fleet CA pinned (no
 * switch to turn verification off), its own agent (no proxy), bounded answers and deadlines.
 * It presents the kiosk's client certificate on every connection (mutual TLS).
 */
import https from 'node:https';
import { isIP } from 'node:net';

export interface FleetLink {
  /** https://host:port of the fleet (the address in front of its instances). */
  url: string;
  caPem: string;
  /** The kiosk's certificate and key (none while enrolling). */
  certPem?: string;
  keyPem?: string;
  timeoutMs?: number;
}

export const MAX_FLEET_ANSWER_BYTES = 256 * 1024;

export type FleetReply =
  | { ok: true; status: number; body: unknown }
  | { ok: false; failure: 'unreachable' | 'timeout' | 'tlsRejected' | 'badAnswer' | 'tooLarge' };

export class FleetLinkError extends Error {
  override readonly name = 'FleetLinkError';
}

export class FleetClient {
  private readonly agent: https.Agent;
  private readonly host: string;
  private readonly port: number;
  private readonly servername: string | undefined;
  private readonly timeoutMs: number;

  constructor(private readonly link: FleetLink) {
    let url: URL;
    try {
      url = new URL(link.url);
    } catch {
      throw new FleetLinkError('the fleet URL is not a URL');
    }
    if (
      url.protocol !== 'https:' ||
      url.username ||
      url.password ||
      url.search ||
      url.hash ||
      (url.pathname !== '/' && url.pathname !== '')
    ) {
      throw new FleetLinkError('the fleet URL must be https://host[:port] with nothing else');
    }
    this.host = url.hostname.replace(/^\[|\]$/g, '');
    this.port = url.port === '' ? 443 : Number(url.port);
    this.servername = isIP(this.host) ? undefined : this.host;
    this.timeoutMs = link.timeoutMs ?? 15_000;
    // Keep-alive: heartbeats and lease calls reuse one connection (nothing here is a quota hit).
    this.agent = new https.Agent({
      keepAlive: true,
      maxSockets: 4,
      ca: [link.caPem],
      ...(link.certPem && link.keyPem ? { cert: link.certPem, key: link.keyPem } : {}),
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
    });
  }

  request(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<FleetReply> {
    return new Promise((resolve) => {
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body), 'utf8');
      let settled = false;
      const finish = (r: FleetReply) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(r);
      };
      const req = https.request({
        agent: this.agent,
        host: this.host,
        port: this.port,
        ...(this.servername ? { servername: this.servername } : {}),
        method,
        path,
        headers: {
          accept: 'application/json',
          host: this.port === 443 ? this.hostHeader() : `${this.hostHeader()}:${this.port}`,
          ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}),
        },
      });
      const timer = setTimeout(() => {
        finish({ ok: false, failure: 'timeout' });
        req.destroy();
      }, this.timeoutMs);
      req.on('error', (e: NodeJS.ErrnoException) => {
        const tls = typeof e.code === 'string' && /CERT|SELF_SIGNED|UNABLE_TO|ERR_TLS|ALTNAME/.test(e.code);
        finish({ ok: false, failure: tls ? 'tlsRejected' : 'unreachable' });
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_FLEET_ANSWER_BYTES) {
            finish({ ok: false, failure: 'tooLarge' });
            req.destroy();
            return;
          }
          chunks.push(c);
        });
        res.on('error', () => finish({ ok: false, failure: 'unreachable' }));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const isJson = (res.headers['content-type'] ?? '').startsWith('application/json');
          if (!isJson) return finish({ ok: true, status: res.statusCode ?? 0, body: text });
          try {
            finish({ ok: true, status: res.statusCode ?? 0, body: JSON.parse(text) as unknown });
          } catch {
            finish({ ok: false, failure: 'badAnswer' });
          }
        });
      });
      req.end(payload);
    });
  }

  private hostHeader(): string {
    return isIP(this.host) === 6 ? `[${this.host}]` : this.host;
  }

  close(): void {
    this.agent.destroy();
  }
}
