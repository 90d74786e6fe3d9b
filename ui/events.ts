/**
 * Components raise what the user wants as DOM events; only the app element talks to the API.
 */
import type { Intent } from '../device/view/protocol.ts';

export const INTENT_EVENT = 'anj-intent';
export type DemoAction =
  | { type: 'insertCard'; persona: string }
  | { type: 'removeCard' }
  | { type: 'presentFinger'; genuine: boolean }
  | { type: 'setTamper'; open: boolean };
export const DEMO_EVENT = 'anj-demo';
/** Staff actions outside the flow's intents (the tamper lock is not a session step). */
export type StaffAction = { type: 'clearTamper'; pin: string };
export const STAFF_EVENT = 'anj-staff';

export function emitStaff(from: EventTarget, action: StaffAction): void {
  from.dispatchEvent(new CustomEvent<StaffAction>(STAFF_EVENT, { detail: action, bubbles: true, composed: true }));
}

export function emitIntent(from: EventTarget, intent: Intent): void {
  from.dispatchEvent(new CustomEvent<Intent>(INTENT_EVENT, { detail: intent, bubbles: true, composed: true }));
}

export function emitDemo(from: EventTarget, action: DemoAction): void {
  from.dispatchEvent(new CustomEvent<DemoAction>(DEMO_EVENT, { detail: action, bubbles: true, composed: true }));
}
