/**
 * The contract between the daemon and the staff dashboard: each staff route's request and answer
 * as types derived from the schemas the routes check them against, so the two cannot drift
 * apart. ui/dashboard imports these types only, as ui/ does device/view/protocol.ts.
 */
import type { Static } from 'typebox';
import type { AlertKind } from './alerts.ts';
import type { LockedReply, SessionReply, SignInBody } from './auth.ts';
import type { AlertSchema, AssistSchema, FaceBody, OverviewSchema, PauseSchema, SessionSchema } from './dashboard-routes.ts';
import type { ExportBody, ExportReply, ReturnDataOverview } from './return-data-routes.ts';

export type { AlertKind };

/** A signed-in operator and the session's CSRF token (POST /api/staff/session, GET /api/staff/session). */
export type StaffSession = Static<typeof SessionReply>;
export type SignInRequest = Static<typeof SignInBody>;
/** 423: the kiosk-wide sign-in lock, and when it ends. */
export type SignInLocked = Static<typeof LockedReply>;
/** GET /overview: device health, the kiosk's screen, today's quota, the agreement, a waiting assist. */
export type Overview = Static<typeof OverviewSchema>;
/** GET /alerts (each), POST /alerts/:id/ack. */
export type StaffAlert = Static<typeof AlertSchema>;
/** GET /sessions (each): the session's reference, never personal data. */
export type SessionSummary = Static<typeof SessionSchema>;
/** POST /kiosk/pause, /kiosk/resume. */
export type PauseState = Static<typeof PauseSchema>;
/** POST /assist/face's body. */
export type FaceDecision = Static<typeof FaceBody>;
/** POST /assist/unlock, /assist/face: the staff-assist step the kiosk moved to. */
export type AssistStep = Static<typeof AssistSchema>;
/** GET /return-data: the outbox's counts and where an export may go. */
export type ReturnDataStatus = Static<typeof ReturnDataOverview>;
/** POST /return-data/export. */
export type ExportRequest = Static<typeof ExportBody>;
export type ExportFormat = ExportRequest['format'];
export type ExportResult = Static<typeof ExportReply>;
