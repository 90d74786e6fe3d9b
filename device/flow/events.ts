/**
 * What happened, as the kiosk records it: every audit event (a card read, a finger that did not
 * match, a reader missing, the quota reached, the kiosk out of service…) goes to the audit log
 * and then to the policies that subscribed (the reader power relay, staff alerts, the log), so
 * they learn what happened from the flow and the devices instead of from the screen. Subscribers
 * never see the NIK, and one that fails does not stop the flow or the others.
 */
import type { AuditEvent } from '../domain/audit.ts';
import type { Logger } from '../log.ts';
import type { AuditPort } from './ports.ts';

export type KioskEvent = Omit<AuditEvent, 'nik'>;

export interface KioskEventSource {
  subscribe(listener: (event: KioskEvent) => void): () => void;
}

export class KioskEvents implements AuditPort, KioskEventSource {
  private readonly listeners = new Set<(event: KioskEvent) => void>();

  constructor(
    private readonly audit: AuditPort,
    private readonly logger: Pick<Logger, 'error'>,
  ) {}

  record(event: AuditEvent): void {
    this.audit.record(event);
    const { nik: _nik, ...seen } = event;
    for (const listener of this.listeners) {
      try {
        listener(seen);
      } catch (err) {
        this.logger.error(
          { event: 'eventListenerFailed', code: event.code, err: { name: (err as Error).name } },
          'a policy failed on an event',
        );
      }
    }
  }

  subscribe(listener: (event: KioskEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
