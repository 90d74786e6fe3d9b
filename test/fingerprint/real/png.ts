/**
 * Reads the real captures (PNG, 8-bit grey or grey stored as RGB/RGBA, not interlaced) into grey
 * pixels. Enough PNG for test data: the zlib stream is Node's, the five row filters are the
 * format's (PNG specification, section 9).
 */
import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';

export interface GreyImage {
  width: number;
  height: number;
  pixels: Uint8Array;
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };

export function readPngGrey(path: string): GreyImage {
  const file = readFileSync(path);
  if (file.readUInt32BE(0) !== 0x89504e47) throw new Error(`${path}: not a PNG`);
  let at = 8;
  let width = 0,
    height = 0,
    channels = 0;
  const data: Buffer[] = [];
  while (at < file.length) {
    const length = file.readUInt32BE(at);
    const type = file.toString('latin1', at + 4, at + 8);
    const body = file.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const [depth, colour, , , interlace] = [body[8], body[9], body[10], body[11], body[12]];
      channels = CHANNELS[colour!] ?? 0;
      if (depth !== 8 || !channels || interlace !== 0) throw new Error(`${path}: only 8-bit, non-interlaced grey/RGB(A) PNG is read`);
    } else if (type === 'IDAT') data.push(body);
    else if (type === 'IEND') break;
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * channels;
  const rows = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = y * stride;
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? rows[out + i - channels]! : 0;
      const b = y > 0 ? rows[out - stride + i]! : 0;
      const c = i >= channels && y > 0 ? rows[out - stride + i - channels]! : 0;
      let v = line[i]!;
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a),
          pb = Math.abs(p - b),
          pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      rows[out + i] = v & 0xff;
    }
  }
  const pixels = new Uint8Array(width * height);
  // Grey stored as colour: the channels are equal; the mean of R, G, B keeps any that are not.
  for (let p = 0; p < pixels.length; p++) {
    if (channels < 3) pixels[p] = rows[p * channels]!;
    else pixels[p] = Math.round((rows[p * channels]! + rows[p * channels + 1]! + rows[p * channels + 2]!) / 3);
  }
  return { width, height, pixels };
}
