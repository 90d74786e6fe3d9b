/**
 * TEST-ONLY key material for demo mode, pcsc-sim mode and the tests. Generated for this
 * repository; it protects nothing. A production kiosk gets the issuer public key from its
 * configuration and the SAM secret (PCID, configuration file) from provisioning, never from here.
 */
import { fromHex } from '../../card/apdu.ts';
import type { SamSecret } from '../../card/sam-protocol.ts';

/** Test issuer key pair (ECDSA P-256): the virtual cards are signed with the private half. */
export const DEMO_ISSUER_PRIVATE_KEY_PEM = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgNLTQ3rTg8qvpJY5C
VTPQRYEBizXw+ebNUuxzipeyeSahRANCAATFl7xr40vHXkWQ4Ytb1haSE9jxv6zQ
cTcRyJYzQPKaB+nj7eSoEbVhQSCQcmQReFNpu57fscwWPrBACfCsEM6V
-----END PRIVATE KEY-----
`;

export const DEMO_ISSUER_PUBLIC_KEY_PEM = `-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAExZe8a+NLx15FkOGLW9YWkhPY8b+s
0HE3EciWM0Dymgfp4+3kqBG1YUEgkHJkEXhTabue37HMFj6wQAnwrBDOlQ==
-----END PUBLIC KEY-----
`;

/** Test SAM secret: the virtual SAM opens only for PCID xor configuration of these two. */
export function demoSamSecret(): SamSecret {
  return {
    pcid: fromHex('cc1b3c4c1bc5a5238758ec9a657ebe52caa21f8d561121da64a2c07eb393a265'),
    configuration: fromHex('a742af7d8fd5aba654e784933c440de00bed0dfe25332ace02a66abd416cd138'),
  };
}

/** Test card master key held by the virtual SAM; each virtual card gets a key diversified from it. */
export const DEMO_CARD_MASTER_KEY = fromHex('b5ca04eb079ecebd11f6678c72c10e22');
