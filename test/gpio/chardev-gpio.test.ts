/**
 * The GPIO character-device driver at its port: this machine's kernel has no GPIO chip (nor
 * gpio-sim), so the GPIO helper is replaced by a stand-in speaking its protocol (JSON lines out,
 * "set LINE 0|1" in). What is checked is what the enclosure would do: which lines are requested
 * how, which levels they get, how the tamper switch is read through its bounce, and what a
 * missing chip, a refused chip or a lost helper does. The helper itself (gpio-helper.c) is
 * compiled in the image tree and run there as the daemon's user (test/systemd/booted.test.ts).
 */
import t, { type Test } from 'tap';
import { PassThrough } from 'node:stream';
import { createChardevGpio, GpioUnavailableError, lineArguments, type HelperProcess } from '../../device/gpio/chardev-gpio.ts';
import type { GpioLinesConfig } from '../../device/gpio/lines.ts';
import type { GpioEvent } from '../../device/flow/ports.ts';
import { ManualTimers } from './fake-timers.ts';

const chip = 'pinctrl-bcm2711';
const LINES: GpioLinesConfig = {
  ledGreen: { chip, offset: 17, direction: 'out' },
  ledAmber: { chip, offset: 27, direction: 'out' },
  ledRed: { chip, offset: 22, direction: 'out' },
  buzzer: { chip, offset: 23, direction: 'out' },
  readerPower: { chip, offset: 24, direction: 'out', activeLow: true },
  tamper: { chip, offset: 25, direction: 'in', activeLow: true, debounceMs: 30 },
};

/** A stand-in helper: records what it is started with and told; the test speaks for it. */
function standIn() {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const exits: Array<(code: number | null) => void> = [];
  const commands: string[] = [];
  let buffered = '';
  stdin.on('data', (d) => {
    buffered += String(d);
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    commands.push(...parts);
  });
  const state = { path: '', args: [] as string[], ended: false, killed: false, commands };
  stdin.on('finish', () => (state.ended = true));
  const say = (message: object) => stdout.write(`${JSON.stringify(message)}\n`);
  const exit = (code: number | null) => exits.forEach((l) => l(code));
  const spawn = (path: string, args: string[]): HelperProcess => {
    state.path = path;
    state.args = args;
    return { stdin, stdout, kill: () => (state.killed = true), onExit: (l) => exits.push(l) };
  };
  /** The value of each output after the commands so far. */
  const level = (line: string) => {
    const last = [...commands].reverse().find((c) => c.startsWith(`set ${line} `));
    return last ? Number(last.split(' ')[2]) : null;
  };
  const writes = (line: string) => commands.filter((c) => c.startsWith(`set ${line} `)).map((c) => Number(c.split(' ')[2]));
  return { spawn, state, say, exit, level, writes };
}

/** Waits for the stream's writes to reach the stand-in (they pass through the event loop). */
const settle = () => new Promise((r) => setImmediate(r));

async function open(t: Test, opts: { tamperOpen?: boolean } = {}) {
  const helper = standIn();
  const timers = new ManualTimers();
  const lost: GpioUnavailableError[] = [];
  const opening = createChardevGpio({ lines: LINES, spawn: helper.spawn, timers, onLost: (e) => lost.push(e) });
  helper.say({ ready: true });
  helper.say({ line: 'tamper', value: opts.tamperOpen ? 1 : 0 });
  const port = await opening;
  t.teardown(() => port.close());
  await settle();
  return { port, helper, timers, lost };
}

t.test('every line is requested by chip label and offset, with its direction and active-low', async (t) => {
  const { helper } = await open(t);
  t.equal(helper.state.path, '/usr/lib/anjungan/anjungan-gpio', "the image's GPIO helper");
  t.same(helper.state.args, [
    'ledGreen:pinctrl-bcm2711:17:out:0',
    'ledAmber:pinctrl-bcm2711:27:out:0',
    'ledRed:pinctrl-bcm2711:22:out:0',
    'buzzer:pinctrl-bcm2711:23:out:0',
    'readerPower:pinctrl-bcm2711:24:out:1',
    'tamper:pinctrl-bcm2711:25:in:1',
  ]);
  t.same(helper.writes('readerPower'), [1], 'the reader is powered from the start');
});

t.test('a line in the wrong direction or a label that would break the argument is refused before anything starts', async (t) => {
  const refusal = (lines: GpioLinesConfig) => {
    try {
      lineArguments(lines);
      return null;
    } catch (e) {
      return e;
    }
  };
  t.match(refusal({ ...LINES, tamper: { ...LINES.tamper, direction: 'out' } }), { name: 'GpioUnavailableError', problem: 'badArgument' });
  t.match(refusal({ ...LINES, ledRed: { ...LINES.ledRed, chip: 'a:b' } }), { name: 'GpioUnavailableError', problem: 'badArgument' });
});

t.test('lights: steady ones hold, a blinking one toggles every half second; the buzzer plays the tone', async (t) => {
  const { port, helper, timers } = await open(t);
  port.setLights({ green: 'on', amber: 'off', red: 'off' });
  await settle();
  t.same([helper.level('ledGreen'), helper.level('ledAmber'), helper.level('ledRed')], [1, 0, 0]);
  port.setLights({ green: 'off', amber: 'blink', red: 'off' });
  await settle();
  const amber = [helper.level('ledAmber')];
  for (let i = 0; i < 4; i++) {
    timers.advance(500);
    await settle();
    amber.push(helper.level('ledAmber'));
  }
  t.same(amber, [1, 0, 1, 0, 1], 'amber blinks');
  port.setLights({ green: 'off', amber: 'off', red: 'on' });
  timers.advance(2000);
  await settle();
  t.same([helper.level('ledAmber'), helper.level('ledRed')], [0, 1], 'blinking stops with the next state');
  t.equal(timers.count, 0, 'no blink timer left running');
  port.sound('error');
  timers.advance(5000);
  await settle();
  t.same(helper.writes('buzzer'), [1, 0, 1, 0], 'the error tone is two long beeps');
});

t.test('the relay cuts and restores the reader power', async (t) => {
  const { port, helper } = await open(t);
  await port.setReaderPower(false);
  await port.setReaderPower(true);
  await settle();
  t.same(helper.writes('readerPower'), [1, 0, 1]);
});

t.test('a bouncing tamper switch is reported once, after it settles', async (t) => {
  const { port, helper, timers } = await open(t);
  const events: GpioEvent[] = [];
  port.subscribe((e) => events.push(e));
  const edge = async (v: 0 | 1) => {
    helper.say({ line: 'tamper', value: v });
    await settle();
  };
  for (const v of [1, 0, 1, 0, 1, 0, 1] as const) {
    await edge(v);
    timers.advance(2);
  }
  t.equal(port.tamperOpen(), false, 'not yet: the level has not held for 30 ms');
  timers.advance(30);
  t.equal(port.tamperOpen(), true);
  t.same(events, [{ type: 'tamper', open: true }]);
  await edge(0);
  timers.advance(10);
  await edge(1);
  timers.advance(100);
  t.same(events, [{ type: 'tamper', open: true }], 'a 10 ms spike is ignored');
  await edge(0);
  timers.advance(30);
  t.same(
    events,
    [
      { type: 'tamper', open: true },
      { type: 'tamper', open: false },
    ],
    'closing is reported once settled',
  );
});

t.test("an enclosure open at start reads as open; close ends the helper's input, which releases the lines", async (t) => {
  const { port, helper } = await open(t, { tamperOpen: true });
  t.equal(port.tamperOpen(), true);
  port.close();
  await settle();
  t.equal(helper.state.ended, true);
});

t.test('what the helper says at start becomes a typed refusal: no chip, a chip this user may not open, a missing helper', async (t) => {
  for (const [problem, message] of [
    ['noChip', 'no GPIO chip on this machine (no /dev/gpiochip*)'],
    ['noAccess', 'a GPIO chip cannot be opened by this user'],
    ['chipNotFound', 'no GPIO chip labelled "pinctrl-bcm2711" (found: pinctrl-rp1)'],
  ] as const) {
    const helper = standIn();
    const opening = createChardevGpio({ lines: LINES, spawn: helper.spawn, timers: new ManualTimers() });
    helper.say({ error: problem, message });
    helper.exit(2);
    const err = (await opening.catch((e: unknown) => e)) as GpioUnavailableError;
    t.ok(err instanceof GpioUnavailableError, problem);
    t.equal(err.problem, problem);
    t.match(err.message, message);
  }
  const missing = await createChardevGpio({ lines: LINES, helperPath: '/nonexistent/anjungan-gpio' }).catch((e: unknown) => e);
  t.match(missing, { name: 'GpioUnavailableError', problem: 'helperMissing', message: /\/nonexistent\/anjungan-gpio is not installed/ });
});

t.test('a helper lost after the start is reported, not ignored', async (t) => {
  const { helper, lost } = await open(t);
  helper.exit(139);
  t.match(lost, [{ problem: 'helperExited', message: /exited \(139\)/ }]);
});
