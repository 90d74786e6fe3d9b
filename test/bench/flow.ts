/**
 * Flow figures.
 * - flow_overhead_ms_p95: CARD_INSERTED → result view pushed, every port answering at once
 *   (zero-latency fakes), over 1,000 sessions: the cost of the machine, runtime and views.
 * - boot_to_ready_ms: spawn of the built daemon (demo mode) → its "ready" log line, median of 3.
 * - rss_mb_after_1000_sessions: resident memory of that daemon after 1,000 full sessions driven
 *   through its HTTP API (real in-process card with SAM cryptography, real matcher, HTTPS
 *   Dukcapil simulator).
 */
import { readFileSync } from 'node:fs';
import { createKioskMachine } from '../../device/flow/machine.ts';
import { KioskRuntime } from '../../device/view/runtime.ts';
import { quietLogger } from '../support/logger.ts';
import { makeFakes } from '../flow/fakes.ts';
import { KioskClient } from '../support/kiosk-client.ts';
import { buildKiosk, spawnKiosk, type KioskProcess } from '../support/kiosk-process.ts';

const SESSIONS = 1000;

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

async function sessionsThroughDaemon(d: KioskProcess): Promise<void> {
  const k = new KioskClient(d.url);
  for (let i = 0; i < SESSIONS; i++) {
    await k.until((v) => v.screen === 'welcome', 'welcome');
    await k.call('POST', '/api/demo/card', { persona: 'valid' });
    await k.until((v) => v.screen === 'awaitingFinger', 'finger prompt');
    await k.call('POST', '/api/demo/finger', { genuine: true });
    await k.until((v) => v.screen === 'result', 'result');
    await k.intent({ type: 'finish' });
    await k.call('DELETE', '/api/demo/card');
  }
}

export async function bench(): Promise<Record<string, number>> {
  await buildKiosk();
  const flow_overhead_ms_p95 = await flowOverhead();
  const env = { ANJUNGAN_DAILY_QUOTA: '1000000', ANJUNGAN_LOG_LEVEL: 'info' };
  const boots: number[] = [];
  for (let i = 0; i < 2; i++) {
    const d = await spawnKiosk(env);
    boots.push(d.bootMs);
    await d.stop();
  }
  const d = await spawnKiosk(env);
  boots.push(d.bootMs);
  await sessionsThroughDaemon(d);
  const rss = rssMb(d.pid);
  await d.stop();
  return {
    flow_overhead_ms_p95: round(flow_overhead_ms_p95, 3),
    boot_to_ready_ms: round(percentile(boots, 50), 0),
    rss_mb_after_1000_sessions: round(rss, 1),
  };
}
