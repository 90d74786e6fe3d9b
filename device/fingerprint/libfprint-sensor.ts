/**
 * The kiosk's real fingerprint sensor: an image sensor driven by libfprint through the capture
 * helper (a child process, see capture-helper.c). Each touch gives the image and libfprint's own
 * NBIS mindtct minutiae of it; our extractor (./extract, on a worker thread with a deadline)
 * judges the image — is it a finger, at the resolution its sensor is said to have, with enough
 * contact and contrast — and the template for the matcher is made from the minutiae the config
 * chooses (`fingerprint.minutiae`: libfprint's NBIS by default, chosen by measurement, see
 * docs/fingerprint.md; or our extractor's own).
 *
 * Resolution: libfprint reports none, so the image's resolution comes from the sensor table
 * (./sensor-resolution.ts) by the opened device's driver, overridden by `fingerprint.sensors`.
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
import type { FingerTemplate } from '../domain/finger-template.ts';
import type { FingerCapture, FingerprintSensorPort } from '../flow/ports.ts';
import type { CaptureHint } from '../domain/capture-hint.ts';
import type { Logger } from '../log.ts';
import type { FingerprintConfig } from '../config.ts';
import { TemplateFormatError } from './format-error.ts';
import {
  FingerImageError,
  fingerEdgeDistance,
  minutiaeRefusal,
  OWN_MINUTIAE_REFUSALS,
  type ExtractedTemplate,
  type Footprint,
  type SensorImage,
} from './extract/index.ts';
import { EXTRACTOR_DPI, PARAMETERS } from './extract/parameters.ts';
import { ExtractionTimeoutError, ExtractorWorker } from './extractor-worker.ts';
import { CaptureHelper, CaptureHelperError, type NbisCapture, type RetryReason, type SensorDevice } from './capture-helper.ts';
import { nbisToIsoMinutia } from './nbis.ts';
import { sensorResolution, type SensorResolution } from './sensor-resolution.ts';

/** The image judge and second extractor, as the sensor uses it: a hint means "do not match this". */
export interface TemplateExtractor {
  extract(image: SensorImage, fingerPosition: number): Promise<ExtractedTemplate>;
  close?(): Promise<void>;
}

/** Where the template's minutiae come from. */
export type MinutiaeSource = 'libfprint-nbis' | 'own';

/** Chosen by measurement on real captures (docs/fingerprint.md): NBIS's minutiae match best. */
export const DEFAULT_MINUTIAE_SOURCE: MinutiaeSource = 'libfprint-nbis';

/** The largest image accepted takes well under this on a Raspberry Pi 4; a hung extraction must not hold the kiosk. */
export const EXTRACTION_DEADLINE_MS = 5000;

/** Our extractor on its worker thread, with the deadline. */
export function workerExtractor(
  deadlineMs = EXTRACTION_DEADLINE_MS,
): TemplateExtractor & { close(): Promise<void>; warmUp(): Promise<void> } {
  const worker = new ExtractorWorker();
  return {
    extract: async (image, fingerPosition) => (await worker.extract(image, fingerPosition, deadlineMs)).result,
    close: () => worker.close(),
    warmUp: () => worker.warmUp(),
  };
}

export interface DeviceSelection {
  /** libfprint driver name to use (e.g. "uru4000", "virtual_image"); any when absent. */
  driver?: string;
  /** Which of the matching devices, in libfprint's order. */
  index: number;
}

export interface LibfprintSensorOptions {
  helperPath: string;
  device: DeviceSelection;
  /** Resolutions the config gives per driver, over the built-in table. */
  sensors?: Record<string, Pick<SensorResolution, 'nativeDpi' | 'enlargement'>>;
  minutiae?: MinutiaeSource;
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
  private readonly options: Required<Omit<LibfprintSensorOptions, 'env' | 'sensors' | 'minutiae'>> & {
    env: Record<string, string>;
    sensors: NonNullable<LibfprintSensorOptions['sensors']>;
    minutiae: MinutiaeSource;
  };
  /** libfprint driver of the device the current helper opened. */
  private driver = '';
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
      sensors: {},
      minutiae: DEFAULT_MINUTIAE_SOURCE,
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
    await this.options.extractor.close?.();
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
    let touch: NbisCapture;
    const capture =
      this.options.minutiae === 'libfprint-nbis' ? helper.captureNbis() : helper.capture().then((image) => ({ image, minutiae: [] }));
    const settled = capture.then(
      () => undefined,
      () => undefined,
    );
    this.previous = settled;
    try {
      touch = await capture;
    } catch (err) {
      if (signal.aborted) throw signal.reason;
      if (err instanceof CaptureHelperError && err.code === 'retry')
        return { kind: 'poorQuality', hint: RETRY_HINTS[err.retry ?? 'general'] };
      // libfprint's own check refused the image (e.g. no minutiae at all): a bad touch, not a broken sensor.
      if (err instanceof CaptureHelperError && err.code === 'captureFailed' && helper.alive)
        return { kind: 'poorQuality', hint: 'cleanFinger' };
      throw new DeviceError(
        'sensorUnavailable',
        'fingerprint capture failed',
        err instanceof CaptureHelperError ? { kind: 'sensorError', value: err.code } : undefined,
      );
    } finally {
      if (this.previous === settled) this.previous = null;
      signal.removeEventListener('abort', onAbort);
    }
    if (signal.aborted) throw signal.reason;
    const { image } = touch;
    const dpi = image.resolutionDpi > 0 ? image.resolutionDpi : sensorResolution(this.driver, this.options.sensors).dpi;
    let extraction: ExtractedTemplate;
    try {
      extraction = await this.options.extractor.extract(
        { width: image.width, height: image.height, pixels: image.pixels, dpi },
        fingerPosition,
      );
    } catch (err) {
      if (err instanceof ExtractionTimeoutError) {
        this.options.logger.warn({ event: 'fingerExtractionTimeout' }, 'minutiae extraction missed its deadline');
        return { kind: 'poorQuality', hint: 'cleanFinger' };
      }
      // An image the extractor refuses outright (size, resolution) is a misconfigured or failing device.
      throw new DeviceError('sensorUnavailable', 'fingerprint image cannot be used', {
        kind: 'sensorError',
        value: err instanceof FingerImageError ? err.name : 'extractorFailed',
      });
    }
    if (signal.aborted) throw signal.reason;
    const outcome = judgeTouch(touch, dpi, fingerPosition, extraction, this.options.minutiae);
    if (outcome.kind === 'poorQuality') {
      this.options.logger.info(
        { event: 'fingerRefused', reason: outcome.reason, ridgePeriodPx: Math.round(extraction.ridgePeriodPx * 10) / 10, dpi },
        'capture refused before matching',
      );
      return { kind: 'poorQuality', hint: outcome.hint };
    }
    return outcome;
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
        this.driver = devices[index]?.driver ?? '';
        return true;
      })();
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new CaptureHelperError('exited', 'capture helper did not open the device in time')),
          this.options.openTimeoutMs,
        );
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
      log.warn(
        { event: 'sensorOpenFailed', code: err instanceof CaptureHelperError ? err.code : 'unknown' },
        'fingerprint sensor did not open',
      );
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

export type TouchOutcome = Extract<FingerCapture, { kind: 'captured' }> | { kind: 'poorQuality'; hint: CaptureHint; reason: string };

/**
 * What one touch gives the matcher: refused when our extractor judged the image unfit (or the
 * chosen minutiae are too few or too dense to decide on), otherwise the template from the chosen
 * minutiae source. The benchmark runs this same function on its real-capture impressions.
 */
export function judgeTouch(
  touch: NbisCapture,
  dpi: number,
  fingerPosition: number,
  extraction: ExtractedTemplate,
  source: MinutiaeSource,
): TouchOutcome {
  if (source === 'own') {
    if (extraction.hint) return { kind: 'poorQuality', hint: extraction.hint, reason: extraction.reason ?? 'unknown' };
    return { kind: 'captured', template: { ...extraction.template, fingerPosition }, quality: extraction.quality };
  }
  // What our extractor says of the image holds; what it says of its own minutiae does not.
  if (extraction.hint && !(extraction.reason && OWN_MINUTIAE_REFUSALS.has(extraction.reason)))
    return { kind: 'poorQuality', hint: extraction.hint, reason: extraction.reason ?? 'unknown' };
  const template = nbisTemplate(touch, dpi, fingerPosition, extraction.quality, extraction.footprint);
  const refusal = minutiaeRefusal(template.minutiae.length, extraction.contactAreaMm2);
  if (refusal) return { kind: 'poorQuality', ...refusal };
  return { kind: 'captured', template, quality: extraction.quality };
}

/**
 * libfprint's NBIS minutiae of a touch as the ISO template the matcher compares. With the finger's
 * footprint as our extractor found it, minutiae nearer its edge than our own extractor keeps are
 * dropped: mindtct reads the edge of the contact area (and of a swipe sensor's strip) as rows of
 * ridge endings, alike in direction and evenly spaced, which match any other such row.
 */
export function nbisTemplate(
  touch: NbisCapture,
  dpi: number,
  fingerPosition: number,
  quality: number,
  footprint?: Footprint,
): FingerTemplate {
  const { width, height } = touch.image;
  const to500 = EXTRACTOR_DPI / dpi;
  const minutiae = touch.minutiae
    .map((m) => nbisToIsoMinutia(m, height))
    .filter((m) => m.x >= 0 && m.y >= 0 && m.x < width && m.y < height)
    .filter((m) => !footprint || fingerEdgeDistance(footprint, m.x * to500, m.y * to500) >= NBIS_BORDER_DISTANCE);
  return { fingerPosition, width, height, resolutionDpi: dpi, quality, minutiae };
}

/** NBIS minutiae nearer the finger's edge than this (px at 500 dpi) are dropped: our extractor's own border rule. */
export const NBIS_BORDER_DISTANCE = PARAMETERS.borderDistance;

/**
 * The sensor a production config names. libfprint's own environment variables (FP_*, e.g.
 * FP_DRIVERS_WHITELIST, or FP_VIRTUAL_IMAGE in the rehearsal) reach the helper unchanged.
 */
export function libfprintSensorFromConfig(config: FingerprintConfig, logger: Logger, env: NodeJS.ProcessEnv): LibfprintSensor {
  const extractor = workerExtractor();
  void extractor.warmUp();
  return new LibfprintSensor({
    helperPath: config.helperPath,
    device: config.device ?? { index: 0 },
    sensors: config.sensors ?? {},
    minutiae: config.minutiae ?? DEFAULT_MINUTIAE_SOURCE,
    extractor,
    logger,
    env: libfprintEnv(env),
  });
}

/** libfprint's own variables (FP_*) of an environment: all the capture helper is given. */
export function libfprintEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[0].startsWith('FP_') && e[1] !== undefined));
}
