/**
 * The contract between the daemon and the touchscreen UI: the views the server pushes and the
 * intents the UI sends back. ui/ imports only this file. A view carries only what its screen
 * shows; labels and messages are chosen by the UI from codes, in Bahasa Indonesia or English.
 */
import type { Bilingual, FailureDetail, OutOfServiceReason, SessionFailureReason } from '../domain/failure.ts';
import type { PermittedField } from '../domain/record.ts';
import { STAFF_PIN_PATTERN } from '../domain/staff-pin.ts';
import type { CaptureHint } from '../domain/capture-hint.ts';
import type { ProvisioningItem } from '../domain/provisioning.ts';
import type { Static } from 'typebox';
import * as Type from 'typebox/type';

export type Screen =
  | 'outOfService'
  | 'welcome'
  | 'readingCard'
  | 'awaitingFinger'
  | 'staffAssist'
  | 'validating'
  | 'result'
  | 'returnData'
  | 'finished'
  | 'failed';

export type ResultOutcome = 'verified' | 'dataDiffers' | 'notFound' | 'deceased' | 'inactive' | 'duplicateRecords';

export interface ResultField {
  key: PermittedField;
  label: { id: string; en: string };
  card: string;
  /** null: the registry sent nothing for this field. */
  registry: string | null;
  /** null: nothing to compare with (the registry sent no record, or not this field): unknown, not "differs". */
  agrees: boolean | null;
}

interface ViewBase {
  /** Increases with every view pushed; lets the UI drop stale ones. */
  seq: number;
  /** Set while the idle-timeout warning runs: seconds left before the session ends. */
  idleWarning: { secondsLeft: number } | null;
  demo: boolean;
}

export type KioskView = ViewBase &
  (
    | {
        screen: 'outOfService';
        reason: OutOfServiceReason;
        /** When the kiosk serves again (ISO), where it knows (outside Dukcapil's access hours). */
        reopensAt?: string;
        /** notProvisioned only: what provisioning still lacks, for the technician. */
        missing?: ProvisioningItem[];
      }
    | { screen: 'welcome' }
    | { screen: 'readingCard'; phase: 'templates' | 'record'; progress: number }
    | {
        screen: 'awaitingFinger';
        attempt: number;
        maxAttempts: number;
        /** ISO/IEC 19794-2 finger position of the finger this try asks for (device/flow/asked-finger.ts; 1-10, 0 unknown). */
        fingerPosition: number;
        feedback: 'noMatch' | 'otherFinger' | CaptureHint | null;
      }
    | {
        screen: 'staffAssist';
        step: 'callStaff' | 'readingRecord' | 'compareFace';
        why: 'fingerNotMatched' | 'taxpayerChoice';
        pinRejected: boolean;
        /** Present while five wrong PINs keep the PIN check locked: the ISO time the lock ends. */
        pinLockedUntil?: string;
        /** A staff call is pending: the taxpayer is waiting for help, so the idle timer does not run. */
        helpNeeded: boolean;
        /** The staff PIN's rate limit; null where the daemon does not know it. lockedUntil is epoch ms. */
        staffPin: { attemptsLeft: number | null; lockedUntil: number | null };
        /** Data URL of the card photo; only in step compareFace, after a staff PIN. */
        photo: string | null;
      }
    | { screen: 'validating' }
    | {
        screen: 'result';
        outcome: ResultOutcome;
        fields: ResultField[];
        /** False when the registry returned nothing to compare with (not found, deceased, …). */
        compared: boolean;
        canLinkReturnData: boolean;
        /** The session's reference (domain/session-reference.ts), for the taxpayer to quote to staff. */
        reference?: string;
      }
    | {
        screen: 'returnData';
        error: 'nopFormat' | 'npwpdFormat' | 'nothingEntered' | null;
        /** How many times the taxpayer submitted: a second refusal of the same kind is a new view, and a new answer. */
        submissions: number;
      }
    | { screen: 'finished'; why: 'completed' | 'cancelled' | 'returnDataSaved' | 'cardTaken'; reference?: string }
    | {
        screen: 'failed';
        reason: SessionFailureReason;
        /** The step that was running, e.g. `readingRecord`, `staffAssist.compareFace`. */
        state: string;
        retriable: boolean;
        /** The KTP-el is still on the reader: the way on starts with lifting it. */
        cardInReader: boolean;
        /** For staff: the status word, reader error, refusal kind… behind the reason. */
        detail: FailureDetail | null;
        /** For staff, in both languages: what happened and what to check. */
        staffMessage: Bilingual;
        reference?: string;
      }
  );

// The intents the UI may send, as the schema the server checks them against at the edge; the
// type is derived from it, so the two cannot drift apart.
export const Pin = Type.String({ pattern: STAFF_PIN_PATTERN });
const ReturnDataValue = Type.String({ maxLength: 40 });

export const IntentSchema = Type.Union([
  Type.Object({ type: Type.Literal('cancel') }, { additionalProperties: false }),
  // A touch, key press or scroll: the taxpayer is still there.
  Type.Object({ type: Type.Literal('activity') }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('extendTime') }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('cannotGiveFinger') }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('staffUnlock'), pin: Pin }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('staffConfirmFace'), matches: Type.Boolean() }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('linkReturnData') }, { additionalProperties: false }),
  Type.Object(
    { type: Type.Literal('submitReturnData'), nop: Type.Optional(ReturnDataValue), npwpd: Type.Optional(ReturnDataValue) },
    { additionalProperties: false },
  ),
  Type.Object({ type: Type.Literal('skipReturnData') }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('finish') }, { additionalProperties: false }),
]);

export type Intent = Static<typeof IntentSchema>;

export interface DemoPersonaSummary {
  id: string;
  /** What the persona demonstrates, for the demo panel (no personal data of real people). */
  title: { id: string; en: string };
}

export interface IntentRefusal {
  error: 'intentNotAllowed' | 'badRequest';
  message: string;
}
