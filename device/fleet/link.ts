/**
 * A kiosk's other traffic with the fleet, besides leases: data balikan forwarded (each entry once
 * by key; marked forwarded only after the fleet said it holds it, so a crash or a lost answer
 * means a resend the fleet takes as already held), a heartbeat with what the staff dashboard
 * shows, and the kiosk's semester figures for the fleet report. Each runs on its own timer and
 * waits out an unreachable fleet; none of it is on a taxpayer's path.
 */
import type { Logger } from '../log.ts';
import type { ReturnDataOutbox } from '../store/return-data-outbox.ts';
import { computeSemesterReport, parseSemester, type SemesterReportDeps } from '../report/semester.ts';
import { WIB_OFFSET_MS } from '../domain/wib.ts';
import type { FleetClient } from './client.ts';
import { MAX_FORWARD_BATCH, type FiguresRequest, type ForwardedEntry, type Heartbeat } from './protocol.ts';

export interface LinkSettings {
  heartbeatMs: number;
  forwardIdleMs: number;
  figuresMs: number;
  retryMs: number;
}

export const DEFAULT_LINK: LinkSettings = { heartbeatMs: 30_000, forwardIdleMs: 15_000, figuresMs: 60 * 60_000, retryMs: 15_000 };

/** Forwards pending entries until none is left; returns how many the fleet took. */
export async function forwardReturnData(
  outbox: ReturnDataOutbox,
  client: FleetClient,
  logger: Logger,
): Promise<{ forwarded: number; failed: boolean }> {
  let forwarded = 0;
  for (;;) {
    const items = outbox.forwardBatch(MAX_FORWARD_BATCH);
    if (items.length === 0) return { forwarded, failed: false };
    const entries: ForwardedEntry[] = items.map((i) => ({
      key: i.idempotencyKey,
      queuedAt: i.queuedAt,
      nik: i.entry.nik,
      nop: i.entry.nop,
      npwpd: i.entry.npwpd,
    }));
    const reply = await client.request('POST', '/api/kiosk/return-data', { entries });
    if (!reply.ok || reply.status !== 200) {
      logger.warn(
        { event: 'fleetForwardFailed', failure: reply.ok ? `status${reply.status}` : reply.failure },
        'data balikan not forwarded: will retry',
      );
      return { forwarded, failed: true };
    }
    const answer = reply.body as { accepted: string[]; conflict: string[] };
    const sent = new Set(entries.map((e) => e.key));
    const accepted = answer.accepted.filter((k) => sent.has(k));
    outbox.markForwarded(accepted);
    forwarded += accepted.length;
    if (answer.conflict.length > 0)
      logger.error(
        { event: 'fleetForwardConflict', count: answer.conflict.length },
        'data balikan keys held by another kiosk: left pending for a file export',
      );
    // Nothing taken from a full batch: stop rather than offer the same batch again at once.
    if (accepted.length === 0) return { forwarded, failed: true };
  }
}

/** The semesters whose figures are still worth sending: this one, and the last one for a month after it ended. */
export function semestersToSend(now: Date): string[] {
  const wib = new Date(now.getTime() + WIB_OFFSET_MS);
  const year = wib.getUTCFullYear();
  const month = wib.getUTCMonth() + 1;
  const current = `${year}-${month <= 6 ? 1 : 2}`;
  if (month === 1) return [`${year - 1}-2`, current];
  if (month === 7) return [`${year}-1`, current];
  return [current];
}

export async function sendFigures(report: SemesterReportDeps, client: FleetClient, semesters: string[]): Promise<boolean> {
  for (const label of semesters) {
    const r = await computeSemesterReport(report, parseSemester(label));
    const body: FiguresRequest = { months: r.months, quotaReachedDates: r.quotaReachedDates };
    const reply = await client.request('PUT', '/api/kiosk/figures', body);
    if (!reply.ok || reply.status !== 200) return false;
  }
  return true;
}

export interface FleetLinkDeps {
  client: FleetClient;
  outbox: ReturnDataOutbox;
  heartbeat: () => Promise<Heartbeat>;
  report: SemesterReportDeps;
  onDay: (day: { day: string; limit: number; committed: number }) => void;
  /** A heartbeat found the fleet unreachable. */
  onUnreachable?: () => void;
  now: () => Date;
  logger: Logger;
  settings: LinkSettings;
}

/** Starts the three loops; the returned function stops them and waits for one in flight. */
export function startFleetLink(deps: FleetLinkDeps): () => Promise<void> {
  let stopped = false;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const inFlight = new Set<Promise<unknown>>();
  const loop = (name: string, run: () => Promise<number>) => {
    const go = () => {
      if (stopped) return;
      const p = run()
        .catch((err: Error) => {
          deps.logger.error({ event: 'fleetLinkFailed', loop: name, err: { name: err.name } }, 'fleet link loop failed');
          return deps.settings.retryMs;
        })
        .then((next) => {
          inFlight.delete(p);
          if (stopped) return;
          const t = setTimeout(() => {
            timers.delete(t);
            go();
          }, next);
          timers.add(t);
        });
      inFlight.add(p);
    };
    go();
  };
  loop('heartbeat', async () => {
    const reply = await deps.client.request('POST', '/api/kiosk/heartbeat', await deps.heartbeat());
    if (reply.ok && reply.status === 200) deps.onDay((reply.body as { day: { day: string; limit: number; committed: number } }).day);
    if (!reply.ok) deps.onUnreachable?.();
    return reply.ok ? deps.settings.heartbeatMs : deps.settings.retryMs;
  });
  loop('forward', async () => {
    const r = await forwardReturnData(deps.outbox, deps.client, deps.logger);
    return r.failed ? deps.settings.retryMs : deps.settings.forwardIdleMs;
  });
  loop('figures', async () =>
    (await sendFigures(deps.report, deps.client, semestersToSend(deps.now()))) ? deps.settings.figuresMs : deps.settings.retryMs,
  );
  return async () => {
    stopped = true;
    for (const t of timers) clearTimeout(t);
    await Promise.all([...inFlight]);
  };
}
