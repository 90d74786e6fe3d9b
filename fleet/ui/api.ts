/**
 * The fleet dashboard's only door to the fleet service (/api/admin/...), as the staff
 * dashboard's (ui/dashboard/api.ts): the session cookie travels by itself, the CSRF token from
 * sign-in goes into a header on every call that changes something. Components never call fetch.
 */
import type { FleetOverview } from '../overview.ts';

export type { FleetOverview, KioskRow, FleetAlert, FleetAlertKind } from '../overview.ts';

export class FleetApiError extends Error {
  override readonly name = 'FleetApiError';
  constructor(
    readonly path: string,
    readonly status: number | null,
    readonly reason?: string,
  ) {
    super(`fleet API ${path}: ${status ?? 'network'}`);
  }
}

export class SignedOut extends Error {
  override readonly name = 'SignedOut';
}

export type SignIn = { ok: true; adminId: string } | { ok: false; reason: 'refused' | 'locked' };

const REFRESH = { 'x-anjungan-refresh': '1' };

export class FleetApi {
  private csrf: string | null = null;
  constructor(private readonly fetchImpl: typeof fetch = (i, o) => fetch(i, o)) {}

  private async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (init.method && init.method !== 'GET' && this.csrf) headers.set('x-anjungan-csrf', this.csrf);
    try {
      return await this.fetchImpl(path, { ...init, headers, credentials: 'same-origin' });
    } catch {
      throw new FleetApiError(path, null);
    }
  }

  private async call<T>(path: string, init: RequestInit = {}): Promise<T> {
    const res = await this.request(path, init);
    if (res.status === 401) {
      this.csrf = null;
      throw new SignedOut('signed out');
    }
    const body = (await res.json().catch(() => null)) as (T & { error?: string }) | null;
    if (!res.ok || body === null) throw new FleetApiError(path, res.status, typeof body?.error === 'string' ? body.error : undefined);
    return body;
  }

  private static post(body: unknown = {}): RequestInit {
    return { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  }

  async session(): Promise<string | null> {
    try {
      const s = await this.call<{ adminId: string; csrf: string }>('/api/admin/session');
      this.csrf = s.csrf;
      return s.adminId;
    } catch (e) {
      if (e instanceof SignedOut) return null;
      throw e;
    }
  }

  async signIn(adminId: string, password: string): Promise<SignIn> {
    const res = await this.request('/api/admin/session', FleetApi.post({ adminId, password }));
    const body = (await res.json().catch(() => ({}))) as { adminId?: string; csrf?: string };
    if (res.ok && body.csrf && body.adminId) {
      this.csrf = body.csrf;
      return { ok: true, adminId: body.adminId };
    }
    if (res.status === 423) return { ok: false, reason: 'locked' };
    if (res.status === 401 || res.status === 400) return { ok: false, reason: 'refused' };
    throw new FleetApiError('/api/admin/session', res.status);
  }

  async signOut(): Promise<void> {
    await this.request('/api/admin/session', { method: 'DELETE' }).catch(() => undefined);
    this.csrf = null;
  }

  overview(): Promise<FleetOverview> {
    return this.call('/api/admin/overview', { headers: REFRESH });
  }

  registerKiosk(id: string, site: string): Promise<{ kioskId: string; token: string; expiresAt: string }> {
    return this.call('/api/admin/kiosks', FleetApi.post({ id, site }));
  }

  newToken(id: string): Promise<{ kioskId: string; token: string; expiresAt: string }> {
    return this.call(`/api/admin/kiosks/${encodeURIComponent(id)}/token`, FleetApi.post());
  }

  async revoke(id: string): Promise<void> {
    await this.call(`/api/admin/kiosks/${encodeURIComponent(id)}/revoke`, FleetApi.post());
  }

  exportReturnData(format: 'xlsx' | 'csv'): Promise<{ exportId: string; files: string[]; count: number }> {
    return this.call('/api/admin/return-data/export', FleetApi.post({ format }));
  }

  exportPath(exportId: string, file: string): string {
    return `/api/admin/return-data/exports/${encodeURIComponent(exportId)}/${encodeURIComponent(file)}`;
  }

  reportPath(semester: string, format: 'xlsx' | 'pdf'): string {
    if (!/^[0-9]{4}-[12]$/.test(semester)) throw new FleetApiError('report', null);
    return `/api/admin/report/semester/${semester}.${format}`;
  }

  async file(path: string): Promise<Blob> {
    const res = await this.request(path);
    if (res.status === 401) throw new SignedOut('signed out');
    if (!res.ok) throw new FleetApiError(path, res.status);
    return res.blob();
  }
}
