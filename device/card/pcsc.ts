/**
 * PC/SC reader manager over node-pcsclite (@pokusew/pcsclite), the only module that loads the
 * native binding, and only when started, so demo mode runs where it is absent.
 *
 * Field lessons it encodes (ENVIRONMENT.md): a restarted pcscd needs a new PC/SC context; a
 * replugged reader comes back as a new reader object; the binding's context constructor spins
 * while pcscd is down, so a new context is made only once pcscd's socket accepts connections.
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import type { Logger } from '../log.ts';
import { DeviceError, type DeviceErrorDetail } from '../domain/failure.ts';
import type { ConnectedChannel, ReaderBackend, ReaderSnapshot, SlotStatus } from './card-port.ts';

// The subset of the binding's API this module uses (exported for unit tests' fakes).
export interface PcscReader {
  name: string;
  connected: boolean;
  SCARD_SHARE_EXCLUSIVE: number;
  SCARD_PROTOCOL_T0: number;
  SCARD_PROTOCOL_T1: number;
  SCARD_STATE_PRESENT: number;
  SCARD_LEAVE_CARD: number;
  SCARD_RESET_CARD: number;
  on(event: 'status', l: (s: { state: number }) => void): void;
  on(event: 'end' | 'error', l: (e?: unknown) => void): void;
  connect(o: { share_mode: number; protocol: number }, cb: (err: unknown, protocol?: number) => void): void;
  disconnect(disposition: number, cb: (err: unknown) => void): void;
  transmit(data: Buffer, resLen: number, protocol: number, cb: (err: unknown, res?: Buffer) => void): void;
  close(): void;
}
export interface PcscContext {
  on(event: 'reader', l: (r: PcscReader) => void): void;
  on(event: 'error', l: (e: unknown) => void): void;
  close(): void;
}
export type PcscFactory = () => PcscContext;

export const PCSCD_SOCKET = '/run/pcscd/pcscd.comm';
const RECONNECT_MS = 300;
const FIRST_LIST_MS = 1500;
/**
 * How long a failed exchange waits for the reader to report the card gone before calling it
 * unreadable. pcscd polls vpcd about every 400 ms (a real reader reports faster); a busy machine
 * can stretch that past a second, and the taxpayer reads a different screen for each answer.
 */
const REMOVAL_SETTLE_MS = 2000;
/**
 * The binding's close() cancels a reader's status wait and then joins its thread on the event
 * loop. A cancel that reaches pcscd before the thread is back in its wait is lost (pcsc-lite
 * cancels only a wait in progress; close() retries for 50 ms), and the join then blocks the
 * whole process until the reader's state next changes: on a quiet SAM, for ever. After a status
 * event (a connect or disconnect makes one) the thread needs a socket round trip to pcscd to be
 * waiting again, which a loaded board can stretch: readers are closed only once their status
 * has been quiet this long (bounded by STATUS_QUIET_MAX_MS).
 */
export const STATUS_QUIET_MS = 250;
const STATUS_QUIET_MAX_MS = 2000;

/** Waits until the newest status event is STATUS_QUIET_MS old (or STATUS_QUIET_MAX_MS passed). */
export async function statusQuiet(lastEventAt: () => number): Promise<void> {
  const giveUp = Date.now() + STATUS_QUIET_MAX_MS;
  for (;;) {
    const wait = lastEventAt() + STATUS_QUIET_MS - Date.now();
    if (wait <= 0 || Date.now() >= giveUp) return;
    await new Promise((r) => setTimeout(r, Math.min(wait, giveUp - Date.now())));
  }
}

let factory: PcscFactory | null | undefined;

/** The binding, or null when it is not installed or not built for this Node. */
export function loadPcscLite(): PcscFactory | null {
  if (factory !== undefined) return factory;
  try {
    factory = createRequire(import.meta.url)('@pokusew/pcsclite') as PcscFactory;
  } catch {
    factory = null;
  }
  return factory;
}

function serviceReachable(path: string): Promise<boolean> {
  if (!existsSync(path)) return Promise.resolve(false);
  return new Promise((resolve) => {
    const s = netConnect(path);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** The PC/SC error code (e.g. 0x80100069) in a binding error message, if any. */
export function pcscErrorCode(e: unknown): number | null {
  const m = /0x([0-9a-fA-F]{8})/.exec(e instanceof Error ? e.message : String(e));
  return m ? parseInt(m[1]!, 16) : null;
}

const readerErrorDetail = (code: number): DeviceErrorDetail => ({
  kind: 'readerError',
  value: code.toString(16).toUpperCase().padStart(8, '0'),
});

const SCARD = {
  E_INSUFFICIENT_BUFFER: 0x80100008,
  E_UNKNOWN_READER: 0x80100009,
  E_NO_SMARTCARD: 0x8010000c,
  E_READER_UNAVAILABLE: 0x80100017,
  E_NO_SERVICE: 0x8010001d,
  E_SERVICE_STOPPED: 0x8010001e,
  W_UNRESPONSIVE_CARD: 0x80100066,
  W_UNPOWERED_CARD: 0x80100067,
  W_RESET_CARD: 0x80100068,
  W_REMOVED_CARD: 0x80100069,
} as const;

interface TrackedReader {
  reader: PcscReader;
  present: boolean;
  /** pcscd's count of insertions and removals in this reader (the high 16 bits of its state). */
  events: number;
  statusSeen: boolean;
  /** When its last status event came (ms), for closing it safely (statusQuiet). */
  lastEventAt: number;
}

export interface PcscBackendOptions {
  idReaderPattern: RegExp;
  samReaderPattern: RegExp;
  logger: Logger;
  transmitTimeoutMs?: number;
  socketPath?: string;
  /** Unit tests: a fake binding instead of node-pcsclite. */
  binding?: PcscFactory;
}

/** Waits for `work`, but no longer than `ms`: true when it settled in time (pcscd answered). */
async function within(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((r) => (timer = setTimeout(() => r(false), ms)));
  try {
    return await Promise.race([
      work.then(
        () => true as const,
        () => true as const,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export function createPcscBackend(opts: PcscBackendOptions): ReaderBackend {
  const log = opts.logger.child({ module: 'pcsc' });
  const socketPath = opts.socketPath ?? PCSCD_SOCKET;
  const timeoutMs = opts.transmitTimeoutMs ?? 5000;
  const readers = new Map<string, TrackedReader>();
  let context: PcscContext | null = null;
  let serviceDown = false;
  let running = false;
  let retry: NodeJS.Timeout | null = null;
  let notify: () => void = () => undefined;
  // Native calls still running. Closing a reader while one holds its lock deadlocks the binding,
  // so contexts are only torn down once these have settled.
  const inflight = new Set<Promise<unknown>>();
  function native<T>(p: Promise<T>): Promise<T> {
    const settled = p.then(
      () => undefined,
      () => undefined,
    );
    inflight.add(settled);
    void settled.then(() => inflight.delete(settled));
    return p;
  }
  async function settle(): Promise<void> {
    while (inflight.size > 0) await Promise.allSettled([...inflight]);
  }
  /** settle(), but no longer than ms: false when a native call is still running (pcscd never answered it). */
  function settleWithin(ms: number): Promise<boolean> {
    return within(settle(), ms);
  }

  const find = (pattern: RegExp): TrackedReader | undefined => [...readers.values()].find((r) => pattern.test(r.reader.name));

  function dropContext(): void {
    const c = context;
    context = null;
    for (const r of readers.values()) {
      try {
        r.reader.close();
      } catch {
        // the reader's monitor already ended with the service
      }
    }
    readers.clear();
    if (c) {
      try {
        c.close();
      } catch {
        // the context died with the service
      }
    }
  }

  function scheduleReconnect(): void {
    if (!running || retry) return;
    retry = setTimeout(() => {
      retry = null;
      void establish();
    }, RECONNECT_MS);
  }

  function track(reader: PcscReader): void {
    const entry: TrackedReader = { reader, present: false, events: 0, statusSeen: false, lastEventAt: Date.now() };
    readers.set(reader.name, entry);
    reader.on('status', (s) => {
      entry.statusSeen = true;
      entry.lastEventAt = Date.now();
      // A mute card (one whose reset failed) is still in the slot: reporting it gone would send
      // the taxpayer away without their KTP-el. Connecting powers it up again, or fails readably.
      entry.present = (s.state & reader.SCARD_STATE_PRESENT) !== 0;
      entry.events = s.state >>> 16;
      notify();
    });
    reader.on('end', () => {
      if (readers.get(reader.name) === entry) readers.delete(reader.name);
      log.info({ event: 'readerRemoved' }, 'reader removed');
      notify();
    });
    reader.on('error', (e) => log.warn({ event: 'readerError', code: pcscErrorCode(e) }, 'reader monitor error'));
    log.info({ event: 'readerAdded', sam: opts.samReaderPattern.test(reader.name) }, 'reader attached');
    notify();
  }

  async function establish(): Promise<void> {
    if (!running || context) return;
    const make = opts.binding ?? loadPcscLite();
    if (!make) {
      serviceDown = true;
      log.error({ event: 'pcscUnavailable' }, 'PC/SC binding is not installed');
      notify();
      return;
    }
    if (!(await serviceReachable(socketPath)) || !running) {
      if (!serviceDown) log.warn({ event: 'pcscdDown' }, 'pcscd is not reachable');
      serviceDown = true;
      notify();
      scheduleReconnect();
      return;
    }
    const c = make();
    context = c;
    serviceDown = false;
    c.on('reader', (r) => {
      if (context === c) track(r);
    });
    c.on('error', (e) => {
      if (context !== c) return;
      log.warn({ event: 'pcscContextLost', code: pcscErrorCode(e) }, 'PC/SC context lost; making a new one');
      serviceDown = true;
      readers.clear();
      notify();
      void settle().then(() => {
        if (context === c) dropContext();
        scheduleReconnect();
      });
    });
    log.info({ event: 'pcscContext' }, 'PC/SC context established');
    notify();
  }

  async function firstList(): Promise<void> {
    const deadline = Date.now() + FIRST_LIST_MS;
    // Wait until at least the readers we need reported their first status, or give up waiting.
    while (Date.now() < deadline && !serviceDown) {
      const all = [...readers.values()];
      if (all.length >= 2 && all.every((r) => r.statusSeen)) return;
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  function mapError(slot: 'card' | 'sam', e: unknown, present: () => boolean): Promise<DeviceError> {
    const code = pcscErrorCode(e);
    if (slot === 'sam')
      return Promise.resolve(new DeviceError('samMissing', 'SAM transmit failed', code === null ? undefined : readerErrorDetail(code)));
    const detail = code === null ? undefined : readerErrorDetail(code);
    if (code === SCARD.W_REMOVED_CARD || code === SCARD.E_NO_SMARTCARD)
      return Promise.resolve(new DeviceError('cardRemoved', 'card removed', detail));
    if (
      code === SCARD.E_UNKNOWN_READER ||
      code === SCARD.E_READER_UNAVAILABLE ||
      code === SCARD.E_NO_SERVICE ||
      code === SCARD.E_SERVICE_STOPPED
    ) {
      return Promise.resolve(new DeviceError('readerRemoved', 'reader gone', detail));
    }
    if (code === SCARD.E_INSUFFICIENT_BUFFER)
      return Promise.resolve(new DeviceError('cardUnreadable', 'response exceeds the receive buffer', detail));
    // A failed exchange is often the card leaving the field: give the reader time to say so.
    return (async () => {
      const until = Date.now() + REMOVAL_SETTLE_MS;
      while (Date.now() < until) {
        if (!present()) return new DeviceError('cardRemoved', 'card removed', detail);
        await new Promise((r) => setTimeout(r, 20));
      }
      return new DeviceError('cardUnreadable', 'card did not answer', detail);
    })();
  }

  function missing(slot: 'card' | 'sam'): DeviceError {
    return slot === 'sam' ? new DeviceError('samMissing', 'no SAM') : new DeviceError('cardRemoved', 'no card in the ID reader');
  }

  return {
    async start(onChange) {
      if (running) return;
      running = true;
      notify = onChange;
      await establish();
      await firstList();
    },
    async stop() {
      running = false;
      if (retry) clearTimeout(retry);
      retry = null;
      // A native call pcscd never answered holds its reader's lock: closing would deadlock the
      // binding, so the context is left to the process's exit rather than hang the stop.
      if (!(await settleWithin(timeoutMs * 2))) {
        log.error({ event: 'pcscStuck', calls: inflight.size }, 'a PC/SC call never returned: readers left open');
        readers.clear();
        context = null;
        notify = () => undefined;
        return;
      }
      await statusQuiet(() => Math.max(0, ...[...readers.values()].map((r) => r.lastEventAt)));
      dropContext();
      notify = () => undefined;
    },
    snapshot(): ReaderSnapshot {
      const slot = (r: TrackedReader | undefined): SlotStatus => {
        if (serviceDown) return { status: 'serviceDown' };
        if (!r) return { status: 'noReader' };
        return { status: r.present ? 'present' : 'empty', events: r.events };
      };
      return { readers: readers.size, id: slot(find(opts.idReaderPattern)), sam: slot(find(opts.samReaderPattern)) };
    },
    async connect(slot) {
      const pattern = slot === 'sam' ? opts.samReaderPattern : opts.idReaderPattern;
      const entry = find(pattern);
      if (!entry) throw slot === 'sam' ? missing('sam') : new DeviceError('readerRemoved', 'no ID reader');
      if (!entry.present) throw missing(slot);
      const reader = entry.reader;
      if (reader.connected) await native(new Promise<void>((r) => reader.disconnect(reader.SCARD_LEAVE_CARD, () => r())));
      const protocol = await native(
        new Promise<number>((resolve, reject) => {
          reader.connect(
            { share_mode: reader.SCARD_SHARE_EXCLUSIVE, protocol: reader.SCARD_PROTOCOL_T0 | reader.SCARD_PROTOCOL_T1 },
            (err, p) => {
              if (err || p === undefined) reject(err ?? new Error('no protocol'));
              else resolve(p);
            },
          );
        }),
      ).catch(async (e) => {
        throw await mapError(slot, e, () => readers.get(reader.name)?.present === true);
      });
      let closed = false;
      const channel: ConnectedChannel = {
        transmit(apdu, max) {
          if (closed) return Promise.reject(missing(slot));
          return new Promise<Uint8Array>((resolve, reject) => {
            let settled = false;
            let done: () => void = () => undefined;
            void native(new Promise<void>((r) => (done = r)));
            const timer = setTimeout(() => {
              settled = true;
              reject(
                slot === 'sam'
                  ? new DeviceError('samMissing', 'SAM did not answer in time')
                  : new DeviceError('cardUnreadable', 'card did not answer in time'),
              );
            }, timeoutMs);
            reader.transmit(Buffer.from(apdu), max, protocol, (err, res) => {
              done();
              if (settled) return;
              settled = true;
              clearTimeout(timer);
              // vpcd answers an exchange the card never finished with zero bytes: same as an error.
              if (err || !res || res.length < 2) {
                void mapError(slot, err ?? new Error('empty response'), () => readers.get(reader.name)?.present === true).then(reject);
              } else resolve(new Uint8Array(res));
            });
          });
        },
        close() {
          if (closed) return Promise.resolve();
          closed = true;
          // The disconnect waits for the reader's lock: bounded like a transmit, and left running
          // (stop() sees it) when pcscd does not answer.
          const disconnected = native(
            new Promise<void>((resolve) => {
              try {
                reader.disconnect(reader.SCARD_RESET_CARD, () => resolve());
              } catch {
                resolve();
              }
            }),
          );
          return within(disconnected, timeoutMs).then(() => undefined);
        },
      };
      return channel;
    },
  };
}
