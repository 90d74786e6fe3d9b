/**
 * Boot figures: spawn of the built daemon (demo mode, a fresh state folder, as `npm start` starts
 * it) → its "ready" log line, median of 5.
 * - boot_to_ready_ms: on this machine as it is.
 * - boot_to_ready_ms_pi_class: the same boot with 30 % of one core (test/support/pi-class-cpu.ts
 *   says how; the bench prints which on stderr).
 */
import { buildKiosk, spawnKiosk, type SpawnOptions } from '../support/kiosk-process.ts';
import { piClassCpu } from '../support/pi-class-cpu.ts';

const BOOTS = 5;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function bootMs(options: SpawnOptions = {}): Promise<number> {
  const boots: number[] = [];
  for (let i = 0; i < BOOTS; i++) {
    const d = await spawnKiosk({ ANJUNGAN_LOG_LEVEL: 'info' }, options);
    boots.push(d.bootMs);
    await d.stop();
  }
  return Math.round(median(boots));
}

export async function bench(): Promise<Record<string, number>> {
  await buildKiosk();
  const boot_to_ready_ms = await bootMs();
  const cpu = piClassCpu();
  try {
    process.stderr.write(`bench: Pi-class CPU: ${cpu.how}\n`);
    return { boot_to_ready_ms, boot_to_ready_ms_pi_class: await bootMs({ prefix: cpu.prefix }) };
  } finally {
    cpu.close();
  }
}
