/**
 * The PC/SC reader manager's state logic, against a fake node-pcsclite binding (the real one is
 * exercised over pcscd + vpcd in profile-pcsc.test.ts). Covers what vpcd cannot model: a card
 * that stays in the slot while pcscd reports it mute.
 */
import t, { type Test } from 'tap';
import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPcscBackend, STATUS_QUIET_MS, type PcscContext, type PcscReader } from '../../device/card/pcsc.ts';
import { createCardPort, type ReaderBackend } from '../../device/card/card-port.ts';
import { createKtpProfile } from '../../device/card/ktp-profile.ts';
import type { CardReaderEvent } from '../../device/flow/ports.ts';
import { DEMO_ISSUER_PUBLIC_KEY_PEM, demoSamSecret } from '../../device/sim/vcard/demo-keys.ts';
import { capturingLogger } from '../support/logger.ts';
import { until } from '../support/until.ts';

// pcsclite.h
const STATE = { empty: 0x10, present: 0x20, mute: 0x200 } as const;
/** pcscd puts its count of insertions and removals in the high 16 bits of a reader's state. */
const counted = (events: number, state: number) => ((events << 16) | state) >>> 0;

class FakeReader extends EventEmitter {
  connected = false;
  connects = 0;
  readonly SCARD_SHARE_EXCLUSIVE = 1;
  readonly SCARD_PROTOCOL_T0 = 1;
  readonly SCARD_PROTOCOL_T1 = 2;
  readonly SCARD_STATE_PRESENT = STATE.present;
  readonly SCARD_LEAVE_CARD = 0;
  readonly SCARD_RESET_CARD = 1;
  constructor(readonly name: string) {
    super();
  }
  status(state: number): void {
    this.lastStatusAt = Date.now();
    this.emit('status', { state });
  }
  /** A card that answers connect and then never answers an exchange (pcscd waiting on it). */
  silent = false;
  connect(_o: unknown, cb: (err: unknown, protocol?: number) => void): void {
    this.connects++;
    if (this.silent) cb(null, 2);
    else cb(new Error('SCardConnect error: Card is unresponsive. (0x80100066)'));
  }
  disconnect(_d: number, cb: (err: unknown) => void): void {
    cb(null);
  }
  transmit(_d: Buffer, _n: number, _p: number, cb: (err: unknown) => void): void {
    if (!this.silent) cb(new Error('not connected'));
  }
  /** When close() was called, and the status event before it (ms): see the stop test. */
  closedAt: number | null = null;
  lastStatusAt = 0;
  close(): void {
    this.closedAt = Date.now();
  }
}

async function fixture(t: Test, opts: { started: boolean; transmitTimeoutMs?: number } = { started: true }) {
  const dir = mkdtempSync(join(tmpdir(), 'anjungan-pcsc-'));
  const socketPath = join(dir, 'pcscd.comm');
  const server: Server = createServer((s) => s.destroy());
  await new Promise<void>((r) => server.listen(socketPath, r));
  const contexts: (EventEmitter & PcscContext)[] = [];
  const id = new FakeReader('Virtual PCD 00 00');
  const sam = new FakeReader('Virtual PCD 00 01');
  const backend = createPcscBackend({
    idReaderPattern: /00 00$/,
    samReaderPattern: /00 01$/,
    logger: capturingLogger().logger,
    socketPath,
    ...(opts.transmitTimeoutMs ? { transmitTimeoutMs: opts.transmitTimeoutMs } : {}),
    binding: () => {
      const c = Object.assign(new EventEmitter(), { close: () => undefined });
      contexts.push(c);
      setImmediate(() => {
        c.emit('reader', id as unknown as PcscReader);
        c.emit('reader', sam as unknown as PcscReader);
        id.status(STATE.empty);
        sam.status(STATE.present);
      });
      return c;
    },
  });
  if (opts.started) await backend.start(() => undefined);
  t.teardown(async () => {
    await backend.stop();
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });
  return { backend, id, sam, contexts };
}

/** The kiosk's card port over the backend under test (not started). */
const cardPortOver = (backend: ReaderBackend) =>
  createCardPort(backend, {
    profile: createKtpProfile({ issuerPublicKeyPem: DEMO_ISSUER_PUBLIC_KEY_PEM }),
    samSecret: demoSamSecret(),
    logger: capturingLogger().logger,
  });

t.test('a mute card (its reset failed) is still in the slot until pcscd reports the slot empty', async (t) => {
  const { backend, id } = await fixture(t);
  t.equal(backend.snapshot().id.status, 'empty');
  id.status(STATE.present);
  t.equal(backend.snapshot().id.status, 'present');
  id.status(STATE.present | STATE.mute);
  t.equal(backend.snapshot().id.status, 'present', 'mute: the taxpayer must still be told to take the card');
  id.status(STATE.empty);
  t.equal(backend.snapshot().id.status, 'empty', 'taken out');
});

t.test('connecting to a mute card fails as unreadable, not as removed', async (t) => {
  const { backend, id } = await fixture(t);
  id.status(STATE.present | STATE.mute);
  await t.rejects(backend.connect('card'), { name: 'DeviceError', reason: 'cardUnreadable' });
});

t.test('a lost PC/SC context is replaced by a new one and the readers come back', async (t) => {
  const { backend, contexts } = await fixture(t);
  t.equal(backend.snapshot().readers, 2);
  contexts[0]!.emit('error', new Error('SCardGetStatusChange error: Service was stopped. (0x8010001E)'));
  t.equal(backend.snapshot().id.status, 'serviceDown', 'out of service while the context is lost');
  t.equal(backend.snapshot().readers, 0);
  await until(() => contexts.length === 2 && backend.snapshot().readers === 2, 'a new context with both readers');
  t.not(backend.snapshot().id.status, 'serviceDown');
});

t.test('a card swapped between two looks (pcscd counted a removal and an insertion) ends the session', async (t) => {
  const { backend, id } = await fixture(t, { started: false });
  const port = cardPortOver(backend);
  const events: CardReaderEvent['type'][] = [];
  port.subscribe((e) => events.push(e.type));
  await port.start();
  t.teardown(() => port.stop());
  id.status(counted(1, STATE.present));
  t.same(
    events.filter((e) => e.startsWith('card')),
    ['cardInserted'],
  );
  events.length = 0;
  id.status(counted(1, STATE.present));
  t.same(
    events.filter((e) => e.startsWith('card')),
    [],
    'the same card, looked at again',
  );
  id.status(counted(3, STATE.present));
  t.same(
    events.filter((e) => e.startsWith('card')),
    ['cardRemoved', 'cardInserted'],
    'another card: the session ends, a new one may start',
  );
});

t.test('a SAM that is present but does not answer is tried again only when reseated (or after a pause)', async (t) => {
  const { backend, sam } = await fixture(t, { started: false });
  const port = cardPortOver(backend);
  await port.start();
  t.teardown(() => port.stop());
  await new Promise((r) => setTimeout(r, 300));
  t.equal(port.health().sam, 'missing');
  t.equal(sam.connects, 1, 'one try, not a loop');
  sam.status(counted(1, STATE.empty));
  sam.status(counted(2, STATE.present));
  await until(() => sam.connects === 2, 'a try after the SAM was reseated');
  t.pass('reseated: tried again');
});

t.test('reader events are keyed to the ID reader: unplugging the SAM reader is not "reader removed"', async (t) => {
  const { backend, id, sam } = await fixture(t, { started: false });
  const port = cardPortOver(backend);
  const events: CardReaderEvent['type'][] = [];
  port.subscribe((e) => events.push(e.type));
  await port.start();
  t.teardown(() => port.stop());
  sam.emit('end');
  t.same(backend.snapshot().sam, { status: 'noReader' });
  t.same(backend.snapshot().id, { status: 'empty', events: 0 }, 'the ID reader is untouched');
  t.notOk(events.includes('readerRemoved'), 'no reader-removed event for the SAM reader');
  t.equal(port.health().idReader, 'ready');
  t.equal(port.health().sam, 'missing', 'the SAM is reported missing through health instead');
  id.emit('end');
  t.ok(events.includes('readerRemoved'), 'the ID reader leaving is "reader removed"');
  t.equal(port.health().idReader, 'noReader');
});

t.test('stopping closes no reader right after its status changed (the binding can hang there)', async (t) => {
  // The binding's close() cancels the reader's status wait and joins its thread: a cancel sent
  // while the thread is still on its way back into the wait after an event is lost, and the join
  // blocks the process until the reader changes again. A disconnect makes such an event.
  const { backend, id, sam } = await fixture(t);
  sam.status(STATE.present | 0x100);
  const asked = Date.now();
  await backend.stop();
  for (const r of [id, sam]) {
    t.ok(r.closedAt !== null, `${r.name} closed`);
    t.ok(r.closedAt! - r.lastStatusAt >= STATUS_QUIET_MS - 5, `${r.name} closed ${r.closedAt! - r.lastStatusAt} ms after its last event`);
  }
  t.ok(Date.now() - asked < 2_500, 'and stopping still ends');
});

t.test('an exchange pcscd never answers fails in time, and neither closing nor stopping hangs on it', async (t) => {
  const { backend, sam } = await fixture(t, { started: true, transmitTimeoutMs: 300 });
  sam.silent = true;
  const channel = await backend.connect('sam');
  await t.rejects(channel.transmit(new Uint8Array([0x00, 0xa4, 0x04, 0x00]), 258), { name: 'DeviceError', reason: 'samMissing' });
  const asked = Date.now();
  await channel.close();
  await backend.stop();
  t.ok(Date.now() - asked < 2_000, `closed and stopped in ${Date.now() - asked} ms`);
  t.equal(sam.closedAt, null, 'the reader whose call is still running is not closed (the binding would deadlock)');
});
