/**
 * The virtual-card side of vpcd's socket protocol (vsmartcard). The card connects to vpcd;
 * the open connection is a card in the reader, closing it removes the card. Every message in
 * both directions is a 2-byte big-endian length and a payload. One-byte payloads from vpcd are
 * control: 00 power off, 01 power on, 02 reset (no reply: a reply desyncs the stream), 04 ATR
 * (reply: the ATR). Longer payloads are command APDUs, answered with data || SW1 SW2.
 */
import { connect, type Socket } from 'node:net';
import type { Icc } from './card.ts';
import { CardLeftField, ModelledLink } from './faults.ts';

const CONTROL = { powerOff: 0x00, powerOn: 0x01, reset: 0x02, atr: 0x04 } as const;

export interface VpcdCardOptions {
  host: string;
  port: number;
  icc: Icc;
  /** Delay answers as the 424 kbit/s link model says. */
  linkModel424k?: boolean;
  /** Called once when the connection ends for any reason. */
  onClosed?: () => void;
}

export interface VpcdCard {
  /** Resolves when the socket is closed (card removed). */
  close(): Promise<void>;
  readonly closed: boolean;
}

function frame(payload: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(payload.length + 2);
  out.writeUInt16BE(payload.length, 0);
  out.set(payload, 2);
  return out;
}

/** Connects the card to vpcd; rejects when vpcd does not accept the connection. */
export function connectVpcdCard(opts: VpcdCardOptions): Promise<VpcdCard> {
  return new Promise((resolve, reject) => {
    // vpcd's ports lie in Linux's ephemeral range: reconnecting to 127.0.0.1 while vpcd is down
    // can pick the destination port as source and connect the socket to itself, which then
    // holds the port and keeps pcscd from listening on it. From 127.0.0.2 that cannot happen.
    const loopback = opts.host === '127.0.0.1' || opts.host === 'localhost';
    const socket: Socket = connect({ host: opts.host, port: opts.port, noDelay: true, ...(loopback ? { localAddress: '127.0.0.2' } : {}) });
    let buffered = Buffer.alloc(0);
    let queue: Promise<void> = Promise.resolve();
    let closed = false;
    let connected = false;
    const link = new ModelledLink();
    const card: VpcdCard = {
      get closed() {
        return closed;
      },
      close() {
        if (closed) return Promise.resolve();
        return new Promise<void>((done) => {
          socket.once('close', () => done());
          socket.destroy();
        });
      },
    };

    const handle = async (msg: Buffer): Promise<void> => {
      if (closed) return;
      if (msg.length === 1) {
        const code = msg[0];
        if (code === CONTROL.atr) socket.write(frame(opts.icc.atr));
        else if (code === CONTROL.powerOff || code === CONTROL.powerOn || code === CONTROL.reset) opts.icc.reset();
        return;
      }
      let response: Uint8Array;
      try {
        response = opts.icc.transmit(new Uint8Array(msg));
      } catch (e) {
        if (e instanceof CardLeftField) {
          socket.destroy();
          return;
        }
        throw e;
      }
      if (opts.linkModel424k) await link.wait(msg, response.length);
      if (!closed) socket.write(frame(response));
    };

    socket.on('connect', () => {
      if (socket.localPort === socket.remotePort && socket.localAddress === socket.remoteAddress) {
        socket.destroy();
        reject(new Error('vpcd is not listening (the socket connected to itself)'));
        return;
      }
      connected = true;
      resolve(card);
    });
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2) {
        const n = buffered.readUInt16BE(0);
        if (buffered.length < 2 + n) break;
        const msg = buffered.subarray(2, 2 + n);
        buffered = buffered.subarray(2 + n);
        queue = queue
          .then(() => handle(msg))
          .catch(() => {
            socket.destroy();
          });
      }
    });
    socket.on('error', (e) => {
      if (!connected) reject(e);
    });
    socket.on('close', () => {
      closed = true;
      // A connection that never opened is reported by the rejection alone: reporting it twice
      // would start two reconnect loops for one failure, and they multiply.
      if (connected) opts.onClosed?.();
    });
  });
}
