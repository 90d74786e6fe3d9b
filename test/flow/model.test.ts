/**
 * Model-based checks of the flow with xstate/graph: the whole reachable state space is walked
 * with every event each state takes (device events, user intents, actor answers and timers), and
 * properties are checked on every state reached.
 */
import t from 'tap';
import { getAdjacencyMap, getStateNodes } from 'xstate/graph';
import { DeviceError, RegistryRefusedError } from '../../device/domain/failure.ts';
import { createKioskMachine, type FlowEvent, type KioskSnapshot } from '../../device/flow/machine.ts';
import { makeFakes, RECORD, TEMPLATE } from './fakes.ts';

const machine = createKioskMachine(makeFakes().deps);

type AnyEvent = FlowEvent | { type: string; [k: string]: unknown };

const fields = [{ key: 'nik' as const, card: 'x', registry: 'x', agrees: true }];

/** Every payload worth trying for each event type the machine declares. */
function eventsOfType(type: string): AnyEvent[] {
  const done = (output: unknown) => ({ type, output });
  const error = (reason: string) => ({ type, error: new DeviceError(reason as never, 'model') });
  if (type === 'xstate.error.actor.validate') {
    return [
      error('cardUnreadable'),
      { type, error: new RegistryRefusedError('quotaReached') },
      { type, error: new RegistryRefusedError('loginFailed') },
    ];
  }
  if (type.startsWith('xstate.error.actor.'))
    return [error('cardUnreadable'), error('samRefused'), { type, error: new Error('unexpected') }];
  switch (type) {
    case 'xstate.done.actor.checkReadiness':
      return [done({ ready: true }), done({ ready: false, reason: 'quotaReached' })];
    case 'xstate.done.actor.readTemplates':
      return [done({ templates: [TEMPLATE] })];
    case 'xstate.done.actor.captureFinger':
      return [
        done({ kind: 'matched', score: 90 }),
        done({ kind: 'noMatch', score: 3 }),
        done({ kind: 'poorQuality', hint: 'pressLonger' }),
      ];
    case 'xstate.done.actor.verifyStaffPin':
      return [done({ staffId: 'petugas-1' }), done(null)];
    case 'xstate.done.actor.readRecord':
    case 'xstate.done.actor.readRecordForStaff':
      return [done(RECORD), done({ ...RECORD, signatureValid: false })];
    case 'xstate.done.actor.validate':
      return [done({ kind: 'verified', fields }), done({ kind: 'dataDiffers', fields }), done({ kind: 'notFound' })];
    case 'STAFF_UNLOCK':
      return [{ type, pin: '1357' }];
    case 'STAFF_UNLOCK_SIGNED_IN':
      return [{ type, staffId: 'operator-1' }];
    case 'STAFF_CONFIRM_FACE':
      return [
        { type, matches: true },
        { type, matches: false },
        { type, matches: true, staffId: 'operator-1' },
      ];
    case 'SUBMIT_RETURN_DATA':
      return [{ type, nop: '331301000100100010' }, { type, nop: '1' }, { type, npwpd: 'x' }, { type }];
    case 'READ_PROGRESS':
      return [{ type, bytesRead: 1, bytesTotal: 2 }];
    case 'STAFF_AT_KIOSK':
      return [
        { type, present: true },
        { type, present: false },
      ];
    default:
      return [{ type }];
  }
}

function ownEventTypes(s: KioskSnapshot): string[] {
  return [...new Set(s._nodes.flatMap((n) => n.ownEvents))];
}

/** Identity of a state for the walk: its value and the context that steers it (no ids, no times). */
function serialize(s: KioskSnapshot): string {
  const c = s.context;
  return JSON.stringify({
    v: s.value,
    oos: c.outOfService,
    attempt: c.attempt,
    fb: c.fingerFeedback,
    why: c.staffAssistWhy,
    pin: c.pinRejected,
    fin: c.finishedWhy,
    fail: c.failure,
    rde: c.returnDataError,
    tpl: c.templates !== null,
    rec: c.record?.signatureValid ?? null,
    ver: c.verdict?.kind ?? null,
    warn: c.idleWarningEndsAt !== null,
    card: c.cardInReader,
    lifted: c.cardLifted,
  });
}

const adjacency = getAdjacencyMap(machine, {
  events: (s) => ownEventTypes(s as KioskSnapshot).flatMap(eventsOfType) as FlowEvent[],
  serializeState: (s) => serialize(s as KioskSnapshot),
  limit: 200_000,
});
type Walked = { state: KioskSnapshot; transitions: Record<string, { event: AnyEvent; state: KioskSnapshot }> };
const reached = Object.values(adjacency) as unknown as Walked[];
/** The session steps before its end: the only states that may hold personal data. */
const inActiveSession = (s: KioskSnapshot) => s.hasTag('cardNeeded') || s.hasTag('cardDone');

t.test('every state of the machine is reached', async (t) => {
  const reachedIds = new Set(reached.flatMap((a) => a.state._nodes.map((n) => n.id)));
  const all = getStateNodes(machine.root).map((n) => n.id);
  t.ok(all.length > 20, `the machine has ${all.length} states`);
  t.same(
    all.filter((id) => !reachedIds.has(id)),
    [],
    'no state is unreachable',
  );
  t.comment(`${reached.length} distinct states walked`);
});

t.test('every event of every state is exercised', async (t) => {
  const exercised = new Set<string>();
  for (const a of reached) {
    const s = a.state;
    const taken = new Set(Object.values(a.transitions).map((tr) => tr.event.type));
    for (const n of s._nodes) for (const e of n.ownEvents) if (taken.has(e)) exercised.add(`${n.id} ${e}`);
  }
  const declared = getStateNodes(machine.root).flatMap((n) => n.ownEvents.map((e) => `${n.id} ${e}`));
  t.same(
    declared.filter((d) => !exercised.has(d)),
    [],
    'each declared (state, event) pair was taken at least once',
  );
});

t.test('personal data exists only inside the active steps of a session', async (t) => {
  const leaks = reached
    .map((a) => a.state)
    .filter((s) => !inActiveSession(s))
    .filter((s) => s.context.record !== null || s.context.templates !== null || s.context.verdict !== null);
  t.equal(leaks.length, 0, 'no state outside the active session steps holds a record, templates or a verdict');
});

t.test('card removed and reader removed abort every reading, finger, staff and validating step, naming it', async (t) => {
  const active = reached.filter((a) => a.state.hasTag('cardNeeded'));
  t.ok(active.length > 10);
  for (const a of active) {
    const s = a.state;
    for (const [type, reason] of [
      ['CARD_REMOVED', 'cardRemoved'],
      ['READER_REMOVED', 'readerRemoved'],
    ] as const) {
      const next = Object.values(a.transitions).find((tr) => tr.event.type === type)!.state;
      const where = JSON.stringify(s.value);
      t.ok(next.matches({ session: { steps: 'failed' } }), `${type} from ${where} fails the session`);
      t.equal(next.context.failure?.reason, reason);
      const expected = s.context.step === 'staffAssist' ? `staffAssist.${s.context.staffStep}` : s.context.step;
      t.equal(next.context.failure?.state, expected, `the failure names ${expected}`);
      t.equal(next.context.record, null);
      t.equal(next.context.templates, null);
      t.equal(next.context.verdict, null);
    }
  }
});

t.test('on the result and return-data steps, taking the card ends the session as finished with nothing kept', async (t) => {
  const done = reached.filter((a) => a.state.hasTag('cardDone'));
  t.ok(done.length >= 2);
  for (const a of done) {
    for (const type of ['CARD_REMOVED', 'READER_REMOVED']) {
      const next = Object.values(a.transitions).find((tr) => tr.event.type === type)!.state;
      t.ok(next.matches({ session: { steps: 'finished' } }), `${type} from ${a.state.context.step} finishes`);
      t.equal(next.context.finishedWhy, type === 'CARD_REMOVED' ? 'cardTaken' : 'completed');
      t.equal(next.context.failure, null);
      t.equal(next.context.record, null);
      t.equal(next.context.verdict, null);
    }
  }
});

t.test('the kiosk never rests on the welcome screen with a card in the reader', async (t) => {
  const resting = reached.filter((a) => a.state.matches('welcome') && a.state.context.cardInReader);
  t.equal(resting.length, 0, 'a card present when the kiosk becomes ready starts a session');
  const started = reached.some(
    (a) =>
      !a.state.matches('welcome') &&
      !a.state.matches('session') &&
      Object.values(a.transitions).some((tr) => tr.event.type === 'xstate.done.actor.checkReadiness' && tr.state.matches('session')),
  );
  t.ok(started, 'readiness coming back with a card already in the reader goes straight into a session');
});

t.test('a signed-in operator unlocks the record read only while staff are being called', async (t) => {
  let unlocked = 0;
  for (const a of reached) {
    const next = Object.values(a.transitions).find((tr) => tr.event.type === 'STAFF_UNLOCK_SIGNED_IN')?.state;
    if (!next) continue;
    t.equal(a.state.context.staffStep, 'callStaff', `taken from ${JSON.stringify(a.state.value)}`);
    t.equal(next.context.staffStep, 'readingRecord');
    t.equal(next.context.staffId, 'operator-1', "the operator becomes the session's staff member");
    unlocked += 1;
  }
  t.ok(unlocked > 0, 'the event was taken somewhere');
  const elsewhere = reached.filter(
    (a) => a.state.context.staffStep !== 'callStaff' && a.state.can({ type: 'STAFF_UNLOCK_SIGNED_IN', staffId: 'operator-1' }),
  );
  t.equal(elsewhere.length, 0, 'no other state takes it');
});

t.test('tamper from any state takes the kiosk out of service with nothing personal left', async (t) => {
  for (const a of reached) {
    const next = Object.values(a.transitions).find((tr) => tr.event.type === 'TAMPER')?.state;
    if (
      !next ||
      !next.matches('outOfService') ||
      next.context.outOfService !== 'tamper' ||
      next.context.record !== null ||
      next.context.templates !== null
    ) {
      t.fail(`TAMPER from ${JSON.stringify(a.state.value)}`);
      return;
    }
  }
  t.pass('all states');
});
