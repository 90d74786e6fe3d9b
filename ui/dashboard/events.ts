/** Dashboard panels raise what the operator wants as one DOM event; only the app calls the API. */
import type { ExportFormat, StaffAlert } from './api.ts';

export type StaffAction =
  | { type: 'acknowledgeAlert'; id: StaffAlert['id'] }
  | { type: 'setPaused'; paused: boolean }
  | { type: 'assistUnlock' }
  | { type: 'assistFace'; matches: boolean }
  | { type: 'exportReturnData'; format: ExportFormat; target: string }
  | { type: 'downloadExport'; exportId: string; file: string }
  | { type: 'downloadReport'; semester: string; format: 'xlsx' | 'pdf' }
  | { type: 'exportReport'; semester: string; format: 'xlsx' | 'pdf'; target: string };

export const STAFF_ACTION_EVENT = 'anj-staff-action';

export function emitAction(from: EventTarget, action: StaffAction): void {
  from.dispatchEvent(new CustomEvent<StaffAction>(STAFF_ACTION_EVENT, { detail: action, bubbles: true, composed: true }));
}
