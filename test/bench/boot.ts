/**
 * Boot figures: spawn of the built daemon (demo mode, as `npm start` starts it) → its "ready"
 * log line, median of 5, each boot with a fresh state folder.
 * - boot_to_ready_ms: on this machine as it is, a start as every start after the first of a
 *   release is: the state folder holds the code cache (device/boot.ts) a first start wrote.
 * - boot_to_ready_ms_pi_class: the same boot with 30 % of one core (test/support/pi-class-cpu.ts
 *   says how; the bench prints which on stderr).
 * - boot_to_ready_ms_pi_class_first_start: the first start of a release, without the cache
 *   (which it writes after ready).
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildKiosk, spawnKiosk, type SpawnOptions } from '../support/kiosk-process.ts';
import { piClassCpu } from '../support/pi-class-cpu.ts';
import { until } from '../support/until.ts';

const BOOTS = 5;
const CODE_CACHE = 'code-cache.bin';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** The code cache a first start writes after its ready. */
async function codeCacheOfFirstStart(): Promise<Buffer> {
  const d = await spawnKiosk({ ANJUNGAN_LOG_LEVEL: 'info' });
  try {
    await until(() => d.output().includes('"cache":"saved"'), 'the code cache saved', 30_000);
    return readFileSync(join(d.stateDir, CODE_CACHE));
  } finally {
    await d.stop();
  }
}

async function bootMs(codeCache: Buffer | null, options: SpawnOptions = {}): Promise<number> {
  const boots: number[] = [];
  for (let i = 0; i < BOOTS; i++) {
    const stateDir = mkdtempSync(join(tmpdir(), 'anjungan-bench-state-'));
    chmodSync(stateDir, 0o700);
    if (codeCache) writeFileSync(join(stateDir, CODE_CACHE), codeCache, { mode: 0o600 });
    try {
      const d = await spawnKiosk({ ANJUNGAN_LOG_LEVEL: 'info' }, { ...options, stateDir });
      boots.push(d.bootMs);
      await d.stop();
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  }
  return Math.round(median(boots));
}

export async function bench(): Promise<Record<string, number>> {
  await buildKiosk();
  const codeCache = await codeCacheOfFirstStart();
  const boot_to_ready_ms = await bootMs(codeCache);
  const cpu = piClassCpu();
  try {
    process.stderr.write(`bench: Pi-class CPU: ${cpu.how}\n`);
    return {
      boot_to_ready_ms,
      boot_to_ready_ms_pi_class: await bootMs(codeCache, { prefix: cpu.prefix }),
      boot_to_ready_ms_pi_class_first_start: await bootMs(null, { prefix: cpu.prefix }),
    };
  } finally {
    cpu.close();
  }
}
