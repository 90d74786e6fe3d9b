/**
 * Personalisation of a virtual KTP-el from a demo persona: the same persona data demo mode
 * uses, laid out as ktp-layout.ts says, signed by the test issuer key. A persona marked
 * `tamperedSignature` gets data that differs from what the issuer signed (altered after issue).
 */
import { createHash, sign } from 'node:crypto';
import type { Persona } from '../personas.ts';
import { cardTemplateFiles } from '../persona-fingers.ts';
import { EF, encodeBiodata, encodeDirectory, encodeImage, encodeSignatureFile, signedContent } from '../../card/ktp-layout.ts';
import { diversifiedCardKeys, type CardKeys } from './keys.ts';
import { syntheticPhoto, syntheticSignature } from './images.ts';

export interface CardImage {
  /** 7-byte ISO 14443-A UID. */
  uid: Uint8Array;
  keys: CardKeys;
  /** EF contents by file identifier, the directory 6FF0 included. */
  files: Map<number, Uint8Array>;
}

export function personaUid(p: Persona): Uint8Array {
  const h = createHash('sha256').update(`uid/${p.id}`).digest();
  const uid = new Uint8Array(h.subarray(0, 7));
  uid[0] = 0x04; // NXP-style manufacturer byte: looks like a real card UID
  return uid;
}

/**
 * `fingerFiles` replaces the persona's synthesized templates (EF 6FF4, 6FF5): the production
 * rehearsal enrols rendered finger images instead, so a live image can be matched against them.
 */
export function personaliseCard(
  p: Persona,
  issuerPrivateKeyPem: string,
  masterKey: Uint8Array,
  fingerFiles: [Uint8Array, Uint8Array] = cardTemplateFiles(p),
): CardImage {
  const uid = personaUid(p);
  const [finger1, finger2] = fingerFiles;
  const extras = { ...p.cardExtras, berlakuHingga: 'SEUMUR HIDUP' };
  const issued = new Map<number, Uint8Array>([
    [EF.biodata, encodeBiodata(p.card, extras)],
    [EF.photo, encodeImage('photo', syntheticPhoto(p.id))],
    [EF.signatureImage, encodeImage('signatureImage', syntheticSignature(p.id))],
    [EF.finger1, finger1],
    [EF.finger2, finger2],
  ]);
  const signature = sign('sha256', signedContent(issued), { key: issuerPrivateKeyPem, dsaEncoding: 'ieee-p1363' });
  const files = new Map(issued);
  if (p.tamperedSignature) {
    files.set(EF.biodata, encodeBiodata({ ...p.card, alamat: { ...p.card.alamat, jalan: `${p.card.alamat.jalan} A` } }, extras));
  }
  files.set(EF.digitalSignature, encodeSignatureFile(new Uint8Array(signature)));
  const sizes = new Map([...files].map(([fid, bytes]) => [fid, bytes.length] as [number, number]));
  files.set(EF.directory, encodeDirectory(sizes));
  return { uid, keys: diversifiedCardKeys(masterKey, uid), files };
}
