/**
 * Capture to decision on the production path: a rendered finger image placed on libfprint's
 * virtual sensor → capture helper → our extractor → matcher → the kiosk's next screen (a match
 * moves on to the card read, a refusal asks again). Measured on the production rehearsal
 * (test/e2e/rehearsal.ts), from the moment the image is written to the sensor's socket until the
 * view shows the decision. Assumes pcscd is running (make bench starts it).
 */
import { persona } from '../../device/sim/personas.ts';
import { KioskClient } from '../support/kiosk-client.ts';
import { holderTouch, strangerTouch } from '../support/rendered-persona-fingers.ts';
import { startRehearsal } from '../e2e/rehearsal.ts';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const SESSIONS = 3;

export async function bench(): Promise<Record<string, number>> {
  const holder = persona('valid');
  // Rendered before anything is timed: per session two strangers' touches, then the holder's.
  const touches = Array.from({ length: SESSIONS }, (_, s) => [
    strangerTouch('bench', `s${s}-a`),
    strangerTouch('bench', `s${s}-b`),
    holderTouch(holder, `bench-${s}`),
  ]);
  const rehearsal = await startRehearsal();
  const k = new KioskClient(rehearsal.kiosk.url);
  const decisions: number[] = [];
  try {
    for (const session of touches) {
      await k.until((v) => v.screen === 'welcome', 'welcome', 30_000);
      await rehearsal.devices.insert(holder);
      for (const [i, image] of session.entries()) {
        const attempt = i + 1;
        await k.until((v) => v.screen === 'awaitingFinger' && v.attempt === attempt, `attempt ${attempt}`, 30_000);
        await rehearsal.sensor.place(image);
        const placed = performance.now();
        const v = await k.until((v) => !(v.screen === 'awaitingFinger' && v.attempt === attempt), 'decision', 60_000);
        decisions.push(performance.now() - placed);
        if (v.screen !== 'awaitingFinger') break;
      }
      await rehearsal.devices.remove();
    }
  } finally {
    await rehearsal.stop();
  }
  return { fingerprint_capture_to_decision_ms_median: Math.round(median(decisions)) };
}
