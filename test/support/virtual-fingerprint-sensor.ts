/**
 * libfprint's own `virtual_image` sensor, as tests drive it: the capture helper runs with
 * FP_VIRTUAL_IMAGE=<socket>, libfprint creates the socket when the device is opened, and a test
 * "places a finger" by writing an image to it (two native-endian int32 width, height, then the
 * 8-bit grayscale pixels). See ../shared/ENVIRONMENT.md. No part of libfprint is mocked.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Builds the helper when its source changed (cached) and returns its path. */
export function captureHelperPath(): string {
  return execFileSync('bash', ['device/fingerprint/build-capture-helper.sh'], { encoding: 'utf8' }).trim();
}

export interface VirtualSensor {
  /** Environment for the helper: libfprint sees exactly one device, the virtual one. */
  env: Record<string, string>;
  socketPath: string;
  /** Places a finger: sends one image once the device is open (waits up to `timeoutMs` for it). */
  place(image: { width: number; height: number; pixels: Uint8Array }, timeoutMs?: number): Promise<void>;
  cleanup(): void;
}

export function virtualSensor(): VirtualSensor {
  const dir = mkdtempSync(join(tmpdir(), 'anj12-fprint-'));
  const socketPath = join(dir, 'virtual-image.sock');
  return {
    env: { FP_VIRTUAL_IMAGE: socketPath, FP_DRIVERS_WHITELIST: 'virtual_image' },
    socketPath,
    async place(image, timeoutMs = 5000) {
      const head = Buffer.alloc(8);
      head.writeInt32LE(image.width, 0);
      head.writeInt32LE(image.height, 4);
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        try {
          if (!existsSync(socketPath)) throw new Error('no socket yet');
          await new Promise<void>((resolve, reject) => {
            const s = connect(socketPath, () => {
              s.end(Buffer.concat([head, image.pixels]), () => resolve());
            });
            s.on('error', reject);
          });
          return;
        } catch (err) {
          if (Date.now() > deadline) throw new Error(`virtual sensor socket not ready: ${(err as Error).message}`);
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A ridge-like test pattern (not a rendered finger: no ground truth) that libfprint's own detector
 * accepts. Used where only the capture path is under test; the rehearsal uses rendered fingers.
 */
export function ridgePattern(width: number, height: number, phase = 0): Uint8Array {
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const r = Math.hypot(x - width / 2 + 10 * Math.sin(y / 30 + phase), y - height / 2);
      const v = Math.sin(r / 1.6 + 2.4 * Math.sin(x / 23 + phase) * Math.cos(y / 17));
      pixels[y * width + x] = v > 0 ? 40 : 215;
    }
  }
  return pixels;
}
