/** A fleet administrator's browser, as far as the API sees it: Host and Origin of the fleet, the session cookie, the CSRF header. */
import { httpsRequest, type HttpsReply } from '../support/test-tls.ts';
import { AdminAuth } from '../../fleet/admin/auth.ts';
import type { LocalFleet } from '../../fleet/demo/cluster.ts';

export interface AdminSession {
  get(path: string): Promise<HttpsReply>;
  post(path: string, body?: unknown): Promise<HttpsReply>;
}

export async function signInAdmin(fleet: LocalFleet, adminId = 'admin', password = 'correct horse battery staple'): Promise<AdminSession> {
  await new AdminAuth(fleet.pool, () => new Date()).addAdmin(adminId, password);
  const port = fleet.balancer.port;
  const origin = `https://127.0.0.1:${port}`;
  const signIn = await httpsRequest(port, fleet.caPem, {
    method: 'POST',
    path: '/api/admin/session',
    headers: { origin },
    body: { adminId, password },
  });
  if (signIn.status !== 200) throw new Error(`sign-in refused: ${signIn.status} ${signIn.body}`);
  const cookie = String(signIn.headers['set-cookie']).split(';')[0]!;
  const csrf = signIn.json().csrf as string;
  return {
    get: (path) => httpsRequest(port, fleet.caPem, { path, headers: { cookie } }),
    post: (path, body = {}) =>
      httpsRequest(port, fleet.caPem, { method: 'POST', path, headers: { cookie, origin, 'x-anjungan-csrf': csrf }, body }),
  };
}
