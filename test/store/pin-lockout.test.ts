/** The staff PIN lockout over a real SQLite file: five failures lock, the lock ends, a success resets. */
import t from 'tap';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../device/store/db.ts';
import { PinLockout } from '../../device/store/pin-lockout.ts';
import { hashStaffPin, StaffPinVerifier } from '../../device/store/credentials.ts';

const at = { ms: Date.parse('2026-03-10T03:00:00Z') };
const clock = { now: () => new Date(at.ms) };
const onRoster = () => true;

t.test('five wrong PINs lock even the right one for five minutes; the count survives reopening', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'anj8-lockout-'));
  const staff = [await hashStaffPin('petugas-uji', '135790')];
  let db = openDatabase(dir);
  let verifier = new StaffPinVerifier(staff, new PinLockout(db, clock), onRoster);
  for (let i = 0; i < 4; i++) t.equal(await verifier.verifyPin('000000'), null);
  db.close();
  // A restart between the fourth and the fifth try keeps the four.
  db = openDatabase(dir);
  const lockout = new PinLockout(db, clock);
  verifier = new StaffPinVerifier(staff, lockout, onRoster);
  t.equal(lockout.state().failures, 4);
  t.equal(await verifier.verifyPin('000000'), null);
  t.equal(lockout.state().lockedUntil, at.ms + PinLockout.LOCK_MS);
  t.equal(await verifier.verifyPin('135790'), null, 'the right PIN is refused while locked');
  at.ms += PinLockout.LOCK_MS;
  t.same(await verifier.verifyPin('135790'), { staffId: 'petugas-uji' }, 'accepted once the lock ended');
  t.same(lockout.state(), { failures: 0, lockedUntil: null }, 'a success clears the count');
  db.close();
});

t.test('a try is counted before the PIN is checked, so a crash mid-check does not erase it', async (t) => {
  const db = openDatabase(mkdtempSync(join(tmpdir(), 'anj8-lockout-')));
  const lockout = new PinLockout(db, clock);
  const verifier = new StaffPinVerifier([await hashStaffPin('petugas-uji', '135790')], lockout, onRoster);
  const checking = verifier.verifyPin('000000');
  t.equal(lockout.state().failures, 1, 'counted while the hash is still being computed');
  await checking;
  t.equal(lockout.state().failures, 1);
  db.close();
});

t.test('a right PIN of an operator the roster does not permit (no NDA, disabled) is no staff PIN', async (t) => {
  const db = openDatabase(mkdtempSync(join(tmpdir(), 'anj14a-lockout-')));
  t.teardown(() => db.close());
  const lockout = new PinLockout(db, clock);
  const staff = [await hashStaffPin('petugas-uji', '135790'), await hashStaffPin('tanpa-nda', '246802')];
  const verifier = new StaffPinVerifier(staff, lockout, (id) => id === 'petugas-uji');
  t.equal(await verifier.verifyPin('246802'), null);
  t.equal(lockout.state().failures, 1, 'and it counts as a wrong PIN');
  t.same(await verifier.verifyPin('135790'), { staffId: 'petugas-uji' });
});
