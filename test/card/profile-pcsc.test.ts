/**
 * The card-reading specification over real PC/SC: node -> pcscd -> vpcd -> virtual KTP-el, with
 * the virtual SAM in the second vpcd reader. Needs pcscd (make test starts it). pcscd restarted
 * under the kiosk is test/card/pcscd-restart.pcscd.ts, run alone after the suite.
 */
import t from 'tap';
import { pcscHarness, pcscUnavailable } from './harness.ts';
import { profileSuite } from './profile-suite.ts';
import { takeVpcdSlots } from '../support/vpcd-slots.ts';

const why = pcscUnavailable();
if (why) {
  t.comment(why);
  t.pass('skipped: pcscd not running outside CI');
} else {
  // The production rehearsal puts cards into the same vpcd slots: one test file at a time.
  t.teardown(await takeVpcdSlots());
  // The PC/SC binding has once kept this process alive after its tests all reported: the file
  // leaves through process.exit 10 s after its teardown, as the daemon does.
  t.teardown(() => void setTimeout(() => process.exit(), 10_000).unref());
  profileSuite(t, pcscHarness, { removalStride: 1 });
}
