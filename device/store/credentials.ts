/**
 * The credential file: secrets the kiosk needs and must never log or show (Dukcapil User ID,
 * password and IP_USER, the SAM's PCID and configuration, the audit and outbox keys, staff PIN
 * hashes). One JSON file, mode 0600, written atomically (temp file, fsync, rename) so a power
 * cut leaves either the old or the new file.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type BinaryLike } from 'node:crypto';
import { promisify } from 'node:util';
import type { Static } from 'typebox';
import * as Type from 'typebox/type';
import * as Value from 'typebox/value';
import type { StaffAuthPort } from '../flow/ports.ts';
import { KIOSK_SCREEN, type AttemptThrottle } from './attempt-throttle.ts';

const Hex = (bytes?: number) => Type.String({ pattern: bytes ? `^[0-9a-f]{${bytes * 2}}$` : '^([0-9a-f]{2})+$' });

const CredentialsSchema = Type.Object(
  {
    // Absent on a kiosk being provisioned or deactivated (anjungan-provision sets and erases them).
    dukcapil: Type.Optional(
      Type.Object(
        {
          userId: Type.String({ minLength: 1 }),
          password: Type.String({ minLength: 1 }),
          ipUser: Type.String({ minLength: 1 }),
          setAt: Type.Optional(Type.String()),
        },
        { additionalProperties: false },
      ),
    ),
    sam: Type.Optional(
      Type.Object(
        {
          pcid: Hex(32),
          configuration: Hex(32),
          /** SHA-256 of the configuration file as Disdukcapil delivered it, the ATR seen at install. */
          configurationSha256: Type.Optional(Hex(32)),
          atr: Type.Optional(Hex()),
          installedAt: Type.Optional(Type.String()),
        },
        { additionalProperties: false },
      ),
    ),
    auditKey: Hex(32),
    outboxKey: Hex(32),
    staff: Type.Array(
      Type.Object({ id: Type.String({ pattern: '^[a-z0-9-]{1,32}$' }), salt: Hex(16), hash: Hex(32) }, { additionalProperties: false }),
    ),
  },
  { additionalProperties: false },
);

export type Credentials = Static<typeof CredentialsSchema>;

/** Credentials of a kiosk that serves: a kiosk being provisioned (or deactivated) lacks these. */
export type ServingCredentials = Credentials & { dukcapil: NonNullable<Credentials['dukcapil']>; sam: NonNullable<Credentials['sam']> };

export function servingCredentials(credentials: Credentials): ServingCredentials {
  if (!credentials.dukcapil || !credentials.sam) {
    throw new Error('credentials are incomplete: set them with anjungan-provision credentials set and sam install');
  }
  return credentials as ServingCredentials;
}

/** The files in the state folder the kiosk's secrets and staff roster are read from. */
export interface StateFiles {
  credentials: string;
  /** The operator roster (anjungan-provision operators). */
  roster: string;
  /** The credential file arrived through systemd's LoadCredential= (anjungan.service). */
  fromSystemd: boolean;
}

export function stateFiles(stateDir: string, env: NodeJS.ProcessEnv): StateFiles {
  return {
    credentials: join(env.CREDENTIALS_DIRECTORY ?? stateDir, 'credentials.json'),
    roster: join(stateDir, 'operators.json'),
    fromSystemd: env.CREDENTIALS_DIRECTORY !== undefined,
  };
}

export class CredentialFileError extends Error {
  override readonly name = 'CredentialFileError';
  constructor(readonly code: 'missing' | 'permissions' | 'malformed') {
    super(`credential file ${code}`); // never the content: it holds secrets
  }
}

/**
 * `groupReadable`: systemd hands LoadCredential= files over as 0440 in a directory only the
 * service can enter; everywhere else the file must be 0600 or narrower.
 */
export function readCredentials(path: string, opts: { groupReadable?: boolean } = {}): Credentials {
  let text: string;
  try {
    const st = statSync(path);
    if ((st.mode & (opts.groupReadable ? 0o037 : 0o077)) !== 0) throw new CredentialFileError('permissions');
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof CredentialFileError) throw e;
    throw new CredentialFileError('missing');
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new CredentialFileError('malformed');
  }
  if (!Value.Check(CredentialsSchema, data)) throw new CredentialFileError('malformed');
  return data;
}

/**
 * The credentials the daemon starts with. A kiosk not yet provisioned may have no file: it gets
 * keys for this run only (its audit rows name no person).
 */
export function readStartCredentials(files: Pick<StateFiles, 'credentials' | 'fromSystemd'>, notProvisioned: boolean): Credentials {
  const read = () => readCredentials(files.credentials, { groupReadable: files.fromSystemd });
  if (!notProvisioned) return read();
  try {
    return read();
  } catch {
    return { auditKey: newKey(), outboxKey: newKey(), staff: [] };
  }
}

export function writeCredentials(path: string, credentials: Credentials): void {
  if (!Value.Check(CredentialsSchema, credentials)) throw new CredentialFileError('malformed');
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, JSON.stringify(credentials, null, 2));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

const scrypt = promisify(scryptCb) as (password: BinaryLike, salt: BinaryLike, keylen: number) => Promise<Buffer>;

/** Whether `pin` is the one `entry` was hashed from (scrypt, compared in constant time). */
export async function staffPinMatches(entry: Credentials['staff'][number], pin: string): Promise<boolean> {
  const hash = await scrypt(pin, Buffer.from(entry.salt, 'hex'), 32);
  return timingSafeEqual(hash, Buffer.from(entry.hash, 'hex'));
}

export async function hashStaffPin(id: string, pin: string): Promise<Credentials['staff'][number]> {
  const salt = randomBytes(16);
  const hash = await scrypt(pin, salt, 32);
  return { id, salt: salt.toString('hex'), hash: hash.toString('hex') };
}

export function newKey(): string {
  return randomBytes(32).toString('hex');
}

/**
 * Staff PIN check on the kiosk's PIN pad (staff assist, tamper clear). The kiosk screen is public,
 * so wrong PINs make the next try wait (store/attempt-throttle.ts, source kioskScreen: the same
 * budget as the kiosk's sign-in form), with a short ceiling so a stranger cannot keep staff from
 * the PIN pad for long. The count lives in the database, so a restart or a crash does not reset
 * it. `permitted` says whether an operator may act today (on the roster, NDA signed, not
 * disabled: staff/roster.ts); a PIN without a permitted operator is no staff PIN.
 */
export class StaffPinVerifier implements StaffAuthPort {
  constructor(
    private readonly staff: Credentials['staff'],
    private readonly throttle: AttemptThrottle,
    private readonly permitted: (operatorId: string) => boolean,
  ) {}

  async verifyPin(pin: string): Promise<{ staffId: string } | null> {
    if (this.throttle.waitUntil(KIOSK_SCREEN) !== null) return null;
    this.throttle.beginAttempt(KIOSK_SCREEN);
    for (const s of this.staff) {
      if ((await staffPinMatches(s, pin)) && this.permitted(s.id)) {
        this.throttle.succeeded(KIOSK_SCREEN);
        return { staffId: s.id };
      }
    }
    this.throttle.failed(KIOSK_SCREEN);
    return null;
  }
}
