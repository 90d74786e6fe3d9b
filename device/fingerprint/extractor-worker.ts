/**
 * Runs the extractor (./extract) on a worker thread with a deadline, so a capture never blocks
 * the daemon's event loop. One worker, started on first use and kept; a request that misses its
 * deadline ends the worker (a new one starts with the next request) and fails with
 * ExtractionTimeoutError. Images go one at a time, as captures do.
 *
 * The worker's code: in the bundle (build.mjs) `extract-worker.js` beside the daemon's main.cjs;
 * from source (tests, `npm run demo`) ./extract/worker.ts through tsx's loader.
 */
import { Worker } from 'node:worker_threads';
import { FingerImageError, type ExtractedTemplate, type SensorImage } from './extract/index.ts';
import type { ExtractAnswer, ExtractRequest } from './extract/worker.ts';

export class ExtractionTimeoutError extends Error {
  override readonly name = 'ExtractionTimeoutError';
}

export interface TimedExtraction {
  result: ExtractedTemplate;
  /** Time the extraction itself took in the worker, ms. */
  ms: number;
}

interface Started {
  worker: Worker;
  /** Settles when the worker has loaded the extractor (its first message), or failed to. */
  ready: Promise<void>;
}

/**
 * The worker's heap: the limits the daemon's command line gives its own heap (48 MB old space,
 * 1 MB semi-spaces: a young generation of three), set here because the daemon sets those flags
 * back to their defaults once its heap is made (device/heap-flags.ts).
 */
const WORKER_HEAP = { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 3 };

function startWorker(): Started {
  let worker: Worker;
  if (import.meta.url.endsWith('.ts')) {
    const source = new URL('./extract/worker.ts', import.meta.url).href;
    const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(source)}); });`;
    worker = new Worker(boot, { eval: true, resourceLimits: WORKER_HEAP });
  } else {
    worker = new Worker(new URL('./extract-worker.js', import.meta.url), { resourceLimits: WORKER_HEAP });
  }
  const ready = new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
    worker.once('exit', () => reject(new Error('the extractor worker stopped while starting')));
  });
  ready.catch(() => undefined);
  return { worker, ready };
}

export class ExtractorWorker {
  private started: Started | null = null;
  private nextId = 1;
  private queue: Promise<unknown> = Promise.resolve();

  /** Extracts `image`; rejects with ExtractionTimeoutError after `deadlineMs`, FingerImageError for an unusable image. */
  extract(image: SensorImage, fingerPosition: number, deadlineMs: number): Promise<TimedExtraction> {
    const run = this.queue.then(() => this.run(image, fingerPosition, deadlineMs));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async run(image: SensorImage, fingerPosition: number, deadlineMs: number): Promise<TimedExtraction> {
    const started = (this.started ??= startWorker());
    // The deadline is for the extraction: loading the worker's code is not counted against it.
    try {
      await started.ready;
    } catch (err) {
      this.discard(started);
      throw err;
    }
    const { worker } = started;
    const id = this.nextId++;
    return new Promise<TimedExtraction>((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      const onMessage = (answer: ExtractAnswer): void => {
        if (answer.id !== id) return;
        done();
        if (answer.ok) resolve({ result: answer.result, ms: answer.ms });
        else reject(answer.imageError ? new FingerImageError(answer.message) : new Error(answer.message));
      };
      const onError = (err: Error): void => {
        done();
        this.discard(started);
        reject(err);
      };
      const onExit = (): void => {
        done();
        this.discard(started);
        reject(new Error('the extractor worker stopped'));
      };
      const timer = setTimeout(() => {
        done();
        this.discard(started);
        void worker.terminate();
        reject(new ExtractionTimeoutError(`minutiae extraction took longer than ${deadlineMs} ms`));
      }, deadlineMs);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      const request: ExtractRequest = { id, image, fingerPosition };
      worker.postMessage(request);
    });
  }

  /** Starts the worker ahead of the first capture (its code loads once). */
  warmUp(): Promise<void> {
    return (this.started ??= startWorker()).ready.catch(() => undefined);
  }

  private discard(started: Started): void {
    if (this.started === started) this.started = null;
  }

  async close(): Promise<void> {
    const started = this.started;
    this.started = null;
    if (started) await started.worker.terminate();
  }
}
