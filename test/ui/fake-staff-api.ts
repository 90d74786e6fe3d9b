/**
 * A stand-in for the staff side of the daemon, to test the dashboard alone: serves the built
 * dashboard at /staff/ and answers the staff API of the issue-14 contract from state the test
 * sets. It checks what the real scope checks (session cookie; CSRF header on every non-GET) and
 * records every call, so tests can assert which route a tap reached and with which header.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Fastify from 'fastify';
import { buildDashboardUi } from '../../build.mjs';
import type { ExportResult, Overview, ReturnDataStatus, SessionSummary, StaffAlert } from '../../ui/dashboard/api.ts';

/** Bundles the dashboard as build.mjs does, into a folder of the test's choosing. */
export const buildDashboard = buildDashboardUi;

export interface StaffCall {
  method: string;
  path: string;
  csrf: string | null;
  body: unknown;
  /** Marked as the dashboard's own periodic refresh (x-anjungan-refresh: 1). */
  refresh: boolean;
}

export const FAKE_OPERATOR = { userId: 'petugas-01', pin: '135790' };
const CSRF = 'csrf-token-for-test-0123456789abcdef';
const COOKIE = 'anjungan_staff';

export function fakeOverview(): Overview {
  return {
    health: {
      idReader: 'ready',
      sam: 'ready',
      sensor: 'missing',
      uplink: 'recovering',
      tamper: 'closed',
      disk: { freeBytes: 12.5e9, totalBytes: 31.9e9 },
    },
    kiosk: { screen: 'welcome', reason: null, paused: false },
    quota: {
      day: '2026-12-01',
      used: 137,
      limit: 500,
      perHour: [0, 0, 0, 0, 0, 0, 0, 3, 18, 25, 31, 12, 4, 20, 24, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      // 13:30 WIB
      projectedLimitAt: '2026-12-01T06:30:00.000Z',
    },
    agreement: { start: '2024-11-10', end: '2027-11-09', daysLeft: 343, inForce: true },
    assist: { step: null, atKiosk: true },
    update: null,
  };
}

export interface FakeStaffApi {
  url: string;
  calls: StaffCall[];
  overview: Overview;
  alerts: StaffAlert[];
  sessions: SessionSummary[];
  returnData: ReturnDataStatus;
  /** What the next sign-in answers: accept the fake operator, or a lockout. */
  signInAnswer: 'check' | { status: 423; lockedUntil: string };
  /** Files served by the export download and report routes. */
  files: Record<string, string>;
  /** Ends the session as an expiry would: the next call is 401. */
  expireSession(): void;
  /** The roster the kiosk listener offers at sign-in; null: not offered (as on the LAN). */
  operators: string[] | null;
  /** The card photo served while the assist step is compareFace. */
  photo: Buffer;
  /** How often the photo was fetched. */
  photoFetches: number;
  /** Reports written "to a stick". */
  reportExports: { file: string; target: string }[];
  uiPings: number;
  /** The Host each keep-alive came to (which page sent it). */
  uiPingHosts: string[];
  close(): Promise<void>;
}

export async function startFakeStaffApi(dashboardDir: string): Promise<FakeStaffApi> {
  const app = Fastify({ logger: false });
  let sessionId: string | null = null;
  let sessionCount = 0;
  const fake: FakeStaffApi = {
    url: '',
    calls: [],
    overview: fakeOverview(),
    alerts: [
      { id: 7, at: '2026-12-01T03:12:00.000Z', kind: 'quota80', acknowledgedAt: null, acknowledgedBy: null },
      { id: 3, at: '2026-12-01T01:00:00.000Z', kind: 'tamper', acknowledgedAt: '2026-12-01T01:05:00.000Z', acknowledgedBy: 'petugas-02' },
    ],
    sessions: [
      { reference: '3F9A01BC', startedAt: '2026-12-01T03:10:00.000Z', outcome: 'cardTaken', durationMs: 48_000, hint: null },
      {
        reference: '0B77E2D4',
        startedAt: '2026-12-01T02:55:00.000Z',
        outcome: 'identityNotConfirmed',
        durationMs: 95_500,
        hint: {
          id: 'Petugas menyatakan wajah tidak sesuai dengan foto kartu.',
          en: 'Staff judged that the face does not match the card photo.',
        },
      },
      { reference: 'C0FFEE12', startedAt: '2026-12-01T03:15:00.000Z', outcome: null, durationMs: null, hint: null },
    ],
    returnData: {
      pending: 12,
      delivered: 30,
      deadLettered: 0,
      exported: 5,
      targets: [
        { id: 'folder', label: 'Folder ekspor' },
        { id: 'usb-1', label: 'USB: KINGSTON' },
      ],
    },
    signInAnswer: 'check',
    files: {},
    operators: null,
    photo: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="30" height="40"><rect width="30" height="40" fill="#8a6"/></svg>'),
    photoFetches: 0,
    reportExports: [],
    uiPings: 0,
    uiPingHosts: [],
    expireSession: () => (sessionId = null),
    close: () => app.close(),
  };

  const index = await readFile(join(dashboardDir, 'index.html'));
  const bundle = await readFile(join(dashboardDir, 'main.js'));
  app.get('/staff/', async (_req, reply) => reply.type('text/html; charset=utf-8').send(index));
  app.get('/staff/main.js', async (_req, reply) => reply.type('text/javascript; charset=utf-8').send(bundle));
  app.get('/', async (_req, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .send('<!doctype html><html lang="id"><title>kiosk</title><p data-testid="kiosk-page">kiosk</p></html>'),
  );
  app.post('/api/ui-ping', async (req, reply) => {
    fake.uiPings++;
    fake.uiPingHosts.push(req.headers.host ?? '');
    return reply.code(204).send();
  });

  const signedIn = (cookie: string | undefined) => sessionId !== null && (cookie ?? '').split(/;\s*/).includes(`${COOKIE}=${sessionId}`);

  app.addHook('onRequest', async (req, reply) => {
    if (!req.url.startsWith('/api/staff/')) return;
    const csrf = req.headers['x-anjungan-csrf'];
    fake.calls.push({
      method: req.method,
      path: req.url,
      csrf: typeof csrf === 'string' ? csrf : null,
      body: null,
      refresh: req.headers['x-anjungan-refresh'] === '1',
    });
    if (req.url === '/api/staff/session' && req.method === 'POST') return;
    if (req.url === '/api/staff/operators') return;
    if (!signedIn(req.headers.cookie)) return reply.code(401).send({ error: 'signInRequired', message: 'sign in' });
    if (req.method !== 'GET' && csrf !== CSRF) return reply.code(403).send({ error: 'csrf', message: 'bad token' });
  });
  app.addHook('preHandler', async (req) => {
    const last = fake.calls.at(-1);
    if (last && req.url.startsWith('/api/staff/')) last.body = req.body ?? null;
  });

  app.post<{ Body: { userId: string; pin: string } }>('/api/staff/session', async (req, reply) => {
    if (fake.signInAnswer !== 'check') return reply.code(423).send({ error: 'locked', lockedUntil: fake.signInAnswer.lockedUntil });
    if (req.body.userId !== FAKE_OPERATOR.userId || req.body.pin !== FAKE_OPERATOR.pin)
      return reply.code(401).send({ error: 'signInRefused', message: 'refused' });
    sessionId = `s${++sessionCount}`;
    // Chromium keeps a Secure cookie from loopback only: the stand-in's "LAN" name is plain HTTP.
    const secure = (req.headers.host ?? '').startsWith('127.0.0.1') ? ' Secure;' : '';
    reply.header('set-cookie', `${COOKIE}=${sessionId}; HttpOnly;${secure} SameSite=Strict; Path=/`);
    return { operatorId: FAKE_OPERATOR.userId, csrf: CSRF };
  });
  app.get('/api/staff/session', async () => ({ operatorId: FAKE_OPERATOR.userId, csrf: CSRF }));
  app.get('/api/staff/operators', async (_req, reply) =>
    fake.operators ? { operators: fake.operators } : reply.code(404).send({ error: 'notFound', message: 'no' }),
  );
  app.get('/api/staff/assist/photo', async (_req, reply) => {
    if (fake.overview.assist.step !== 'compareFace') return reply.code(409).send({ error: 'notInStaffAssist', message: 'no' });
    fake.photoFetches++;
    return reply.type('image/svg+xml').header('cache-control', 'no-store').send(fake.photo);
  });
  app.post<{ Body: { file: string; target: string } }>('/api/staff/report/semester/export', async (req, reply) => {
    const target = fake.returnData.targets.find((t) => t.id === req.body.target);
    if (!target) return reply.code(409).send({ error: 'targetRefused', message: 'no such target' });
    const written = { file: `laporan-semester-${req.body.file}`, target: target.label };
    fake.reportExports.push(written);
    return written;
  });
  app.delete('/api/staff/session', async (_req, reply) => {
    sessionId = null;
    return reply.code(204).send();
  });
  app.get('/api/staff/overview', async () => fake.overview);
  app.get('/api/staff/alerts', async () => ({ alerts: fake.alerts }));
  app.post<{ Params: { id: string } }>('/api/staff/alerts/:id/ack', async (req) => {
    const alert = fake.alerts.find((a) => String(a.id) === req.params.id);
    if (alert) Object.assign(alert, { acknowledgedAt: '2026-12-01T03:20:00.000Z', acknowledgedBy: FAKE_OPERATOR.userId });
    return { ok: true };
  });
  app.get('/api/staff/sessions', async () => ({ sessions: fake.sessions }));
  app.post('/api/staff/kiosk/pause', async () => {
    fake.overview.kiosk.paused = true;
    return { ok: true };
  });
  app.post('/api/staff/kiosk/resume', async () => {
    fake.overview.kiosk.paused = false;
    return { ok: true };
  });
  app.post('/api/staff/assist/unlock', async () => {
    fake.overview.assist.step = 'compareFace';
    return { ok: true };
  });
  app.post('/api/staff/assist/face', async () => {
    fake.overview.assist.step = null;
    return { ok: true };
  });
  app.get('/api/staff/return-data', async () => fake.returnData);
  app.post<{ Body: { format: 'xlsx' | 'csv'; target: string } }>('/api/staff/return-data/export', async (req, reply) => {
    const count = fake.returnData.pending;
    if (count === 0) return reply.code(409).send({ error: 'nothingPending', message: 'nothing to export' });
    fake.returnData = { ...fake.returnData, pending: 0, exported: fake.returnData.exported + count };
    const file = `data-balikan-20261201.${req.body.format}`;
    fake.files[`/api/staff/return-data/exports/exp-1/${file}`] = 'nik,nop\n';
    fake.files['/api/staff/return-data/exports/exp-1/manifest.json'] = '{"count":12}';
    const result: ExportResult = { exportId: 'exp-1', files: [file, 'manifest.json'], count, sha256: 'ab'.repeat(32), remaining: 0 };
    return result;
  });
  app.get('/api/staff/*', async (req, reply) => {
    const body = fake.files[req.url];
    if (body === undefined) return reply.code(404).send({ error: 'notFound', message: 'no such file' });
    return reply.type(req.url.endsWith('.pdf') ? 'application/pdf' : 'application/octet-stream').send(body);
  });

  fake.url = await app.listen({ host: '127.0.0.1', port: 0 });
  return fake;
}
