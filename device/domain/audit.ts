/**
 * The audit trail's vocabulary: what happened, as codes with an outcome and a state, never
 * personal data (the NIK only as a keyed hash, made by the store). The flow, the staff features
 * and the device policies record these; the audit log stores them (store/audit-log.ts).
 */

/** Audit event codes: one per step of a session plus device-level events. */
export type AuditCode =
  | 'outOfService'
  /**
   * The daemon started (a boot, a restart, a crash): whatever was open before it ran no further
   * than the daemon's last row; an out-of-service period is re-recorded at start if it goes on.
   */
  | 'daemonStarted'
  /** The kiosk serves again after being out of service; the outcome is the reason that ended. */
  | 'inService'
  | 'sessionStart'
  | 'templatesRead'
  | 'fingerAttempt'
  | 'fingerMatched'
  | 'staffAssistStart'
  | 'staffUnlocked'
  | 'staffPinRejected'
  | 'staffFaceDecision'
  | 'recordRead'
  | 'validated'
  | 'returnDataQueued'
  | 'returnDataDelivered'
  | 'returnDataDeliveryRefused'
  /** The web service never settled this entry after every try: it waits for a file export. */
  | 'returnDataDeadLettered'
  | 'sessionEnd'
  | 'sessionFailed'
  | 'tamperOpened'
  | 'tamperCleared'
  | 'tamperClearRefused'
  | 'readerPowerCycled'
  | 'returnDataExported'
  /** Staff downloaded a data balikan file (NIKs): state is the export's id and file, count its entries. */
  | 'returnDataDownloaded'
  | 'returnDataExportFailed'
  | 'kioskPaused'
  | 'kioskResumed'
  | 'alertAcknowledged'
  // Staff sign-in (device/staff/auth.ts): staffId is the operator's ID, never anything typed.
  | 'staffSignIn'
  | 'staffSignInRefused'
  | 'staffSignInLocked'
  | 'staffSignOut'
  | 'staffCsrfRefused'
  /** A state-changing request in the staff scope: state = method and route pattern, outcome = status. */
  | 'staffAction'
  /** Staff downloaded a semester report (state: the semester, outcome: the format). */
  | 'semesterReport'
  /**
   * Software updates (device/update/): a bundle refused (outcome: why) or failing to install,
   * installed into a slot (state), that slot booted on trial, marked good, or rolled back
   * (outcome: why). The release is in the outcome of the others: version and build.
   */
  | 'updateRefused'
  | 'updateFailed'
  | 'updateInstalled'
  | 'updateBooted'
  | 'updateMarkedGood'
  | 'updateRolledBack'
  /** A technician's command that changes the kiosk (anjungan-provision): state = the command, outcome = its exit code. */
  | 'technicianCommand';

/** No personal data: codes, timings, outcomes and a keyed hash of the NIK only. */
export interface AuditEvent {
  code: AuditCode;
  sessionId?: string;
  state?: string;
  outcome?: string;
  durationMs?: number;
  nik?: string; // hashed with the kiosk's audit key by the store before it is written
  staffId?: string;
  /** How many items an action covered (e.g. data balikan entries exported); never who. */
  count?: number;
}
