/**
 * Flow figures.
 * - flow_overhead_ms_p95: CARD_INSERTED → result view pushed, every port answering at once
 *   (zero-latency fakes), over 1,000 sessions: the cost of the machine, runtime and views.
 * - rss_mb_after_N_sessions, N = 1,000 … 10,000: resident memory of the built daemon (demo mode,
 *   as `npm start` starts it) after N full sessions driven through its HTTP API (real in-process
 *   card with SAM cryptography, real matcher, HTTPS Dukcapil simulator), read every 1,000.
 *   The client follows the view stream instead of polling, and the state folder is in /dev/shm
 *   where there is one, so that neither the client nor the disk's flushes pace the sessions:
 *   ANJUNGAN_BENCH_SESSIONS sets another count (a multiple of 1,000).
 */
import { readFileSync, existsSync } from 'node:fs';
import { Agent, request } from 'node:http';
import WebSocket from 'ws';
import { createKioskMachine } from '../../device/flow/machine.ts';
import type { KioskView } from '../../device/view/protocol.ts';
import { KioskRuntime } from '../../device/view/runtime.ts';
import { quietLogger } from '../support/logger.ts';
import { makeFakes } from '../flow/fakes.ts';
import { buildKiosk, spawnKiosk, type KioskProcess } from '../support/kiosk-process.ts';

const SESSIONS = 1000;
const DAEMON_SESSIONS = Number(process.env.ANJUNGAN_BENCH_SESSIONS ?? 10_000);
const CHECKPOINT = 1000;

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

const round = (x: number, digits = 2) => Number(x.toFixed(digits));

async function flowOverhead(): Promise<number> {
  const f = makeFakes();
  const logger = quietLogger();
  const runtime = new KioskRuntime(createKioskMachine(f.deps), {
    demo: false,
    clock: f.deps.clock,
    logger,
    maxFingerAttempts: f.deps.settings.maxFingerAttempts,
    xstateClock: f.clock,
  });
  runtime.start();
  const waitFor = (screen: string) =>
    new Promise<void>((resolve) => {
      if (runtime.view().screen === screen) return resolve();
      const off = runtime.onView((v) => {
        if (v.screen === screen) {
          off();
          resolve();
        }
      });
    });
  await waitFor('welcome');
  const times: number[] = [];
  for (let i = 0; i < SESSIONS; i++) {
    const result = waitFor('result');
    const t0 = performance.now();
    runtime.send({ type: 'CARD_INSERTED' });
    await result;
    times.push(performance.now() - t0);
    runtime.sendIntent({ type: 'finish' });
    const welcome = waitFor('welcome');
    runtime.send({ type: 'CARD_REMOVED' });
    await welcome;
  }
  runtime.stop();
  return percentile(times, 95);
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m![1]) / 1024;
}

/** The daemon's views as its stream pushes them. */
class ViewStream {
  private current: KioskView | null = null;
  private waiting: Array<{ pred: (v: KioskView) => boolean; resolve: (v: KioskView) => void }> = [];

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const view = JSON.parse(String(data)) as KioskView;
      this.current = view;
      this.waiting = this.waiting.filter((w) => !(w.pred(view) && (w.resolve(view), true)));
    });
  }

  static async open(url: string): Promise<ViewStream> {
    const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/api/stream`);
    // Listening before the socket opens: the first view comes with the handshake.
    const stream = new ViewStream(socket);
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    return stream;
  }

  until(pred: (v: KioskView) => boolean, what: string): Promise<KioskView> {
    if (this.current && pred(this.current)) return Promise.resolve(this.current);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${what} within 30 s; last view ${this.current?.screen}`)), 30_000);
      this.waiting.push({ pred, resolve: (v) => (clearTimeout(timer), resolve(v)) });
    });
  }

  close(): void {
    this.socket.terminate();
  }
}

async function sessionsThroughDaemon(d: KioskProcess, sessions: number, onCheckpoint: (done: number) => void): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const call = (method: string, path: string, body?: unknown) =>
    new Promise<number>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = request(`${d.url}${path}`, { method, agent, headers: payload ? { 'content-type': 'application/json' } : {} }, (res) => {
        res.resume().once('end', () => resolve(res.statusCode!));
      });
      req.once('error', reject).end(payload);
    });
  const stream = await ViewStream.open(d.url);
  try {
    for (let i = 1; i <= sessions; i++) {
      await stream.until((v) => v.screen === 'welcome', 'welcome');
      await call('POST', '/api/demo/card', { persona: 'valid' });
      let v = await stream.until((v) => v.screen === 'awaitingFinger', 'finger prompt');
      // The simulated finger is drawn afresh each touch: now and then a genuine one does not match.
      while (v.screen === 'awaitingFinger') {
        const attempt = v.attempt;
        await call('POST', '/api/demo/finger', { genuine: true });
        const ended = (n: KioskView) => n.screen === 'result' || n.screen === 'failed';
        v = await stream.until((n) => ended(n) || (n.screen === 'awaitingFinger' && n.attempt > attempt), 'the result');
      }
      if (v.screen !== 'result') throw new Error(`session ${i} ended on ${v.screen}`);
      if ((await call('POST', '/api/intent', { type: 'finish' })) !== 200) throw new Error('finish refused');
      await call('DELETE', '/api/demo/card');
      if (i % CHECKPOINT === 0) onCheckpoint(i);
    }
  } finally {
    stream.close();
    agent.destroy();
  }
}

export async function bench(): Promise<Record<string, number>> {
  await buildKiosk();
  const flow_overhead_ms_p95 = await flowOverhead();
  const stateRoot = existsSync('/dev/shm') ? '/dev/shm' : undefined;
  const d = await spawnKiosk({ ANJUNGAN_DAILY_QUOTA: '1000000', ANJUNGAN_LOG_LEVEL: 'info' }, stateRoot ? { stateRoot } : {});
  const figures: Record<string, number> = { flow_overhead_ms_p95: round(flow_overhead_ms_p95, 3) };
  const started = performance.now();
  try {
    await sessionsThroughDaemon(d, DAEMON_SESSIONS, (done) => {
      figures[`rss_mb_after_${done}_sessions`] = round(rssMb(d.pid), 1);
      process.stderr.write(
        `bench: ${done} sessions, RSS ${figures[`rss_mb_after_${done}_sessions`]} MB, ${((performance.now() - started) / 1000).toFixed(0)} s\n`,
      );
    });
  } finally {
    await d.stop();
  }
  return figures;
}
