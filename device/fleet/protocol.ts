/**
 * What a kiosk and the fleet service (fleet/) say to each other, as schemas both sides check:
 * the kiosk its answers, the fleet every request at its edge (400 for anything else). Everything
 * is codes, counts and times, except data balikan entries, which carry the NIK the agreement
 * asks BKD to send back (DOMAIN.md rule 8) and travel only over mutual TLS.
 */
import type { Static, TSchema } from 'typebox';
import * as Type from 'typebox/type';
import { OverviewSchema } from '../staff/dashboard-routes.ts';
import { CARD_READ_OUTCOMES, OUT_OF_SERVICE_REPORT_REASONS, UPLINK_OUTCOMES } from '../report/semester.ts';

export const KIOSK_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$';
const Uuid = Type.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' });
const Day = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' });
const Instant = Type.String({ maxLength: 40, format: 'date-time' });
const LeaseId = Type.String({ pattern: '^[0-9]{1,18}$' });

// ---- enrolment (no client certificate yet: the one-time token is the credential)
export const EnrolRequest = Type.Object(
  {
    token: Type.String({ minLength: 20, maxLength: 120, pattern: '^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$' }),
    csr: Type.String({ minLength: 100, maxLength: 4096 }),
  },
  { additionalProperties: false },
);
export const EnrolAnswer = Type.Object({
  kioskId: Type.String(),
  site: Type.String(),
  certificatePem: Type.String(),
  caPem: Type.String(),
});

// ---- leases
export const DayFiguresSchema = Type.Object({ day: Day, limit: Type.Integer(), committed: Type.Integer() });
export const LeaseRequest = Type.Object(
  { requestId: Uuid, size: Type.Integer({ minimum: 1, maximum: 1000 }) },
  { additionalProperties: false },
);
export const GrantedLeaseSchema = Type.Object({
  id: LeaseId,
  day: Day,
  size: Type.Integer(),
  grantedAt: Type.String(),
  expiresAt: Type.String(),
});
export const LeaseAnswerSchema = Type.Object({
  lease: Type.Union([GrantedLeaseSchema, Type.Null()]),
  day: DayFiguresSchema,
  refusal: Type.Optional(Type.Enum(['dayExhausted', 'kioskLimit'])),
});
export const LeaseIdParams = Type.Object({ id: LeaseId }, { additionalProperties: false });
export const SettleRequest = Type.Object({ used: Type.Integer({ minimum: 0, maximum: 1000 }) }, { additionalProperties: false });
export const SettleAnswerSchema = Type.Object({
  lease: Type.Object({ id: LeaseId, size: Type.Integer(), used: Type.Integer(), returned: Type.Integer() }),
  day: DayFiguresSchema,
});

// ---- heartbeat: the staff dashboard's overview, less the assist step (nothing about a taxpayer)
export const HeartbeatRequest = Type.Object(
  {
    health: Type.Index(OverviewSchema, ['health']),
    kiosk: Type.Index(OverviewSchema, ['kiosk']),
    quota: Type.Index(OverviewSchema, ['quota']),
    agreement: Type.Index(OverviewSchema, ['agreement']),
    /** Hits left in the leases the kiosk holds, and how many leases. */
    leases: Type.Object({ remaining: Type.Integer({ minimum: 0, maximum: 100_000 }), open: Type.Integer({ minimum: 0, maximum: 1000 }) }),
    returnData: Type.Object({ pending: Type.Integer({ minimum: 0 }), forwarded: Type.Integer({ minimum: 0 }) }),
  },
  { additionalProperties: false },
);
export type Heartbeat = Static<typeof HeartbeatRequest>;

// ---- data balikan
export const MAX_FORWARD_BATCH = 200;
export const ForwardedEntry = Type.Object(
  {
    key: Type.String({ minLength: 8, maxLength: 64, pattern: '^[A-Za-z0-9-]+$' }),
    queuedAt: Instant,
    nik: Type.String({ pattern: '^[0-9]{16}$' }),
    nop: Type.Union([Type.String({ pattern: '^[0-9]{18}$' }), Type.Null()]),
    npwpd: Type.Union([Type.String({ pattern: '^[A-Z0-9][A-Z0-9 ./-]{0,39}$' }), Type.Null()]),
  },
  { additionalProperties: false },
);
export type ForwardedEntry = Static<typeof ForwardedEntry>;
export const ForwardRequest = Type.Object(
  { entries: Type.Array(ForwardedEntry, { minItems: 1, maxItems: MAX_FORWARD_BATCH }) },
  { additionalProperties: false },
);
/** accepted: stored now or before (by this kiosk); conflict: the key belongs to another kiosk's entry. */
export const ForwardAnswer = Type.Object({ accepted: Type.Array(Type.String()), conflict: Type.Array(Type.String()) });

// ---- semester figures (device/report/semester.ts MonthFigures), as the kiosk computed them
const Count = Type.Integer({ minimum: 0, maximum: 10_000_000 });
const Hours = Type.Number({ minimum: 0, maximum: 745 });
const record = (keys: readonly string[], value: TSchema) =>
  Type.Object(Object.fromEntries(keys.map((k) => [k, value])), { additionalProperties: false });
export const MonthFiguresSchema = Type.Object(
  {
    month: Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$' }),
    sessions: Count,
    cardReads: record(CARD_READ_OUTCOMES, Count),
    fingerprint: Type.Object({ pass: Count, fail: Count, noFingerGiven: Count, staffAssisted: Count }, { additionalProperties: false }),
    uplink: record(UPLINK_OUTCOMES, Count),
    quotaHits: Count,
    quotaReachedDays: Type.Integer({ minimum: 0, maximum: 31 }),
    // exported: since #22 the report tells file exports from web-service deliveries; a kiosk on the
    // release before sends none (its delivered counted both).
    returnData: Type.Object(
      { queued: Count, delivered: Count, exported: Type.Optional(Count), pending: Count },
      { additionalProperties: false },
    ),
    // awaitingLease: a fleet kiosk waiting for a lease was counted as quotaReached by the release
    // before, which sends no such key.
    outOfServiceHours: Type.Object(
      Object.fromEntries(OUT_OF_SERVICE_REPORT_REASONS.map((k) => [k, k === 'awaitingLease' ? Type.Optional(Hours) : Hours])),
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export const FiguresRequest = Type.Object(
  {
    months: Type.Array(MonthFiguresSchema, { minItems: 1, maxItems: 12 }),
    quotaReachedDates: Type.Array(Day, { maxItems: 366 }),
  },
  { additionalProperties: false },
);
export type FiguresRequest = Static<typeof FiguresRequest>;

export const ErrorBody = Type.Object({ error: Type.String(), message: Type.String() });
