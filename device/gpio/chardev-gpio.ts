/**
 * The panel on real GPIO through the kernel's character device (/dev/gpiochipN, libgpiod 2):
 * three lights, a buzzer, the reader power relay and the enclosure tamper switch, each on the
 * line the configuration names by chip label and offset. The lines are held by our GPIO helper
 * (device/gpio/gpio-helper.c, /usr/lib/anjungan/anjungan-gpio on the image), a child process that
 * takes "set LINE 0|1" on its standard input and prints each input's level as JSON lines: no
 * Node binding for libgpiod 2 is maintained, and the sysfs interface onoff used is deprecated.
 * The udev rule of the image gives the daemon's gpio group the chips.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { GpioEvent, GpioPort } from '../flow/ports.ts';
import { INPUT_LINES, OUTPUT_LINES, type GpioLinesConfig, type LineRole } from './lines.ts';
import { Debouncer, PanelSignals, REAL_TIMERS, type Timers } from './signals.ts';

export const GPIO_HELPER = '/usr/lib/anjungan/anjungan-gpio';
const DEFAULT_DEBOUNCE_MS = 20;
const START_TIMEOUT_MS = 10_000;

export type GpioProblem =
  'noChip' | 'chipNotFound' | 'noAccess' | 'offsetOutOfRange' | 'busy' | 'badArgument' | 'ioError' | 'helperMissing' | 'helperExited';

export class GpioUnavailableError extends Error {
  override readonly name = 'GpioUnavailableError';
  constructor(
    readonly problem: GpioProblem,
    message: string,
  ) {
    super(message);
  }
}

/** The helper process as the driver sees it (tests give a stand-in). */
export interface HelperProcess {
  stdin: Writable;
  stdout: Readable;
  kill(): void;
  onExit(listener: (code: number | null) => void): void;
}

export type SpawnHelper = (path: string, args: string[]) => HelperProcess;

const spawnHelper: SpawnHelper = (path, args) => {
  const child = spawn(path, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited: Array<(code: number | null) => void> = [];
  let code: number | null | undefined;
  child.on('exit', (c) => {
    code = c;
    for (const l of exited) l(c);
  });
  child.on('error', (err) => {
    code = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 127 : 126;
    for (const l of exited) l(code);
  });
  return {
    stdin: child.stdin!,
    stdout: child.stdout!,
    kill: () => child.kill(),
    onExit: (l) => (code === undefined ? exited.push(l) : l(code)),
  };
};

/** The helper's argument for one line: NAME:CHIP_LABEL:OFFSET:in|out:ACTIVE_LOW. */
export function lineArguments(lines: GpioLinesConfig): string[] {
  return [...OUTPUT_LINES, ...INPUT_LINES].map((role) => {
    const l = lines[role];
    const expected = (INPUT_LINES as readonly string[]).includes(role) ? 'in' : 'out';
    if (l.direction !== expected)
      throw new GpioUnavailableError('badArgument', `gpio line ${role} must be an ${expected === 'in' ? 'input' : 'output'}`);
    if (l.chip.includes(':')) throw new GpioUnavailableError('badArgument', `gpio line ${role}: a chip label cannot hold ":"`);
    return `${role}:${l.chip}:${l.offset}:${l.direction}:${l.activeLow ? 1 : 0}`;
  });
}

/**
 * Starts the helper and waits until it holds every line. The tamper input is asserted (1 after
 * active-low) while the enclosure is open; the reader power relay is asserted while powered.
 */
export async function createChardevGpio(opts: {
  lines: GpioLinesConfig;
  helperPath?: string;
  spawn?: SpawnHelper;
  timers?: Timers;
  onLost?: (err: GpioUnavailableError) => void;
}): Promise<GpioPort> {
  const timers = opts.timers ?? REAL_TIMERS;
  const helper = (opts.spawn ?? spawnHelper)(opts.helperPath ?? GPIO_HELPER, lineArguments(opts.lines));
  const listeners = new Set<(e: GpioEvent) => void>();
  let closing = false;
  let debouncer: Debouncer | null = null;
  let tamperAtStart: boolean | null = null;

  const started = new Promise<void>((resolve, reject) => {
    let ready = false;
    const timer = setTimeout(() => {
      helper.kill();
      reject(new GpioUnavailableError('ioError', 'the GPIO helper did not answer in time'));
    }, START_TIMEOUT_MS);
    const lines = createInterface({ input: helper.stdout });
    lines.on('line', (text) => {
      let message: { ready?: boolean; line?: LineRole; value?: 0 | 1; error?: GpioProblem; message?: string };
      try {
        message = JSON.parse(text);
      } catch {
        return;
      }
      if (message.error) {
        clearTimeout(timer);
        const err = new GpioUnavailableError(message.error, `GPIO: ${message.message ?? message.error}`);
        if (!ready) reject(err);
        else opts.onLost?.(err);
      } else if (message.ready) {
        ready = true;
      } else if (message.line === 'tamper' && (message.value === 0 || message.value === 1)) {
        if (debouncer) debouncer.sample(message.value === 1);
        else {
          // The first level comes right after "ready": the state the enclosure is in at start.
          tamperAtStart = message.value === 1;
          clearTimeout(timer);
          resolve();
        }
      }
    });
    helper.onExit((code) => {
      clearTimeout(timer);
      if (closing) return;
      const err =
        code === 127
          ? new GpioUnavailableError('helperMissing', `the GPIO helper ${opts.helperPath ?? GPIO_HELPER} is not installed`)
          : new GpioUnavailableError('helperExited', `the GPIO helper exited (${code})`);
      if (tamperAtStart === null) reject(err);
      else opts.onLost?.(err);
    });
  });
  await started;

  const set = (role: LineRole, on: boolean) => helper.stdin.write(`set ${role} ${on ? 1 : 0}\n`);
  const wired = { green: 'ledGreen', amber: 'ledAmber', red: 'ledRed', buzzer: 'buzzer' } as const;
  set('readerPower', true);
  const signals = new PanelSignals((line, asserted) => set(wired[line], asserted), timers);
  debouncer = new Debouncer(
    tamperAtStart!,
    opts.lines.tamper.debounceMs ?? DEFAULT_DEBOUNCE_MS,
    (open) => {
      for (const l of listeners) l({ type: 'tamper', open });
    },
    timers,
  );

  return {
    setLights: (lights) => signals.setLights(lights),
    sound: (tone) => signals.sound(tone),
    async setReaderPower(on) {
      set('readerPower', on);
    },
    tamperOpen: () => debouncer!.level,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      closing = true;
      listeners.clear();
      signals.close();
      debouncer!.close();
      // End of input: the helper releases the lines and exits.
      helper.stdin.end();
    },
  };
}
