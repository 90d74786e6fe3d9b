/**
 * The report's outcome columns come from the failure taxonomy and the registry's answers: every
 * failure that can end a card read, every answer the registry can give and every reason to be
 * out of service has a column of its own, so none of them is counted as `other` or `unknown`.
 */
import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { OUT_OF_SERVICE_REASONS, SESSION_FAILURES, type SessionFailureReason } from '../../device/domain/failure.ts';
import { REGISTRY_OUTCOME_KINDS } from '../../device/domain/registry.ts';
import { REPORT_ROWS } from '../../device/report/rows.ts';
import {
  CARD_READ_OUTCOMES,
  computeSemesterReport,
  ENDS_A_CARD_READ,
  parseSemester,
  UPLINK_OUTCOMES,
} from '../../device/report/semester.ts';
import { AuditLog } from '../../device/store/audit-log.ts';
import { openDatabase } from '../../device/store/db.ts';

const reasons = Object.keys(SESSION_FAILURES) as SessionFailureReason[];
const cardReadFailures = reasons.filter((r): r is Exclude<(typeof CARD_READ_OUTCOMES)[number], 'read' | 'other'> => ENDS_A_CARD_READ[r]);

t.test('each failure ending a card read, each registry answer and each out-of-service reason is a column', async (t) => {
  t.same(CARD_READ_OUTCOMES, ['read', ...cardReadFailures, 'other']);
  t.same(UPLINK_OUTCOMES, [...REGISTRY_OUTCOME_KINDS, 'error', 'other']);
  for (const kind of ['verified', 'notFound', 'quotaReached', 'loginFailed', 'outsideHours', 'unavailable'] as const) {
    t.ok(REGISTRY_OUTCOME_KINDS.includes(kind), `${kind} is a registry answer`);
  }
  // Each column is a row of the report, once.
  const labels = REPORT_ROWS.map((r) => `${r.group.en}: ${r.label.en}`);
  t.equal(new Set(labels).size, labels.length, 'no row named twice in its group');
  t.equal(REPORT_ROWS.length, 1 + CARD_READ_OUTCOMES.length + 4 + UPLINK_OUTCOMES.length + 2 + 4 + OUT_OF_SERVICE_REASONS.length + 1); // data balikan: queued, delivered, exported, pending
});

t.test('a row of each kind in the audit trail lands in its own column', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'anj24-columns-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const db = openDatabase(dir);
  t.teardown(() => db.close());
  let at = Date.parse('2026-08-03T01:00:00Z');
  const clock = { now: () => new Date(at) };
  const audit = new AuditLog(db, randomBytes(32), clock);
  for (const reason of cardReadFailures) {
    at += 60_000;
    audit.record({ code: 'sessionFailed', state: 'readingTemplates', outcome: reason });
  }
  for (const outcome of [...REGISTRY_OUTCOME_KINDS, 'error']) {
    at += 60_000;
    audit.record({ code: 'validated', outcome });
  }
  for (const reason of OUT_OF_SERVICE_REASONS) {
    at += 3_600_000;
    audit.record({ code: 'outOfService', outcome: reason });
  }
  at += 3_600_000;
  audit.record({ code: 'inService', outcome: OUT_OF_SERVICE_REASONS.at(-1)! });

  const report = await computeSemesterReport(
    { db, kiosk: null, agreementNumbers: [], dailyQuota: 1000, now: () => new Date('2027-01-05T02:00:00Z') },
    parseSemester('2026-2'),
  );
  const { cardReads, uplink, outOfServiceHours } = report.total;
  for (const reason of cardReadFailures) t.equal(cardReads[reason], 1, `card read ended by ${reason}`);
  t.equal(cardReads.other, 0, 'no card read counted as other');
  for (const outcome of [...REGISTRY_OUTCOME_KINDS, 'error'] as const) t.equal(uplink[outcome], 1, `registry: ${outcome}`);
  t.equal(uplink.other, 0, 'no registry answer counted as other');
  for (const reason of OUT_OF_SERVICE_REASONS) t.equal(Math.round(outOfServiceHours[reason]), 1, `out of service: ${reason}`);
  t.equal(outOfServiceHours.unknown, 0, 'no out-of-service hour without its reason');
});
