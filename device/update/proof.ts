/**
 * What a new release must show before it is marked good: the daemon answers, both card readers
 * (KTP-el and SAM) and the fingerprint sensor are seen, and the kiosk page is alive (it pinged
 * within the last UI_ALIVE_MS). Pure: the boot check samples /healthz until this holds or its
 * deadline passes.
 */
export type ProofItem = 'daemon' | 'readers' | 'sensor' | 'screen';

/** The parts of the daemon's /healthz answer the proof reads. */
export interface HealthSample {
  devices?: {
    reader?: { idReader?: string; sam?: string; readers?: number };
    sensor?: string;
  };
  ui?: { lastPingAgoMs?: number | null };
}

/** Two pings (the page pings every 5 s) may be missed, not more. */
export const UI_ALIVE_MS = 15_000;

/** What is still missing; empty when the release has proved itself. health null: no answer. */
export function missingProof(health: HealthSample | null): ProofItem[] {
  if (!health) return ['daemon'];
  const missing: ProofItem[] = [];
  const reader = health.devices?.reader;
  // Both readers attached, the KTP-el one usable and the SAM found (a SAM that refuses is a
  // provisioning matter, not the release's).
  if (reader?.idReader !== 'ready' || (reader.readers ?? 0) < 2 || reader.sam === 'missing' || reader.sam === undefined)
    missing.push('readers');
  if (health.devices?.sensor !== 'ready') missing.push('sensor');
  const ping = health.ui?.lastPingAgoMs;
  if (typeof ping !== 'number' || ping > UI_ALIVE_MS) missing.push('screen');
  return missing;
}
