/**
 * The card-reading specification over real PC/SC: node -> pcscd -> vpcd -> virtual KTP-el, with
 * the virtual SAM in the second vpcd reader. Needs pcscd (make test starts it).
 */
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { persona } from '../../device/sim/personas.ts';
import { pcscHarness, pcscUnavailable } from './harness.ts';
import { until } from '../support/until.ts';
import { profileSuite } from './profile-suite.ts';
import { takeVpcdSlots } from '../support/vpcd-slots.ts';

const why = pcscUnavailable();
if (why) {
  t.comment(why);
  t.pass('skipped: pcscd not running outside CI');
} else {
  // The production rehearsal puts cards into the same vpcd slots: one test file at a time.
  t.teardown(await takeVpcdSlots());
  // Once in a while the PC/SC binding keeps a handle open after pcscd was restarted under it, and
  // this process, its tests all reported, waited for tap's 300 s timeout (once, in a fresh-clone
  // run on the 2-core machine). The daemon leaves through process.exit; so does this file, bounded.
  t.teardown(() => void setTimeout(() => process.exit(), 10_000).unref());
  profileSuite(t, pcscHarness, { removalStride: 1 });

  t.test('pcscd stopped and restarted while idle: the kiosk is back to ready', async (t) => {
    const script = fileURLToPath(new URL('../setup/pcscd.sh', import.meta.url));
    const h = await pcscHarness();
    t.teardown(async () => {
      execFileSync('bash', [script, 'start']);
      await h.close();
    });
    t.same(h.port.health(), { idReader: 'ready', cardPresent: false, sam: 'ready', readers: 2 });
    execFileSync('bash', [script, 'stop']);
    await until(() => h.port.health().idReader !== 'ready', 'the port to notice pcscd is gone');
    t.not(h.port.health().idReader, 'ready', 'out of service while pcscd is down');
    execFileSync('bash', [script, 'start']);
    await until(() => h.port.health().idReader === 'ready' && h.port.health().sam === 'ready', 'health back to ready', 5000);
    t.equal(h.samOpenAttempts(), 2, 'the SAM (power-cycled with pcscd) was opened once more');
    await h.insert(persona('valid'));
    await h.port.readTemplates(new AbortController().signal, () => undefined);
    const record = await h.port.readRecord(new AbortController().signal, () => undefined);
    t.same(record.person, persona('valid').card, 'a card reads after the restart');
  });
}
