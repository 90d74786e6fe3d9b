/**
 * The card's directory (EF 6FF0) is read in one READ BINARY when it lists the usual files, in
 * two when it lists more; a directory too short to list every file the read needs makes the card
 * unreadable before the finger is asked for. Through the read profile and the virtual SAM.
 */
import t, { type Test } from 'tap';
import { decodeCommand, INS } from '../../device/card/apdu.ts';
import { DeviceError } from '../../device/domain/failure.ts';
import { EF, encodeDirectory, MIN_DIRECTORY_LENGTH } from '../../device/card/ktp-layout.ts';
import { createKtpProfile } from '../../device/card/ktp-profile.ts';
import { SAM_INS } from '../../device/card/sam-protocol.ts';
import { VirtualKtpCard } from '../../device/sim/vcard/card.ts';
import { DEMO_CARD_MASTER_KEY, DEMO_ISSUER_PUBLIC_KEY_PEM, demoSamSecret } from '../../device/sim/vcard/demo-keys.ts';
import { personaCardImage } from '../../device/sim/vcard/in-process.ts';
import { VirtualSam } from '../../device/sim/vcard/sam.ts';
import { persona } from '../../device/sim/personas.ts';

const signal = () => new AbortController().signal;

/** A valid card whose directory is `directory`; counts the plain commands the SAM protects. */
async function cardWithDirectory(t: Test, directory: Map<number, number>) {
  const image = personaCardImage(persona('valid'));
  const files = new Map(image.files);
  files.set(EF.directory, encodeDirectory(directory));
  const card = new VirtualKtpCard({ ...image, files });
  const sam = new VirtualSam(demoSamSecret(), DEMO_CARD_MASTER_KEY);
  const protectedCommands: Array<{ ins: number; ne: number }> = [];
  const profile = createKtpProfile({ issuerPublicKeyPem: DEMO_ISSUER_PUBLIC_KEY_PEM });
  t.equal(await profile.openSam({ transmit: async (apdu) => sam.transmit(apdu) }, demoSamSecret()), 'ready');
  const session = profile.begin({
    card: { transmit: async (apdu) => card.transmit(apdu) },
    sam: {
      transmit: async (apdu) => {
        const c = decodeCommand(apdu);
        if (c.ins === SAM_INS.wrap) {
          const plain = decodeCommand(c.data);
          protectedCommands.push({ ins: plain.ins, ne: plain.ne });
        }
        return sam.transmit(apdu);
      },
    },
  });
  return { image, session, protectedCommands };
}

const sizesOf = (files: ReadonlyMap<number, Uint8Array>) =>
  new Map([...files].filter(([fid]) => fid !== EF.directory).map(([fid, b]) => [fid, b.length] as [number, number]));

/** The READ BINARYs between the directory's SELECT and the next SELECT. */
function directoryReads(commands: Array<{ ins: number; ne: number }>): number[] {
  const afterSelect = commands.slice(1);
  const next = afterSelect.findIndex((c) => c.ins === INS.select);
  return afterSelect.slice(0, next).map((c) => c.ne);
}

t.test('the usual directory takes one READ BINARY, and the whole read goes through', async (t) => {
  const image = personaCardImage(persona('valid'));
  const { session, protectedCommands } = await cardWithDirectory(t, sizesOf(image.files));
  await session.readTemplates(signal(), () => undefined);
  const record = await session.readRecord(signal(), () => undefined);
  t.equal(record.signatureValid, true);
  t.same(directoryReads(protectedCommands), [MIN_DIRECTORY_LENGTH]);
  session.end();
});

t.test('a directory listing more files than the read needs is read to its end in a second READ BINARY', async (t) => {
  const image = personaCardImage(persona('valid'));
  const directory = sizesOf(image.files);
  for (let fid = 0x6f00; fid < 0x6f10; fid++) directory.set(fid, 100);
  const encoded = encodeDirectory(directory).length;
  t.ok(encoded > 128, 'long enough for a two-byte length');
  const { session, protectedCommands } = await cardWithDirectory(t, directory);
  await session.readTemplates(signal(), () => undefined);
  const record = await session.readRecord(signal(), () => undefined);
  t.equal(record.signatureValid, true);
  t.same(directoryReads(protectedCommands), [MIN_DIRECTORY_LENGTH, encoded - MIN_DIRECTORY_LENGTH]);
  session.end();
});

t.test('a directory that lists only the fingers makes the card unreadable before the finger is asked for', async (t) => {
  const image = personaCardImage(persona('valid'));
  const directory = new Map([...sizesOf(image.files)].filter(([fid]) => fid === EF.finger1 || fid === EF.finger2));
  const { session } = await cardWithDirectory(t, directory);
  const error = await session.readTemplates(signal(), () => undefined).catch((e: unknown) => e);
  t.ok(error instanceof DeviceError, 'a typed error');
  t.equal((error as DeviceError).reason, 'cardUnreadable');
  session.end();
});
