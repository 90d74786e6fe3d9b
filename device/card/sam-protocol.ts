/**
 * The SAM's instruction set as our reference profile uses it (DOMAIN.md: F0 open, F1 challenge,
 * F2 internal authenticate, F3 encrypt, F4 decrypt). Shared by the read profile and the virtual
 * SAM so both speak the same bytes.
 *
 * F0 open      data = PCID xor configuration (32 bytes)            -> 9000 | 6982 refused | 6983 blocked
 * F1 challenge data = card UID || RND.IC (8)                        -> E.IFD || M.IFD (40 bytes)
 * F2 int. auth data = E.IC || M.IC (40), the card's answer          -> 9000 | 6300 card not genuine
 * F3 wrap      data = plain command APDU                            -> protected command APDU
 * F4 unwrap    data = protected response APDU (incl. SW)            -> plain response (data || SW)
 */
export const SAM_CLA = 0x00;

export const SAM_INS = {
  open: 0xf0,
  challenge: 0xf1,
  internalAuthenticate: 0xf2,
  wrap: 0xf3,
  unwrap: 0xf4,
} as const;

export const SAM_OPEN_LENGTH = 32;

/** The kiosk's SAM secret from provisioning (SIFILMA activation). Never logged. */
export interface SamSecret {
  pcid: Uint8Array;
  configuration: Uint8Array;
}

export function samOpenToken(pcid: Uint8Array, configuration: Uint8Array): Uint8Array {
  if (pcid.length !== SAM_OPEN_LENGTH || configuration.length !== SAM_OPEN_LENGTH) throw new RangeError('SAM secret has the wrong length');
  return pcid.map((b, i) => b ^ configuration[i]!);
}
