/**
 * Derives the KioskView (what the screen shows) from the flow's snapshot. Pure. Personal data
 * crosses into a view only on the result screen (the nine fields) and in staff assist (the
 * photo, after a staff PIN).
 */
import { failure, SESSION_FAILURES, staffMessage } from '../domain/failure.ts';
import { sessionReference } from '../domain/session-reference.ts';
import { displayField, FIELD_LABELS, PERMITTED_FIELDS, type PermittedField } from '../domain/record.ts';
import { staffCallPending, type FlowContext, type KioskSnapshot } from '../flow/machine.ts';
import { askedFinger } from '../flow/asked-finger.ts';
import type { KioskView, ResultField } from './protocol.ts';
import type { ProvisioningItem } from '../domain/provisioning.ts';

type ViewBody = KioskView extends infer V ? (V extends unknown ? Omit<V, 'seq' | 'idleWarning' | 'demo'> : never) : never;

export interface ViewOptions {
  demo: boolean;
  now: number;
  seq: number;
  /** The flow's setting, so the screen counts attempts against the same number. */
  maxFingerAttempts: number;
  /** Epoch ms until which the staff PIN check refuses every PIN; null when not locked. */
  staffPinLockedUntil?: number | null;
  /** Wrong PINs left before the kiosk screen has to wait (store/attempt-throttle.ts); null when unknown. */
  staffPinAttemptsLeft?: number | null;
  /** Epoch ms when Dukcapil's access hours open again (readiness.ts); null when unknown or not closed. */
  accessReopensAt?: number | null;
  /** What provisioning lacks (shown with the notProvisioned reason). */
  provisioningMissing?: ProvisioningItem[];
}

export function deriveView(snapshot: KioskSnapshot, opts: ViewOptions): KioskView {
  const c = snapshot.context;
  const idleWarning =
    c.idleWarningEndsAt === null ? null : { secondsLeft: Math.max(0, Math.ceil((c.idleWarningEndsAt - opts.now) / 1000)) };
  return { seq: opts.seq, demo: opts.demo, idleWarning, ...body(snapshot, opts) } as KioskView;
}

function body(snapshot: KioskSnapshot, opts: ViewOptions): ViewBody {
  const c = snapshot.context;
  if (snapshot.matches('booting')) return { screen: 'outOfService', reason: 'starting' };
  if (snapshot.matches('outOfService')) {
    const reason = c.outOfService ?? 'starting';
    if (reason === 'notProvisioned') return { screen: 'outOfService', reason, missing: opts.provisioningMissing ?? [] };
    const reopensAt =
      reason === 'outsideAccessHours' && opts.accessReopensAt ? { reopensAt: new Date(opts.accessReopensAt).toISOString() } : {};
    return { screen: 'outOfService', reason, ...reopensAt };
  }
  if (snapshot.matches('welcome')) return { screen: 'welcome' };
  switch (c.step) {
    case 'readingTemplates':
    case 'readingRecord':
      return { screen: 'readingCard', phase: c.progress.phase, progress: c.progress.ratio };
    case 'awaitingFinger':
      return {
        screen: 'awaitingFinger',
        attempt: c.attempt,
        maxAttempts: opts.maxFingerAttempts,
        // The finger this try asks for, as the flow compares it: the screen, the drawing and the voice agree.
        fingerPosition: askedFinger(c.templates ?? [], c.attempt, opts.maxFingerAttempts).fingerPosition,
        feedback: c.fingerFeedback,
      };
    case 'staffAssist':
      return {
        screen: 'staffAssist',
        step: c.staffStep === 'compareFace' ? 'compareFace' : c.staffStep === 'readingRecord' ? 'readingRecord' : 'callStaff',
        why: c.staffAssistWhy ?? 'taxpayerChoice',
        pinRejected: c.pinRejected,
        ...(opts.staffPinLockedUntil ? { pinLockedUntil: new Date(opts.staffPinLockedUntil).toISOString() } : {}),
        helpNeeded: staffCallPending(c),
        staffPin: { attemptsLeft: opts.staffPinAttemptsLeft ?? null, lockedUntil: opts.staffPinLockedUntil ?? null },
        photo: c.staffStep === 'compareFace' && c.record ? photoDataUrl(c.record.photo) : null,
      };
    case 'validating':
      return { screen: 'validating' };
    case 'result':
      return resultView(c);
    case 'returnData':
      return { screen: 'returnData', error: c.returnDataError, submissions: c.returnDataSubmissions };
    case 'finished':
      return { screen: 'finished', why: c.finishedWhy ?? 'completed', ...referenceOf(c) };
    case 'failed':
    case null: {
      const f = c.failure ?? failure('internalError', 'unknown');
      return {
        screen: 'failed',
        reason: f.reason,
        state: f.state,
        retriable: SESSION_FAILURES[f.reason].retriable,
        cardInReader: c.cardInReader,
        detail: f.detail,
        staffMessage: staffMessage(f),
        ...referenceOf(c),
      };
    }
  }
}

function resultView(c: FlowContext): ViewBody {
  const verdict = c.verdict!;
  const person = c.record!.person;
  const compared = verdict.kind === 'verified' || verdict.kind === 'dataDiffers';
  // A field the registry sent nothing for was not compared: its agreement is unknown (null).
  const fields: ResultField[] = compared
    ? verdict.fields.map((f) => ({
        ...f,
        label: FIELD_LABELS[f.key],
        card: shownAsOnCard(f.key, f.card),
        registry: f.registry === null ? null : shownAsOnCard(f.key, f.registry),
        agrees: f.registry === null ? null : f.agrees,
      }))
    : PERMITTED_FIELDS.map((key) => ({
        key,
        label: FIELD_LABELS[key],
        card: shownAsOnCard(key, displayField(person, key)),
        registry: null,
        agrees: null,
      }));
  return {
    screen: 'result',
    outcome: verdict.kind,
    fields,
    compared,
    canLinkReturnData: verdict.kind === 'verified' || verdict.kind === 'dataDiffers',
    ...referenceOf(c),
  };
}

/** The session's reference, on the screens that end a session, so a taxpayer can quote it to staff. */
function referenceOf(c: FlowContext): { reference?: string } {
  return c.sessionId ? { reference: sessionReference(c.sessionId) } : {};
}

/**
 * A value written the way the KTP-el prints it, so card and registry read alike: dates as
 * DD-MM-YYYY, RT/RW with three digits (the registry may send "3" for the card's "003").
 */
export function shownAsOnCard(key: PermittedField, value: string): string {
  if (key === 'tanggalLahir') {
    const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    return iso ? `${iso[3]}-${iso[2]}-${iso[1]}` : value;
  }
  if (key === 'alamat')
    return value.replace(
      /\bRT (\d{1,3})\/RW (\d{1,3})\b/,
      (_m, rt: string, rw: string) => `RT ${rt.padStart(3, '0')}/RW ${rw.padStart(3, '0')}`,
    );
  return value;
}

function photoDataUrl(photo: { mime: string; bytes: Uint8Array }): string {
  return `data:${photo.mime};base64,${Buffer.from(photo.bytes).toString('base64')}`;
}
