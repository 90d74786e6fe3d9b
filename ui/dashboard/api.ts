/**
 * The staff dashboard's only door to the daemon: the staff JSON API (/api/staff/...). The
 * session cookie is HttpOnly and travels by itself (same origin); the CSRF token from sign-in
 * goes into a header on every call that changes something. Components never call fetch. What
 * each route sends and answers is the daemon's staff protocol (device/staff/protocol.ts).
 */

import type {
  AlertKind,
  ExportFormat,
  ExportResult,
  Overview,
  ReturnDataStatus,
  SessionSummary,
  StaffAlert,
  StaffSession,
} from '../../device/staff/protocol.ts';

export type { AlertKind, ExportFormat, ExportResult, Overview, ReturnDataStatus, SessionSummary, StaffAlert, StaffSession };

/** Device health as the daemon reports it: status codes, not prose (see dashboard i18n). */
export type DeviceHealth = Overview['health'];

/** A semester report written to a stick (the kiosk's browser does not download). */
export interface ReportExport {
  file: string;
  /** The stick's label, as the target list shows it. */
  target: string;
}

export type SignInResult =
  | { ok: true; session: StaffSession }
  | { ok: false; reason: 'refused' }
  /** Too many wrong PINs: lockedUntil is when sign-in opens again, if the daemon says. */
  | { ok: false; reason: 'locked'; lockedUntil: Date | null };

/** A call that did not get an answer the contract allows; carries no request body. */
export class StaffApiError extends Error {
  override readonly name = 'StaffApiError';
  constructor(
    readonly code: 'network' | 'httpStatus' | 'badResponse',
    readonly path: string,
    readonly status?: number,
    /** The daemon's typed refusal (`error` of its `{ error, message }` body), when it sent one. */
    readonly reason?: string,
  ) {
    super(`${code} on ${path}${status === undefined ? '' : ` (${status})`}`);
  }
}

/** The session ended (expired, signed out elsewhere, daemon restarted): sign in again. */
export class SignedOut extends Error {
  override readonly name = 'SignedOut';
}

export const SEMESTER_PATTERN = /^[0-9]{4}-[12]$/;

function parseLockedUntil(value: unknown): Date | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

const REFRESH: RequestInit = { headers: { 'x-anjungan-refresh': '1' } };

export class StaffApi {
  private csrf: string | null = null;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly opts: { baseUrl: string; fetch?: typeof fetch }) {
    this.fetchImpl = opts.fetch ?? ((input, init) => fetch(input, init));
  }

  private url(path: string): string {
    return new URL(path, this.opts.baseUrl).toString();
  }

  private async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (init.method && init.method !== 'GET' && this.csrf !== null) headers.set('x-anjungan-csrf', this.csrf);
    try {
      return await this.fetchImpl(this.url(path), { ...init, headers, credentials: 'same-origin' });
    } catch {
      throw new StaffApiError('network', path);
    }
  }

  /** A staff call: 401 means the session is gone, any other non-2xx is an error. */
  private async call<T>(path: string, init: RequestInit = {}): Promise<T> {
    const res = await this.request(path, init);
    if (res.status === 401) {
      this.csrf = null;
      throw new SignedOut('signed out');
    }
    if (!res.ok) {
      const body = (await res.json().catch(() => null)) as { error?: unknown } | null;
      throw new StaffApiError('httpStatus', path, res.status, typeof body?.error === 'string' ? body.error : undefined);
    }
    try {
      return (await res.json()) as T;
    } catch {
      throw new StaffApiError('badResponse', path, res.status);
    }
  }

  private static post(body?: unknown): RequestInit {
    return body === undefined
      ? { method: 'POST' }
      : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  }

  /**
   * The user IDs that may sign in, on the kiosk's own screen only (staff pick theirs and type just
   * the PIN); null where the daemon does not offer the list (the office LAN).
   */
  async operators(): Promise<string[] | null> {
    const res = await this.request('/api/staff/operators');
    if (res.status === 404) return null;
    if (!res.ok) throw new StaffApiError('httpStatus', '/api/staff/operators', res.status);
    const body = (await res.json().catch(() => null)) as { operators?: unknown } | null;
    if (!Array.isArray(body?.operators) || !body.operators.every((o) => typeof o === 'string'))
      throw new StaffApiError('badResponse', '/api/staff/operators');
    return body.operators;
  }

  /** The session this browser already has (after a reload), or null when signed out. */
  async session(): Promise<StaffSession | null> {
    try {
      const s = await this.call<StaffSession>('/api/staff/session');
      this.csrf = s.csrf;
      return s;
    } catch (e) {
      if (e instanceof SignedOut) return null;
      throw e;
    }
  }

  async signIn(userId: string, pin: string): Promise<SignInResult> {
    const path = '/api/staff/session';
    const res = await this.request(path, StaffApi.post({ userId, pin }));
    let body: { operatorId?: unknown; csrf?: unknown; error?: unknown; lockedUntil?: unknown };
    try {
      body = (await res.json()) as typeof body;
    } catch {
      throw new StaffApiError('badResponse', path, res.status);
    }
    if (res.ok && typeof body.operatorId === 'string' && typeof body.csrf === 'string') {
      this.csrf = body.csrf;
      return { ok: true, session: { operatorId: body.operatorId, csrf: body.csrf } };
    }
    if ((res.status === 423 || res.status === 429) && body.error === 'locked')
      return { ok: false, reason: 'locked', lockedUntil: parseLockedUntil(body.lockedUntil) };
    if (res.status === 401 || res.status === 400) return { ok: false, reason: 'refused' };
    throw new StaffApiError('httpStatus', path, res.status);
  }

  async signOut(): Promise<void> {
    try {
      const res = await this.request('/api/staff/session', { method: 'DELETE' });
      if (!res.ok && res.status !== 401) throw new StaffApiError('httpStatus', '/api/staff/session', res.status);
    } finally {
      this.csrf = null;
    }
  }

  // The four panel reads are the dashboard's periodic refresh: marked so the daemon does not
  // count them as someone at the desk (device/staff/auth.ts, REFRESH_HEADER).
  overview(): Promise<Overview> {
    return this.call('/api/staff/overview', REFRESH);
  }

  async alerts(): Promise<StaffAlert[]> {
    return (await this.call<{ alerts: StaffAlert[] }>('/api/staff/alerts', REFRESH)).alerts;
  }

  async acknowledgeAlert(id: StaffAlert['id']): Promise<void> {
    await this.call(`/api/staff/alerts/${id}/ack`, StaffApi.post());
  }

  async sessions(limit: number): Promise<SessionSummary[]> {
    return (await this.call<{ sessions: SessionSummary[] }>(`/api/staff/sessions?limit=${limit}`, REFRESH)).sessions;
  }

  async setPaused(paused: boolean): Promise<void> {
    await this.call(paused ? '/api/staff/kiosk/pause' : '/api/staff/kiosk/resume', StaffApi.post());
  }

  /** The signed-in operator unlocks the staff-assisted record read (instead of a PIN on the kiosk). */
  async assistUnlock(): Promise<void> {
    await this.call('/api/staff/assist/unlock', StaffApi.post());
  }

  async assistFace(matches: boolean): Promise<void> {
    await this.call('/api/staff/assist/face', StaffApi.post({ matches }));
  }

  returnData(): Promise<ReturnDataStatus> {
    return this.call('/api/staff/return-data', REFRESH);
  }

  exportReturnData(format: ExportFormat, target: string): Promise<ExportResult> {
    return this.call('/api/staff/return-data/export', StaffApi.post({ format, target }));
  }

  exportFilePath(exportId: string, file: string): string {
    return `/api/staff/return-data/exports/${encodeURIComponent(exportId)}/${encodeURIComponent(file)}`;
  }

  reportPath(semester: string, format: 'xlsx' | 'pdf'): string {
    if (!SEMESTER_PATTERN.test(semester)) throw new StaffApiError('badResponse', 'semester');
    return `/api/staff/report/semester/${semester}.${format}`;
  }

  /** Writes the semester report to a stick (an export target), for the kiosk's browser, which does not download. */
  exportReport(semester: string, format: 'xlsx' | 'pdf', target: string): Promise<ReportExport> {
    if (!SEMESTER_PATTERN.test(semester)) throw new StaffApiError('badResponse', 'semester');
    return this.call('/api/staff/report/semester/export', StaffApi.post({ file: `${semester}.${format}`, target }));
  }

  /** The card photo while staff compare the face at the kiosk: kept in memory only, as a Blob. */
  assistPhoto(): Promise<Blob> {
    return this.file('/api/staff/assist/photo');
  }

  /** Fetches a file the daemon writes (report, export) as a Blob the page then saves. */
  async file(path: string): Promise<Blob> {
    const res = await this.request(path);
    if (res.status === 401) {
      this.csrf = null;
      throw new SignedOut('signed out');
    }
    if (!res.ok) throw new StaffApiError('httpStatus', path, res.status);
    return res.blob();
  }

  /** The kiosk page's keep-alive: while the dashboard covers the kiosk screen, it keeps the browser from being restarted as frozen. */
  async kioskPing(): Promise<void> {
    await this.request('/api/ui-ping', { method: 'POST' });
  }
}
