/**
 * The real capture helper over real libfprint (its `virtual_image` device): the framed protocol,
 * cancelling a capture, and the sensor's supervision of a helper that crashes or hangs.
 * The extractor is a recording stand-in here: these tests are about capture and supervision;
 * the rehearsal (test/e2e/production.test.ts) runs the real extractor and matcher.
 */
import t from 'tap';
import { CaptureHelper, CaptureHelperError, type FingerImage } from '../../device/fingerprint/capture-helper.ts';
import { LibfprintSensor, pickDevice, type TemplateExtractor } from '../../device/fingerprint/libfprint-sensor.ts';
import { DeviceError } from '../../device/domain/failure.ts';
import { createLogger } from '../../device/log.ts';
import type { FingerTemplate } from '../../device/domain/finger-template.ts';
import { captureHelperPath, ridgePattern, virtualSensor } from '../support/virtual-fingerprint-sensor.ts';
import { until } from '../support/until.ts';

const helperPath = captureHelperPath();
const logger = createLogger({ level: 'silent' });
const W = 256;
const H = 320;

function recordingExtractor(): { seen: FingerImage[]; extract: TemplateExtractor } {
  const seen: FingerImage[] = [];
  return {
    seen,
    extract(image) {
      seen.push(image);
      const template: FingerTemplate = { fingerPosition: 0, width: image.width, height: image.height, resolutionDpi: image.resolutionDpi, quality: 60, minutiae: [] };
      return { template, quality: 60 };
    },
  };
}

t.test('the helper lists libfprint devices, captures a placed finger byte for byte, and closes', async (t) => {
  const sensor = virtualSensor();
  t.teardown(() => sensor.cleanup());
  const helper = new CaptureHelper({ helperPath, env: sensor.env });
  t.teardown(() => helper.kill());
  const devices = await helper.list();
  t.same(devices.map((d) => d.driver), ['virtual_image']);
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

function newSensor(env: Record<string, string>, extract: TemplateExtractor, extra: Partial<ConstructorParameters<typeof LibfprintSensor>[0]> = {}) {
  return new LibfprintSensor({
    helperPath,
    device: { driver: 'virtual_image', index: 0 },
    defaultResolutionDpi: 500,
    extractor: extract,
    logger,
    env,
    pingIntervalMs: 200,
    pingTimeoutMs: 400,
    minBackoffMs: 100,
    ...extra,
  });
}

t.test('LibfprintSensor: a placed finger becomes the extractor’s template for the asked finger position', async (t) => {
  const virtual = virtualSensor();
  t.teardown(() => virtual.cleanup());
  const extractor = recordingExtractor();
  const sensor = newSensor(virtual.env, extractor.extract);
  t.teardown(() => sensor.stop());
  await sensor.start();
  t.equal(sensor.health(), 'ready');
  const capture = sensor.capture(7, new AbortController().signal);
  const pixels = ridgePattern(W, H, 2);
  await virtual.place({ width: W, height: H, pixels });
  const result = await capture;
  t.equal(result.kind, 'captured');
  if (result.kind === 'captured') t.equal(result.template.fingerPosition, 7);
  t.equal(extractor.seen.length, 1);
  t.equal(extractor.seen[0]!.resolutionDpi, 500, 'an unreported resolution is the configured one');
  t.ok(Buffer.from(extractor.seen[0]!.pixels).equals(Buffer.from(pixels)));
});

t.test('LibfprintSensor: the extractor’s hint reaches the taxpayer instead of a template', async (t) => {
  const virtual = virtualSensor();
  t.teardown(() => virtual.cleanup());
  const sensor = newSensor(virtual.env, (image) => ({ template: { fingerPosition: 1, width: image.width, height: image.height, resolutionDpi: 500, quality: 5, minutiae: [] }, quality: 5, hint: 'pressLonger' }));
  t.teardown(() => sensor.stop());
  await sensor.start();
  const capture = sensor.capture(1, new AbortController().signal);
  await virtual.place({ width: W, height: H, pixels: ridgePattern(W, H, 6) });
  t.same(await capture, { kind: 'poorQuality', hint: 'pressLonger' });
});

t.test('LibfprintSensor: an image libfprint itself refuses is a poor touch, not a broken sensor', async (t) => {
  const virtual = virtualSensor();
  t.teardown(() => virtual.cleanup());
  const extractor = recordingExtractor();
  const sensor = newSensor(virtual.env, extractor.extract);
  t.teardown(() => sensor.stop());
  await sensor.start();
  const capture = sensor.capture(1, new AbortController().signal);
  await virtual.place({ width: W, height: H, pixels: new Uint8Array(W * H).fill(200) });
  const result = await capture;
  t.equal(result.kind, 'poorQuality');
  t.equal(extractor.seen.length, 0, 'no template is made from it');
  t.equal(sensor.health(), 'ready');
});

t.test('LibfprintSensor: the taxpayer cancelling ends the capture in libfprint; the next one works', async (t) => {
  const virtual = virtualSensor();
  t.teardown(() => virtual.cleanup());
  const extractor = recordingExtractor();
  const sensor = newSensor(virtual.env, extractor.extract);
  t.teardown(() => sensor.stop());
  await sensor.start();
  const ac = new AbortController();
  const capture = sensor.capture(1, ac.signal);
  await new Promise((r) => setTimeout(r, 100));
  ac.abort(new Error('taxpayer cancelled'));
  // The next session asks at once, before the helper confirmed the cancel: it waits its turn.
  const next = sensor.capture(1, new AbortController().signal);
  await t.rejects(capture, { message: 'taxpayer cancelled' });
  await virtual.place({ width: W, height: H, pixels: ridgePattern(W, H, 4) });
  t.equal((await next).kind, 'captured');
  t.equal(sensor.starts, 1, 'cancelling did not cost a restart');
});

t.test('LibfprintSensor: a crashed helper fails the capture in flight, then is restarted (error, then ready)', async (t) => {
  const virtual = virtualSensor();
  t.teardown(() => virtual.cleanup());
  const extractor = recordingExtractor();
  const sensor = newSensor(virtual.env, extractor.extract);
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
  await virtual.place({ width: W, height: H, pixels: ridgePattern(W, H, 7) });
  t.equal((await next).kind, 'captured', 'the restarted helper captures');
});

t.test('LibfprintSensor: a hung helper (stopped process) is killed and replaced', async (t) => {
  const virtual = virtualSensor();
  t.teardown(() => virtual.cleanup());
  const sensor = newSensor(virtual.env, recordingExtractor().extract);
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
  const sensor = newSensor(virtual.env, recordingExtractor().extract, { device: { driver: 'uru4000', index: 0 } });
  t.teardown(() => sensor.stop());
  await sensor.start();
  t.equal(sensor.health(), 'missing');
  const err = await sensor.capture(1, new AbortController().signal).catch((e: unknown) => e);
  t.ok(err instanceof DeviceError && err.reason === 'sensorUnavailable');
});
