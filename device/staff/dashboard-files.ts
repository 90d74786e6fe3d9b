/**
 * The staff dashboard's files at /staff/, from <uiDir>/dashboard/ (built by build.mjs); a 404
 * until it is built. Any listener that offers the dashboard registers them with this.
 */
import type { FastifyInstance } from 'fastify';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const DASHBOARD_FILES: Record<string, { file: string; type: string }> = {
  '/staff/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/staff/main.js': { file: 'main.js', type: 'text/javascript; charset=utf-8' },
};

export function registerDashboardFiles(app: FastifyInstance, uiDir: string): void {
  app.get('/staff', async (_req, reply) => reply.redirect('/staff/', 308));
  for (const [route, { file, type }] of Object.entries(DASHBOARD_FILES)) {
    app.get(route, async (_req, reply) => {
      let body: Buffer;
      try {
        body = await readFile(join(uiDir, 'dashboard', file));
      } catch {
        return reply.code(404).send({ error: 'notFound', message: 'dashboard not built: run make build' });
      }
      return reply.type(type).send(body);
    });
  }
}
