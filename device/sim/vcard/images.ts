/**
 * Synthetic card images for the virtual KTP-el: a passport-style silhouette as the photo and a
 * pen stroke as the signature image, deterministic per persona, encoded as grayscale PNG so the
 * kiosk handles real image bytes of a realistic size.
 */
import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

function grayscalePng(width: number, height: number, pixel: (x: number, y: number) => number): Uint8Array {
  const raw = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width + 1)] = 0; // filter: none
    for (let x = 0; x < width; x++) raw[y * (width + 1) + 1 + x] = Math.max(0, Math.min(255, Math.round(pixel(x, y))));
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // grayscale
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return new Uint8Array(
    Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', new Uint8Array(0))]),
  );
}

function noise(seed: string): (x: number, y: number) => number {
  const bytes = createHash('sha256').update(seed).digest();
  let state = bytes.readUInt32BE(0) || 1;
  const table = new Int8Array(4096);
  for (let i = 0; i < table.length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    table[i] = ((state >>> 0) % 9) - 4;
  }
  return (x, y) => table[(x * 31 + y * 17) % table.length]!;
}

/** A 96 x 128 photo: plain background, head and shoulders, with sensor-like noise. */
export function syntheticPhoto(seed: string): Uint8Array {
  const n = noise(`photo/${seed}`);
  const shade = createHash('sha256').update(seed).digest()[0]! % 60;
  return grayscalePng(96, 128, (x, y) => {
    const head = ((x - 48) / 22) ** 2 + ((y - 50) / 28) ** 2 <= 1;
    const shoulders = y > 86 && Math.abs(x - 48) < 20 + (y - 86) * 0.9;
    const base = head ? 150 + shade : shoulders ? 60 + shade / 2 : 205;
    return base + n(x, y);
  });
}

/** A 128 x 40 signature image: one dark pen stroke on white. */
export function syntheticSignature(seed: string): Uint8Array {
  const h = createHash('sha256').update(`signature/${seed}`).digest();
  const f1 = 0.05 + h[0]! / 2550;
  const f2 = 0.11 + h[1]! / 2550;
  return grayscalePng(128, 40, (x, y) => {
    const yc = 20 + 9 * Math.sin(x * f1 + h[2]!) + 5 * Math.sin(x * f2);
    return Math.abs(y - yc) < 1.2 && x > 8 && x < 120 ? 20 : 255;
  });
}
