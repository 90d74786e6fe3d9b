// Converts qemu's screendump (binary PPM, P6, 8 bits) to PNG: image/boot-arm64.sh keeps the
// emulated kiosk's screen beside its report. Usage: node image/ppm-to-png.mjs IN.ppm OUT.png
import { readFileSync, writeFileSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';

const [input, output] = process.argv.slice(2);
const ppm = readFileSync(input);
const header = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(ppm.subarray(0, 64).toString('latin1'));
if (!header || header[3] !== '255') throw new Error(`${input}: not an 8-bit binary PPM`);
const [width, height] = [Number(header[1]), Number(header[2])];
const pixels = ppm.subarray(header[0].length);
if (pixels.length < width * height * 3) throw new Error(`${input}: truncated`);
// Each PNG row starts with its filter byte (0: none).
const rows = Buffer.alloc((width * 3 + 1) * height);
for (let y = 0; y < height; y++) pixels.copy(rows, y * (width * 3 + 1) + 1, y * width * 3, (y + 1) * width * 3);
const chunk = (type, data) => {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
};
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(width, 0);
ihdr.writeUInt32BE(height, 4);
ihdr.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB
writeFileSync(
  output,
  Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]),
);
