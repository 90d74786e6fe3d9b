/**
 * The failure taxonomy: every error and refusal maps to one session failure with its detail, a
 * staff message exists for every code in both languages, and nothing personal or secret leaks.
 */
import t from 'tap';
import {
  DeviceError,
  failureOfError,
  REGISTRY_REFUSALS,
  RegistryRefusedError,
  SESSION_FAILURES,
  splitOutcome,
  staffMessage,
  type SessionFailureReason,
} from '../../device/domain/failure.ts';
import type { RegistryRefusal } from '../../device/domain/registry.ts';

const reasons = Object.keys(SESSION_FAILURES) as SessionFailureReason[];
const refusals = Object.keys(REGISTRY_REFUSALS) as RegistryRefusal['kind'][];

t.test('a device error keeps its code as the reason and its status word as the detail', async (t) => {
  const f = failureOfError(new DeviceError('cardUnreadable', 'READ BINARY failed', { kind: 'statusWord', value: '6A82' }), 'readingRecord');
  t.same(f, { reason: 'cardUnreadable', state: 'readingRecord', detail: { kind: 'statusWord', value: '6A82' } });
  t.same(failureOfError(new DeviceError('samRefused', 'SAM refused'), 'readingTemplates'), {
    reason: 'samRefused',
    state: 'readingTemplates',
    detail: null,
  });
});

t.test('every registry refusal maps to its reason with the refusal kind as the detail', async (t) => {
  for (const kind of refusals) {
    const f = failureOfError(new RegistryRefusedError(kind), 'validating');
    t.equal(f.reason, REGISTRY_REFUSALS[kind].reason, kind);
    t.same(f.detail, { kind: 'registryRefusal', value: kind });
    t.same(staffMessage(f), REGISTRY_REFUSALS[kind].staff, `${kind}: staff read the refusal's own message`);
  }
});

t.test('quota and access refusals are not retriable and stop service; a service that is down is retriable', async (t) => {
  t.equal(REGISTRY_REFUSALS.quotaReached.stopsService, 'quotaReached');
  t.equal(SESSION_FAILURES[REGISTRY_REFUSALS.quotaReached.reason].retriable, false);
  for (const kind of ['loginFailed', 'ipRefused', 'institutionInactive', 'userInactive'] as const) {
    t.equal(REGISTRY_REFUSALS[kind].stopsService, 'uplinkRejected', kind);
    t.equal(SESSION_FAILURES[REGISTRY_REFUSALS[kind].reason].retriable, false, kind);
  }
  for (const kind of ['unavailable', 'serviceError'] as const) {
    t.equal(REGISTRY_REFUSALS[kind].stopsService, null, kind);
    t.equal(SESSION_FAILURES[REGISTRY_REFUSALS[kind].reason].retriable, true, kind);
  }
});

t.test('an unexpected error is an internal error that names only its class, never its message', async (t) => {
  const f = failureOfError(new TypeError('cannot read 3313014503950001 of undefined'), 'validating');
  t.same(f, { reason: 'internalError', state: 'validating', detail: { kind: 'unexpectedError', value: 'TypeError' } });
  t.notMatch(JSON.stringify(f), /3313/);
  t.same(failureOfError('a string', 'x').detail, { kind: 'unexpectedError', value: 'string' });
});

t.test('registry outcomes split into verdicts about the person and refusals', async (t) => {
  t.same(splitOutcome({ kind: 'notFound' }), { verdict: { kind: 'notFound' }, refusal: null });
  t.same(splitOutcome({ kind: 'quotaReached' }), { verdict: null, refusal: { kind: 'quotaReached' } });
});

t.test('every failure reason and every refusal has a staff message in both languages, naming no secret', async (t) => {
  const messages = [
    ...reasons.map((r) => [r, SESSION_FAILURES[r].staff] as const),
    ...refusals.map((k) => [k, REGISTRY_REFUSALS[k].staff] as const),
  ];
  for (const [code, m] of messages) {
    t.ok(m.id.length > 15 && m.en.length > 15, `${code} has text in both languages`);
    t.not(m.id, m.en, `${code} is translated`);
    t.notMatch(m.id + m.en, /[0-9]{6,}|BEGIN|secret/i, `${code} carries no number or key`);
  }
});
