/**
 * Lines named by chip label + offset resolve to the sysfs numbers onoff needs, on the trees real
 * boards have; a wrong configuration stops the start with a message that says what is wrong.
 */
import t from 'tap';
import { GpioLineError, resolveLines, type GpioLinesConfig } from '../../device/gpio/lines.ts';
import { fakeSysfs, PI4_CHIPS, PI4_OLD_KERNEL_CHIPS, PI5_CHIPS } from './sysfs-trees.ts';

/** The reference enclosure's wiring on a Pi header: BCM 17, 27, 22, 23, 24 and 25. */
function wiring(chip: string): GpioLinesConfig {
  const out = (offset: number) => ({ chip, offset, direction: 'out' as const });
  return {
    ledGreen: out(17),
    ledAmber: out(27),
    ledRed: out(22),
    buzzer: out(23),
    readerPower: { ...out(24), activeLow: true },
    tamper: { chip, offset: 25, direction: 'in', debounceMs: 30 },
  };
}

t.test('Pi 4 on a current kernel: the header chip starts at 512', async (t) => {
  const fs = fakeSysfs(PI4_CHIPS);
  t.teardown(fs.remove);
  t.same(resolveLines(fs.root, wiring('pinctrl-bcm2711')), { ledGreen: 529, ledAmber: 539, ledRed: 534, buzzer: 535, readerPower: 536, tamper: 537 });
});

t.test('Pi 4 on an older kernel: the same configuration finds base 0', async (t) => {
  const fs = fakeSysfs(PI4_OLD_KERNEL_CHIPS);
  t.teardown(fs.remove);
  t.same(resolveLines(fs.root, wiring('pinctrl-bcm2711')), { ledGreen: 17, ledAmber: 27, ledRed: 22, buzzer: 23, readerPower: 24, tamper: 25 });
});

t.test('Pi 5: the header lines are on the RP1 chip, not on the first chip listed', async (t) => {
  const fs = fakeSysfs(PI5_CHIPS);
  t.teardown(fs.remove);
  t.same(resolveLines(fs.root, wiring('pinctrl-rp1')), { ledGreen: 588, ledAmber: 598, ledRed: 593, buzzer: 594, readerPower: 595, tamper: 596 });
});

t.test('a Pi 4 configuration on a Pi 5 names the chip it did not find and the chips there are', async (t) => {
  const fs = fakeSysfs(PI5_CHIPS);
  t.teardown(fs.remove);
  const err = t.throws(() => resolveLines(fs.root, wiring('pinctrl-bcm2711'))) as GpioLineError;
  t.equal(err.code, 'chipNotFound');
  t.match(err.message, /ledGreen: no gpiochip labelled "pinctrl-bcm2711" \(found: .*pinctrl-rp1/);
});

t.test('a kernel without sysfs GPIO (this machine, a container) is its own error', async (t) => {
  const fs = fakeSysfs(null);
  t.teardown(fs.remove);
  const err = t.throws(() => resolveLines(fs.root, wiring('pinctrl-bcm2711'))) as GpioLineError;
  t.equal(err.code, 'noSysfsGpio');
});

t.test('a missing chip among others: the lines on it fail, naming the line', async (t) => {
  const fs = fakeSysfs([PI4_CHIPS[0]!]);
  t.teardown(fs.remove);
  const lines = wiring('pinctrl-bcm2711');
  lines.readerPower = { chip: 'raspberrypi-exp-gpio', offset: 2, direction: 'out' };
  const err = t.throws(() => resolveLines(fs.root, lines)) as GpioLineError;
  t.equal(err.code, 'chipNotFound');
  t.match(err.message, /^gpio line readerPower:/);
});

t.test('an offset beyond the chip and a line in the wrong direction are refused', async (t) => {
  const fs = fakeSysfs(PI4_CHIPS);
  t.teardown(fs.remove);
  const far = wiring('pinctrl-bcm2711');
  far.buzzer = { chip: 'pinctrl-bcm2711', offset: 58, direction: 'out' };
  t.match(t.throws(() => resolveLines(fs.root, far)), { code: 'offsetOutOfRange', message: /buzzer: offset 58 is beyond pinctrl-bcm2711's 58 lines/ });
  const inverted = wiring('pinctrl-bcm2711');
  inverted.tamper = { chip: 'pinctrl-bcm2711', offset: 25, direction: 'out' };
  t.match(t.throws(() => resolveLines(fs.root, inverted)), { code: 'wrongDirection', message: /tamper must be an input/ });
});
