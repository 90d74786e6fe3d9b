/**
 * The semester utilisation report the agreement asks for (semester 1: January-June, due in
 * June; semester 2: July-December, due in December), computed from the audit trail, the quota
 * ledger and the data balikan outbox. Months are WIB calendar months. The report holds counts
 * and hours only: no NIK, no NIK hash, no operator, no session id.
 */
import { OUT_OF_SERVICE_REASONS, SESSION_FAILURES, type SessionFailureReason } from '../domain/failure.ts';
import { REGISTRY_OUTCOME_KINDS, type RegistryOutcome } from '../domain/registry.ts';
import type { Db } from '../store/db.ts';
import { WIB_OFFSET_MS } from '../domain/wib.ts';

const HOUR_MS = 60 * 60 * 1000;

/** A semester as `YYYY-1` or `YYYY-2`. */
export interface Semester {
  year: number;
  half: 1 | 2;
  label: string;
  /** The six WIB months, `YYYY-MM`. */
  months: string[];
  /** First instant (inclusive) and last (exclusive), as ISO UTC strings comparable with `at`. */
  from: string;
  until: string;
  /** The first instant of each of the six months, ISO UTC. */
  monthStarts: string[];
}

/** A semester that is not `YYYY-1` or `YYYY-2` (years 2000-2199): nothing is computed. */
export class SemesterFormatError extends Error {
  override readonly name = 'SemesterFormatError';
  constructor() {
    super('the semester must be written YYYY-1 (January-June) or YYYY-2 (July-December), e.g. 2026-2');
  }
}

export function parseSemester(text: string): Semester {
  const m = /^(2[01][0-9]{2})-([12])$/.exec(text);
  if (!m) throw new SemesterFormatError();
  const year = Number(m[1]);
  const half = Number(m[2]) as 1 | 2;
  const firstMonth = half === 1 ? 1 : 7;
  const months = Array.from({ length: 6 }, (_, i) => `${year}-${String(firstMonth + i).padStart(2, '0')}`);
  const wibMidnight = (y: number, month1: number) => new Date(Date.UTC(y, month1 - 1, 1) - WIB_OFFSET_MS).toISOString();
  return {
    year,
    half,
    label: `${year}-${half}`,
    months,
    from: wibMidnight(year, firstMonth),
    until: half === 1 ? wibMidnight(year, 7) : wibMidnight(year + 1, 1),
    monthStarts: months.map((_, i) => wibMidnight(year, firstMonth + i)),
  };
}

/**
 * Whether a failure can end a session while its chip is read (the step readingTemplates): the
 * signature is checked and the finger taken only later, the registry asked later still. Every
 * reason of the taxonomy is here, so a new one does not compile until it is placed.
 */
export const ENDS_A_CARD_READ = {
  cardRemoved: true,
  readerRemoved: true,
  cardUnreadable: true,
  cardNotGenuine: true,
  signatureInvalid: false,
  samMissing: true,
  samRefused: true,
  sensorUnavailable: false,
  identityNotConfirmed: false,
  uplinkUnavailable: false,
  quotaReached: false,
  outsideAccessHours: false,
  registryRefused: false,
  sessionTimeout: true,
  internalError: true,
} as const satisfies Record<SessionFailureReason, boolean>;

type CardReadFailure = { [R in SessionFailureReason]: (typeof ENDS_A_CARD_READ)[R] extends true ? R : never }[SessionFailureReason];
const CARD_READ_FAILURES = (Object.keys(SESSION_FAILURES) as SessionFailureReason[]).filter(
  (r): r is CardReadFailure => ENDS_A_CARD_READ[r],
);

/**
 * The chip read of a session: read, or the failure that ended the session while reading; `other`
 * holds rows no known reason names (written by another version).
 */
export const CARD_READ_OUTCOMES = ['read', ...CARD_READ_FAILURES, 'other'] as const;
export type CardReadOutcome = (typeof CARD_READ_OUTCOMES)[number];

/**
 * One row per request the validator made or refused: every answer of the registry, `error` for a
 * step that failed otherwise, `other` for rows no known kind names.
 */
export const UPLINK_OUTCOMES = [...REGISTRY_OUTCOME_KINDS, 'error', 'other'] as const;
export type UplinkOutcome = RegistryOutcome['kind'] | 'error' | 'other';

export const OUT_OF_SERVICE_REPORT_REASONS = [...OUT_OF_SERVICE_REASONS, 'unknown'] as const;
export type OutOfServiceReportReason = (typeof OUT_OF_SERVICE_REPORT_REASONS)[number];

export interface MonthFigures {
  /** `YYYY-MM` (WIB), or `total`. */
  month: string;
  sessions: number;
  cardReads: Record<CardReadOutcome, number>;
  fingerprint: {
    /** The live finger matched the card. */
    pass: number;
    /** Every attempt failed; the session went to staff assistance. */
    fail: number;
    /** The taxpayer could not give a finger and asked for staff. */
    noFingerGiven: number;
    /** Staff compared face and card photo and confirmed the identity. */
    staffAssisted: number;
  };
  uplink: Record<UplinkOutcome, number>;
  /** Hits the quota ledger counted (reserved or sent, not released). */
  quotaHits: number;
  /** WIB days the daily quota ran out (the ledger reached the limit, or Dukcapil said so). */
  quotaReachedDays: number;
  returnData: {
    /** Entries the taxpayers linked in the month. */
    queued: number;
    /** Of those, delivered to Disdukcapil's web service since. */
    delivered: number;
    /** Of those, handed over in an export file (XLSX/CSV on a stick) since, not by the web service. */
    exported: number;
    /** Of those, still waiting in the outbox. */
    pending: number;
  };
  outOfServiceHours: Record<OutOfServiceReportReason, number>;
}

export interface SemesterReport {
  semester: Semester;
  kiosk: { id: string; site: string; regionCode: string } | null;
  agreementNumbers: string[];
  dailyQuota: number;
  generatedAt: string;
  months: MonthFigures[];
  total: MonthFigures;
  /** The WIB days the quota ran out, `YYYY-MM-DD` (dates only, nothing about anyone). */
  quotaReachedDates: string[];
}

export interface SemesterReportDeps {
  db: Db;
  kiosk: { id: string; site: string; regionCode: string } | null;
  agreementNumbers: string[];
  dailyQuota: number;
  now: () => Date;
}

const zeros = <K extends string>(keys: readonly K[]): Record<K, number> => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

function emptyMonth(month: string): MonthFigures {
  return {
    month,
    sessions: 0,
    cardReads: zeros(CARD_READ_OUTCOMES),
    fingerprint: { pass: 0, fail: 0, noFingerGiven: 0, staffAssisted: 0 },
    uplink: zeros(UPLINK_OUTCOMES),
    quotaHits: 0,
    quotaReachedDays: 0,
    returnData: { queued: 0, delivered: 0, exported: 0, pending: 0 },
    outOfServiceHours: zeros(OUT_OF_SERVICE_REPORT_REASONS),
  };
}

const oneOf = <K extends string>(keys: readonly K[], value: string | null, fallback: K): K =>
  value !== null && (keys as readonly string[]).includes(value) ? (value as K) : fallback;

/** The WIB calendar month of an instant, `YYYY-MM`. */
export function wibMonth(ms: number): string {
  return new Date(ms + WIB_OFFSET_MS).toISOString().slice(0, 7);
}

const COUNTED_CODES = [
  'sessionStart',
  'templatesRead',
  'sessionFailed',
  'fingerMatched',
  'staffAssistStart',
  'staffFaceDecision',
  'validated',
  'returnDataQueued',
];

/** Lets the event loop run (the kiosk's screen and flow share the daemon with staff downloads). */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function computeSemesterReport(deps: SemesterReportDeps, semester: Semester): Promise<SemesterReport> {
  const { db } = deps;
  const byMonth = new Map(semester.months.map((m) => [m, emptyMonth(m)]));
  const month = (m: string) => byMonth.get(m);

  // One month per query, with a pause between them, so a whole semester never holds the event
  // loop for long; the index on (code, at, outcome, state) covers the counts.
  const countMonth = db.prepare(
    `SELECT code, state, outcome, count(*) AS n FROM audit_event
     WHERE code IN (${COUNTED_CODES.map(() => '?').join(',')}) AND at >= ? AND at < ?
     GROUP BY code, state, outcome`,
  );
  const counted: Array<{ month: number; code: string; state: string | null; outcome: string | null; n: number }> = [];
  for (let m = 0; m < semester.months.length; m++) {
    const from = semester.monthStarts[m]!;
    const until = semester.monthStarts[m + 1] ?? semester.until;
    const rows = countMonth.all(...COUNTED_CODES, from, until) as Array<{
      code: string;
      state: string | null;
      outcome: string | null;
      n: number;
    }>;
    for (const r of rows) counted.push({ month: m, ...r });
    await yieldToEventLoop();
  }
  // Outbox rows are few: put in their month by comparing ISO strings with the months' starts.
  const monthIndex = (column: string) =>
    `CASE ${semester.monthStarts
      .slice(1)
      .map((_, i) => `WHEN ${column} < ? THEN ${i}`)
      .join(' ')} ELSE 5 END`;
  const boundaries = semester.monthStarts.slice(1);
  for (const r of counted) {
    const f = month(semester.months[r.month]!);
    if (!f) continue;
    switch (r.code) {
      case 'sessionStart':
        f.sessions += r.n;
        break;
      case 'templatesRead':
        f.cardReads.read += r.n;
        break;
      case 'sessionFailed':
        if (r.state === 'readingTemplates') f.cardReads[oneOf(CARD_READ_OUTCOMES, r.outcome, 'other')] += r.n;
        break;
      case 'fingerMatched':
        f.fingerprint.pass += r.n;
        break;
      case 'staffAssistStart':
        if (r.outcome === 'fingerNotMatched') f.fingerprint.fail += r.n;
        else f.fingerprint.noFingerGiven += r.n;
        break;
      case 'staffFaceDecision':
        if (r.outcome === 'matches') f.fingerprint.staffAssisted += r.n;
        break;
      case 'validated':
        f.uplink[oneOf(UPLINK_OUTCOMES, r.outcome, 'other')] += r.n;
        break;
      case 'returnDataQueued':
        f.returnData.queued += r.n;
        break;
    }
  }

  // The ledger's days are WIB days already.
  const lastDay = new Date(Date.parse(semester.until) + WIB_OFFSET_MS - 1).toISOString().slice(0, 10);
  const firstDay = `${semester.months[0]}-01`;
  const exhausted = new Set<string>();
  const ledgerDays = db
    .prepare("SELECT day, count(*) AS n FROM quota_hit WHERE day >= ? AND day <= ? AND state <> 'released' GROUP BY day")
    .all(firstDay, lastDay) as Array<{ day: string; n: number }>;
  for (const d of ledgerDays) {
    const f = month(d.day.slice(0, 7));
    if (f) f.quotaHits += d.n;
    if (d.n >= deps.dailyQuota) exhausted.add(d.day);
  }
  // The quota is shared by every kiosk on the User ID: Dukcapil may say it is gone first.
  const refusedDays = db
    .prepare(
      `SELECT DISTINCT date(at, '+7 hours') AS day FROM audit_event
       WHERE code IN ('validated', 'outOfService') AND at >= ? AND at < ? AND outcome = 'quotaReached'`,
    )
    .all(semester.from, semester.until) as Array<{ day: string }>;
  for (const d of refusedDays) exhausted.add(d.day);
  for (const day of exhausted) {
    const f = month(day.slice(0, 7));
    if (f) f.quotaReachedDays += 1;
  }

  const pending = db
    .prepare(
      `SELECT ${monthIndex('queued_at')} AS month, count(*) AS n FROM return_data_outbox
       WHERE queued_at >= ? AND queued_at < ? AND ${outboxPendingCondition(db)} GROUP BY month`,
    )
    .all(...boundaries, semester.from, semester.until) as Array<{ month: number; n: number }>;
  for (const p of pending) {
    const f = month(semester.months[p.month]!);
    if (f) f.returnData.pending += p.n;
  }
  // Entries the web service confirmed, by the month they were queued in: the audit trail has
  // both rows under the session's id, also for entries purged from the outbox since.
  const delivered = db
    .prepare(
      `SELECT ${monthIndex('q.at')} AS month, count(DISTINCT q.session_id) AS n FROM audit_event q
       JOIN audit_event d ON d.session_id = q.session_id AND d.code = 'returnDataDelivered'
       WHERE q.code = 'returnDataQueued' AND q.at >= ? AND q.at < ? GROUP BY month`,
    )
    .all(...boundaries, semester.from, semester.until) as Array<{ month: number; n: number }>;
  for (const d of delivered) {
    const f = month(semester.months[d.month]!);
    if (f) f.returnData.delivered += d.n;
  }
  for (const f of byMonth.values()) {
    // Handed over and not by the web service: in an export file.
    f.returnData.exported = Math.max(0, f.returnData.queued - f.returnData.pending - f.returnData.delivered);
  }

  await yieldToEventLoop();
  addOutOfServiceHours(deps, semester, (m, reason, hours) => {
    const f = month(m);
    if (f) f.outOfServiceHours[reason] += hours;
  });

  const months = semester.months.map((m) => byMonth.get(m)!);
  return {
    semester,
    kiosk: deps.kiosk,
    agreementNumbers: deps.agreementNumbers,
    dailyQuota: deps.dailyQuota,
    generatedAt: deps.now().toISOString(),
    months,
    total: sumMonths(months),
    quotaReachedDates: [...exhausted].sort(),
  };
}

/** Pending = neither delivered, exported nor forwarded to the fleet (columns of later migrations where present). */
function outboxPendingCondition(db: Db): string {
  const columns = new Set((db.prepare('PRAGMA table_info(return_data_outbox)').all() as Array<{ name: string }>).map((c) => c.name));
  return ['exported_at IS NULL', ...['delivered_at', 'forwarded_at'].filter((c) => columns.has(c)).map((c) => `${c} IS NULL`)].join(
    ' AND ',
  );
}

/**
 * Out-of-service periods: one opens at an `outOfService` row (the flow writes one on each
 * recheck; the same reason continues the period, another reason starts a new one) and ends at
 * `inService`, at the next session (the kiosk was serving again, e.g. after a restart), or at
 * the end of the semester or now. Hours are split at WIB month boundaries.
 */
function addOutOfServiceHours(
  deps: SemesterReportDeps,
  semester: Semester,
  add: (month: string, reason: OutOfServiceReportReason, hours: number) => void,
): void {
  const { db } = deps;
  // Was a period open when the semester began? The latest row of each kind before it, each an
  // index seek (one query over the three would sort every session ever held).
  const latestBefore = db.prepare<[string, string], { at: string; id: number; code: string; outcome: string | null }>(
    'SELECT at, id, code, outcome FROM audit_event WHERE code = ? AND at < ? ORDER BY at DESC, id DESC LIMIT 1',
  );
  const before = ['outOfService', 'inService', 'sessionStart', 'daemonStarted']
    .map((code) => latestBefore.get(code, semester.from))
    .filter((r) => r !== undefined)
    .sort((a, b) => (a.at === b.at ? b.id - a.id : a.at < b.at ? 1 : -1))[0];
  // Sessions are many and periods few: the first session after a period opened is looked up.
  const firstSessionAfter = db.prepare<[string], { at: string | null }>(
    "SELECT min(at) AS at FROM audit_event WHERE code = 'sessionStart' AND at > ?",
  );
  const sessionAfter = (iso: string) => {
    const at = firstSessionAfter.get(iso)?.at;
    return at ? Date.parse(at) : Infinity;
  };
  const start = Date.parse(semester.from);
  const end = Math.min(Date.parse(semester.until), Math.max(start, deps.now().getTime()));
  // lastSeenAt: the period's latest row (the out-of-service step writes one every recheck), where
  // it ends if the daemon stopped meanwhile (power off, crash): a daemon not running does not say
  // why the kiosk is not serving, so those hours are not given a reason.
  type Open = { reason: OutOfServiceReportReason; since: number; lastSeenAt: number; sessionAt: number };
  let open: Open | null =
    before?.code === 'outOfService'
      ? {
          reason: oneOf(OUT_OF_SERVICE_REPORT_REASONS, before.outcome, 'unknown'),
          since: start,
          lastSeenAt: start,
          sessionAt: sessionAfter(semester.from),
        }
      : null;
  const close = (at: number) => {
    const o = open as Open | null;
    if (!o) return;
    splitByMonth(o.since, Math.min(at, end), (m, ms) => add(m, o.reason, ms / HOUR_MS));
    open = null;
  };
  const rows = db
    .prepare(
      `SELECT at, code, outcome FROM audit_event WHERE code IN ('outOfService', 'inService', 'daemonStarted') AND at >= ? AND at < ? ORDER BY at, id`,
    )
    .iterate(semester.from, semester.until) as Iterable<{ at: string; code: string; outcome: string | null }>;
  for (const r of rows) {
    const at = Date.parse(r.at);
    if (open && open.sessionAt <= at) close(open.sessionAt);
    if (r.code === 'inService') {
      close(at);
      continue;
    }
    if (r.code === 'daemonStarted') {
      if (open) close((open as Open).lastSeenAt);
      continue;
    }
    const reason = oneOf(OUT_OF_SERVICE_REPORT_REASONS, r.outcome, 'unknown');
    if (open?.reason === reason) {
      (open as Open).lastSeenAt = at;
      continue;
    }
    close(at);
    open = { reason, since: at, lastSeenAt: at, sessionAt: sessionAfter(r.at) };
  }
  if (open) close(Math.min((open as Open).sessionAt, end));
}

function splitByMonth(from: number, to: number, add: (month: string, ms: number) => void): void {
  let t = from;
  while (t < to) {
    const wib = new Date(t + WIB_OFFSET_MS);
    const nextMonth = Date.UTC(wib.getUTCFullYear(), wib.getUTCMonth() + 1, 1) - WIB_OFFSET_MS;
    const stop = Math.min(to, nextMonth);
    add(wibMonth(t), stop - t);
    t = stop;
  }
}

/** Adds figures up (a semester's months, or the fleet's kiosks). */
export function sumMonths(months: MonthFigures[]): MonthFigures {
  const total = emptyMonth('total');
  for (const f of months) {
    total.sessions += f.sessions;
    for (const k of CARD_READ_OUTCOMES) total.cardReads[k] += f.cardReads[k];
    for (const k of UPLINK_OUTCOMES) total.uplink[k] += f.uplink[k];
    for (const k of OUT_OF_SERVICE_REPORT_REASONS) total.outOfServiceHours[k] += f.outOfServiceHours[k];
    total.fingerprint.pass += f.fingerprint.pass;
    total.fingerprint.fail += f.fingerprint.fail;
    total.fingerprint.noFingerGiven += f.fingerprint.noFingerGiven;
    total.fingerprint.staffAssisted += f.fingerprint.staffAssisted;
    total.quotaHits += f.quotaHits;
    total.quotaReachedDays += f.quotaReachedDays;
    total.returnData.queued += f.returnData.queued;
    total.returnData.delivered += f.returnData.delivered;
    total.returnData.exported += f.returnData.exported;
    total.returnData.pending += f.returnData.pending;
  }
  return total;
}
