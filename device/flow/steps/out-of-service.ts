/** Out of service: says why, and checks again on a timer or when a device reports a change. */
import type { KioskSetup } from '../setup.ts';

export const outOfServiceStep = (kiosk: KioskSetup) =>
  kiosk.createStateConfig({
    entry: [{ type: 'audit', params: ({ context }) => ({ code: 'outOfService' as const, outcome: context.outOfService ?? 'unknown' }) }],
    on: { READINESS_CHANGED: 'booting' },
    after: { outOfServiceRecheck: 'booting' },
  });
