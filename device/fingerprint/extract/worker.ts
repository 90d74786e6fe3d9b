/**
 * The extractor's worker thread (see ../extractor-worker.ts): extraction takes tens of
 * milliseconds, and seconds for the largest image accepted, which the daemon's event loop (the
 * kiosk screen, the staff dashboard, the card reader) must not wait on.
 */
import { parentPort } from 'node:worker_threads';
import { extractTemplate, FingerImageError, type SensorImage } from './index.ts';

export interface ExtractRequest {
  id: number;
  image: SensorImage;
  fingerPosition: number;
}

export type ExtractAnswer =
  | { id: number; ok: true; result: ReturnType<typeof extractTemplate>; ms: number }
  | { id: number; ok: false; imageError: boolean; message: string };

parentPort?.on('message', (request: ExtractRequest) => {
  const started = performance.now();
  let answer: ExtractAnswer;
  try {
    const result = extractTemplate(request.image, request.fingerPosition);
    answer = { id: request.id, ok: true, result, ms: performance.now() - started };
  } catch (err) {
    answer = { id: request.id, ok: false, imageError: err instanceof FingerImageError, message: (err as Error).message };
  }
  parentPort?.postMessage(answer);
});
// A first run on a small ridge pattern compiles the stages before a taxpayer's image arrives;
// then the first message says the worker is ready (the client's deadline starts after it).
const side = 160;
const pattern = new Uint8Array(side * side);
for (let y = 0; y < side; y++)
  for (let x = 0; x < side; x++) pattern[y * side + x] = Math.sin(Math.hypot(x - 40, y - 70) / 1.5) > 0 ? 60 : 200;
extractTemplate({ width: side, height: side, pixels: pattern, dpi: 500 });
parentPort?.postMessage({ ready: true });
