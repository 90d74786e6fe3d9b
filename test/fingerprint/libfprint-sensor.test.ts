/**
 * The real capture helper over real libfprint (its `virtual_image` device): the framed protocol,
 * libfprint's NBIS minutiae of a touch, cancelling a capture, the sensor's supervision of a helper
 * that crashes or hangs, the resolution it gives each image, and the extractor's worker thread
 * and deadline. The extractor is mostly a recording stand-in here; the rehearsal
 * (test/e2e/production.test.ts) runs the real extractor and matcher end to end.
 */
import t from 'tap';
import { CaptureHelper, CaptureHelperError, type FingerImage } from '../../device/fingerprint/capture-helper.ts';
import {
  judgeTouch,
  LibfprintSensor,
  NBIS_BORDER_DISTANCE,
  nbisTemplate,
  pickDevice,
  workerExtractor,
  type TemplateExtractor,
} from '../../device/fingerprint/libfprint-sensor.ts';
import type { ExtractedTemplate, Footprint, SensorImage } from '../../device/fingerprint/extract/index.ts';
import type { NbisCapture } from '../../device/fingerprint/capture-helper.ts';
import { DeviceError } from '../../device/domain/failure.ts';
import { createLogger } from '../../device/log.ts';
import type { FingerTemplate } from '../../device/domain/finger-template.ts';
import { captureHelperPath, ridgePattern, virtualSensor } from '../support/virtual-fingerprint-sensor.ts';
import { realCapture } from './real/captures.ts';
import { until } from '../support/until.ts';

const helperPath = captureHelperPath();
const logger = createLogger({ level: 'silent' });
const W = 256;
const H = 320;
/** A real finger (libfprint's egis0570 test capture): mindtct finds its minutiae, unlike a regular pattern's. */
const finger = realCapture('egis0570');

/** An image enlarged `k` times by pixel repetition. */
function enlarged(
  image: { width: number; height: number; pixels: Uint8Array },
  k: number,
): { width: number; height: number; pixels: Uint8Array } {
  const width = image.width * k,
    height = image.height * k;
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) pixels[y * width + x] = image.pixels[((y / k) | 0) * image.width + ((x / k) | 0)]!;
  return { width, height, pixels };
}

function recordingExtractor(): { seen: SensorImage[]; extractor: TemplateExtractor } {
  const seen: SensorImage[] = [];
  return {
    seen,
    extractor: {
      async extract(image) {
        seen.push(image);
        const template: FingerTemplate = {
          fingerPosition: 0,
          width: image.width,
          height: image.height,
          resolutionDpi: 500,
          quality: 60,
          minutiae: [],
        };
        return { template, quality: 60, ridgePeriodPx: 9, contactAreaMm2: 200 };
      },
    },
  };
}

t.test('the helper lists libfprint devices, captures a placed finger byte for byte, and closes', async (t) => {
  const sensor = virtualSensor();
  t.teardown(() => sensor.cleanup());
  const helper = new CaptureHelper({ helperPath, env: sensor.env });
  t.teardown(() => helper.kill());
  const devices = await helper.list();
  t.same(
    devices.map((d) => d.driver),
    ['virtual_image'],
  );
  await helper.open(0);
  const pixels = ridgePattern(W, H);
  const captured = helper.capture();
  await sensor.place({ width: W, height: H, pixels });
  const image = await captured;
  t.equal(image.width, W);
  t.equal(image.height, H);
  t.equal(image.resolutionDpi, 0, 'the virtual device reports no resolution');
  t.ok(Buffer.from(image.pixels).equals(Buffer.from(pixels)), 'the image arrives unchanged');
  await helper.close();
  await helper.shutdown();
  t.notOk(helper.alive);
});

t.test('the helper refuses a device that does not exist and a capture before open', async (t) => {
  const sensor = virtualSensor();
  t.teardown(() => sensor.cleanup());
  const helper = new CaptureHelper({ helperPath, env: sensor.env });
  t.teardown(() => helper.kill());
  await t.rejects(helper.capture(), { code: 'notOpen' });
  await t.rejects(helper.open(3), { code: 'noDevice' });
  await helper.shutdown();
});

t.test('a waiting capture is cancelled in libfprint, and the helper stays usable', async (t) => {
  const sensor = virtualSensor();
  t.teardown(() => sensor.cleanup());
  const helper = new CaptureHelper({ helperPath, env: sensor.env });
  t.teardown(() => helper.kill());
  await helper.open(0);
  const waiting = helper.capture();
  await new Promise((r) => setTimeout(r, 100));
  await helper.ping();
  helper.cancel();
  const err = await waiting.catch((e: unknown) => e);
  t.ok(err instanceof CaptureHelperError && err.code === 'cancelled', 'the capture ends as cancelled');
  const again = helper.capture();
  await sensor.place({ width: W, height: H, pixels: ridgePattern(W, H, 1) });
  t.equal((await again).width, W);
  await helper.shutdown();
});

t.test('device selection by driver name and index', async (t) => {
  const devices = [
    { driver: 'virtual_image', deviceId: '0', name: 'v' },
    { driver: 'uru4000', deviceId: '1', name: 'a' },
    { driver: 'uru4000', deviceId: '2', name: 'b' },
  ];
  t.equal(pickDevice(devices, { index: 0 }), 0);
  t.equal(pickDevice(devices, { driver: 'uru4000', index: 1 }), 2);
  t.equal(pickDevice(devices, { driver: 'elan', index: 0 }), -1);
});

function newSensor(
  env: Record<string, string>,
  extractor: TemplateExtractor,
  extra: Partial<ConstructorParameters<typeof LibfprintSensor>[0]> = {},
) {
  return new LibfprintSensor({
    helperPath,
    device: { driver: 'virtual_image', index: 0 },
    extractor,
    logger,
    env,
    pingIntervalMs: 200,
    pingTimeoutMs: 400,
    minBackoffMs: 100,
    ...extra,
  });
}

t.test('the helper returns libfprint’s own NBIS minutiae of a touch with the image', async (t) => {
  const sensor = virtualSensor();
  t.teardown(() => sensor.cleanup());
  const helper = new CaptureHelper({ helperPath, env: sensor.env });
  t.teardown(() => helper.kill());
  await helper.open(0);
  const touch = helper.captureNbis();
  await sensor.place(finger);
  const { image, minutiae, mindtctMs } = await touch;
  t.ok(Buffer.from(image.pixels).equals(Buffer.from(finger.pixels)), 'the image arrives unchanged');
  t.ok(minutiae.length >= 20, `mindtct found the finger’s minutiae (${minutiae.length})`);
  const { width, height } = finger;
  t.ok(
    minutiae.every((m) => m.x >= 0 && m.x < width && m.y > 0 && m.y <= height && m.theta > -180 && m.theta <= 180),
    'x, y and theta as libfprint serializes them',
  );
  t.ok(mindtctMs !== undefined && mindtctMs > 0, 'mindtct’s own timing is reported');
  // The same image again: mindtct is deterministic, and the helper is ready for the next touch.
  const again = helper.captureNbis();
  await sensor.place(finger);
  t.same((await again).minutiae, minutiae);
  const pixels = ridgePattern(W, H, 2);
  const plain = helper.capture();
  await sensor.place({ width: W, height: H, pixels });
  t.equal((await plain).width, W, 'a plain capture follows');
  await helper.shutdown();
});

t.test('LibfprintSensor: a touch becomes libfprint’s NBIS minutiae for the asked finger, the image judged by the extractor', async (t) => {
  const virtual = virtualSensor();
  t.teardown(() => virtual.cleanup());
  const recording = recordingExtractor();
  const sensor = newSensor(virtual.env, recording.extractor);
  t.teardown(() => sensor.stop());
  await sensor.start();
  t.equal(sensor.health(), 'ready');
  const capture = sensor.capture(7, new AbortController().signal);
  await virtual.place(finger);
  const result = await capture;
  t.equal(result.kind, 'captured');
  t.equal(recording.seen.length, 1);
  t.equal(recording.seen[0]!.dpi, 500, 'the virtual device’s table entry: 500 dpi');
  t.ok(Buffer.from(recording.seen[0]!.pixels).equals(Buffer.from(finger.pixels)));
  // The oracle: the same image through the helper directly gives the same minutiae.
  await sensor.stop();
  const helper = new CaptureHelper({ helperPath, env: virtual.env });
  t.teardown(() => helper.kill());
  await helper.open(0);
  const direct = helper.captureNbis();
  await virtual.place(finger);
  const expected = nbisTemplate(await direct, 500, 7, 60);
  t.ok(expected.minutiae.length >= 20);
  if (result.kind === 'captured') t.same(result.template, expected, 'the template is libfprint’s NBIS minutiae in ISO form, for finger 7');
  await helper.shutdown();
});

t.test('LibfprintSensor: with `minutiae: own` the template is our extractor’s', async (t) => {
  const virtual = virtualSensor();
  t.teardown(() => virtual.cleanup());
  const own: FingerTemplate = {
    fingerPosition: 0,
    width: W,
    height: H,
    resolutionDpi: 500,
    quality: 70,
    minutiae: Array.from({ length: 20 }, (_, k) => ({ x: 20 + k * 10, y: 100, angle: 1, type: 'ending' as const, quality: 50 })),
  };
  const sensor = newSensor(
    virtual.env,
    { extract: async () => ({ template: own, quality: 70, ridgePeriodPx: 9, contactAreaMm2: 200 }) },
    { minutiae: 'own' },
  );
  t.teardown(() => sensor.stop());
  await sensor.start();
  const capture = sensor.capture(3, new AbortController().signal);
  await virtual.place({ width: W, height: H, pixels: ridgePattern(W, H, 7) });
  t.same(await capture, { kind: 'captured', template: { ...own, fingerPosition: 3 }, quality: 70 });
});

t.test('LibfprintSensor: the image’s resolution is the configured one for its driver, over the table', async (t) => {
  const virtual = virtualSensor();
  t.teardown(() => virtual.cleanup());
  const recording = recordingExtractor();
  const sensor = newSensor(virtual.env, recording.extractor, { sensors: { virtual_image: { nativeDpi: 500, enlargement: 2 } } });
  t.teardown(() => sensor.stop());
  await sensor.start();
  const capture = sensor.capture(1, new AbortController().signal);
  await virtual.place(finger);
  const result = await capture;
  t.equal(recording.seen[0]!.dpi, 1000, 'native 500 dpi, enlarged twice');
  t.equal(result.kind, 'captured');
  if (result.kind === 'captured') t.equal(result.template.resolutionDpi, 1000, 'the NBIS minutiae are placed at that resolution');
});

t.test('LibfprintSensor: the extractor’s hint reaches the taxpayer instead of a template, and the reason the staff log', async (t) => {
  const virtual = virtualSensor();
  t.teardown(() => virtual.cleanup());
  const lines: string[] = [];
  const sensor = newSensor(
    virtual.env,
    {
      extract: async (image) => ({
        template: { fingerPosition: 1, width: image.width, height: image.height, resolutionDpi: 500, quality: 5, minutiae: [] },
        quality: 5,
        hint: 'cleanFinger',
        reason: 'wrongScale',
        ridgePeriodPx: 19,
        contactAreaMm2: 200,
      }),
    },
    { logger: createLogger({ level: 'info', destination: { write: (l: string) => lines.push(l) } }) },
  );
  t.teardown(() => sensor.stop());
  await sensor.start();
  const capture = sensor.capture(1, new AbortController().signal);
  await virtual.place({ width: W, height: H, pixels: ridgePattern(W, H, 6) });
  t.same(await capture, { kind: 'poorQuality', hint: 'cleanFinger' });
  t.ok(
    lines.some((l) => /"event":"fingerRefused".*"reason":"wrongScale"/.test(l)),
    'the staff log says why',
  );
});

t.test('LibfprintSensor: extraction runs off the event loop, and one that misses its deadline is a poor touch', async (t) => {
  const virtual = virtualSensor();
  t.teardown(() => virtual.cleanup());
  const real = workerExtractor(60_000);
  const order: string[] = [];
  // A large image keeps the worker busy; a timer set once extraction has begun must fire before it ends.
  const observed: TemplateExtractor = {
    extract(image, fingerPosition) {
      const done = real.extract(image, fingerPosition).then((r) => (order.push('extracted'), r));
      setTimeout(() => order.push('timer'), 0);
      return done;
    },
    close: () => real.close(),
  };
  const sensor = newSensor(virtual.env, observed);
  t.teardown(() => sensor.stop());
  await sensor.start();
  const capture = sensor.capture(1, new AbortController().signal);
  await virtual.place(enlarged(finger, 2), 20_000);
  await capture;
  t.same(order, ['timer', 'extracted'], 'the event loop ran while the worker extracted');

  const hurried = workerExtractor(1);
  t.teardown(() => hurried.close());
  await hurried.warmUp();
  const lines: string[] = [];
  const late = newSensor(virtual.env, hurried, {
    logger: createLogger({ level: 'info', destination: { write: (l: string) => lines.push(l) } }),
  });
  t.teardown(() => late.stop());
  await sensor.stop();
  await late.start();
  const attempt = late.capture(1, new AbortController().signal);
  await virtual.place(finger);
  t.same(await attempt, { kind: 'poorQuality', hint: 'cleanFinger' }, 'asked to try again');
  t.ok(
    lines.some((l) => l.includes('"event":"fingerExtractionTimeout"')),
    'the staff log says the deadline passed',
  );
});

t.test('LibfprintSensor: an image libfprint itself refuses is a poor touch, not a broken sensor', async (t) => {
  const virtual = virtualSensor();
  t.teardown(() => virtual.cleanup());
  const recording = recordingExtractor();
  const sensor = newSensor(virtual.env, recording.extractor);
  t.teardown(() => sensor.stop());
  await sensor.start();
  const capture = sensor.capture(1, new AbortController().signal);
  await virtual.place({ width: W, height: H, pixels: new Uint8Array(W * H).fill(200) });
  const result = await capture;
  t.equal(result.kind, 'poorQuality');
  t.equal(recording.seen.length, 0, 'no template is made from it');
  t.equal(sensor.health(), 'ready');
});

t.test('LibfprintSensor: the taxpayer cancelling ends the capture in libfprint; the next one works', async (t) => {
  const virtual = virtualSensor();
  t.teardown(() => virtual.cleanup());
  const sensor = newSensor(virtual.env, recordingExtractor().extractor);
  t.teardown(() => sensor.stop());
  await sensor.start();
  const ac = new AbortController();
  const capture = sensor.capture(1, ac.signal);
  await new Promise((r) => setTimeout(r, 100));
  ac.abort(new Error('taxpayer cancelled'));
  // The next session asks at once, before the helper confirmed the cancel: it waits its turn.
  const next = sensor.capture(1, new AbortController().signal);
  await t.rejects(capture, { message: 'taxpayer cancelled' });
  await virtual.place(finger);
  t.equal((await next).kind, 'captured');
  t.equal(sensor.starts, 1, 'cancelling did not cost a restart');
});

t.test('LibfprintSensor: a crashed helper fails the capture in flight, then is restarted (error, then ready)', async (t) => {
  const virtual = virtualSensor();
  t.teardown(() => virtual.cleanup());
  const sensor = newSensor(virtual.env, recordingExtractor().extractor);
  t.teardown(() => sensor.stop());
  const health: string[] = [];
  sensor.onHealthChange((h) => health.push(h));
  await sensor.start();
  const capture = sensor.capture(1, new AbortController().signal);
  const pid = (sensor as unknown as { helper: CaptureHelper }).helper.pid;
  process.kill(pid, 'SIGKILL');
  const err = await capture.catch((e: unknown) => e);
  t.ok(err instanceof DeviceError && err.reason === 'sensorUnavailable', 'the capture in flight fails as sensorUnavailable');
  await until(() => sensor.health() === 'ready' && sensor.starts === 2, 'a restarted, ready sensor');
  t.same(health, ['ready', 'error', 'ready']);
  const next = sensor.capture(1, new AbortController().signal);
  await virtual.place(finger);
  t.equal((await next).kind, 'captured', 'the restarted helper captures');
});

t.test('LibfprintSensor: a hung helper (stopped process) is killed and replaced', async (t) => {
  const virtual = virtualSensor();
  t.teardown(() => virtual.cleanup());
  const sensor = newSensor(virtual.env, recordingExtractor().extractor);
  t.teardown(() => sensor.stop());
  await sensor.start();
  const pid = (sensor as unknown as { helper: CaptureHelper }).helper.pid;
  process.kill(pid, 'SIGSTOP');
  await until(() => sensor.health() === 'error', 'the hang noticed');
  await until(() => sensor.health() === 'ready' && sensor.starts === 2, 'a restarted, ready sensor');
  t.throws(() => process.kill(pid, 0), 'the hung helper is gone');
});

t.test('LibfprintSensor: no matching device is `missing`, and captures are refused', async (t) => {
  const virtual = virtualSensor();
  t.teardown(() => virtual.cleanup());
  const sensor = newSensor(virtual.env, recordingExtractor().extractor, { device: { driver: 'uru4000', index: 0 } });
  t.teardown(() => sensor.stop());
  await sensor.start();
  t.equal(sensor.health(), 'missing');
  const err = await sensor.capture(1, new AbortController().signal).catch((e: unknown) => e);
  t.ok(err instanceof DeviceError && err.reason === 'sensorUnavailable');
});

/** A touch of libfprint's with NBIS minutiae along a row (NIST internal: y from the bottom). */
function nbisTouch(xs: number[], width = 200, height = 200): NbisCapture {
  return {
    image: { width, height, resolutionDpi: 0, pixels: new Uint8Array(width * height) },
    minutiae: xs.map((x, k) => ({ x, y: 100, theta: 10 * k })),
  };
}

/** The finger covers the whole 200 × 200 image: distance to its edge is distance to the image's. */
function wholeImageFootprint(width = 200, height = 200): Footprint {
  const cell = 4,
    columns = width / cell,
    rows = height / cell;
  const distance = new Uint8Array(columns * rows);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < columns; c++) {
      const x = c * cell + 2,
        y = r * cell + 2;
      distance[r * columns + c] = Math.min(x + 1, y + 1, width - x, height - y);
    }
  return { cell, columns, rows, distance };
}

function extraction(overrides: Partial<ExtractedTemplate> = {}): ExtractedTemplate {
  return {
    template: { fingerPosition: 0, width: 200, height: 200, resolutionDpi: 500, quality: 60, minutiae: [] },
    quality: 60,
    ridgePeriodPx: 9,
    contactAreaMm2: 100,
    ...overrides,
  };
}

t.test(
  'judgeTouch: with NBIS minutiae, what our extractor says of its own minutiae does not refuse the touch; what it says of the image does',
  async (t) => {
    const touch = nbisTouch([40, 50, 60, 70, 80, 90, 100, 110, 120, 130]);
    const few = judgeTouch(touch, 500, 2, extraction({ hint: 'placeCentered', reason: 'fewMinutiae' }), 'libfprint-nbis');
    t.equal(few.kind, 'captured', 'our extractor found few minutiae, NBIS found ten');
    if (few.kind === 'captured') t.equal(few.template.minutiae.length, 10);
    const dense = judgeTouch(touch, 500, 2, extraction({ hint: 'cleanFinger', reason: 'tooDense' }), 'libfprint-nbis');
    t.equal(dense.kind, 'captured');
    t.same(judgeTouch(touch, 500, 2, extraction({ hint: 'cleanFinger', reason: 'smudged' }), 'libfprint-nbis'), {
      kind: 'poorQuality',
      hint: 'cleanFinger',
      reason: 'smudged',
    });
    t.same(
      judgeTouch(touch, 500, 2, extraction({ hint: 'placeCentered', reason: 'fewMinutiae' }), 'own'),
      {
        kind: 'poorQuality',
        hint: 'placeCentered',
        reason: 'fewMinutiae',
      },
      'with our own minutiae the count refuses',
    );
    t.same(
      judgeTouch(nbisTouch([40, 50, 60]), 500, 2, extraction(), 'libfprint-nbis'),
      {
        kind: 'poorQuality',
        hint: 'placeCentered',
        reason: 'fewMinutiae',
      },
      'too few NBIS minutiae refuse the touch',
    );
  },
);

t.test('nbisTemplate: NBIS minutiae nearer the finger’s edge than our extractor keeps are dropped', async (t) => {
  const xs = [2, 8, NBIS_BORDER_DISTANCE + 2, 100, 200 - NBIS_BORDER_DISTANCE - 4, 195];
  const all = nbisTemplate(nbisTouch(xs), 500, 1, 60);
  t.same(
    all.minutiae.map((m) => m.x),
    xs,
    'without a footprint every minutia is kept',
  );
  const kept = nbisTemplate(nbisTouch(xs), 500, 1, 60, wholeImageFootprint());
  t.same(
    kept.minutiae.map((m) => m.x),
    [NBIS_BORDER_DISTANCE + 2, 100, 200 - NBIS_BORDER_DISTANCE - 4],
  );
  // At 1000 dpi the same image is half the finger: the border is measured at 500 dpi.
  const at1000 = nbisTemplate(
    nbisTouch(
      xs.map((x) => 2 * x),
      400,
      400,
    ),
    1000,
    1,
    60,
    wholeImageFootprint(),
  );
  t.same(
    at1000.minutiae.map((m) => m.x),
    [2 * (NBIS_BORDER_DISTANCE + 2), 200, 2 * (200 - NBIS_BORDER_DISTANCE - 4)],
  );
});
