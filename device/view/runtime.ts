/**
 * Runs the kiosk machine and turns its snapshots into a stream of views. The server and the
 * device drivers talk to the flow only through this: device events in, user intents in (checked
 * against the current state), views out.
 */
import { createActor, type ActorOptions } from 'xstate';
import type { Intent, KioskView } from './protocol.ts';
import { deriveView } from './derive.ts';
import type { Logger } from '../log.ts';
import type { FlowEvent, KioskActor, KioskMachine, KioskSnapshot } from '../flow/machine.ts';
import type { ClockPort } from '../flow/ports.ts';
import type { ProvisioningItem } from '../domain/provisioning.ts';

export function intentToEvent(intent: Intent): FlowEvent {
  switch (intent.type) {
    case 'cancel':
      return { type: 'CANCEL' };
    case 'activity':
      return { type: 'ACTIVITY' };
    case 'extendTime':
      return { type: 'EXTEND_TIME' };
    case 'cannotGiveFinger':
      return { type: 'CANNOT_GIVE_FINGER' };
    case 'staffUnlock':
      return { type: 'STAFF_UNLOCK', pin: intent.pin };
    case 'staffConfirmFace':
      return { type: 'STAFF_CONFIRM_FACE', matches: intent.matches };
    case 'linkReturnData':
      return { type: 'LINK_RETURN_DATA' };
    case 'submitReturnData':
      return {
        type: 'SUBMIT_RETURN_DATA',
        ...(intent.nop !== undefined ? { nop: intent.nop } : {}),
        ...(intent.npwpd !== undefined ? { npwpd: intent.npwpd } : {}),
      };
    case 'skipReturnData':
      return { type: 'SKIP_RETURN_DATA' };
    case 'finish':
      return { type: 'FINISH' };
  }
}

export class KioskRuntime {
  readonly actor: KioskActor;
  private current: KioskView;
  private seq = 0;
  private readonly listeners = new Set<(view: KioskView) => void>();

  constructor(
    machine: KioskMachine,
    private readonly opts: {
      demo: boolean;
      clock: ClockPort;
      logger: Logger;
      maxFingerAttempts: number;
      xstateClock?: NonNullable<ActorOptions<KioskMachine>['clock']>;
      /** Until when the kiosk screen must wait before its next staff PIN (store/attempt-throttle.ts), for the staff-assist view. */
      staffPinLockedUntil?: () => number | null;
      /** Wrong staff PINs left before the kiosk screen has to wait, for the staff-assist view. */
      staffPinAttemptsLeft?: () => number;
      /** When Dukcapil's access hours open again (readiness.ts), for the out-of-service view. */
      accessReopensAt?: () => number | null;
      /** What provisioning lacks, for the not-provisioned screen (device/provisioning-state.ts). */
      provisioningMissing?: () => ProvisioningItem[];
    },
  ) {
    this.actor = createActor(machine, opts.xstateClock ? { clock: opts.xstateClock } : {});
    this.current = deriveView(this.actor.getSnapshot(), this.viewOptions(0));
    this.actor.subscribe({
      next: (snapshot) => this.onSnapshot(snapshot),
      error: (err) => opts.logger.fatal({ event: 'flowCrashed', err: { name: (err as Error).name } }, 'flow machine stopped'),
    });
  }

  start(): void {
    this.actor.start();
  }

  stop(): void {
    this.actor.stop();
  }

  snapshot(): KioskSnapshot {
    return this.actor.getSnapshot();
  }

  view(): KioskView {
    return this.current;
  }

  onView(listener: (view: KioskView) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A device event (card, reader, tamper, readiness); always delivered. */
  send(event: FlowEvent): void {
    this.actor.send(event);
  }

  /** A user intent from the screen: refused (false) when the current state does not take it. */
  sendIntent(intent: Intent): boolean {
    const event = intentToEvent(intent);
    if (!this.actor.getSnapshot().can(event)) return false;
    this.actor.send(event);
    if (event.type !== 'ACTIVITY') this.actor.send({ type: 'ACTIVITY' });
    return true;
  }

  private viewOptions(seq: number) {
    return {
      demo: this.opts.demo,
      now: this.opts.clock.now().getTime(),
      seq,
      maxFingerAttempts: this.opts.maxFingerAttempts,
      staffPinLockedUntil: this.opts.staffPinLockedUntil?.() ?? null,
      staffPinAttemptsLeft: this.opts.staffPinAttemptsLeft?.() ?? null,
      accessReopensAt: this.opts.accessReopensAt?.() ?? null,
      provisioningMissing: this.opts.provisioningMissing?.() ?? [],
    };
  }

  private onSnapshot(snapshot: KioskSnapshot): void {
    const next = deriveView(snapshot, this.viewOptions(this.seq + 1));
    if (sameView(next, this.current)) return;
    this.seq += 1;
    this.current = next;
    for (const l of this.listeners) l(next);
  }
}

function sameView(a: KioskView, b: KioskView): boolean {
  const { seq: _a, idleWarning: wa, ...ra } = a;
  const { seq: _b, idleWarning: wb, ...rb } = b;
  // A running countdown does not make a new view; its start and end do.
  return (wa === null) === (wb === null) && JSON.stringify(ra) === JSON.stringify(rb);
}
