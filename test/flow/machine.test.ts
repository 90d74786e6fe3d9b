/**
 * The flow as a taxpayer lives it, on fake ports: each test drives the machine through one path
 * and checks what the screen would show and what was kept.
 */
import t from 'tap';
import { KioskRuntime } from '../../device/view/runtime.ts';
import type { KioskView } from '../../device/view/protocol.ts';
import { makeFakes, RECORD, settle, startRuntime, TEMPLATE, type Fakes } from './fakes.ts';

async function start(configure?: (f: Fakes) => void) {
  const f = makeFakes();
  configure?.(f);
  const runtime = startRuntime(f);
  await settle();
  const view = () => runtime.view();
  const send = async (e: Parameters<KioskRuntime['send']>[0]) => {
    runtime.send(e);
    await settle();
    await settle();
  };
  const advance = async (ms: number) => {
    f.clock.increment(ms);
    await settle();
    await settle();
  };
  return { f, runtime, view, send, advance, ctx: () => runtime.snapshot().context };
}

function screen(v: KioskView) {
  return v.screen;
}

t.test('valid card: finger matches, registry verifies, return data is queued, card removal returns to welcome', async (t) => {
  const k = await start();
  t.equal(screen(k.view()), 'welcome');
  await k.send({ type: 'CARD_INSERTED' });
  await settle();
  t.equal(screen(k.view()), 'result', 'finger matched at once, record read and validated');
  const v = k.view();
  t.equal(v.screen === 'result' && v.outcome, 'verified');
  t.ok(k.runtime.sendIntent({ type: 'linkReturnData' }));
  await settle();
  t.equal(screen(k.view()), 'returnData');
  t.ok(k.runtime.sendIntent({ type: 'submitReturnData', nop: '33.13.010.001.001-0001.5' }), 'a malformed NOP is taken and answered');
  await settle();
  t.match(k.view(), { screen: 'returnData', error: 'nopFormat' });
  t.equal(k.f.outbox.length, 0, 'nothing queued for a malformed NOP');
  t.ok(k.runtime.sendIntent({ type: 'submitReturnData', nop: '33.13.010.001.001-0001.0', npwpd: 'P.2.0001234.33.13' }));
  await settle();
  t.match(k.view(), { screen: 'finished', why: 'returnDataSaved' });
  t.same(k.f.outbox, [{ nik: RECORD.person.nik, nop: '331301000100100010', npwpd: 'P.2.0001234.33.13' }]);
  t.equal(k.ctx().record, null, 'personal data is cleared on the take-your-card screen');
  t.equal(k.ctx().templates, null);
  await k.send({ type: 'CARD_REMOVED' });
  t.equal(screen(k.view()), 'welcome');
  t.ok(k.f.audit.some((e) => e.code === 'sessionEnd' && e.outcome === 'returnDataSaved'));
});

t.test('result, finished and failed screens carry the session reference: the first 8 hex digits of its id, upper-case', async (t) => {
  const k = await start((f) => {
    f.deps.newSessionId = () => '3f9a01bc-7d2e-4c1a-9b8e-0123456789ab';
  });
  await k.send({ type: 'CARD_INSERTED' });
  await settle();
  t.match(k.view(), { screen: 'result', reference: '3F9A01BC' });
  t.ok(k.runtime.sendIntent({ type: 'finish' }));
  await settle();
  t.match(k.view(), { screen: 'finished', reference: '3F9A01BC' });
  await k.send({ type: 'CARD_REMOVED' });
  k.f.set.templates({ fail: 'cardUnreadable' });
  await k.send({ type: 'CARD_INSERTED' });
  t.match(k.view(), { screen: 'failed', reason: 'cardUnreadable', reference: '3F9A01BC' });
  await k.send({ type: 'CARD_REMOVED' });
  await k.advance(6_000);
  t.match(k.view(), { screen: 'welcome' });
  t.notOk('reference' in k.view(), 'no reference outside a session');
});

t.test('an empty return-data form is refused with its own error', async (t) => {
  const k = await start();
  await k.send({ type: 'CARD_INSERTED' });
  k.runtime.sendIntent({ type: 'linkReturnData' });
  k.runtime.sendIntent({ type: 'submitReturnData', nop: '  ' });
  await settle();
  t.match(k.view(), { screen: 'returnData', error: 'nothingEntered' });
  k.runtime.sendIntent({ type: 'submitReturnData', npwpd: '12345' });
  await settle();
  t.match(k.view(), { screen: 'returnData', error: 'npwpdFormat' });
  k.runtime.sendIntent({ type: 'skipReturnData' });
  await settle();
  t.match(k.view(), { screen: 'finished', why: 'completed' });
});

t.test('the same wrong NOP submitted twice is answered twice: each refusal is a new view', async (t) => {
  const k = await start();
  await k.send({ type: 'CARD_INSERTED' });
  k.runtime.sendIntent({ type: 'linkReturnData' });
  await settle();
  const pushed: KioskView[] = [];
  k.runtime.onView((v) => pushed.push(v));
  for (const n of [1, 2]) {
    k.runtime.sendIntent({ type: 'submitReturnData', nop: '33.13.010.001.001-0001.5' });
    await settle();
    t.match(k.view(), { screen: 'returnData', error: 'nopFormat', submissions: n }, `refusal ${n}`);
  }
  t.equal(pushed.filter((v) => v.screen === 'returnData' && v.error === 'nopFormat').length, 2, 'two views were pushed, not one');
});

t.test('the view says "unknown" (agrees: null), never "differs", where the registry gave nothing to compare', async (t) => {
  const k = await start((f) =>
    f.set.registry({
      ok: {
        kind: 'dataDiffers',
        fields: [
          { key: 'nik', card: RECORD.person.nik, registry: RECORD.person.nik, agrees: true },
          { key: 'jenisPekerjaan', card: 'GURU', registry: null, agrees: false },
          { key: 'namaLengkap', card: 'A', registry: 'B', agrees: false },
        ],
      },
    }),
  );
  await k.send({ type: 'CARD_INSERTED' });
  const differs = k.view();
  t.equal(differs.screen, 'result');
  if (differs.screen === 'result') {
    t.same(
      differs.fields.map((f) => [f.key, f.agrees]),
      [
        ['nik', true],
        ['jenisPekerjaan', null],
        ['namaLengkap', false],
      ],
      'a field the registry left out is unknown; a differing one differs',
    );
  }
  k.runtime.sendIntent({ type: 'finish' });
  await k.send({ type: 'CARD_REMOVED' });
  await k.advance(6_000);
  k.f.set.registry({ ok: { kind: 'notFound' } });
  await k.send({ type: 'CARD_INSERTED' });
  const notFound = k.view();
  t.equal(notFound.screen === 'result' && notFound.outcome, 'notFound');
  if (notFound.screen === 'result') {
    t.equal(notFound.compared, false);
    t.ok(
      notFound.fields.length === 9 && notFound.fields.every((f) => f.agrees === null && f.registry === null),
      'all nine fields unknown, none differing',
    );
  }
});

t.test('four unmatched fingers lead to staff assist; a wrong PIN is refused; staff confirm the face', async (t) => {
  const k = await start((f) => f.set.finger(['noMatch', 'poorQuality', 'noMatch', 'noMatch']));
  await k.send({ type: 'CARD_INSERTED' });
  await settle();
  await settle();
  t.match(k.view(), { screen: 'staffAssist', step: 'callStaff', why: 'fingerNotMatched', photo: null });
  t.equal(k.f.calls.readRecord, 0, 'biodata is not read before identity is established');
  t.equal(k.f.audit.filter((e) => e.code === 'fingerAttempt').length, 4);
  t.ok(k.runtime.sendIntent({ type: 'staffUnlock', pin: '0000' }));
  await settle();
  await settle();
  t.match(k.view(), { screen: 'staffAssist', step: 'callStaff', pinRejected: true });
  k.runtime.sendIntent({ type: 'staffUnlock', pin: '1357' });
  await settle();
  await settle();
  const v = k.view();
  t.match(v, { screen: 'staffAssist', step: 'compareFace' });
  t.match(v.screen === 'staffAssist' && v.photo, /^data:image\/svg\+xml;base64,/);
  k.runtime.sendIntent({ type: 'staffConfirmFace', matches: true });
  await settle();
  await settle();
  t.match(k.view(), { screen: 'result', outcome: 'verified' });
});

t.test('an operator signed in to the dashboard unlocks without a PIN and the face decision carries their ID', async (t) => {
  const k = await start((f) => f.set.finger(['hang']));
  await k.send({ type: 'CARD_INSERTED' });
  t.ok(k.runtime.sendIntent({ type: 'cannotGiveFinger' }));
  await settle();
  t.notOk(k.runtime.snapshot().can({ type: 'STAFF_CONFIRM_FACE', matches: true, staffId: 'op-7' }), 'no face decision before the unlock');
  await k.send({ type: 'STAFF_UNLOCK_SIGNED_IN', staffId: 'op-7' });
  await settle();
  t.match(k.view(), { screen: 'staffAssist', step: 'compareFace' });
  t.match(
    k.f.audit.find((e) => e.code === 'staffUnlocked'),
    { staffId: 'op-7', outcome: 'dashboard' },
  );
  t.notOk(k.runtime.snapshot().can({ type: 'STAFF_UNLOCK_SIGNED_IN', staffId: 'op-7' }), 'a second unlock is not taken in compareFace');
  await k.send({ type: 'STAFF_CONFIRM_FACE', matches: true, staffId: 'op-7' });
  await settle();
  t.match(k.view(), { screen: 'result', outcome: 'verified' });
  t.match(
    k.f.audit.find((e) => e.code === 'staffFaceDecision'),
    { staffId: 'op-7', outcome: 'matches' },
  );
});

t.test('the feedback of a failed attempt is shown with the next attempt number', async (t) => {
  const k = await start((f) => f.set.finger(['poorQuality', 'hang']));
  await k.send({ type: 'CARD_INSERTED' });
  await settle();
  t.match(k.view(), { screen: 'awaitingFinger', attempt: 2, maxAttempts: 4, feedback: 'cleanFinger', fingerPosition: 2 });
});

t.test('a probe the matcher refuses as unfit asks for a clean finger, as a poor capture does', async (t) => {
  const k = await start((f) => f.set.finger(['tooDense', 'hang']));
  await k.send({ type: 'CARD_INSERTED' });
  await settle();
  t.match(k.view(), { screen: 'awaitingFinger', attempt: 2, maxAttempts: 4, feedback: 'cleanFinger' });
});

t.test('a taxpayer who cannot give a fingerprint goes to staff; a face that differs ends the session', async (t) => {
  const k = await start((f) => f.set.finger(['hang']));
  await k.send({ type: 'CARD_INSERTED' });
  t.equal(screen(k.view()), 'awaitingFinger');
  t.ok(k.runtime.sendIntent({ type: 'cannotGiveFinger' }));
  await settle();
  t.match(k.view(), { screen: 'staffAssist', why: 'taxpayerChoice' });
  k.runtime.sendIntent({ type: 'staffUnlock', pin: '1357' });
  await settle();
  await settle();
  k.runtime.sendIntent({ type: 'staffConfirmFace', matches: false });
  await settle();
  t.match(k.view(), { screen: 'failed', reason: 'identityNotConfirmed', state: 'staffAssist.compareFace', retriable: false });
  t.equal(k.f.calls.validate, 0, 'no registry hit for an unconfirmed identity');
});

t.test('a card whose issuer signature fails never reaches the registry', async (t) => {
  const k = await start((f) => f.set.record({ ok: { ...RECORD, signatureValid: false } }));
  await k.send({ type: 'CARD_INSERTED' });
  await settle();
  t.match(k.view(), { screen: 'failed', reason: 'signatureInvalid', state: 'readingRecord' });
  t.equal(k.f.calls.validate, 0);
});

t.test('registry answers about the person are results; the other-regency NIK is served like any other', async (t) => {
  for (const kind of ['notFound', 'deceased', 'inactive', 'duplicateRecords'] as const) {
    const k = await start((f) => f.set.registry({ ok: { kind } }));
    await k.send({ type: 'CARD_INSERTED' });
    await settle();
    const v = k.view();
    t.match(v, { screen: 'result', outcome: kind, canLinkReturnData: false }, kind);
    t.equal(v.screen === 'result' && v.fields.length, 9, 'the card side of the nine fields is shown');
    t.notOk(k.runtime.sendIntent({ type: 'linkReturnData' }), 'no return data for a person the registry does not confirm');
  }
});

t.test('quota reached mid-day: not retriable, and the kiosk goes out of service until readiness says otherwise', async (t) => {
  const k = await start((f) => f.set.registry({ ok: { kind: 'quotaReached' } }));
  await k.send({ type: 'CARD_INSERTED' });
  await settle();
  t.match(k.view(), { screen: 'failed', reason: 'quotaReached', state: 'validating', retriable: false });
  t.equal(k.f.calls.validate, 1);
  t.same(k.f.serviceStops, [{ reason: 'quotaReached', cause: 'quotaReached' }], 'readiness is told the quota is gone');
  await k.send({ type: 'CARD_REMOVED' });
  t.match(k.view(), { screen: 'outOfService', reason: 'quotaReached' });
  await k.send({ type: 'CARD_INSERTED' });
  t.equal(k.f.calls.readTemplates, 1, 'a card inserted out of service is not read');
});

t.test('refused access (login failed) is reported for staff and stops service', async (t) => {
  const k = await start((f) => f.set.registry({ ok: { kind: 'loginFailed' } }));
  await k.send({ type: 'CARD_INSERTED' });
  await settle();
  t.match(k.view(), { screen: 'failed', reason: 'registryRefused', retriable: false });
  t.same(k.f.serviceStops, [{ reason: 'uplinkRejected', cause: 'loginFailed' }]);
});

t.test('outside access hours (code 06) is its own failure, not retriable, and stops service until readiness says otherwise', async (t) => {
  const k = await start((f) => f.set.registry({ ok: { kind: 'outsideHours' } }));
  await k.send({ type: 'CARD_INSERTED' });
  await settle();
  t.match(k.view(), {
    screen: 'failed',
    reason: 'outsideAccessHours',
    retriable: false,
    detail: { kind: 'registryRefusal', value: 'outsideHours' },
  });
  t.same(k.f.serviceStops, [{ reason: 'outsideAccessHours', cause: 'outsideHours' }], 'readiness is told access hours are over');
});

t.test('a registry that is down or answers badly is retriable and does not stop service', async (t) => {
  for (const kind of ['unavailable', 'serviceError'] as const) {
    const k = await start((f) => f.set.registry({ ok: { kind } }));
    await k.send({ type: 'CARD_INSERTED' });
    await settle();
    t.match(k.view(), { screen: 'failed', reason: 'uplinkUnavailable', retriable: true }, kind);
    t.same(k.f.serviceStops, []);
  }
});

t.test('the SAM refusing or vanishing mid-session gives its own reason, not an internal error', async (t) => {
  for (const reason of ['samRefused', 'samMissing'] as const) {
    const k = await start((f) => f.set.templates({ fail: reason }));
    await k.send({ type: 'CARD_INSERTED' });
    await settle();
    t.match(k.view(), { screen: 'failed', reason, state: 'readingTemplates', retriable: false }, reason);
  }
  const k = await start((f) => f.set.record({ fail: 'samRefused' }));
  await k.send({ type: 'CARD_INSERTED' });
  await settle();
  t.match(k.view(), { screen: 'failed', reason: 'samRefused', state: 'readingRecord' });
});

t.test('the failure screen carries the detail and the staff message behind the reason', async (t) => {
  const k = await start((f) => f.set.record({ fail: 'cardUnreadable', detail: { kind: 'statusWord', value: '6A82' } }));
  await k.send({ type: 'CARD_INSERTED' });
  await settle();
  t.match(k.view(), {
    screen: 'failed',
    reason: 'cardUnreadable',
    state: 'readingRecord',
    detail: { kind: 'statusWord', value: '6A82' },
    staffMessage: { id: /kode status/, en: /status word/ },
  });
  const q = await start((f) => f.set.registry({ ok: { kind: 'ipRefused' } }));
  await q.send({ type: 'CARD_INSERTED' });
  await settle();
  t.match(q.view(), {
    screen: 'failed',
    reason: 'registryRefused',
    detail: { kind: 'registryRefusal', value: 'ipRefused' },
    staffMessage: { en: /IP/ },
  });
  t.match(
    q.f.audit.find((e) => e.code === 'validated'),
    { outcome: 'ipRefused' },
    'the audit trail keeps the refusal kind',
  );
});

t.test('card lifted on the result screen: the session ends as finished, nothing kept, welcome after the display time', async (t) => {
  const k = await start();
  await k.send({ type: 'CARD_INSERTED' });
  await settle();
  t.equal(screen(k.view()), 'result');
  await k.send({ type: 'CARD_REMOVED' });
  t.match(k.view(), { screen: 'finished', why: 'cardTaken' });
  t.equal(k.ctx().record, null);
  t.equal(k.ctx().verdict, null);
  t.notOk(
    k.f.audit.some((e) => e.code === 'sessionFailed'),
    'no failure is recorded',
  );
  await k.advance(6_000);
  t.equal(screen(k.view()), 'welcome');
  t.match(k.f.audit.at(-1), { code: 'sessionEnd', outcome: 'cardTaken' });
});

t.test('card lifted while typing return data: the half-typed entry is dropped and nothing is stored', async (t) => {
  const k = await start();
  await k.send({ type: 'CARD_INSERTED' });
  await settle();
  k.runtime.sendIntent({ type: 'linkReturnData' });
  k.runtime.sendIntent({ type: 'submitReturnData', nop: '33.13.010' });
  await settle();
  t.match(k.view(), { screen: 'returnData', error: 'nopFormat' });
  await k.send({ type: 'READER_REMOVED' });
  t.match(k.view(), { screen: 'finished', why: 'completed' });
  t.same(k.f.outbox, [], 'nothing queued');
  t.equal(k.ctx().record, null);
  await k.advance(6_000);
  t.notOk(screen(k.view()) === 'finished', 'the screen does not wait for a card that is gone');
});

t.test('a card put in while the kiosk could not take it is read once it can, without taking it out', async (t) => {
  const k = await start((f) => f.set.readiness({ ready: false, reason: 'uplinkDown' }));
  t.match(k.view(), { screen: 'outOfService', reason: 'uplinkDown' });
  await k.send({ type: 'CARD_INSERTED' });
  t.equal(k.f.calls.readTemplates, 0);
  k.f.set.readiness({ ready: true });
  await k.send({ type: 'READINESS_CHANGED' });
  await settle();
  t.equal(k.f.calls.readTemplates, 1, 'the card already in the reader is read');
  t.equal(screen(k.view()), 'result');
});

t.test('a new card put on while the last failure is still shown is read when that screen ends', async (t) => {
  const k = await start((f) => f.set.templates('hang'));
  await k.send({ type: 'CARD_INSERTED' });
  await k.send({ type: 'CARD_REMOVED' });
  t.match(k.view(), { screen: 'failed', reason: 'cardRemoved' });
  k.f.set.templates({ ok: { templates: [TEMPLATE] } });
  await k.send({ type: 'CARD_INSERTED' });
  t.equal(screen(k.view()), 'failed', 'the failure stays for its display time');
  await k.advance(6_000);
  await settle();
  t.equal(k.f.calls.readTemplates, 2);
  t.equal(screen(k.view()), 'result');
});

t.test('a card already in the reader when the kiosk starts is read', async (t) => {
  const k = await start((f) => f.setCardPresent(true));
  await settle();
  t.equal(k.f.calls.readTemplates, 1);
});

t.test('idle: the warning gives 20 s, extending keeps the session, silence ends it', async (t) => {
  const k = await start((f) => f.set.finger(['hang']));
  await k.send({ type: 'CARD_INSERTED' });
  t.equal(k.view().idleWarning, null);
  t.notOk(k.runtime.sendIntent({ type: 'extendTime' }), 'nothing to extend before the warning');
  await k.advance(60_000);
  t.same(k.view().idleWarning, { secondsLeft: 20 });
  t.ok(k.runtime.sendIntent({ type: 'extendTime' }));
  await settle();
  t.equal(k.view().idleWarning, null);
  t.equal(screen(k.view()), 'awaitingFinger');
  await k.advance(60_000);
  await k.advance(19_000);
  t.equal(screen(k.view()), 'awaitingFinger', 'still there one second before the end');
  await k.advance(1_000);
  t.match(k.view(), { screen: 'failed', reason: 'sessionTimeout', state: 'awaitingFinger', retriable: true });
  t.equal(k.ctx().templates, null);
});

t.test('card removed mid-read: failure names the step, nothing kept, back to welcome after the display time', async (t) => {
  const k = await start((f) => f.set.templates('hang'));
  await k.send({ type: 'CARD_INSERTED' });
  t.match(k.view(), { screen: 'readingCard', phase: 'templates' });
  await k.send({ type: 'CARD_REMOVED' });
  t.match(k.view(), { screen: 'failed', reason: 'cardRemoved', state: 'readingTemplates', retriable: true });
  t.equal(k.f.calls.validate, 0);
  t.match(
    k.f.audit.filter((e) => e.code === 'sessionFailed'),
    [{ sessionId: 'session-1', state: 'readingTemplates', outcome: 'cardRemoved' }],
    'the audit trail records the failure and where it happened',
  );
  await k.advance(6_000);
  t.match(k.f.audit.at(-1), { code: 'sessionEnd', outcome: 'cardRemoved' });
  t.equal(screen(k.view()), 'welcome');
});

t.test('tamper during a session: out of service at once, personal data gone', async (t) => {
  const k = await start();
  await k.send({ type: 'CARD_INSERTED' });
  await settle();
  t.equal(screen(k.view()), 'result');
  await k.send({ type: 'TAMPER' });
  t.match(k.view(), { screen: 'outOfService', reason: 'tamper' });
  t.equal(k.ctx().record, null);
  t.equal(k.ctx().verdict, null);
});

t.test('boot refuses to serve outside the agreement and rechecks on its own', async (t) => {
  const k = await start((f) => f.set.readiness({ ready: false, reason: 'agreementNotInForce' }));
  t.match(k.view(), { screen: 'outOfService', reason: 'agreementNotInForce' });
  k.f.set.readiness({ ready: true });
  await k.advance(30_000);
  t.equal(screen(k.view()), 'welcome');
  const ends = k.f.audit.filter((e) => e.code === 'inService');
  t.same(
    ends,
    [{ code: 'inService', outcome: 'agreementNotInForce' }],
    'the end of the out-of-service period is audited once, with its reason',
  );
  await k.send({ type: 'CARD_INSERTED' });
  await k.send({ type: 'CARD_REMOVED' });
  await k.advance(6_000);
  t.equal(screen(k.view()), 'welcome');
  t.equal(k.f.audit.filter((e) => e.code === 'inService').length, 1, 'a session ending in service is no end of an out-of-service period');
});

t.test('intents that do not fit the screen are refused', async (t) => {
  const k = await start();
  for (const intent of [
    { type: 'finish' },
    { type: 'cancel' },
    { type: 'staffUnlock', pin: '1357' },
    { type: 'skipReturnData' },
  ] as const) {
    t.notOk(k.runtime.sendIntent(intent), `${intent.type} on the welcome screen`);
  }
  t.equal(screen(k.view()), 'welcome');
});

t.test(
  'help needed: while a staff call is pending the taxpayer is not timed out; an activity intent restarts the quiet period',
  async (t) => {
    const k = await start((f) => f.set.finger(['hang']));
    await k.send({ type: 'CARD_INSERTED' });
    t.ok(k.runtime.sendIntent({ type: 'cannotGiveFinger' }));
    await settle();
    t.match(k.view(), { screen: 'staffAssist', step: 'callStaff', helpNeeded: true });
    await k.advance(60_000);
    t.equal(k.view().idleWarning, null, 'no warning while help is on its way');
    await k.advance(10 * 60_000);
    t.match(k.view(), { screen: 'staffAssist', step: 'callStaff', helpNeeded: true }, 'still waiting for staff after ten minutes');
    k.runtime.sendIntent({ type: 'staffUnlock', pin: '1357' });
    await settle();
    await settle();
    t.match(k.view(), { screen: 'staffAssist', step: 'compareFace', helpNeeded: false });
    await k.advance(50_000);
    t.ok(k.runtime.sendIntent({ type: 'activity' }), 'a touch is taken on a session screen');
    await settle();
    await k.advance(50_000);
    t.equal(k.view().idleWarning, null, 'the touch restarted the quiet period');
    await k.advance(10_000);
    t.same(k.view().idleWarning, { secondsLeft: 20 }, 'staff at the kiosk are timed like anyone');
  },
);

t.test("staff signed in at the kiosk pause the taxpayer's idle clock; signing out gives a whole quiet period back", async (t) => {
  const k = await start();
  await k.send({ type: 'CARD_INSERTED' });
  t.equal(screen(k.view()), 'result');
  await k.advance(50_000);
  await k.send({ type: 'STAFF_AT_KIOSK', present: true });
  await k.advance(10 * 60_000);
  t.equal(k.view().idleWarning, null, 'no warning in ten minutes of staff work');
  t.equal(screen(k.view()), 'result', 'and the session is still there');
  await k.send({ type: 'STAFF_AT_KIOSK', present: false });
  await k.advance(59_000);
  t.equal(k.view().idleWarning, null, 'a whole quiet period after staff left');
  await k.advance(1_000);
  t.same(k.view().idleWarning, { secondsLeft: 20 }, 'then the warning as usual');
  await k.send({ type: 'STAFF_AT_KIOSK', present: true });
  t.equal(k.view().idleWarning, null, 'staff signing in during a warning end it');
  await k.advance(5 * 60_000);
  t.equal(screen(k.view()), 'result');
});
