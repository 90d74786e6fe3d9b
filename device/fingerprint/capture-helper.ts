/**
 * The daemon's side of the libfprint capture helper (capture-helper.c): spawns it and speaks its
 * framed protocol. One instance is one helper process; LibfprintSensor supervises instances.
 * Frames both ways: 4-byte big-endian length, one kind byte, body (see capture-helper.c).
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import type { NbisMinutia } from './nbis.ts';

/** 8-bit grayscale, row-major, dark ridges on light background, as the sensor produced it. */
export interface FingerImage {
  width: number;
  height: number;
  /** Pixels per inch; 0 when the device does not say (libfprint's virtual device). */
  resolutionDpi: number;
  pixels: Uint8Array;
}

export interface SensorDevice {
  driver: string;
  deviceId: string;
  name: string;
}

const REQ = { list: 1, open: 2, capture: 3, cancel: 4, close: 5, ping: 6, captureNbis: 7 } as const;
const ANS = { list: 0x81, open: 0x82, image: 0x83, close: 0x85, pong: 0x86, nbis: 0x87, error: 0xff } as const;

export const HELPER_ERROR_CODES = {
  1: 'badRequest',
  2: 'noDevice',
  3: 'openFailed',
  4: 'captureFailed',
  5: 'cancelled',
  6: 'notOpen',
  7: 'busy',
  8: 'retry',
} as const;
export type HelperErrorCode = (typeof HELPER_ERROR_CODES)[keyof typeof HELPER_ERROR_CODES] | 'protocol' | 'exited';

/** libfprint's FpDeviceRetry codes, carried as the detail of a `retry` error. */
export type RetryReason = 'general' | 'tooShort' | 'centerFinger' | 'removeFinger';
const RETRY_REASONS: RetryReason[] = ['general', 'tooShort', 'centerFinger', 'removeFinger'];

/** A failure the helper reported or the protocol broke. Messages are libfprint's, no personal data. */
export class CaptureHelperError extends Error {
  override readonly name = 'CaptureHelperError';
  constructor(
    readonly code: HelperErrorCode,
    message: string,
    readonly retry?: RetryReason,
  ) {
    super(message);
  }
}

/** A capture with libfprint's own NBIS mindtct minutiae of the same image. */
export interface NbisCapture {
  image: FingerImage;
  /** As libfprint serializes them: see ./nbis.ts for what the numbers mean. */
  minutiae: NbisMinutia[];
  /** mindtct's run time on this image as libfprint timed it, ms; undefined when not reported. */
  mindtctMs?: number;
}

/** NBIS (and bozorth3) keep at most this many minutiae per print. */
const MAX_NBIS_MINUTIAE = 1000;

/** A sensor image bigger than this is a broken helper, not a finger (a 500 dpi area sensor is < 1 MB). */
export const MAX_IMAGE_BYTES = 4 * 1024 * 1024;
const MAX_FRAME = MAX_IMAGE_BYTES + 13 + 8 + 12 * MAX_NBIS_MINUTIAE;

interface Pending {
  expect: number;
  resolve: (body: Buffer) => void;
  reject: (err: CaptureHelperError) => void;
}

export interface CaptureHelperOptions {
  helperPath: string;
  /** Extra environment for libfprint (FP_VIRTUAL_IMAGE, FP_DRIVERS_WHITELIST in tests). */
  env?: Record<string, string>;
  /** Lines libfprint writes to stderr (bounded); for debug logs. */
  onStderr?: (line: string) => void;
}

export class CaptureHelper {
  private readonly child: ChildProcessByStdio<Writable, Readable, Readable>;
  private readonly pending: Pending[] = [];
  private readonly pongWaiters: Array<() => void> = [];
  private buffer: Buffer = Buffer.alloc(0);
  private exitError: CaptureHelperError | null = null;
  private readonly exitListeners: Array<(err: CaptureHelperError) => void> = [];
  readonly pid: number;

  constructor(options: CaptureHelperOptions) {
    this.child = spawn(options.helperPath, [], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...options.env },
    });
    this.pid = this.child.pid ?? -1;
    this.child.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    let errText = '';
    this.child.stderr.on('data', (chunk: Buffer) => {
      errText = (errText + chunk.toString('utf8')).slice(-4096);
      const lines = errText.split('\n');
      errText = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) options.onStderr?.(line.slice(0, 300));
    });
    this.child.stdin.on('error', () => undefined);
    this.child.on('error', (err) => this.fail(new CaptureHelperError('exited', `capture helper could not run: ${err.message}`)));
    this.child.on('close', (code, signal) => this.fail(new CaptureHelperError('exited', `capture helper exited (${signal ?? code})`)));
  }

  /** Called once when the process is gone (crash, kill, or after close). */
  onExit(listener: (err: CaptureHelperError) => void): void {
    if (this.exitError) listener(this.exitError);
    else this.exitListeners.push(listener);
  }

  get alive(): boolean {
    return this.exitError === null;
  }

  async list(): Promise<SensorDevice[]> {
    const body = await this.request(REQ.list, ANS.list);
    return body
      .toString('utf8')
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => {
        const [driver = '', deviceId = '', name = ''] = l.split('\t');
        return { driver, deviceId, name };
      });
  }

  async open(index: number): Promise<void> {
    const body = Buffer.alloc(4);
    body.writeUInt32BE(index);
    await this.request(REQ.open, ANS.open, body);
  }

  /** Waits for a finger. cancel() makes it reject with code `cancelled`. */
  async capture(): Promise<FingerImage> {
    const body = await this.request(REQ.capture, ANS.image);
    if (body.length < 12) throw this.broken('short image frame');
    return this.image(body, 0);
  }

  /** Waits for a finger, like capture(), and also returns libfprint's NBIS minutiae of the image. */
  async captureNbis(): Promise<NbisCapture> {
    const body = await this.request(REQ.captureNbis, ANS.nbis);
    if (body.length < 20) throw this.broken('short NBIS frame');
    const microseconds = body.readUInt32BE(12);
    const count = body.readUInt32BE(16);
    if (count > MAX_NBIS_MINUTIAE || body.length < 20 + 12 * count) throw this.broken('NBIS minutiae count out of bounds');
    const minutiae: NbisMinutia[] = [];
    for (let i = 0; i < count; i++) {
      const at = 20 + 12 * i;
      minutiae.push({ x: body.readInt32BE(at), y: body.readInt32BE(at + 4), theta: body.readInt32BE(at + 8) });
    }
    const image = this.image(body, 8 + 12 * count);
    const capture: NbisCapture = { image, minutiae };
    if (microseconds !== 0xffffffff) capture.mindtctMs = microseconds / 1000;
    return capture;
  }

  /** An image answer's body: width, height, pixels per metre, `extra` bytes, pixels. */
  private image(body: Buffer, extra: number): FingerImage {
    const width = body.readUInt32BE(0);
    const height = body.readUInt32BE(4);
    const pixelsPerMetre = body.readUInt32BE(8);
    const pixels = new Uint8Array(body.buffer, body.byteOffset + 12 + extra, body.length - 12 - extra);
    if (width * height !== pixels.length || width === 0) throw this.broken('image dimensions do not match its size');
    // libfprint reports pixels per millimetre (times 1000 on the wire); 25.4 mm to the inch.
    return { width, height, resolutionDpi: Math.round((pixelsPerMetre / 1000) * 25.4), pixels: new Uint8Array(pixels) };
  }

  cancel(): void {
    this.send(REQ.cancel);
  }

  async close(): Promise<void> {
    await this.request(REQ.close, ANS.close);
  }

  /** Resolves when the helper's main loop answers; the supervisor's hang detector. */
  ping(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.exitError) return reject(this.exitError);
      this.pongWaiters.push(resolve);
      this.send(REQ.ping);
    });
  }

  /** Ends the process: SIGKILL, for a helper that hangs or broke the protocol. */
  kill(): void {
    if (this.alive) this.child.kill('SIGKILL');
  }

  /** Closes stdin (the helper closes its device and exits), then waits for the exit, bounded. */
  async shutdown(timeoutMs = 2000): Promise<void> {
    if (!this.alive) return;
    const exited = new Promise<void>((resolve) => this.onExit(() => resolve()));
    this.child.stdin.end();
    const timer = setTimeout(() => this.kill(), timeoutMs);
    await exited;
    clearTimeout(timer);
  }

  private request(kind: number, expect: number, body?: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      if (this.exitError) return reject(this.exitError);
      this.pending.push({ expect, resolve, reject });
      this.send(kind, body);
    });
  }

  private send(kind: number, body: Buffer = Buffer.alloc(0)): void {
    if (this.exitError) return;
    const head = Buffer.alloc(5);
    head.writeUInt32BE(body.length + 1);
    head[4] = kind;
    this.child.stdin.write(Buffer.concat([head, body]));
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    while (this.buffer.length >= 4) {
      const len = this.buffer.readUInt32BE(0);
      if (len === 0 || len > MAX_FRAME) {
        this.broken('frame length out of bounds');
        return;
      }
      if (this.buffer.length < 4 + len) return;
      const kind = this.buffer[4]!;
      const body = this.buffer.subarray(5, 4 + len);
      this.buffer = this.buffer.subarray(4 + len);
      this.onFrame(kind, body);
    }
  }

  private onFrame(kind: number, body: Buffer): void {
    if (kind === ANS.pong) {
      this.pongWaiters.shift()?.();
      return;
    }
    const head = this.pending.shift();
    if (!head) {
      this.broken('an answer nobody asked for');
      return;
    }
    if (kind === ANS.error) {
      const code = HELPER_ERROR_CODES[body[0] as keyof typeof HELPER_ERROR_CODES] ?? 'protocol';
      const retry = code === 'retry' ? (RETRY_REASONS[body[1] ?? 0] ?? 'general') : undefined;
      head.reject(new CaptureHelperError(code, body.subarray(2).toString('utf8'), retry));
    } else if (kind === head.expect) {
      head.resolve(Buffer.from(body));
    } else {
      head.reject(this.broken(`unexpected answer kind 0x${kind.toString(16)}`));
    }
  }

  /** A helper that breaks the protocol cannot be trusted with the next frame: it is killed. */
  private broken(why: string): CaptureHelperError {
    const err = new CaptureHelperError('protocol', `capture helper broke the protocol: ${why}`);
    this.fail(err);
    this.kill();
    return err;
  }

  private fail(err: CaptureHelperError): void {
    if (this.exitError) return;
    this.exitError = err;
    for (const p of this.pending.splice(0)) p.reject(err);
    this.pongWaiters.splice(0);
    for (const l of this.exitListeners.splice(0)) l(err);
  }
}
