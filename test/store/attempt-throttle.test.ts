/**
 * The staff PIN throttle over a real SQLite file (store/attempt-throttle.ts), through the two
 * checks that use it: operator sign-in (staff/sign-in.ts) and the kiosk's PIN pad
 * (StaffPinVerifier). Per source, with backoff to a ceiling, counted before the PIN is checked,
 * kept across a restart, never locking anybody else out, and telling staff.
 */
import t from 'tap';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../device/store/db.ts';
import { hashStaffPin, StaffPinVerifier } from '../../device/store/credentials.ts';
import {
  AttemptThrottle,
  BURST,
  KIOSK_SCREEN,
  KIOSK_SCREEN_THROTTLE,
  lanSource,
  OFFICE_LAN_THROTTLE,
  type AttemptSource,
  type GuessingSignal,
} from '../../device/store/attempt-throttle.ts';
import { OperatorSignIn } from '../../device/staff/sign-in.ts';

const at = { ms: Date.parse('2026-03-10T03:00:00Z') };
const clock = { now: () => new Date(at.ms) };
const STRANGER = lanSource('10.20.0.66');
const STAFF_PC = lanSource('10.20.0.12');

async function fixture(t: { teardown(f: () => void): void }) {
  const dir = mkdtempSync(join(tmpdir(), 'anj21-throttle-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const staff = [await hashStaffPin('budi', '135790'), await hashStaffPin('siti', '246802')];
  const signals: Array<[GuessingSignal, AttemptSource]> = [];
  let db = openDatabase(dir);
  const open = () => {
    const throttle = new AttemptThrottle(db, clock, (signal, source) => signals.push([signal, source]));
    return {
      throttle,
      signIn: new OperatorSignIn({ staff, permitted: () => true, throttle }),
      pinPad: new StaffPinVerifier(staff, throttle, () => true),
    };
  };
  return {
    dir,
    signals,
    ...open(),
    /** Closes and reopens the database: what a restart (or kill -9) of the daemon does. */
    restart() {
      db.close();
      db = openDatabase(dir);
      return open();
    },
    close: () => db.close(),
  };
}

t.test('a LAN source gets its free tries, then waits twice as long after each failure, up to the ceiling; across a restart', async (t) => {
  const f = await fixture(t);
  t.teardown(() => f.close());
  for (let i = 0; i < OFFICE_LAN_THROTTLE.freeFailures; i++)
    t.match(await f.signIn.signIn('budi', '000000', STRANGER), { ok: false, refusal: 'wrongPin' });
  t.equal(f.throttle.waitUntil(STRANGER), null, 'the free failures cost no wait');
  let { throttle, signIn } = f.restart();
  t.equal(throttle.failures(STRANGER), OFFICE_LAN_THROTTLE.freeFailures, 'the failures survive the restart');
  const waits: number[] = [];
  for (let i = 0; i < 12; i++) {
    await signIn.signIn('budi', '000000', STRANGER);
    const wait = throttle.wait(STRANGER)!;
    waits.push(wait.ms);
    const early = await signIn.signIn('budi', '135790', STRANGER);
    t.match(early, { ok: false, refusal: 'throttled', retryAt: wait.until }, 'while it waits, even the right PIN is not checked');
    at.ms = wait.until;
  }
  t.same(waits.slice(0, 4), [10_000, 20_000, 40_000, 80_000], 'doubling from the first wait');
  t.equal(Math.max(...waits), OFFICE_LAN_THROTTLE.maxWaitMs, 'up to the ceiling');
  t.equal(waits.at(-1), OFFICE_LAN_THROTTLE.maxWaitMs, 'and no further');
  ({ throttle, signIn } = f.restart());
  await signIn.signIn('budi', '000000', STRANGER);
  t.same(
    await signIn.signIn('budi', '135790', STRANGER),
    {
      ok: false,
      refusal: 'throttled',
      operatorId: 'budi',
      retryAt: at.ms + OFFICE_LAN_THROTTLE.maxWaitMs,
      retryInMs: OFFICE_LAN_THROTTLE.maxWaitMs,
    },
    'a restart gives no fresh tries',
  );
  at.ms += OFFICE_LAN_THROTTLE.maxWaitMs;
  t.same(await signIn.signIn('budi', '135790', STRANGER), { ok: true, operatorId: 'budi' }, 'once it has waited, a right PIN signs in');
  t.equal(throttle.failures(STRANGER), 0, 'and the source starts over');
});

t.test('a stranger slows only the source they use: staff elsewhere sign in at once, the targeted operator included', async (t) => {
  const f = await fixture(t);
  t.teardown(() => f.close());
  // Every user ID on file, many times over: under the old design this locked every operator and then the kiosk.
  for (let i = 0; i < 40; i++) await f.signIn.signIn(i % 2 ? 'budi' : 'siti', '000000', STRANGER);
  t.ok(f.throttle.waitUntil(STRANGER) !== null, 'the stranger waits');
  t.same(await f.signIn.signIn('budi', '135790', STAFF_PC), { ok: true, operatorId: 'budi' }, 'budi signs in from a staff PC');
  t.same(await f.signIn.signIn('siti', '246802', KIOSK_SCREEN), { ok: true, operatorId: 'siti' }, 'siti signs in at the kiosk');
  t.same(await f.pinPad.verifyPin('135790'), { staffId: 'budi' }, 'the PIN pad works');
  t.equal(
    f.throttle.failures(STRANGER),
    OFFICE_LAN_THROTTLE.freeFailures + 1,
    'tries refused while waiting are not counted (no PIN was checked)',
  );
});

t.test('the kiosk screen is one source for its sign-in form and its PIN pad, with a short ceiling', async (t) => {
  const f = await fixture(t);
  t.teardown(() => f.close());
  for (let i = 0; i < KIOSK_SCREEN_THROTTLE.freeFailures; i++) t.equal(await f.pinPad.verifyPin('000000'), null);
  t.equal(f.throttle.freeLeft(KIOSK_SCREEN), 0, 'the PIN pad used the free tries');
  t.match(await f.signIn.signIn('budi', '000000', KIOSK_SCREEN), { refusal: 'wrongPin' }, 'the sign-in form shares them');
  t.equal(f.throttle.wait(KIOSK_SCREEN)?.ms, KIOSK_SCREEN_THROTTLE.firstWaitMs);
  t.equal(await f.pinPad.verifyPin('135790'), null, 'the PIN pad waits too');
  // A stranger who keeps trying at the screen: staff never wait more than the ceiling.
  for (let i = 0; i < 20; i++) {
    at.ms = f.throttle.waitUntil(KIOSK_SCREEN) ?? at.ms;
    await f.pinPad.verifyPin('000000');
    t.ok(f.throttle.wait(KIOSK_SCREEN)!.ms <= KIOSK_SCREEN_THROTTLE.maxWaitMs);
  }
  at.ms += KIOSK_SCREEN_THROTTLE.maxWaitMs;
  t.same(await f.pinPad.verifyPin('135790'), { staffId: 'budi' }, 'after at most a minute, staff are in');
  t.same(await f.signIn.signIn('siti', '246802', KIOSK_SCREEN), { ok: true, operatorId: 'siti' });
});

t.test('a try is counted before the PIN is checked, so killing the daemon mid-check keeps it', async (t) => {
  const f = await fixture(t);
  t.teardown(() => f.close());
  const checking = f.signIn.signIn('budi', '000000', STRANGER);
  t.equal(f.throttle.failures(STRANGER), 1, 'counted while the hash is computed');
  await checking;
  const right = f.pinPad.verifyPin('135790');
  t.equal(f.throttle.failures(KIOSK_SCREEN), 1, 'a right PIN too counts until it is found right');
  await right;
  t.equal(f.throttle.failures(KIOSK_SCREEN), 0);
  // Parallel tries from one source: the ones past the free failures find it waiting.
  const parallel = await Promise.all(Array.from({ length: 12 }, () => f.signIn.signIn('siti', '000000', STAFF_PC)));
  t.equal(
    parallel.filter((r) => !r.ok && r.refusal === 'throttled').length,
    12 - OFFICE_LAN_THROTTLE.freeFailures - 1,
    'parallel requests get no more checks than sequential ones',
  );
});

t.test('failures are forgotten after a quiet spell', async (t) => {
  const f = await fixture(t);
  t.teardown(() => f.close());
  for (let i = 0; i < 8; i++) {
    at.ms = f.throttle.waitUntil(KIOSK_SCREEN) ?? at.ms;
    await f.pinPad.verifyPin('000000');
  }
  at.ms += KIOSK_SCREEN_THROTTLE.forgetAfterMs;
  t.equal(f.throttle.failures(KIOSK_SCREEN), 0);
  t.equal(f.throttle.freeLeft(KIOSK_SCREEN), KIOSK_SCREEN_THROTTLE.freeFailures);
});

t.test('staff are told: a source made to wait, and a burst of failures spread over sources', async (t) => {
  const f = await fixture(t);
  t.teardown(() => f.close());
  for (let i = 0; i < OFFICE_LAN_THROTTLE.freeFailures; i++) await f.signIn.signIn('budi', '000000', STRANGER);
  t.same(f.signals, [], 'free failures alone tell nobody');
  await f.signIn.signIn('budi', '000000', STRANGER);
  t.same(f.signals, [['throttled', STRANGER]], 'the failure that makes the source wait does');
  f.signals.length = 0;
  // Many addresses, each under its free failures: only the burst shows them.
  const sources = ['10.20.0.70', '10.20.0.71', '10.20.0.72'].map(lanSource);
  for (let i = 0; f.signals.length === 0 && i < 30; i++) await f.signIn.signIn('siti', '000000', sources[i % 3]!);
  t.match(f.signals[0], ['burst'], `a burst once ${BURST.failures} failures fall within ${BURST.windowMs / 60_000} minutes`);
  t.ok(
    sources.every((s) => f.throttle.waitUntil(s) === null),
    'while no single address was made to wait',
  );
});

t.test('user IDs are never stored, and the answers do not depend on whether an ID exists', async (t) => {
  const f = await fixture(t);
  t.teardown(() => f.close());
  for (const id of ['andi', 'dewi', 'zaki', 'budi', 'nobody', 'siti']) await f.signIn.signIn(id, '000000', STRANGER);
  const known = await f.signIn.signIn('budi', '000000', STRANGER);
  const unknown = await f.signIn.signIn('nobody', '000000', STRANGER);
  t.match(known, { refusal: 'throttled' });
  t.same({ ...known, operatorId: null }, unknown, 'a waiting source is answered alike for any ID');
  const file =
    readFileSync(join(f.dir, 'anjungan.sqlite')).toString('latin1') + readFileSync(join(f.dir, 'anjungan.sqlite-wal')).toString('latin1');
  for (const id of ['andi', 'dewi', 'zaki', 'nobody', 'budi']) t.notOk(file.includes(id), `${id} is stored nowhere`);
});

t.test('a right PIN of an operator the roster does not permit (no NDA, disabled) is no staff PIN on the PIN pad', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'anj21-throttle-'));
  const db = openDatabase(dir);
  t.teardown(() => (db.close(), rmSync(dir, { recursive: true, force: true })));
  const throttle = new AttemptThrottle(db, clock);
  const staff = [await hashStaffPin('petugas-uji', '135790'), await hashStaffPin('tanpa-nda', '246802')];
  const verifier = new StaffPinVerifier(staff, throttle, (id) => id === 'petugas-uji');
  t.equal(await verifier.verifyPin('246802'), null);
  t.equal(throttle.failures(KIOSK_SCREEN), 1, 'and it counts as a wrong PIN');
  t.same(await verifier.verifyPin('135790'), { staffId: 'petugas-uji' });
});

t.test('LAN sources: an IPv4-mapped address is its IPv4 address; an IPv6 host is its /64', async (t) => {
  t.equal(lanSource('::ffff:10.20.0.5'), lanSource('10.20.0.5'));
  t.equal(lanSource('2001:db8:1:2::9'), lanSource('2001:db8:1:2:aaaa:bbbb:cccc:dddd'));
  t.not(lanSource('2001:db8:1:2::9'), lanSource('2001:db8:1:3::9'));
  t.equal(lanSource('2001:DB8:0001:0002::1'), 'lan:2001:db8:1:2::/64');
});
