/**
 * The kiosk's real fingerprint sensor: an image sensor driven by libfprint through the capture
 * helper (a child process, see capture-helper.c), whose images our own extractor turns into an
 * ISO/IEC 19794-2 template for the matcher.
 *
 * Supervision: the helper is started at start(), the configured device opened, and a PING every
 * `pingIntervalMs` proves its main loop alive. A helper that exits, breaks the protocol or misses
 * a PONG is killed and started again after a backoff (doubling up to `maxBackoffMs`); meanwhile
 * health is `error` (or `missing` when the helper runs but no matching device is attached) and a
 * capture in flight fails with DeviceError('sensorUnavailable'). Health is `ready` again once a
 * new helper has opened the device.
 *
 * A capture is cancelled in the helper (libfprint's GCancellable) when the caller's signal aborts,
 * so a taxpayer who walks away does not leave the sensor armed for the next one.
 */
import { DeviceError } from '../domain/failure.ts';
import type { FingerCapture, FingerprintSensorPort } from '../flow/ports.ts';
import type { CaptureHint } from '../domain/capture-hint.ts';
import type { Logger } from '../log.ts';
import type { FingerprintConfig } from '../config.ts';
import { TemplateFormatError } from './format-error.ts';
import { extractTemplate, type ExtractedTemplate } from './extract/index.ts';
import { CaptureHelper, CaptureHelperError, type FingerImage, type RetryReason, type SensorDevice } from './capture-helper.ts';

/** The image → minutiae extractor, as the sensor uses it: a hint means "do not match this". */
export type TemplateExtractor = (image: FingerImage, fingerPosition: number) => ExtractedTemplate;

/** Our own extractor (./extract): the one production uses. */
export const isoTemplateExtractor: TemplateExtractor = (image, fingerPosition) =>
  extractTemplate({ width: image.width, height: image.height, pixels: image.pixels, dpi: image.resolutionDpi }, fingerPosition);

export interface DeviceSelection {
  /** libfprint driver name to use (e.g. "uru4000", "virtual_image"); any when absent. */
  driver?: string;
  /** Which of the matching devices, in libfprint's order. */
  index: number;
}

export interface LibfprintSensorOptions {
  helperPath: string;
  device: DeviceSelection;
  /** Resolution assumed when the device does not report one (libfprint's virtual device). */
  defaultResolutionDpi: number;
  extractor: TemplateExtractor;
  logger: Logger;
  /** Extra environment for the helper (FP_VIRTUAL_IMAGE in tests). */
  env?: Record<string, string>;
  pingIntervalMs?: number;
  pingTimeoutMs?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Time the helper gets to list and open the device. */
  openTimeoutMs?: number;
}

type SensorHealth = 'ready' | 'missing' | 'error';

/** libfprint's retry advice, in the taxpayer's terms. */
const RETRY_HINTS: Record<RetryReason, CaptureHint> = {
  general: 'cleanFinger',
  tooShort: 'pressLonger',
  centerFinger: 'placeCentered',
  removeFinger: 'cleanFinger',
};

export class LibfprintSensor implements FingerprintSensorPort {
  private readonly options: Required<Omit<LibfprintSensorOptions, 'env'>> & { env: Record<string, string> };
  private helper: CaptureHelper | null = null;
  private state: SensorHealth = 'error';
  private stopped = true;
  private backoffMs: number;
  private restartTimer: NodeJS.Timeout | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  /** The capture in flight, settled or not; null when none. */
  private previous: Promise<void> | null = null;
  private readonly healthListeners: Array<(h: SensorHealth) => void> = [];
  /** How many helpers were started (1 + restarts); for health reporting and tests. */
  starts = 0;

  constructor(options: LibfprintSensorOptions) {
    this.options = {
      env: {},
      pingIntervalMs: 2000,
      pingTimeoutMs: 3000,
      minBackoffMs: 250,
      maxBackoffMs: 30_000,
      openTimeoutMs: 10_000,
      ...options,
    };
    this.backoffMs = this.options.minBackoffMs;
  }

  health(): SensorHealth {
    return this.state;
  }

  onHealthChange(listener: (h: SensorHealth) => void): void {
    this.healthListeners.push(listener);
  }

  /** Starts the helper and opens the device; resolves once the first attempt settled either way. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.launch();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    const helper = this.helper;
    this.helper = null;
    if (helper) {
      if (this.previous) helper.cancel();
      await helper.shutdown();
    }
  }

  async capture(fingerPosition: number, signal: AbortSignal): Promise<FingerCapture> {
    if (signal.aborted) throw signal.reason;
    if (!Number.isInteger(fingerPosition) || fingerPosition < 0 || fingerPosition > 10) {
      throw new TemplateFormatError('badFingerPosition', 'finger position code must be 0..10');
    }
    // A cancelled capture ends when the helper confirms it (or is killed as hung): wait for that.
    while (this.previous) await this.previous;
    if (signal.aborted) throw signal.reason;
    const helper = this.helper;
    if (this.state !== 'ready' || !helper) throw new DeviceError('sensorUnavailable', 'fingerprint sensor is not ready');
    const onAbort = (): void => helper.cancel();
    signal.addEventListener('abort', onAbort, { once: true });
    let image: FingerImage;
    const capture = helper.capture();
    const settled = capture.then(
      () => undefined,
      () => undefined,
    );
    this.previous = settled;
    try {
      image = await capture;
    } catch (err) {
      if (signal.aborted) throw signal.reason;
      if (err instanceof CaptureHelperError && err.code === 'retry') return { kind: 'poorQuality', hint: RETRY_HINTS[err.retry ?? 'general'] };
      // libfprint's own check refused the image (e.g. no minutiae at all): a bad touch, not a broken sensor.
      if (err instanceof CaptureHelperError && err.code === 'captureFailed' && helper.alive) return { kind: 'poorQuality', hint: 'cleanFinger' };
      throw new DeviceError('sensorUnavailable', 'fingerprint capture failed', err instanceof CaptureHelperError ? { kind: 'sensorError', value: err.code } : undefined);
    } finally {
      if (this.previous === settled) this.previous = null;
      signal.removeEventListener('abort', onAbort);
    }
    if (signal.aborted) throw signal.reason;
    const resolutionDpi = image.resolutionDpi > 0 ? image.resolutionDpi : this.options.defaultResolutionDpi;
    let extraction: ExtractedTemplate;
    try {
      extraction = this.options.extractor({ ...image, resolutionDpi }, fingerPosition);
    } catch (err) {
      // An image the extractor refuses outright (size, resolution) is a misconfigured or failing device.
      throw new DeviceError('sensorUnavailable', 'fingerprint image cannot be used', { kind: 'sensorError', value: (err as Error).name });
    }
    if (extraction.hint) return { kind: 'poorQuality', hint: extraction.hint };
    return { kind: 'captured', template: { ...extraction.template, fingerPosition }, quality: extraction.quality };
  }

  private setHealth(h: SensorHealth): void {
    if (h === this.state) return;
    this.state = h;
    this.options.logger.info({ event: 'sensorHealth', health: h }, 'fingerprint sensor health changed');
    for (const l of this.healthListeners) l(h);
  }

  private async launch(): Promise<void> {
    if (this.stopped) return;
    this.starts += 1;
    const log = this.options.logger;
    const helper = new CaptureHelper({
      helperPath: this.options.helperPath,
      env: this.options.env,
      onStderr: (line) => log.debug({ event: 'sensorHelperLog', line }, 'capture helper'),
    });
    this.helper = helper;
    helper.onExit((err) => {
      if (this.helper !== helper) return;
      this.helper = null;
      if (this.pingTimer) clearInterval(this.pingTimer);
      if (this.stopped) return;
      log.warn({ event: 'sensorHelperExit', code: err.code, pid: helper.pid }, 'capture helper stopped; restarting');
      this.setHealth('error');
      this.scheduleRestart();
    });
    let timer: NodeJS.Timeout | undefined;
    try {
      const opened = (async () => {
        const devices = await helper.list();
        const index = pickDevice(devices, this.options.device);
        if (index < 0) return false;
        await helper.open(index);
        return true;
      })();
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new CaptureHelperError('exited', 'capture helper did not open the device in time')), this.options.openTimeoutMs);
      });
      const ok = await Promise.race([opened, timeout]);
      if (this.helper !== helper) return;
      if (!ok) {
        // No such device (unplugged): ask again later, with the same backoff as a crash.
        this.helper = null;
        this.setHealth('missing');
        await helper.shutdown();
        this.scheduleRestart();
        return;
      }
      this.backoffMs = this.options.minBackoffMs;
      this.setHealth('ready');
      this.watch(helper);
    } catch (err) {
      if (this.helper !== helper) return;
      log.warn({ event: 'sensorOpenFailed', code: err instanceof CaptureHelperError ? err.code : 'unknown' }, 'fingerprint sensor did not open');
      helper.kill();
    } finally {
      clearTimeout(timer);
    }
  }

  private watch(helper: CaptureHelper): void {
    this.pingTimer = setInterval(() => {
      let answered = false;
      helper.ping().then(
        () => (answered = true),
        () => undefined,
      );
      setTimeout(() => {
        if (!answered && this.helper === helper) {
          this.options.logger.warn({ event: 'sensorHelperHung', pid: helper.pid }, 'capture helper stopped answering; killing it');
          helper.kill();
        }
      }, this.options.pingTimeoutMs).unref();
    }, this.options.pingIntervalMs);
    this.pingTimer.unref();
  }

  private scheduleRestart(): void {
    if (this.stopped || this.restartTimer) return;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, this.options.maxBackoffMs);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      void this.launch();
    }, delay);
    this.restartTimer.unref();
  }
}

/** Index in libfprint's device list of the configured device, or -1. */
export function pickDevice(devices: readonly SensorDevice[], selection: DeviceSelection): number {
  const matching = devices.map((d, i) => ({ d, i })).filter(({ d }) => !selection.driver || d.driver === selection.driver);
  return matching[selection.index]?.i ?? -1;
}

/**
 * The sensor a production config names. libfprint's own environment variables (FP_*, e.g.
 * FP_DRIVERS_WHITELIST, or FP_VIRTUAL_IMAGE in the rehearsal) reach the helper unchanged.
 */
export function libfprintSensorFromConfig(config: FingerprintConfig, logger: Logger, env: NodeJS.ProcessEnv): LibfprintSensor {
  return new LibfprintSensor({
    helperPath: config.helperPath,
    device: config.device ?? { index: 0 },
    defaultResolutionDpi: config.defaultResolutionDpi ?? 500,
    extractor: isoTemplateExtractor,
    logger,
    env: libfprintEnv(env),
  });
}

/** libfprint's own variables (FP_*) of an environment: all the capture helper is given. */
export function libfprintEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[0].startsWith('FP_') && e[1] !== undefined));
}
