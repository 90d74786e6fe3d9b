/**
 * The staff dashboard's line about software updates: the last update step in the audit trail
 * (written by anjungan-provision update), with the release it concerns. No personal data.
 */
import type { Db } from '../store/db.ts';

export type UpdateEventKind = 'installed' | 'booted' | 'markedGood' | 'rolledBack';

export interface UpdateEvent {
  event: UpdateEventKind;
  /** `version build` of the release the update brought. */
  release: string | null;
  at: string;
  /** Why it was rolled back: checkFailed (with what was missing), failedBoot, neverChecked. */
  reason: string | null;
}

const KIND: Record<string, UpdateEventKind> = {
  updateInstalled: 'installed',
  updateBooted: 'booted',
  updateMarkedGood: 'markedGood',
  updateRolledBack: 'rolledBack',
};

export function lastUpdateEvent(db: Db): UpdateEvent | null {
  const last = db
    .prepare<[], { id: number; code: string; at: string; outcome: string | null }>(
      "SELECT id, code, at, outcome FROM audit_event WHERE code IN ('updateInstalled', 'updateBooted', 'updateMarkedGood', 'updateRolledBack') ORDER BY id DESC LIMIT 1",
    )
    .get();
  if (!last) return null;
  const installed = db
    .prepare<[number], { outcome: string | null }>(
      "SELECT outcome FROM audit_event WHERE code = 'updateInstalled' AND id <= ? ORDER BY id DESC LIMIT 1",
    )
    .get(last.id);
  const event = KIND[last.code]!;
  return {
    event,
    release: event === 'rolledBack' ? (installed?.outcome ?? null) : (last.outcome ?? installed?.outcome ?? null),
    at: last.at,
    reason: event === 'rolledBack' ? last.outcome : null,
  };
}
