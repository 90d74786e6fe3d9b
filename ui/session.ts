/**
 * When the person at the kiosk has gone: the settings they chose (language, large text,
 * contrast, sound) must not greet the next one. That is the moment the session ends for them:
 * the card was taken, the session timed out with nobody there, or the kiosk is back at rest.
 */
import type { KioskView } from '../device/view/protocol.ts';

const RESTING_SCREENS = new Set<KioskView['screen']>(['welcome', 'outOfService']);

function personGone(view: KioskView): boolean {
  if (RESTING_SCREENS.has(view.screen)) return true;
  if (view.screen === 'finished') return view.why === 'cardTaken';
  return view.screen === 'failed' && view.reason === 'sessionTimeout';
}

/** The change from `previous` to `view` is the moment the last person's session ended. */
export function sessionEnded(previous: KioskView, view: KioskView): boolean {
  return personGone(view) && !personGone(previous);
}
