/**
 * APDU and BER-TLV codecs: round trips hold and no byte string crashes the parsers with anything
 * but their typed errors (fast-check), plus byte-for-byte examples of each length form.
 */
import t from 'tap';
import fc from 'fast-check';
import {
  ApduFormatError,
  decodeCommand,
  encodeCommand,
  encodeResponse,
  expectOk,
  fromHex,
  parseResponse,
  ResponseApduError,
  toHex,
  type CommandApdu,
} from '../../device/card/apdu.ts';
import { decodeSingleTlv, decodeTlvHeader, decodeTlvs, encodeTlv, TlvError } from '../../device/card/tlv.ts';
import { SecureChannel, SecureMessagingError } from '../../device/card/sm.ts';

const byte = fc.integer({ min: 0, max: 255 });
const commandArb: fc.Arbitrary<CommandApdu> = fc.record({
  cla: byte,
  ins: byte,
  p1: byte,
  p2: byte,
  data: fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ minLength: 0, maxLength: 3 })),
  ne: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 256 }), fc.integer({ min: 1, max: 65536 })),
});

t.test('command APDU length forms, byte for byte', async (t) => {
  const none = new Uint8Array(0);
  t.equal(toHex(encodeCommand({ cla: 0, ins: 0x84, p1: 0, p2: 0, data: none, ne: 8 })), '0084000008');
  t.equal(toHex(encodeCommand({ cla: 0xff, ins: 0xca, p1: 0, p2: 0, data: none, ne: 256 })), 'FFCA000000');
  t.equal(toHex(encodeCommand({ cla: 0, ins: 0xa4, p1: 1, p2: 0x0c, data: fromHex('7F0A'), ne: 0 })), '00A4010C027F0A');
  t.equal(toHex(encodeCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, data: none, ne: 1000 })), '00B000000003E8');
  t.equal(toHex(encodeCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, data: none, ne: 65536 })), '00B0000000' + '0000');
  const big = new Uint8Array(300).fill(0xab);
  const ext = encodeCommand({ cla: 0, ins: 0xd6, p1: 0, p2: 0, data: big, ne: 256 });
  t.equal(toHex(ext.subarray(0, 7)), '00D6000000012C');
  t.equal(toHex(ext.subarray(ext.length - 2)), '0100');
  t.same(decodeCommand(ext).data, big);
});

t.test('malformed commands are refused with a typed error', async (t) => {
  for (const hex of ['00A4', '00A4010C037F0A', '00A4010C0000', '00B000000000', '00B000000001AB01']) {
    t.throws(() => decodeCommand(fromHex(hex)), ApduFormatError, hex);
  }
  t.throws(() => encodeCommand({ cla: 256, ins: 0, p1: 0, p2: 0, data: new Uint8Array(0), ne: 0 }), ApduFormatError);
  t.throws(() => encodeCommand({ cla: 0, ins: 0, p1: 0, p2: 0, data: new Uint8Array(0), ne: 65537 }), ApduFormatError);
});

t.test('property: decode(encode(c)) == c for every command', async () => {
  fc.assert(
    fc.property(commandArb, (c) => {
      const d = decodeCommand(encodeCommand(c));
      return d.cla === c.cla && d.ins === c.ins && d.p1 === c.p1 && d.p2 === c.p2 && d.ne === c.ne && toHex(d.data) === toHex(c.data);
    }),
  );
});

t.test('property: no byte string crashes the command or response parser', async () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
      try {
        const c = decodeCommand(bytes);
        // whatever parses must encode back to a command meaning the same
        const again = decodeCommand(encodeCommand(c));
        if (again.ne !== c.ne || toHex(again.data) !== toHex(c.data)) return false;
      } catch (e) {
        if (!(e instanceof ApduFormatError)) return false;
      }
      try {
        const r = parseResponse(bytes);
        return toHex(encodeResponse(r)) === toHex(bytes);
      } catch (e) {
        return e instanceof ApduFormatError && bytes.length < 2;
      }
    }),
    { numRuns: 2000 },
  );
});

t.test('a failing status word becomes a ResponseApduError carrying only the SW', async (t) => {
  const r = parseResponse(fromHex('0102036A82'));
  const err = t.throws(() => expectOk(r, 'SELECT EF')) as ResponseApduError;
  t.ok(err instanceof ResponseApduError);
  t.equal(err.sw, 0x6a82);
  t.equal(err.message, 'SELECT EF answered 6A82');
  t.same(expectOk(parseResponse(fromHex('AB9000')), 'READ'), Uint8Array.of(0xab));
});

const tagArb = fc.oneof(
  fc.integer({ min: 1, max: 0xfe }).filter((b) => (b & 0x1f) !== 0x1f),
  fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 1, max: 0x7f })).map(([hi, lo]) => (((hi << 5) | 0x1f) << 8) | lo),
  fc
    .tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 1, max: 0x7f }), fc.integer({ min: 0, max: 0x7f }))
    .map(([hi, mid, lo]) => (((((hi << 5) | 0x1f) << 8) | 0x80 | mid) << 8) | lo),
);

t.test('BER-TLV length forms, byte for byte', async (t) => {
  t.equal(toHex(encodeTlv(0x5f01, fromHex('31'))), '5F010131');
  t.equal(toHex(encodeTlv(0x87, new Uint8Array(200)).subarray(0, 3)), '8781C8');
  t.equal(toHex(encodeTlv(0x72, new Uint8Array(300)).subarray(0, 4)), '7282012C');
  t.equal(toHex(encodeTlv(0x72, new Uint8Array(70000)).subarray(0, 5)), '7283011170');
  for (const [hex, code] of [
    ['8780', 'indefiniteLength'],
    ['878101AA', 'nonMinimalLength'],
    ['87820005AAAAAAAAAA', 'nonMinimalLength'],
    ['8702AA', 'truncated'],
    ['5F', 'truncated'],
    ['5F8001AA', 'badTag'],
    ['878400000001AA', 'lengthTooLarge'],
  ] as const) {
    t.throws(() => decodeTlvs(fromHex(hex)), { code }, hex);
  }
  t.throws(() => decodeSingleTlv(fromHex('870101AA')), { code: 'trailingBytes' });
});

t.test('a TLV header alone gives the tag and the total length, as a card directory probe needs', async (t) => {
  const big = encodeTlv(0x61, new Uint8Array(300));
  t.same(decodeTlvHeader(big.subarray(0, 4)), { tag: 0x61, length: 300, valueOffset: 4 });
  t.same(decodeTlvHeader(Uint8Array.of(0x61, 0x05)), { tag: 0x61, length: 5, valueOffset: 2 });
  t.throws(() => decodeTlvHeader(Uint8Array.of(0x61, 0x82, 0x01)), new TlvError('truncated'));
  t.throws(() => decodeTlvHeader(Uint8Array.of(0x61, 0x81, 0x05)), new TlvError('nonMinimalLength'));
});

t.test('property: TLV sequences round-trip', async () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(tagArb, fc.uint8Array({ maxLength: 300 })), { maxLength: 5 }), (items) => {
      const bytes = Buffer.concat(items.map(([tag, v]) => encodeTlv(tag, v)));
      const back = decodeTlvs(new Uint8Array(bytes));
      return back.length === items.length && back.every((b, i) => b.tag === items[i]![0] && toHex(b.value) === toHex(items[i]![1]));
    }),
  );
});

t.test('property: no byte string crashes the TLV parser', async () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      try {
        const tlvs = decodeTlvs(bytes);
        return toHex(Buffer.concat(tlvs.map((x) => encodeTlv(x.tag, x.value)))) === toHex(bytes);
      } catch (e) {
        return e instanceof TlvError;
      }
    }),
    { numRuns: 3000 },
  );
});

t.test('property: protected messages round-trip and any altered byte is refused', async () => {
  const keys = { ksEnc: fromHex('979EC13B1CBFE9DCD01AB0FED307EAE5'), ksMac: fromHex('F1CB1F1FB5ADF208806B89DC579DC1F8') };
  const ssc = fromHex('887022120C06C226');
  fc.assert(
    fc.property(commandArb, fc.uint8Array({ maxLength: 600 }), fc.nat(), (c, respData, flip) => {
      const host = new SecureChannel(keys, ssc);
      const card = new SecureChannel(keys, ssc);
      const cmd = { ...c, cla: c.cla & 0xf0 };
      const opened = card.unprotectCommand(host.protectCommand(cmd));
      if (toHex(opened.data) !== toHex(cmd.data) || opened.ne !== cmd.ne || opened.ins !== cmd.ins) return false;
      const resp = card.protectResponse({ data: respData, sw: 0x9000 });
      const bad = Uint8Array.from(resp);
      const i = flip % (bad.length - 2);
      bad[i]! ^= 0x01;
      const altered = new SecureChannel(keys, host.counter());
      try {
        altered.unprotectResponse(bad);
        return false;
      } catch (e) {
        if (!(e instanceof SecureMessagingError)) return false;
      }
      return toHex(host.unprotectResponse(resp).data) === toHex(respData);
    }),
    { numRuns: 300 },
  );
});

t.test('property: no byte string crashes response unprotection', async () => {
  const keys = { ksEnc: fromHex('979EC13B1CBFE9DCD01AB0FED307EAE5'), ksMac: fromHex('F1CB1F1FB5ADF208806B89DC579DC1F8') };
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      try {
        new SecureChannel(keys, new Uint8Array(8)).unprotectResponse(bytes);
        new SecureChannel(keys, new Uint8Array(8)).unprotectCommand(bytes);
        return true;
      } catch (e) {
        return e instanceof SecureMessagingError;
      }
    }),
    { numRuns: 2000 },
  );
});
