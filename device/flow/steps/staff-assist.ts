/**
 * Staff assist, for a taxpayer whose finger did not match or who cannot give one: a staff PIN
 * on the kiosk, or an operator signed in to the staff dashboard, unlocks the record read; staff
 * compare the face with the card photo.
 */
import { assign } from 'xstate';
import { progressToSelf, type KioskSetup } from '../setup.ts';
import { CARD_REMOVAL_ABORTS, STEP_EXITS } from './card-removal.ts';

export const staffAssistStep = (kiosk: KioskSetup) =>
  kiosk.createStateConfig({
    tags: 'cardNeeded',
    initial: 'callStaff',
    entry: [
      { type: 'setStep', params: 'staffAssist' },
      'stepEntered',
      { type: 'audit', params: ({ context }) => ({ code: 'staffAssistStart' as const, outcome: context.staffAssistWhy ?? undefined }) },
    ],
    on: { ...CARD_REMOVAL_ABORTS, ...STEP_EXITS },
    states: {
      callStaff: {
        entry: { type: 'setStaffStep', params: 'callStaff' },
        on: {
          STAFF_UNLOCK: 'verifyingPin',
          // The dashboard authenticated the operator (sign-in, CSRF) before sending this.
          STAFF_UNLOCK_SIGNED_IN: {
            target: 'readingRecordForStaff',
            actions: [
              assign({ staffId: ({ event }) => event.staffId, pinRejected: false }),
              { type: 'audit', params: ({ event }) => ({ code: 'staffUnlocked' as const, staffId: event.staffId, outcome: 'dashboard' }) },
            ],
          },
        },
      },
      verifyingPin: {
        entry: { type: 'setStaffStep', params: 'verifyingPin' },
        invoke: {
          id: 'verifyStaffPin',
          src: 'verifyStaffPin',
          input: ({ event }) => ({ pin: event.type === 'STAFF_UNLOCK' ? event.pin : '' }),
          onDone: [
            {
              guard: ({ event }) => event.output !== null,
              target: 'readingRecordForStaff',
              actions: [
                assign({ staffId: ({ event }) => event.output?.staffId ?? null, pinRejected: false }),
                { type: 'audit', params: ({ event }) => ({ code: 'staffUnlocked' as const, staffId: event.output?.staffId }) },
              ],
            },
            { target: 'callStaff', actions: [assign({ pinRejected: true }), { type: 'audit', params: { code: 'staffPinRejected' } }] },
          ],
          onError: { target: 'callStaff', actions: assign({ pinRejected: true }) },
        },
      },
      readingRecordForStaff: {
        entry: { type: 'setStaffStep', params: 'readingRecord' },
        invoke: {
          id: 'readRecordForStaff',
          src: 'readRecord',
          input: progressToSelf,
          onDone: {
            target: 'compareFace',
            actions: [assign({ record: ({ event }) => event.output }), { type: 'audit', params: { code: 'recordRead' } }],
          },
          onError: { target: '#failed', actions: 'failFromError' },
        },
        on: { READ_PROGRESS: { actions: { type: 'recordProgress', params: 'record' } } },
      },
      compareFace: {
        entry: [{ type: 'setStaffStep', params: 'compareFace' }, 'stepEntered'],
        on: {
          STAFF_CONFIRM_FACE: [
            {
              guard: ({ event, context }) => event.matches && context.record?.signatureValid === true,
              target: '#validating',
              actions: { type: 'audit', params: ({ event, context }) => faceDecision('matches', event.staffId ?? context.staffId) },
            },
            { guard: ({ event }) => event.matches, target: '#failed', actions: { type: 'fail', params: 'signatureInvalid' } },
            {
              target: '#failed',
              actions: [
                { type: 'audit', params: ({ event, context }) => faceDecision('differs', event.staffId ?? context.staffId) },
                { type: 'fail', params: 'identityNotConfirmed' },
              ],
            },
          ],
        },
      },
    },
  });

/** The face decision is audited with the staff member who made it. */
function faceDecision(outcome: 'matches' | 'differs', staffId: string | null) {
  return { code: 'staffFaceDecision' as const, outcome, ...(staffId ? { staffId } : {}) };
}
