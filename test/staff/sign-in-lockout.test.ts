/**
 * The sign-in lockout over a real SQLite file: per operator and kiosk-wide, counted before the
 * PIN is checked, kept across a restart of the store, never holding a user ID not on file.
 */
import t from 'tap';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../device/store/db.ts';
import { hashStaffPin } from '../../device/store/credentials.ts';
import { KIOSK_WIDE_LOCK, OPERATOR_LOCK, SignInLockout } from '../../device/store/sign-in-lockout.ts';
import { OperatorSignIn } from '../../device/staff/sign-in.ts';

const at = { ms: Date.parse('2026-03-10T03:00:00Z') };
const clock = { now: () => new Date(at.ms) };

async function fixture(t: { teardown(f: () => void): void }) {
  const dir = mkdtempSync(join(tmpdir(), 'anj14a-lockout-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const staff = [await hashStaffPin('budi', '135790'), await hashStaffPin('siti', '246802')];
  let db = openDatabase(dir);
  const open = () => {
    const lockout = new SignInLockout(db, clock);
    return { lockout, signIn: new OperatorSignIn({ staff, permitted: () => true, lockout }) };
  };
  return {
    dir,
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

t.test('five wrong PINs lock that operator for fifteen minutes, across a restart', async (t) => {
  const f = await fixture(t);
  t.teardown(() => f.close());
  for (let i = 0; i < OPERATOR_LOCK.maxFailures - 1; i++) t.match(await f.signIn.signIn('budi', '000000'), { ok: false, refusal: 'wrongPin', operatorId: 'budi' });
  let { lockout, signIn } = f.restart();
  t.equal(lockout.failures('budi'), OPERATOR_LOCK.maxFailures - 1, 'the failures survive the restart');
  t.match(await signIn.signIn('budi', '000000'), { ok: false, refusal: 'wrongPin' });
  t.equal(lockout.lockedUntil('budi'), at.ms + OPERATOR_LOCK.lockMs);
  ({ lockout, signIn } = f.restart());
  t.same(await signIn.signIn('budi', '135790'), { ok: false, refusal: 'operatorLocked', operatorId: 'budi' }, 'the right PIN is refused after a restart too');
  t.same(await signIn.signIn('siti', '246802'), { ok: true, operatorId: 'siti' }, 'another operator is not locked');
  at.ms += OPERATOR_LOCK.lockMs;
  t.same(await signIn.signIn('budi', '135790'), { ok: true, operatorId: 'budi' }, 'accepted once the lock ended');
  t.equal(lockout.failures('budi'), 0, 'a success clears the count');
});

t.test('guessing across user IDs locks every sign-in kiosk-wide', async (t) => {
  const f = await fixture(t);
  t.teardown(() => f.close());
  // Spread under each operator's own limit: only the kiosk-wide bound can stop this.
  const ids = ['budi', 'siti', 'andi', 'dewi', 'eko', 'fitri', 'gita'];
  let tries = 0;
  while (tries < KIOSK_WIDE_LOCK.maxFailures - 1) {
    const r = await f.signIn.signIn(ids[tries % ids.length]!, '000000');
    t.equal(r.ok, false);
    t.not((r as { refusal: string }).refusal, 'locked', `try ${tries + 1} is checked`);
    tries++;
  }
  t.ok(f.lockout.failures('budi') < OPERATOR_LOCK.maxFailures, 'no single operator reached its own limit');
  let { lockout, signIn } = f.restart();
  t.equal(lockout.failures(null), KIOSK_WIDE_LOCK.maxFailures - 1, 'the kiosk-wide count survives the restart');
  await signIn.signIn('zaki', '000000');
  const until = at.ms + KIOSK_WIDE_LOCK.lockMs;
  t.equal(lockout.lockedUntil(null), until);
  ({ lockout, signIn } = f.restart());
  t.same(await signIn.signIn('siti', '246802'), { ok: false, refusal: 'locked', operatorId: 'siti', lockedUntil: until }, 'even a right PIN');
  t.match(await signIn.signIn('nobody', '246802'), { ok: false, refusal: 'locked', operatorId: null, lockedUntil: until });
  at.ms = until;
  t.same(await signIn.signIn('siti', '246802'), { ok: true, operatorId: 'siti' });

  const file = readFileSync(join(f.dir, 'anjungan.sqlite')).toString('latin1') + readFileSync(join(f.dir, 'anjungan.sqlite-wal')).toString('latin1');
  for (const unknown of ['andi', 'dewi', 'zaki', 'nobody']) t.notOk(file.includes(unknown), `${unknown} (not on file) is stored nowhere`);
});

t.test('successful sign-ins do not use up the kiosk-wide bound', async (t) => {
  const f = await fixture(t);
  t.teardown(() => f.close());
  for (let i = 0; i < KIOSK_WIDE_LOCK.maxFailures + 5; i++) t.equal((await f.signIn.signIn(i % 2 ? 'budi' : 'siti', i % 2 ? '135790' : '246802')).ok, true);
  t.equal(f.lockout.failures(null), 0);
});

t.test('a try is counted before the PIN is checked, so killing the daemon mid-check keeps it', async (t) => {
  const f = await fixture(t);
  t.teardown(() => f.close());
  const checking = f.signIn.signIn('budi', '000000');
  t.equal(f.lockout.failures('budi'), 1, 'counted for the operator while the hash is computed');
  t.equal(f.lockout.failures(null), 1, 'and kiosk-wide');
  await checking;
  t.equal(f.lockout.failures('budi'), 1);
  const right = f.signIn.signIn('budi', '135790');
  t.equal(f.lockout.failures('budi'), 2, 'a right PIN too counts until it is found right');
  await right;
  t.equal(f.lockout.failures('budi'), 0);
});

t.test('failures older than the window are forgotten', async (t) => {
  const f = await fixture(t);
  t.teardown(() => f.close());
  for (let i = 0; i < OPERATOR_LOCK.maxFailures - 1; i++) await f.signIn.signIn('budi', '000000');
  at.ms += OPERATOR_LOCK.windowMs;
  t.equal(f.lockout.failures('budi'), 0);
  await f.signIn.signIn('budi', '000000');
  t.equal(f.lockout.lockedUntil('budi'), null, 'one failure in a new window does not lock');
});
