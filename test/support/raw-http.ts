/**
 * Raw TCP conversations with the kiosk, for what fetch and a WebSocket library will not send:
 * malformed frames, foreign Host and Origin headers, slow clients.
 */
import { connect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';

export interface RawConnection {
  socket: Socket;
  /** Everything received so far. */
  received(): Buffer;
  /** Resolves when the server has closed the connection (or it was reset). */
  closed: Promise<void>;
  isClosed(): boolean;
}

export async function openRaw(port: number): Promise<RawConnection> {
  const socket = connect({ host: '127.0.0.1', port });
  socket.setNoDelay(true);
  let buf = Buffer.alloc(0);
  let closed = false;
  socket.on('data', (d: Buffer) => (buf = Buffer.concat([buf, d])));
  socket.on('error', () => undefined);
  const done = new Promise<void>((resolve) => socket.once('close', () => ((closed = true), resolve())));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return { socket, received: () => buf, closed: done, isClosed: () => closed };
}

/** Sends an HTTP/1.1 request with exactly these headers; resolves the status code and body. */
export async function rawRequest(port: number, head: string, body = ''): Promise<{ status: number; body: string }> {
  const c = await openRaw(port);
  c.socket.end(`${head}\r\nconnection: close\r\n\r\n${body}`);
  await c.closed;
  const text = c.received().toString('latin1');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
  return { status, body: text.slice(text.indexOf('\r\n\r\n') + 4) };
}

export function upgradeRequest(port: number, headers: Record<string, string> = {}): string {
  const lines = {
    host: `127.0.0.1:${port}`,
    upgrade: 'websocket',
    connection: 'Upgrade',
    'sec-websocket-key': randomBytes(16).toString('base64'),
    'sec-websocket-version': '13',
    origin: `http://127.0.0.1:${port}`,
    ...headers,
  };
  return `GET /api/stream HTTP/1.1\r\n${Object.entries(lines)
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n')}\r\n\r\n`;
}

/** The status line and headers of the first answer on the connection (waits up to 5 s). */
export async function answerHead(c: RawConnection): Promise<string> {
  const deadline = Date.now() + 5000;
  while (!c.received().includes('\r\n\r\n')) {
    if (Date.now() > deadline || c.isClosed()) throw new Error(`no answer: ${c.received().toString('latin1').slice(0, 80)}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  const text = c.received().toString('latin1');
  return text.slice(0, text.indexOf('\r\n\r\n'));
}

/** Opens a stream by hand; resolves once the server answered 101 (and the first view came). */
export async function openStream(port: number, headers: Record<string, string> = {}): Promise<RawConnection> {
  const c = await openRaw(port);
  c.socket.write(upgradeRequest(port, headers));
  const head = await answerHead(c);
  if (!head.startsWith('HTTP/1.1 101')) {
    c.socket.destroy();
    throw new Error(`upgrade refused: ${head.split('\r\n')[0]}`);
  }
  return c;
}

/** One WebSocket frame as a client would send it (RFC 6455 §5.2); `mask: false` breaks the rule. */
export function frame(opts: { first: number; payload: Uint8Array; mask?: boolean }): Buffer {
  const mask = opts.mask ?? true;
  const n = opts.payload.length;
  const len = n < 126 ? Buffer.from([(mask ? 0x80 : 0) | n]) : n < 65536 ? Buffer.from([(mask ? 0x80 : 0) | 126, n >> 8, n & 0xff]) : null;
  if (!len) throw new Error('frame too long for this helper');
  const key = mask ? randomBytes(4) : Buffer.alloc(0);
  const body = Buffer.from(opts.payload.map((b, i) => (mask ? b ^ key[i % 4]! : b)));
  return Buffer.concat([Buffer.from([opts.first]), len, key, body]);
}
