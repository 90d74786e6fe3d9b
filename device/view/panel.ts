/**
 * The panel (three lights and a buzzer) as a pure function of the view the screen shows, so the
 * panel always agrees with the screen. Green: ready or a verified result. Amber: busy or waiting
 * for the taxpayer; blinking when staff help is needed. Red: a failure or out of service.
 */
import type { GpioPort, Light, PanelLights, PanelTone } from '../flow/ports.ts';
import type { KioskView } from './protocol.ts';

const lights = (green: Light, amber: Light, red: Light): PanelLights => ({ green, amber, red });

export function panelLights(view: KioskView): PanelLights {
  switch (view.screen) {
    case 'outOfService':
      return view.reason === 'starting' ? lights('off', 'on', 'off') : lights('off', 'off', 'on');
    case 'welcome':
      return lights('on', 'off', 'off');
    case 'readingCard':
    case 'awaitingFinger':
    case 'validating':
    case 'returnData':
    case 'finished':
      return lights('off', 'on', 'off');
    case 'staffAssist':
      return lights('off', 'blink', 'off');
    case 'result':
      return view.outcome === 'verified' ? lights('on', 'off', 'off') : lights('off', 'on', 'off');
    case 'failed':
      return lights('off', 'off', 'on');
  }
}

/** The tone the change from `previous` to `next` calls for, if any. */
export function panelTone(previous: KioskView | null, next: KioskView): PanelTone | null {
  if (next.screen === 'failed' && previous?.screen !== 'failed') return 'error';
  if (next.screen === 'outOfService' && next.reason !== 'starting') {
    const sameReason = previous?.screen === 'outOfService' && previous.reason === next.reason;
    return sameReason ? null : 'error';
  }
  // A finger that did not match (or was not read well) is an error the taxpayer can retry.
  if (next.screen === 'awaitingFinger' && previous?.screen === 'awaitingFinger' && next.attempt > previous.attempt) return 'error';
  if (next.idleWarning !== null && (previous === null || previous.idleWarning === null)) return 'idleWarning';
  // The card was taken: the reader found it and the read begins.
  if (next.screen === 'readingCard' && previous?.screen === 'welcome') return 'cardRead';
  return null;
}

/** Keeps the panel in step with every view the runtime publishes. */
export function attachPanel(runtime: { view(): KioskView; onView(l: (v: KioskView) => void): () => void }, gpio: GpioPort): () => void {
  let previous: KioskView | null = null;
  const show = (view: KioskView) => {
    gpio.setLights(panelLights(view));
    const tone = panelTone(previous, view);
    if (tone) gpio.sound(tone);
    previous = view;
  };
  show(runtime.view());
  return runtime.onView(show);
}
