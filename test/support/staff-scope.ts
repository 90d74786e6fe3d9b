/**
 * For the route tests of one staff feature: a server whose /api/staff scope treats every request
 * as signed in by `operatorId`. The sign-in itself (cookie, CSRF, lockout) is tested on its own.
 */
import Fastify from 'fastify';
import type { StaffRoutes } from '../../device/staff/scope.ts';

export async function signedInStaffServer(routes: StaffRoutes[], operatorId = 'petugas-uji', atKiosk = true) {
  const app = Fastify();
  app.decorateRequest('staff', null);
  await app.register(
    async (scope) => {
      scope.addHook('onRequest', async (req) => {
        req.staff = { operatorId, atKiosk };
      });
      for (const r of routes) await r(scope);
    },
    { prefix: '/api/staff' },
  );
  await app.ready();
  return app;
}
