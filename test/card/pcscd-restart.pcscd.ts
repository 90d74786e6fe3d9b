/**
 * pcscd stopped and restarted under an idle kiosk, over real PC/SC (node -> pcscd -> vpcd): the
 * kiosk notices it is gone, comes back to ready with the SAM opened once more, and reads a card.
 *
 * It stops and starts the machine's pcscd, so it is not in tap's parallel run: `make test` runs
 * it on its own after the suite, like the reader power relay. Should the restart hang, pcscd is
 * started again before tap's timeout so nothing after this file finds it gone.
 */
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { persona } from '../../device/sim/personas.ts';
import { until } from '../support/until.ts';
import { takeVpcdSlots } from '../support/vpcd-slots.ts';
import { pcscHarness, pcscUnavailable } from './harness.ts';

const script = fileURLToPath(new URL('../setup/pcscd.sh', import.meta.url));
const why = pcscUnavailable();
if (why) {
  t.comment(why);
  t.pass('skipped: pcscd not running outside CI');
} else {
  t.teardown(await takeVpcdSlots());
  const rescue = setTimeout(() => {
    execFileSync('bash', [script, 'start']);
    t.fail('the restart did not finish within 120 s; pcscd was started again');
    process.exit(1);
  }, 120_000).unref();
  t.teardown(() => clearTimeout(rescue));
  // As in profile-pcsc.test.ts: leave through process.exit, bounded, should the binding hold on.
  t.teardown(() => void setTimeout(() => process.exit(), 10_000).unref());

  t.test('pcscd stopped and restarted while idle: the kiosk is back to ready', async (t) => {
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
