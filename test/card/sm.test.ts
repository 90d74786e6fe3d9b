/**
 * Secure-messaging primitives against the worked example of ICAO Doc 9303 Part 11, Appendix D
 * (D.2 key derivation, D.3 authentication and session keys, D.4 secure messaging), byte for byte.
 */
import t from 'tap';
import { fromHex, toHex, concatBytes } from '../../device/card/apdu.ts';
import {
  authCryptogram,
  deriveKey,
  openAuthCryptogram,
  retailMac,
  SecureChannel,
  SecureMessagingError,
  sessionKeys,
  incrementSsc,
  pad,
  unpad,
} from '../../device/card/sm.ts';

const D = {
  kSeed: '239AB9CB282DAF66231DC5A4DF6BFBAE',
  kEnc: 'AB94FDECF2674FDFB9B391F85D7F76F2',
  kMac: '7962D9ECE03D1ACD4C76089DCE131543',
  rndIc: '4608F91988702212',
  rndIfd: '781723860C06C226',
  kIfd: '0B795240CB7049B01C19B33E32804F0B',
  s: '781723860C06C2264608F919887022120B795240CB7049B01C19B33E32804F0B',
  eIfd: '72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2',
  mIfd: '5F1448EEA8AD90A7',
  icResponse: '46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F2F2D235D074D7449',
  kIc: '0B4F80323EB3191CB04970CB4052790B',
  ksEnc: '979EC13B1CBFE9DCD01AB0FED307EAE5',
  ksMac: 'F1CB1F1FB5ADF208806B89DC579DC1F8',
  ssc: '887022120C06C226',
  selectPlain: '00A4020C02011E',
  selectProtected: '0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800',
  selectResponse: '990290008E08FA855A5D4C50A8ED9000',
  read4Protected: '0CB000000D9701048E08ED6705417E96BA5500',
  read4Response: '8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000',
  read4Plain: '60145F01',
  read18Protected: '0CB000040D9701128E082EA28A70F3C7B53500',
  read18Response: '871901FB9235F4E4037F2327DCC8964F1F9B8C30F42C8E2FFF224A990290008E08C8B2787EAEA07D749000',
  read18Plain: '04303130365F36063034303030305C026175',
};
const h = fromHex;

t.test('D.2: Kenc and Kmac derive from the key seed', async (t) => {
  t.equal(toHex(deriveKey(h(D.kSeed), 1)), D.kEnc);
  t.equal(toHex(deriveKey(h(D.kSeed), 2)), D.kMac);
});

t.test('D.3: the terminal cryptogram E.IFD || M.IFD', async (t) => {
  t.equal(toHex(authCryptogram(h(D.kEnc), h(D.kMac), h(D.s))), D.eIfd + D.mIfd);
});

t.test('D.3: the chip response opens to RND.IC || RND.IFD || K.IC', async (t) => {
  const r = openAuthCryptogram(h(D.kEnc), h(D.kMac), h(D.icResponse));
  t.equal(toHex(r), D.rndIc + D.rndIfd + D.kIc);
});

t.test('D.3: a cryptogram with one flipped bit is refused by its MAC', async (t) => {
  const bad = h(D.icResponse);
  bad[3]! ^= 0x01;
  t.throws(() => openAuthCryptogram(h(D.kEnc), h(D.kMac), bad), { code: 'badMac' });
});

t.test('D.3: session keys and the send-sequence counter', async (t) => {
  const k = sessionKeys(h(D.kIfd), h(D.kIc), h(D.rndIc), h(D.rndIfd));
  t.equal(toHex(k.ksEnc), D.ksEnc);
  t.equal(toHex(k.ksMac), D.ksMac);
  t.equal(toHex(k.ssc), D.ssc);
});

t.test('D.4: SELECT and READ BINARY protected and their responses verified', async (t) => {
  const terminal = new SecureChannel({ ksEnc: h(D.ksEnc), ksMac: h(D.ksMac) }, h(D.ssc));
  const cmd = (hex: string) => {
    const b = h(hex);
    return {
      cla: b[0]!,
      ins: b[1]!,
      p1: b[2]!,
      p2: b[3]!,
      data: b.length > 5 ? b.subarray(5, 5 + b[4]!) : new Uint8Array(0),
      ne: b.length === 5 ? b[4]! : 0,
    };
  };
  t.equal(toHex(terminal.protectCommand(cmd(D.selectPlain))), D.selectProtected);
  t.same(terminal.unprotectResponse(h(D.selectResponse)), { data: new Uint8Array(0), sw: 0x9000 });
  t.equal(toHex(terminal.protectCommand(cmd('00B0000004'))), D.read4Protected);
  const r4 = terminal.unprotectResponse(h(D.read4Response));
  t.equal(toHex(r4.data), D.read4Plain);
  t.equal(toHex(terminal.protectCommand(cmd('00B0000412'))), D.read18Protected);
  const r18 = terminal.unprotectResponse(h(D.read18Response));
  t.equal(toHex(r18.data), D.read18Plain);
  t.equal(r18.sw, 0x9000);
});

t.test('D.4 seen from the chip: the protected commands open and the responses match', async (t) => {
  const chip = new SecureChannel({ ksEnc: h(D.ksEnc), ksMac: h(D.ksMac) }, h(D.ssc));
  const sel = chip.unprotectCommand(h(D.selectProtected));
  t.equal(toHex(sel.data), '011E');
  t.equal(toHex(chip.protectResponse({ data: new Uint8Array(0), sw: 0x9000 })), D.selectResponse);
  const rd = chip.unprotectCommand(h(D.read4Protected));
  t.equal(rd.ne, 4);
  t.equal(toHex(chip.protectResponse({ data: h(D.read4Plain), sw: 0x9000 })), D.read4Response);
});

t.test('a replayed response fails because the counter moved on', async (t) => {
  const terminal = new SecureChannel({ ksEnc: h(D.ksEnc), ksMac: h(D.ksMac) }, h(D.ssc));
  terminal.protectCommand({ cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: h('011E'), ne: 0 });
  terminal.unprotectResponse(h(D.selectResponse));
  terminal.protectCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, data: new Uint8Array(0), ne: 4 });
  t.throws(() => terminal.unprotectResponse(h(D.selectResponse)), SecureMessagingError);
});

t.test('retail MAC, padding and counter edge cases', async (t) => {
  t.equal(toHex(pad(new Uint8Array(8))), '00000000000000008000000000000000');
  t.equal(toHex(unpad(h('0102800000000000'))), '0102');
  t.throws(() => unpad(h('0102000000000000')), { code: 'badPadding' });
  t.throws(() => unpad(h('8000000000000000000000')), { code: 'badPadding' });
  t.equal(toHex(incrementSsc(h('00000000FFFFFFFF'))), '0000000100000000');
  t.equal(retailMac(h(D.kMac), concatBytes(h(D.eIfd))).length, 8);
  t.throws(() => retailMac(new Uint8Array(8), new Uint8Array(8)), { code: 'badLength' });
});

t.test('a read whose protected response outgrows a short APDU is asked for in extended form; the card sees the plain Le', async (t) => {
  const keys = { ksEnc: h(D.ksEnc), ksMac: h(D.ksMac) };
  for (const [ne, extended] of [
    [0xdf, false],
    [0xe0, true],
    [0x100, true],
    [0x400, true],
  ] as const) {
    const terminal = new SecureChannel(keys, h(D.ssc));
    const chip = new SecureChannel(keys, h(D.ssc));
    const wire = terminal.protectCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, data: new Uint8Array(0), ne });
    // Short form ends in one Le byte (00: 256); extended form has a 00 after the header and ends in two Le bytes (0000: 65536).
    t.equal(wire[4] === 0, extended, `Le ${ne}: ${extended ? 'extended' : 'short'} form`);
    t.equal(chip.unprotectCommand(wire).ne, ne);
    const response = chip.protectResponse({ data: new Uint8Array(ne), sw: 0x9000 });
    t.ok(extended || response.length <= 258, `Le ${ne}: the protected response (${response.length} bytes) fits what was asked`);
    t.equal(terminal.unprotectResponse(response).data.length, ne);
  }
});
