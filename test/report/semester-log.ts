/**
 * Writes a whole semester of kiosk life straight into a real SQLite database (the daemon's own
 * schema), as the flow would have audited it: sessions with a known mix of outcomes, out-of-
 * service periods (rechecks, a change of reason, one crossing a month, one ended by a restart,
 * one open when the semester starts), quota exhaustion (the kiosk's own ledger, and Dukcapil
 * refusing first because other kiosks share the User ID), data balikan in every state, and
 * events just outside the semester. It keeps its own tally of what every report figure must
 * be, counted as it writes, not by querying.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../../device/store/db.ts';
import {
  CARD_READ_OUTCOMES,
  OUT_OF_SERVICE_REPORT_REASONS,
  UPLINK_OUTCOMES,
  type MonthFigures,
  type OutOfServiceReportReason,
} from '../../device/report/semester.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WIB = 7 * HOUR;

export interface GeneratedSemester {
  expected: Map<string, MonthFigures>;
  expectedExhaustedDates: string[];
  /** Values the report must never contain. */
  secrets: { nikHmacs: string[]; staffIds: string[]; sessionIds: string[] };
  rows: number;
  sessions: number;
}

export interface SemesterLogOptions {
  /** `YYYY-1` or `YYYY-2`. */
  semester: string;
  sessionsPerDay: number;
  dailyQuota: number;
  seed: number;
}

/** mulberry32: a small seeded generator, so a failing run can be replayed. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const monthOf = (ms: number) => {
  const d = new Date(ms + WIB);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
};
const dayOf = (ms: number) => new Date(ms + WIB).toISOString().slice(0, 10);

export function writeSemesterLog(db: Db, o: SemesterLogOptions): GeneratedSemester {
  const [yearText, halfText] = o.semester.split('-');
  const year = Number(yearText);
  const firstMonth = halfText === '1' ? 0 : 6;
  const semesterStart = Date.UTC(year, firstMonth, 1) - WIB;
  const semesterEnd = Date.UTC(year, firstMonth + 6, 1) - WIB;
  const rand = random(o.seed);
  const pick = <T>(choices: Array<[number, T]>): T => {
    let r = rand() * choices.reduce((s, [w]) => s + w, 0);
    for (const [w, v] of choices) {
      r -= w;
      if (r < 0) return v;
    }
    return choices[choices.length - 1]![1];
  };

  // Random session ids make scattered index inserts: a large page cache keeps the writing quick.
  db.pragma('cache_size = -262144');
  const hasDeliveredColumn = (db.prepare('PRAGMA table_info(return_data_outbox)').all() as Array<{ name: string }>).some(
    (c) => c.name === 'delivered_at',
  );
  const insertAudit = db.prepare(
    'INSERT INTO audit_event (at, code, session_id, state, outcome, duration_ms, nik_hmac, staff_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertHit = db.prepare('INSERT INTO quota_hit (day, state, reserved_at, settled_at) VALUES (?, ?, ?, ?)');
  const insertOutbox = hasDeliveredColumn
    ? db.prepare('INSERT INTO return_data_outbox (queued_at, sealed, idempotency_key, exported_at, delivered_at) VALUES (?, ?, ?, ?, ?)')
    : db.prepare('INSERT INTO return_data_outbox (queued_at, sealed, idempotency_key, exported_at) VALUES (?, ?, ?, ?)');

  const expected = new Map<string, MonthFigures>();
  for (let m = 0; m < 6; m++) {
    const key = `${year}-${String(firstMonth + m + 1).padStart(2, '0')}`;
    expected.set(key, {
      month: key,
      sessions: 0,
      cardReads: Object.fromEntries(CARD_READ_OUTCOMES.map((k) => [k, 0])) as MonthFigures['cardReads'],
      fingerprint: { pass: 0, fail: 0, noFingerGiven: 0, staffAssisted: 0 },
      uplink: Object.fromEntries(UPLINK_OUTCOMES.map((k) => [k, 0])) as MonthFigures['uplink'],
      quotaHits: 0,
      quotaReachedDays: 0,
      returnData: { queued: 0, delivered: 0, exported: 0, pending: 0 },
      outOfServiceHours: Object.fromEntries(OUT_OF_SERVICE_REPORT_REASONS.map((k) => [k, 0])) as MonthFigures['outOfServiceHours'],
    });
  }
  // Figures of events outside the semester go to a month the report must not show.
  const tally = (ms: number) => expected.get(monthOf(ms)) ?? null;
  const inSemester = (ms: number) => ms >= semesterStart && ms < semesterEnd;
  const exhaustedDays = new Set<string>();
  const secrets = { nikHmacs: [] as string[], staffIds: ['petugas-satu', 'petugas-dua'], sessionIds: [] as string[] };
  let rows = 0;
  let sessions = 0;

  const audit = (
    at: number,
    code: string,
    f: { sessionId?: string; state?: string; outcome?: string; nikHmac?: string; staffId?: string; startedAt?: number } = {},
  ) => {
    insertAudit.run(
      new Date(at).toISOString(),
      code,
      f.sessionId ?? null,
      f.state ?? null,
      f.outcome ?? null,
      f.startedAt === undefined ? null : at - f.startedAt,
      f.nikHmac ?? null,
      f.staffId ?? null,
    );
    rows++;
  };
  /** Hours of a period, split at the WIB month boundary it may cross, clamped to the semester. */
  const outOfServiceHours = (from: number, to: number, reason: OutOfServiceReportReason) => {
    const a = Math.max(from, semesterStart);
    const b = Math.min(to, semesterEnd);
    if (b <= a) return;
    const firstOfLastMonth = (() => {
      const d = new Date(b - 1 + WIB);
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) - WIB;
    })();
    if (firstOfLastMonth > a) {
      tally(a)!.outOfServiceHours[reason] += (firstOfLastMonth - a) / HOUR;
      tally(b - 1)!.outOfServiceHours[reason] += (b - firstOfLastMonth) / HOUR;
    } else {
      tally(a)!.outOfServiceHours[reason] += (b - a) / HOUR;
    }
  };
  /** An out-of-service stretch as the flow writes it: a row at entry and one per recheck. */
  const outOfService = (from: number, to: number, reason: OutOfServiceReportReason, recheck = 10 * MINUTE) => {
    for (let t = from; t < to; t += recheck) audit(t, 'outOfService', { outcome: reason });
    outOfServiceHours(from, to, reason);
  };
  const exhaust = (at: number, nextDay: number) => {
    outOfService(at, nextDay + 5_000, 'quotaReached', 30 * MINUTE);
    audit(nextDay + 5_000, 'inService', { outcome: 'quotaReached' });
    if (inSemester(at)) exhaustedDays.add(dayOf(at));
  };

  let quotaUsed = 0;
  let sharedQuotaGoneAt = Infinity;
  let stopped = false;
  const session = (start: number, dayStart: number) => {
    const sessionId = randomBytes(16).toString('hex');
    const f = tally(start);
    const count = (fn: (m: MonthFigures) => void) => {
      if (f && inSemester(start)) fn(f);
    };
    let t = start;
    const step = (seconds: number) => (t += seconds * 1000);
    const ev = (code: string, extra: { state?: string; outcome?: string; nikHmac?: string; staffId?: string } = {}) =>
      audit(t, code, { sessionId, startedAt: start, ...extra });
    const end = (outcome: string) => ev('sessionEnd', { outcome });
    const fail = (state: string, reason: string) => {
      ev('sessionFailed', { state, outcome: reason });
      step(4);
      end(reason);
    };
    sessions++;
    if (secrets.sessionIds.length < 50) secrets.sessionIds.push(sessionId);
    audit(t, 'sessionStart', { sessionId });
    count((m) => m.sessions++);

    step(2);
    const read = pick<'read' | 'cardUnreadable' | 'cardRemoved' | 'cardNotGenuine' | 'cancelled'>([
      [950, 'read'],
      [15, 'cardUnreadable'],
      [10, 'cardRemoved'],
      [5, 'cardNotGenuine'],
      [20, 'cancelled'],
    ]);
    if (read === 'cancelled') return end('cancelled');
    if (read !== 'read') {
      count((m) => m.cardReads[read]++);
      return fail('readingTemplates', read);
    }
    ev('templatesRead');
    count((m) => m.cardReads.read++);

    const finger = pick<'pass' | 'fail' | 'choice' | 'cancel'>([
      [80, 'pass'],
      [12, 'fail'],
      [3, 'choice'],
      [5, 'cancel'],
    ]);
    if (finger === 'cancel') {
      step(8);
      return end('cancelled');
    }
    if (finger === 'pass') {
      const misses = Math.floor(rand() * 3);
      for (let i = 0; i < misses; i++) {
        step(5);
        ev('fingerAttempt', { outcome: 'noMatch' });
      }
      step(4);
      ev('fingerMatched');
      count((m) => m.fingerprint.pass++);
      step(3);
      ev('recordRead');
    } else {
      if (finger === 'fail') {
        for (let i = 0; i < 3; i++) {
          step(5);
          ev('fingerAttempt', { outcome: rand() < 0.7 ? 'noMatch' : 'poorQuality' });
        }
        count((m) => m.fingerprint.fail++);
      } else {
        count((m) => m.fingerprint.noFingerGiven++);
      }
      ev('staffAssistStart', { outcome: finger === 'fail' ? 'fingerNotMatched' : 'taxpayerChoice' });
      if (rand() < 0.15) {
        step(90);
        return fail('staffAssist.callStaff', 'sessionTimeout');
      }
      const staffId = secrets.staffIds[Math.floor(rand() * 2)]!;
      step(40);
      if (rand() < 0.1) ev('staffPinRejected');
      ev('staffUnlocked', { staffId });
      step(3);
      ev('recordRead');
      step(15);
      if (rand() < 0.1) {
        ev('staffFaceDecision', { outcome: 'differs' });
        return fail('staffAssist.compareFace', 'identityNotConfirmed');
      }
      ev('staffFaceDecision', { outcome: 'matches' });
      count((m) => m.fingerprint.staffAssisted++);
    }

    step(2);
    if (quotaUsed >= o.dailyQuota) {
      // The kiosk's own ledger refuses: no hit, no request.
      ev('validated', { outcome: 'quotaReached' });
      count((m) => m.uplink.quotaReached++);
      fail('validating', 'quotaReached');
      stopped = true;
      exhaust(t + 20_000, dayStart + DAY);
      return;
    }
    const hit = (state: 'sent' | 'released') => {
      insertHit.run(dayOf(t), state, new Date(t).toISOString(), new Date(t + 800).toISOString());
      rows++;
      if (state === 'sent') {
        quotaUsed++;
        count((m) => m.quotaHits++);
      }
    };
    if (quotaUsed >= sharedQuotaGoneAt) {
      // Dukcapil counts every kiosk on the User ID: it says the quota is gone before our ledger does.
      hit('sent');
      step(1);
      ev('validated', { outcome: 'quotaReached' });
      count((m) => m.uplink.quotaReached++);
      fail('validating', 'quotaReached');
      stopped = true;
      exhaust(t + 20_000, dayStart + DAY);
      return;
    }
    const answer = pick<(typeof UPLINK_OUTCOMES)[number] | 'neverLeft'>([
      [850, 'verified'],
      [50, 'dataDiffers'],
      [30, 'notFound'],
      [5, 'deceased'],
      [40, 'unavailable'],
      [10, 'serviceError'],
      [10, 'neverLeft'],
      [5, 'error'],
    ]);
    step(1);
    if (answer === 'neverLeft') {
      // The request provably never left: the hit is released and does not count.
      hit('released');
      ev('validated', { outcome: 'unavailable' });
      count((m) => m.uplink.unavailable++);
      return fail('validating', 'uplinkUnavailable');
    }
    hit('sent');
    const nikHmac = randomBytes(32).toString('hex');
    if (secrets.nikHmacs.length < 50) secrets.nikHmacs.push(nikHmac);
    ev('validated', {
      outcome: answer,
      ...(answer === 'verified' || answer === 'dataDiffers' || answer === 'notFound' || answer === 'deceased' ? { nikHmac } : {}),
    });
    count((m) => m.uplink[answer]++);
    if (answer === 'unavailable' || answer === 'serviceError') return fail('validating', 'uplinkUnavailable');
    if (answer === 'error') return fail('validating', 'internalError');
    step(20);
    if ((answer === 'verified' || answer === 'dataDiffers') && rand() < 0.4) {
      const state = pick<'delivered' | 'exported' | 'pending'>([
        [50, 'delivered'],
        [20, 'exported'],
        [30, 'pending'],
      ]);
      const queuedAt = new Date(t).toISOString();
      const later = new Date(t + 2 * DAY).toISOString();
      const sealed = randomBytes(80);
      if (hasDeliveredColumn)
        insertOutbox.run(queuedAt, sealed, sessionId, state === 'exported' ? later : null, state === 'delivered' ? later : null);
      else insertOutbox.run(queuedAt, sealed, sessionId, state === 'pending' ? null : later);
      rows++;
      ev('returnDataQueued');
      // The delivery confirms the entry two days later, in the session's name (return-data/delivery.ts).
      if (state === 'delivered' && hasDeliveredColumn) audit(t + 2 * DAY, 'returnDataDelivered', { sessionId });
      count((m) => {
        m.returnData.queued++;
        if (state === 'pending') m.returnData.pending++;
        else if (state === 'delivered' && hasDeliveredColumn) m.returnData.delivered++;
        else m.returnData.exported++;
      });
      return end('returnDataSaved');
    }
    return end('completed');
  };

  const tx = db.transaction(() => {
    // Just before the semester: sessions that must not count, and an outage still open when it starts.
    const eve = semesterStart - DAY;
    for (let i = 0; i < 20; i++) session(eve + 13 * HOUR + i * MINUTE, eve);
    outOfService(semesterStart - HOUR, semesterStart + 30 * MINUTE, 'uplinkDown');
    audit(semesterStart + 30 * MINUTE, 'inService', { outcome: 'uplinkDown' });

    const days = Math.round((semesterEnd - semesterStart) / DAY);
    for (let d = 0; d < days; d++) {
      const dayStart = semesterStart + d * DAY;
      const busy = d % 13 === 5;
      const n = busy ? Math.round(o.sessionsPerDay * 1.6) : o.sessionsPerDay;
      const slot = (10 * HOUR) / n;
      const at = (i: number) => dayStart + 7 * HOUR + Math.round(i * slot);
      const slotOf = (ms: number) => Math.ceil((ms - dayStart - 7 * HOUR) / slot);
      quotaUsed = 0;
      stopped = false;
      sharedQuotaGoneAt = d % 29 === 11 ? Math.round(o.dailyQuota / 2) : Infinity;

      // Outages of the day: [from, to) with no sessions, written as the flow writes them.
      const outages: Array<{ from: number; to: number }> = [];
      const outage = (from: number, segments: Array<[OutOfServiceReportReason, number]>, end: 'inService' | 'session') => {
        let t = from;
        for (const [reason, ms] of segments) {
          outOfService(t, t + ms, reason);
          t += ms;
        }
        // A restart ends it without an inService row: the next session is the proof of service.
        const to = end === 'session' ? at(slotOf(t)) : t;
        if (end === 'inService') audit(to, 'inService', { outcome: segments[segments.length - 1]![0] });
        else outOfServiceHours(t, to, segments[segments.length - 1]![0]);
        outages.push({ from, to });
      };
      if (d % 9 === 3) outage(dayStart + 10 * HOUR, [['uplinkDown', 90 * MINUTE]], 'inService');
      if (d % 23 === 7) outage(dayStart + 13 * HOUR, [['tamper', 45 * MINUTE]], 'inService');
      if (d % 31 === 2) outage(dayStart + 12 * HOUR, [['pausedByStaff', 60 * MINUTE]], 'inService');
      if (d % 17 === 4)
        outage(
          dayStart + 15 * HOUR,
          [
            ['readerMissing', 20 * MINUTE],
            ['tamper', 20 * MINUTE],
          ],
          'inService',
        );
      if (d === 40) outage(dayStart + 8 * HOUR + 30 * MINUTE, [['samMissing', 37 * MINUTE]], 'session');
      const nextDay = dayStart + DAY;
      const crossesMonth = monthOf(nextDay) !== monthOf(dayStart) && nextDay < semesterEnd;
      for (let i = 0; i < n && !stopped; i++) {
        const start = at(i);
        if (outages.some((x) => start >= x.from && start < x.to)) continue;
        session(start, dayStart);
      }
      // The evening before a new month: the uplink goes down and stays down until the morning.
      if (crossesMonth && !stopped) {
        outOfService(dayStart + 20 * HOUR, nextDay + 6 * HOUR + 30 * MINUTE, 'uplinkDown');
        audit(nextDay + 6 * HOUR + 30 * MINUTE, 'inService', { outcome: 'uplinkDown' });
      }
    }
    // Just after the semester: must not count either.
    quotaUsed = 0;
    sharedQuotaGoneAt = Infinity;
    for (let i = 0; i < 20; i++) session(semesterEnd + 8 * HOUR + i * MINUTE, semesterEnd);
  });
  tx();

  for (const day of exhaustedDays) tally(Date.parse(`${day}T12:00:00+07:00`))!.quotaReachedDays++;
  return { expected, expectedExhaustedDates: [...exhaustedDays].sort(), secrets, rows, sessions };
}
