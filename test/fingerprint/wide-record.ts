/** A record of `views` finger views of 255 minutiae each, built byte by byte (the encoder refuses it). */
export function wideRecord(views: number, position = (v: number) => v % 11, viewNumber = (v: number) => Math.floor(v / 11)): Uint8Array {
  const viewLength = 4 + 255 * 6 + 2;
  const out = new Uint8Array(24 + views * viewLength);
  const dv = new DataView(out.buffer);
  out.set([0x46, 0x4d, 0x52, 0x00, 0x20, 0x32, 0x30, 0x00]);
  dv.setUint32(8, out.length);
  dv.setUint16(14, 400);
  dv.setUint16(16, 500);
  dv.setUint16(18, 197);
  dv.setUint16(20, 197);
  out[22] = views;
  for (let v = 0; v < views; v++) {
    const at = 24 + v * viewLength;
    out[at] = position(v);
    out[at + 1] = (viewNumber(v) & 0x0f) << 4;
    out[at + 2] = 60;
    out[at + 3] = 255;
    for (let i = 0; i < 255; i++) {
      const m = at + 4 + i * 6;
      dv.setUint16(m, (1 << 14) | ((i * 37) % 400));
      dv.setUint16(m + 2, (i * 53) % 500);
      out[m + 4] = (i * 11) % 256;
      out[m + 5] = 50;
    }
  }
  return out;
}
