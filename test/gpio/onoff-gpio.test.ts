/**
 * The onoff driver at its port: this machine has no GPIO, so onoff's Gpio class is replaced by a
 * recording one (same constructor and methods) and sysfs by a fake tree. What is checked is what
 * the enclosure would do: which line numbers open, which levels they get, how the tamper switch
 * is read through its bounce.
 */
import t, { type Test } from 'tap';
import { createOnoffGpio, GpioUnavailableError, loadOnoff, type OnoffGpioClass, type OnoffLine } from '../../device/gpio/onoff-gpio.ts';
import type { GpioLinesConfig } from '../../device/gpio/lines.ts';
import type { GpioEvent } from '../../device/flow/ports.ts';
import { ManualTimers } from './fake-timers.ts';
import { fakeSysfs, PI5_CHIPS } from './sysfs-trees.ts';

interface Recorded {
  gpio: number;
  direction: string;
  edge: string | undefined;
  activeLow: boolean | undefined;
  writes: number[];
  unexported: boolean;
  value: 0 | 1;
  watcher: ((err: Error | null | undefined, v: 0 | 1) => void) | null;
}

function recordingOnoff(accessible = true): { Gpio: OnoffGpioClass; lines: Map<number, Recorded> } {
  const lines = new Map<number, Recorded>();
  class FakeGpio implements OnoffLine {
    static accessible = accessible;
    private readonly r: Recorded;
    constructor(gpio: number, direction: 'in' | 'out', edge?: 'none' | 'both', options?: { activeLow?: boolean }) {
      this.r = { gpio, direction, edge, activeLow: options?.activeLow, writes: [], unexported: false, value: 0, watcher: null };
      lines.set(gpio, this.r);
    }
    writeSync(v: 0 | 1) {
      this.r.writes.push(v);
      this.r.value = v;
    }
    readSync() {
      return this.r.value;
    }
    watch(cb: (err: Error | null | undefined, v: 0 | 1) => void) {
      this.r.watcher = cb;
    }
    unexport() {
      this.r.unexported = true;
    }
  }
  return { Gpio: FakeGpio, lines };
}

const chip = 'pinctrl-rp1';
const LINES: GpioLinesConfig = {
  ledGreen: { chip, offset: 17, direction: 'out' },
  ledAmber: { chip, offset: 27, direction: 'out' },
  ledRed: { chip, offset: 22, direction: 'out' },
  buzzer: { chip, offset: 23, direction: 'out' },
  readerPower: { chip, offset: 24, direction: 'out', activeLow: true },
  tamper: { chip, offset: 25, direction: 'in', activeLow: true, debounceMs: 30 },
};
const GREEN = 571 + 17;
const AMBER = 571 + 27;
const RED = 571 + 22;
const BUZZER = 571 + 23;
const POWER = 571 + 24;
const TAMPER = 571 + 25;

function open(t: Test, opts: { accessible?: boolean; tamperOpenAtStart?: boolean } = {}) {
  const fs = fakeSysfs(PI5_CHIPS);
  t.teardown(fs.remove);
  const onoff = recordingOnoff(opts.accessible ?? true);
  const timers = new ManualTimers();
  const port = createOnoffGpio({ lines: LINES, sysfsRoot: fs.root, Gpio: onoff.Gpio, timers });
  const line = (n: number) => onoff.lines.get(n)!;
  return { port, timers, line, onoff };
}

t.test('without GPIO on the machine the driver refuses with a message that says so', async (t) => {
  const fs = fakeSysfs(PI5_CHIPS);
  t.teardown(fs.remove);
  const onoff = recordingOnoff(false);
  t.throws(() => createOnoffGpio({ lines: LINES, sysfsRoot: fs.root, Gpio: onoff.Gpio }), GpioUnavailableError);
  t.equal(onoff.lines.size, 0, 'no line was opened');
  t.equal(loadOnoff().accessible, false, 'and onoff itself says this machine has no GPIO');
});

t.test('every line opens at its resolved number, with its direction and active-low', async (t) => {
  const { port, line } = open(t);
  t.teardown(() => port.close());
  t.same(
    [GREEN, AMBER, RED, BUZZER, POWER, TAMPER].map((n) => [line(n).direction, line(n).edge, line(n).activeLow ?? false]),
    [
      ['out', 'none', false],
      ['out', 'none', false],
      ['out', 'none', false],
      ['out', 'none', false],
      ['out', 'none', true],
      ['in', 'both', true],
    ],
  );
  t.same(line(POWER).writes, [1], 'the reader is powered from the start');
});

t.test('lights: steady ones hold, a blinking one toggles every half second; the buzzer plays the tone', async (t) => {
  const { port, line, timers } = open(t);
  t.teardown(() => port.close());
  port.setLights({ green: 'on', amber: 'off', red: 'off' });
  t.same([line(GREEN).value, line(AMBER).value, line(RED).value], [1, 0, 0]);
  port.setLights({ green: 'off', amber: 'blink', red: 'off' });
  const amber: number[] = [line(AMBER).value];
  for (let i = 0; i < 4; i++) {
    timers.advance(500);
    amber.push(line(AMBER).value);
  }
  t.same(amber, [1, 0, 1, 0, 1], 'amber blinks');
  t.equal(line(GREEN).value, 0);
  port.setLights({ green: 'off', amber: 'off', red: 'on' });
  timers.advance(2000);
  t.same([line(AMBER).value, line(RED).value], [0, 1], 'blinking stops with the next state');
  t.equal(timers.count, 0, 'no blink timer left running');

  line(BUZZER).writes.length = 0;
  port.sound('error');
  timers.advance(5000);
  t.same(line(BUZZER).writes, [1, 0, 1, 0], 'the error tone is two long beeps');
  line(BUZZER).writes.length = 0;
  port.sound('cardRead');
  timers.advance(5000);
  t.same(line(BUZZER).writes, [1, 0], 'a card read is one short beep');
});

t.test('the relay cuts and restores the reader power', async (t) => {
  const { port, line } = open(t);
  t.teardown(() => port.close());
  await port.setReaderPower(false);
  await port.setReaderPower(true);
  t.same(line(POWER).writes, [1, 0, 1]);
});

t.test('a bouncing tamper switch is reported once, after it settles', async (t) => {
  const { port, line, timers } = open(t);
  t.teardown(() => port.close());
  const events: GpioEvent[] = [];
  port.subscribe((e) => events.push(e));
  const edge = (v: 0 | 1) => {
    line(TAMPER).value = v;
    line(TAMPER).watcher!(null, v);
  };
  // The enclosure is opened: the contact chatters for 12 ms.
  for (const v of [1, 0, 1, 0, 1, 0, 1] as const) {
    edge(v);
    timers.advance(2);
  }
  t.equal(port.tamperOpen(), false, 'not yet: the level has not held for 30 ms');
  timers.advance(30);
  t.equal(port.tamperOpen(), true);
  t.same(events, [{ type: 'tamper', open: true }]);
  // A spike shorter than the debounce time is no event at all.
  edge(0);
  timers.advance(10);
  edge(1);
  timers.advance(100);
  t.same(events, [{ type: 'tamper', open: true }], 'a 10 ms spike is ignored');
  edge(0);
  timers.advance(30);
  t.same(events, [{ type: 'tamper', open: true }, { type: 'tamper', open: false }], 'closing is reported once settled');
  line(TAMPER).watcher!(new Error('EIO'), 1);
  timers.advance(100);
  t.equal(port.tamperOpen(), false, 'a failed read is not an edge');
});

t.test('an enclosure open at start reads as open; close unexports every line', async (t) => {
  const fs = fakeSysfs(PI5_CHIPS);
  t.teardown(fs.remove);
  const onoff = recordingOnoff();
  const Opened = class extends onoff.Gpio {
    constructor(...args: ConstructorParameters<OnoffGpioClass>) {
      super(...args);
      if (args[1] === 'in') this.writeSync(1);
    }
  } as unknown as OnoffGpioClass;
  Opened.accessible = true;
  const port = createOnoffGpio({ lines: LINES, sysfsRoot: fs.root, Gpio: Opened, timers: new ManualTimers() });
  t.equal(port.tamperOpen(), true);
  port.close();
  t.ok([...onoff.lines.values()].every((l) => l.unexported));
});
