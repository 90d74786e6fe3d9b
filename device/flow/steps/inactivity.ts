/**
 * Inactivity, alongside the session's steps: after a quiet period on a step that waits for the
 * taxpayer, a warning with a countdown; silence to its end raises IDLE_EXPIRED. Staff signing in
 * or out at the kiosk restarts the quiet period: no warning runs out under their dashboard, and
 * the taxpayer gets a whole period back when the screen returns to them.
 */
import { assign, raise } from 'xstate';
import type { FlowDeps } from '../context.ts';
import type { KioskSetup } from '../setup.ts';

export const inactivityRegion = (kiosk: KioskSetup, deps: FlowDeps) =>
  kiosk.createStateConfig({
    initial: 'quiet',
    states: {
      quiet: {
        after: {
          idleTimeout: [
            { guard: 'waitingForUser', target: 'warning' },
            { target: 'quiet', reenter: true },
          ],
        },
      },
      warning: {
        on: { EXTEND_TIME: 'quiet' },
        entry: assign({ idleWarningEndsAt: () => deps.clock.now().getTime() + deps.settings.idleWarningMs }),
        exit: assign({ idleWarningEndsAt: null }),
        after: { idleWarning: { target: 'quiet', actions: raise({ type: 'IDLE_EXPIRED' }) } },
      },
    },
    // Any touch restarts the quiet period; EXTEND_TIME is the warning's own button.
    on: {
      STEP_ENTERED: '.quiet',
      ACTIVITY: '.quiet',
      STAFF_AT_KIOSK: { target: '.quiet', actions: 'staffAtKiosk' },
    },
  });
