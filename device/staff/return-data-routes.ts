/**
 * Staff routes for data balikan files (upload and removable-media methods): the outbox counts and
 * the folders a file may go to, the export itself, and the download of a file just written (for
 * a dashboard on another PC). The only staff routes whose files hold NIKs; their responses,
 * logs and audit rows hold counts, names of files and hashes only. Writing a file and reading one
 * back are both audited with the operator's ID (every read of personal data is).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import * as Type from 'typebox/type';
import { isCalendarDay } from '../domain/agreement.ts';
import type { AuditPort, ClockPort } from '../flow/ports.ts';
import type { Logger } from '../log.ts';
import { ExportTargetRefused, type ExportTargets } from '../return-data/export-targets.ts';
import {
  exportReturnData,
  MAX_ENTRIES_PER_EXPORT,
  ReturnDataExportError,
  type ExportFileSystem,
  type ExportingKiosk,
  type ExportResult,
  type ReturnDataExportSource,
} from '../return-data/export.ts';
import { checkInputAsDeclared, operatorOf, type StaffRoutes } from './scope.ts';

export interface ReturnDataOutboxCounts extends ReturnDataExportSource {
  pendingCount(): number;
  exportedCount(): number;
  /** Entries the delivery worker had confirmed by the web service (absent: no delivery method). */
  deliveredCount(): number;
  /** Pending entries the web service never settled after every try (dead letters): export them to a file. */
  deadLetteredCount(): number;
}

export interface ReturnDataRoutesDeps {
  outbox: ReturnDataOutboxCounts;
  targets: ExportTargets;
  audit: AuditPort;
  clock: ClockPort;
  kiosk: ExportingKiosk | null;
  logger: Logger;
  /** Tests inject a failing file system; production uses node's. */
  fs?: ExportFileSystem;
}

const ErrorBody = Type.Object({ error: Type.String(), message: Type.String() });

export const ReturnDataOverview = Type.Object({
  pending: Type.Integer(),
  delivered: Type.Integer(),
  /** Of the pending: given up on by the delivery worker, waiting for a file export. */
  deadLettered: Type.Integer(),
  exported: Type.Integer(),
  targets: Type.Array(Type.Object({ id: Type.String(), label: Type.String() })),
});

export const ExportBody = Type.Object(
  {
    format: Type.Union([Type.Literal('xlsx'), Type.Literal('csv')]),
    target: Type.String({ minLength: 1, maxLength: 4096 }),
    /** Only these pending entries (outbox ids); every pending entry if absent. */
    ids: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: MAX_ENTRIES_PER_EXPORT, uniqueItems: true })),
    /** Only entries queued on these WIB days, both included (e.g. one month for a monthly upload). */
    from: Type.Optional(Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' })),
    until: Type.Optional(Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' })),
  },
  { additionalProperties: false },
);

export const ExportReply = Type.Object({
  exportId: Type.String(),
  files: Type.Array(Type.String()),
  count: Type.Integer(),
  /** SHA-256 of the data file (the manifest holds it too, with its own). */
  sha256: Type.String(),
  /** Pending entries beyond one file's bound, for the next export. */
  remaining: Type.Integer(),
});

const FileParams = Type.Object(
  {
    exportId: Type.String({ pattern: '^[0-9a-f]{12}$' }),
    file: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,159}$' }),
  },
  { additionalProperties: false },
);

const CONTENT_TYPES: Record<string, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/** Exports whose files can still be downloaded: the latest few, in memory only. */
const RECENT_EXPORTS = 16;

interface RecentExport {
  dir: string;
  files: Map<string, string>; // name → SHA-256
  /** Entries in the export (each a NIK). */
  count: number;
}

export function returnDataRoutes(deps: ReturnDataRoutesDeps): StaffRoutes {
  const recent = new Map<string, RecentExport>();
  let exporting = false;

  return async (staffScope: FastifyInstance) => {
    // Its own scope, so its typed refusals do not change how other staff routes answer.
    await staffScope.register(async (scope) => {
      checkInputAsDeclared(scope, deps.logger, 'returnDataRouteError');

      scope.get('/return-data', { schema: { response: { 200: ReturnDataOverview } } }, async () => ({
        pending: deps.outbox.pendingCount(),
        delivered: deps.outbox.deliveredCount(),
        deadLettered: deps.outbox.deadLetteredCount(),
        exported: deps.outbox.exportedCount(),
        targets: deps.targets.list(),
      }));

      scope.post<{ Body: Static<typeof ExportBody> }>(
        '/return-data/export',
        { schema: { body: ExportBody, response: { 200: ExportReply, 400: ErrorBody, 409: ErrorBody } } },
        async (req, reply) => {
          const staffId = operatorOf(req);
          const { format, target, ids, from, until } = req.body;
          const days = [from, until].filter((d): d is string => d !== undefined);
          if (!days.every(isCalendarDay) || (from && until && from > until)) {
            return reply.code(400).send({ error: 'badRequest', message: 'request is not valid' });
          }
          const refuse = (status: 400 | 409, error: string, message: string) => {
            deps.audit.record({ code: 'returnDataExportFailed', staffId, outcome: error });
            deps.logger.warn({ event: 'returnDataExportRefused', error }, 'data balikan export refused');
            return reply.code(status).send({ error, message });
          };
          let dir: string;
          try {
            dir = deps.targets.resolve(target).id;
          } catch (e) {
            if (e instanceof ExportTargetRefused) return refuse(400, e.code, e.message);
            throw e;
          }
          // One export at a time: two at once would write the same entries twice.
          if (exporting) return refuse(409, 'exportInProgress', 'another data balikan export is being written');
          exporting = true;
          let result: ExportResult;
          try {
            result = await exportReturnData({
              source: deps.outbox,
              dir,
              format,
              ids,
              queuedFrom: from,
              queuedUntil: until,
              now: deps.clock.now(),
              kiosk: deps.kiosk,
              fs: deps.fs,
            });
          } catch (e) {
            if (e instanceof ReturnDataExportError) return refuse(409, e.code, e.message);
            throw e;
          } finally {
            exporting = false;
          }
          // The export's id names it in the audit trail, so a later download of its file is traced to it.
          deps.audit.record({ code: 'returnDataExported', staffId, state: result.exportId, outcome: format, count: result.count });
          deps.logger.info(
            { event: 'returnDataExported', format, count: result.count, exportId: result.exportId },
            'data balikan exported',
          );
          recent.set(result.exportId, {
            dir,
            count: result.count,
            files: new Map([result.data, result.manifest].map((f) => [f.name, f.sha256])),
          });
          for (const old of [...recent.keys()].slice(0, -RECENT_EXPORTS)) recent.delete(old);
          return {
            exportId: result.exportId,
            files: [result.data.name, result.manifest.name],
            count: result.count,
            sha256: result.data.sha256,
            remaining: result.remaining,
          };
        },
      );

      scope.get<{ Params: Static<typeof FileParams> }>(
        '/return-data/exports/:exportId/:file',
        { schema: { params: FileParams, response: { 404: ErrorBody, 409: ErrorBody } } },
        async (req, reply) => {
          const { exportId, file } = req.params;
          const exported = recent.get(exportId);
          const expected = exported?.files.get(file);
          // A read of NIKs: audited with the operator and the export, whatever the answer.
          const audited = (outcome: string) =>
            deps.audit.record({
              code: 'returnDataDownloaded',
              staffId: operatorOf(req),
              state: `${exportId}/${file}`,
              outcome,
              ...(exported ? { count: exported.count } : {}),
            });
          if (!exported || !expected) {
            audited('notFound');
            return reply.code(404).send({ error: 'notFound', message: 'no such export file' });
          }
          let content: Buffer;
          try {
            content = await readFile(join(exported.dir, file));
          } catch {
            audited('notFound');
            return reply.code(404).send({ error: 'notFound', message: 'the export file is no longer there' });
          }
          // A file changed on the stick since it was written is not handed out as the export.
          if (createHash('sha256').update(content).digest('hex') !== expected) {
            audited('fileChanged');
            return reply.code(409).send({ error: 'fileChanged', message: 'the export file changed since it was written' });
          }
          audited('sent');
          const extension = file.slice(file.lastIndexOf('.') + 1);
          return reply
            .header('content-type', CONTENT_TYPES[extension] ?? 'application/octet-stream')
            .header('content-disposition', `attachment; filename="${file}"`)
            .send(content);
        },
      );
    });
  };
}
