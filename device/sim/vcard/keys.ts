/**
 * Card key diversification shared by the virtual SAM and the virtual card's personalisation:
 * each card's 3DES key seed is derived from the SAM's master key and the card UID, so the SAM
 * can authenticate any genuine card without holding per-card keys.
 */
import { createHash } from 'node:crypto';
import { deriveKey } from '../../card/sm.ts';

export interface CardKeys {
  kEnc: Uint8Array;
  kMac: Uint8Array;
}

export function diversifiedCardKeys(masterKey: Uint8Array, uid: Uint8Array): CardKeys {
  const seed = new Uint8Array(createHash('sha256').update(masterKey).update(uid).digest().subarray(0, 16));
  return { kEnc: deriveKey(seed, 1), kMac: deriveKey(seed, 2) };
}

/** An answer-to-reset with T=1 and the given historical bytes; TCK computed. */
export function atrWithHistory(history: Uint8Array): Uint8Array {
  if (history.length > 15) throw new RangeError('too many historical bytes');
  const body = [0x80 | history.length, 0x80, 0x01, ...history];
  const tck = body.reduce((x, b) => x ^ b, 0);
  return Uint8Array.from([0x3b, ...body, tck]);
}
