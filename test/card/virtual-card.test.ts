/**
 * The virtual KTP-el keeps the reference card's limits (device/card/ktp-layout.ts), and the
 * modelled 424 kbit/s link charges what the radio carries.
 */
import t from 'tap';
import { CLA_PCSC_READER, command, concatBytes, encodeCommand, encodeResponse, INS, parseResponse, SW } from '../../device/card/apdu.ts';
import { DF_KTP, EF, MAX_READ_BINARY, shortFileId } from '../../device/card/ktp-layout.ts';
import { SAM_CLA, SAM_INS, samOpenToken } from '../../device/card/sam-protocol.ts';
import { VirtualKtpCard } from '../../device/sim/vcard/card.ts';
import { DEMO_CARD_MASTER_KEY, demoSamSecret } from '../../device/sim/vcard/demo-keys.ts';
import { FaultyIcc, modelledLinkDelayMs } from '../../device/sim/vcard/faults.ts';
import { personaCardImage } from '../../device/sim/vcard/in-process.ts';
import { VirtualSam } from '../../device/sim/vcard/sam.ts';
import { persona } from '../../device/sim/personas.ts';

/** The card opened through the SAM as the profile opens it; `secure` sends one protected command. */
function openedCard(opts: { shortFileIds?: boolean } = {}) {
  const image = personaCardImage(persona('valid'));
  const card = new VirtualKtpCard(image, opts);
  const secret = demoSamSecret();
  const sam = new VirtualSam(secret, DEMO_CARD_MASTER_KEY);
  const ok = (bytes: Uint8Array) => {
    const r = parseResponse(bytes);
    if (r.sw !== SW.OK) throw new Error(`status ${r.sw.toString(16)}`);
    return r.data;
  };
  ok(sam.transmit(encodeCommand(command(SAM_CLA, SAM_INS.open, 0, 0, samOpenToken(secret.pcid, secret.configuration)))));
  const uid = ok(card.transmit(encodeCommand(command(CLA_PCSC_READER, INS.getData, 0, 0, undefined, 256))));
  ok(card.transmit(encodeCommand(command(0, INS.select, 1, 0x0c, Uint8Array.of(DF_KTP >> 8, DF_KTP & 0xff)))));
  const rndIc = ok(card.transmit(encodeCommand(command(0, INS.getChallenge, 0, 0, undefined, 8))));
  const cryptogram = ok(sam.transmit(encodeCommand(command(SAM_CLA, SAM_INS.challenge, 0, 0, concatBytes(uid, rndIc), 40))));
  const answer = ok(card.transmit(encodeCommand(command(0, INS.externalAuthenticate, 0, 0, cryptogram, 40))));
  ok(sam.transmit(encodeCommand(command(SAM_CLA, SAM_INS.internalAuthenticate, 0, 0, answer))));
  const secure = (plain: ReturnType<typeof command>) => {
    const wrapped = ok(sam.transmit(encodeCommand(command(SAM_CLA, SAM_INS.wrap, 0, 0, encodeCommand(plain), 256))));
    const reply = card.transmit(wrapped);
    return parseResponse(ok(sam.transmit(encodeCommand(command(SAM_CLA, SAM_INS.unwrap, 0, 0, reply, 65536)))));
  };
  return { image, secure };
}

t.test('a READ BINARY asking for more than the card gives at once is refused with 6700; as much reads whole', async (t) => {
  const { image, secure } = openedCard();
  t.equal(secure(command(0, INS.select, 2, 0x0c, Uint8Array.of(EF.photo >> 8, EF.photo & 0xff))).sw, SW.OK);
  t.ok(image.files.get(EF.photo)!.length > MAX_READ_BINARY, 'the photo is longer than one read');
  t.equal(secure(command(0, INS.readBinary, 0, 0, undefined, MAX_READ_BINARY + 1)).sw, SW.WRONG_LENGTH);
  const r = secure(command(0, INS.readBinary, 0, 0, undefined, MAX_READ_BINARY));
  t.equal(r.sw, SW.OK);
  t.same(r.data, image.files.get(EF.photo)!.subarray(0, MAX_READ_BINARY));
  t.equal(encodeResponse(r).length, MAX_READ_BINARY + 2);
});

t.test('a READ BINARY naming a file by short identifier reads it and makes it the current file', async (t) => {
  const { image, secure } = openedCard();
  const photo = image.files.get(EF.photo)!;
  const first = secure(command(0, INS.readBinary, 0x80 | shortFileId(EF.photo), 0, undefined, MAX_READ_BINARY));
  t.equal(first.sw, SW.OK);
  t.same(first.data, photo.subarray(0, MAX_READ_BINARY));
  const next = secure(command(0, INS.readBinary, MAX_READ_BINARY >> 8, MAX_READ_BINARY & 0xff, undefined, 16));
  t.same(next.data, photo.subarray(MAX_READ_BINARY, MAX_READ_BINARY + 16), 'the reads after it continue in the same file');
  const bio = secure(command(0, INS.readBinary, 0x80 | shortFileId(EF.biodata), 0x10, undefined, 8));
  t.same(bio.data, image.files.get(EF.biodata)!.subarray(0x10, 0x18), 'P2 is the offset');
  t.equal(secure(command(0, INS.readBinary, 0x80 | 0x1e, 0, undefined, 8)).sw, SW.FILE_NOT_FOUND, 'no file has that identifier');
  t.equal(secure(command(0, INS.readBinary, 0xa0 | shortFileId(EF.photo), 0, undefined, 8)).sw, SW.WRONG_P1P2, 'P1 b7-b6 must be 0');
});

t.test('a card made without short identifiers refuses the form with 6B00 and still reads after SELECT', async (t) => {
  const { image, secure } = openedCard({ shortFileIds: false });
  t.equal(secure(command(0, INS.readBinary, 0x80 | shortFileId(EF.photo), 0, undefined, 8)).sw, SW.WRONG_P1P2);
  t.equal(secure(command(0, INS.select, 2, 0x0c, Uint8Array.of(EF.photo >> 8, EF.photo & 0xff))).sw, SW.OK);
  t.same(secure(command(0, INS.readBinary, 0, 0, undefined, 8)).data, image.files.get(EF.photo)!.subarray(0, 8));
});

t.test(
  "the modelled link: 3 ms an APDU, its bytes at 424 kbit/s, a quarter millisecond per chained frame; nothing for the reader's own commands",
  async (t) => {
    const read = encodeCommand(command(0x0c, INS.readBinary, 0, 0, new Uint8Array(13), 256));
    t.equal(modelledLinkDelayMs(read, 16), 3 + ((read.length + 16) * 8) / 424);
    t.equal(
      modelledLinkDelayMs(read, 1100),
      3 + ((read.length + 1100) * 8) / 424 + 4 * 0.25,
      '1,100 bytes back: four frames chained after the first',
    );
    t.equal(modelledLinkDelayMs(encodeCommand(command(CLA_PCSC_READER, INS.getData, 0, 0, undefined, 256)), 9), 0);
  },
);

t.test('the card counts what the modelled link charges for its APDUs, delayed or not', async (t) => {
  const icc = new FaultyIcc(new VirtualKtpCard(personaCardImage(persona('valid'))), {});
  const uid = encodeCommand(command(CLA_PCSC_READER, INS.getData, 0, 0, undefined, 256));
  const selectDf = encodeCommand(command(0, INS.select, 1, 0x0c, Uint8Array.of(DF_KTP >> 8, DF_KTP & 0xff)));
  const charged = [uid, selectDf].reduce((ms, apdu) => ms + modelledLinkDelayMs(apdu, icc.transmit(apdu).length), 0);
  t.ok(charged > 3, 'the SELECT crossed the link');
  t.equal(icc.linkMsModelled, charged);
  t.equal(icc.count, 2);
});
