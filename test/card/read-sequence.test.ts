/**
 * The protected commands a full read sends, through the read profile and the virtual SAM: each
 * file named by short identifier in its first READ BINARY, no SELECT, unless the card refuses
 * that form; the card's directory (EF 6FF0) in one READ BINARY when it lists the usual files, in
 * two when it lists more; a directory too short to list every file the read needs makes the card
 * unreadable before the finger is asked for.
 */
import t, { type Test } from 'tap';
import { decodeCommand, INS } from '../../device/card/apdu.ts';
import { DeviceError } from '../../device/domain/failure.ts';
import { EF, encodeDirectory, MAX_READ_BINARY, MIN_DIRECTORY_LENGTH, shortFileId } from '../../device/card/ktp-layout.ts';
import { createKtpProfile } from '../../device/card/ktp-profile.ts';
import { SAM_INS } from '../../device/card/sam-protocol.ts';
import { VirtualKtpCard } from '../../device/sim/vcard/card.ts';
import { DEMO_CARD_MASTER_KEY, DEMO_ISSUER_PUBLIC_KEY_PEM, demoSamSecret } from '../../device/sim/vcard/demo-keys.ts';
import { personaCardImage } from '../../device/sim/vcard/in-process.ts';
import { VirtualSam } from '../../device/sim/vcard/sam.ts';
import { persona } from '../../device/sim/personas.ts';

const signal = () => new AbortController().signal;

interface ProtectedCommand {
  ins: number;
  p1: number;
  ne: number;
}

/** A valid card whose directory is `directory`; counts the plain commands the SAM protects. */
async function cardWithDirectory(t: Test, directory?: Map<number, number>, card: { shortFileIds?: boolean } = {}) {
  const image = personaCardImage(persona('valid'));
  const files = new Map(image.files);
  if (directory) files.set(EF.directory, encodeDirectory(directory));
  const vcard = new VirtualKtpCard({ ...image, files }, card);
  const sam = new VirtualSam(demoSamSecret(), DEMO_CARD_MASTER_KEY);
  const protectedCommands: ProtectedCommand[] = [];
  const profile = createKtpProfile({ issuerPublicKeyPem: DEMO_ISSUER_PUBLIC_KEY_PEM });
  t.equal(await profile.openSam({ transmit: async (apdu) => sam.transmit(apdu) }, demoSamSecret()), 'ready');
  const session = profile.begin({
    card: { transmit: async (apdu) => vcard.transmit(apdu) },
    sam: {
      transmit: async (apdu) => {
        const c = decodeCommand(apdu);
        if (c.ins === SAM_INS.wrap) {
          const plain = decodeCommand(c.data);
          protectedCommands.push({ ins: plain.ins, p1: plain.p1, ne: plain.ne });
        }
        return sam.transmit(apdu);
      },
    },
  });
  return { image, session, protectedCommands };
}

const sizesOf = (files: ReadonlyMap<number, Uint8Array>) =>
  new Map([...files].filter(([fid]) => fid !== EF.directory).map(([fid, b]) => [fid, b.length] as [number, number]));

const namesFile = (c: ProtectedCommand) => c.ins === INS.select || (c.ins === INS.readBinary && (c.p1 & 0x80) !== 0);

/** The READ BINARYs of the directory, the first command, up to the command naming the next file. */
function directoryReads(commands: ProtectedCommand[]): number[] {
  const next = commands.findIndex((c, i) => i > 0 && namesFile(c));
  return commands.slice(0, next).map((c) => c.ne);
}

/** The order the profile reads the card's files in. */
const READ_ORDER = [EF.directory, EF.finger1, EF.finger2, EF.biodata, EF.photo, EF.signatureImage, EF.digitalSignature];

async function fullRead(session: Awaited<ReturnType<typeof cardWithDirectory>>['session']) {
  await session.readTemplates(signal(), () => undefined);
  const record = await session.readRecord(signal(), () => undefined);
  session.end();
  return record;
}

t.test('each file is named in its first READ BINARY and read in chunks of the most the card gives: no SELECT', async (t) => {
  const { image, session, protectedCommands } = await cardWithDirectory(t);
  t.equal((await fullRead(session)).signatureValid, true);
  const firsts = protectedCommands.filter(namesFile);
  t.same(
    firsts.map((c) => [c.ins, c.p1]),
    READ_ORDER.map((fid) => [INS.readBinary, 0x80 | shortFileId(fid)]),
    'one READ BINARY naming each file, in the read order',
  );
  const chunks = READ_ORDER.reduce(
    (n, fid) => n + (fid === EF.directory ? 1 : Math.ceil(image.files.get(fid)!.length / MAX_READ_BINARY)),
    0,
  );
  t.equal(protectedCommands.length, chunks, `${chunks} protected commands, all READ BINARY`);
});

t.test('a card that refuses short identifiers is read through SELECT after one refused READ BINARY, to the same record', async (t) => {
  const withIds = await cardWithDirectory(t);
  const without = await cardWithDirectory(t, undefined, { shortFileIds: false });
  const record = await fullRead(without.session);
  t.same(record, await fullRead(withIds.session));
  t.same(
    without.protectedCommands.filter(namesFile).map((c) => c.ins),
    [INS.readBinary, ...READ_ORDER.map(() => INS.select)],
    'the refused read, then a SELECT for every file',
  );
  t.equal(without.protectedCommands.length, withIds.protectedCommands.length + 1 + READ_ORDER.length);
});

t.test('the usual directory takes one READ BINARY, and the whole read goes through', async (t) => {
  const image = personaCardImage(persona('valid'));
  const { session, protectedCommands } = await cardWithDirectory(t, sizesOf(image.files));
  t.equal((await fullRead(session)).signatureValid, true);
  t.same(directoryReads(protectedCommands), [MIN_DIRECTORY_LENGTH]);
});

t.test('a directory listing more files than the read needs is read to its end in a second READ BINARY', async (t) => {
  const image = personaCardImage(persona('valid'));
  const directory = sizesOf(image.files);
  for (let fid = 0x6f00; fid < 0x6f10; fid++) directory.set(fid, 100);
  const encoded = encodeDirectory(directory).length;
  t.ok(encoded > 128, 'long enough for a two-byte length');
  const { session, protectedCommands } = await cardWithDirectory(t, directory);
  t.equal((await fullRead(session)).signatureValid, true);
  t.same(directoryReads(protectedCommands), [MIN_DIRECTORY_LENGTH, encoded - MIN_DIRECTORY_LENGTH]);
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
