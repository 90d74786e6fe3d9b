/**
 * The CardPort the flow uses, over any reader backend (PC/SC, or the in-process simulator) and
 * any read profile. It owns the SAM's life: opened once per start, and after a refusal never
 * again until the next start (a real SAM blocks after a few wrong opens). It turns reader
 * changes into flow events and health, and makes sure a card session leaves nothing behind.
 */
import type { Logger } from '../log.ts';
import { DeviceError } from '../domain/failure.ts';
import type { CardPort, CardReaderEvent, ReaderHealth } from '../flow/ports.ts';
import type { ApduChannel } from './channel.ts';
import type { ProfileSession, ReadProfile } from './ktp-profile.ts';
import type { SamSecret } from './sam-protocol.ts';

/**
 * What one reader slot holds, as a closed union (after vxsuite's card reader status): the reader
 * service cannot be reached, no attached reader matches the slot's name pattern, the reader is
 * empty, or a card (the SAM, in the SAM slot) is in it. `events` is how many insertions and
 * removals the reader service counted in that reader: a count that moved while the card stayed
 * present means it was swapped between two looks.
 */
export type SlotStatus =
  { status: 'serviceDown' } | { status: 'noReader' } | { status: 'empty'; events: number } | { status: 'present'; events: number };

export interface ReaderSnapshot {
  /** PC/SC readers attached (any name), for health: losing one of two is not "no reader". */
  readers: number;
  /** The contactless reader the taxpayer puts the KTP-el on, found by its name pattern. */
  id: SlotStatus;
  /** The reader holding the SAM, found by its name pattern. */
  sam: SlotStatus;
}

export const slotPresent = (s: SlotStatus): boolean => s.status === 'present';
export const slotAttached = (s: SlotStatus): boolean => s.status === 'present' || s.status === 'empty';
export const slotEvents = (s: SlotStatus): number => (s.status === 'present' || s.status === 'empty' ? s.events : 0);

/** The slot held something at both looks, but the reader counted it leaving and coming back. */
function swapped(before: SlotStatus, now: SlotStatus): boolean {
  return slotPresent(before) && slotPresent(now) && slotEvents(before) !== slotEvents(now);
}

const NOTHING_SEEN: ReaderSnapshot = { readers: 0, id: { status: 'noReader' }, sam: { status: 'noReader' } };

export interface ConnectedChannel extends ApduChannel {
  /** Disconnects; the card is powered down. Idempotent, never rejects. */
  close(): Promise<void>;
}

export interface ReaderBackend {
  /** Starts watching; resolves once the first reader list is known. */
  start(onChange: () => void): Promise<void>;
  stop(): Promise<void>;
  snapshot(): ReaderSnapshot;
  /** Exclusive connection to the card in the ID reader, or to the SAM. Rejects with DeviceError. */
  connect(slot: 'card' | 'sam'): Promise<ConnectedChannel>;
}

type SamState = ReaderHealth['sam'];

const SAM_RETRY_MS = 5000;

interface Session {
  channel: ConnectedChannel;
  profile: ProfileSession;
  /** Set when the card left: every later APDU of this session fails as cardRemoved. */
  state: { removed: boolean };
}

export function createCardPort(backend: ReaderBackend, opts: { profile: ReadProfile; samSecret: SamSecret; logger: Logger }): CardPort {
  const log = opts.logger.child({ module: 'card' });
  const listeners = new Set<(e: CardReaderEvent) => void>();
  let running = false;
  let sam: SamState = 'unknown';
  let samChannel: ConnectedChannel | null = null;
  let samOpening: Promise<void> | null = null;
  // After an open that failed in transport (never a refusal), the next try waits for the SAM to be
  // reseated or for this pause: a SAM that is present but does not answer is not hammered.
  let samRetry: NodeJS.Timeout | null = null;
  let session: Session | null = null;
  let last: ReaderSnapshot = NOTHING_SEEN;
  let lastHealth: ReaderHealth = health();

  function health(): ReaderHealth {
    return {
      idReader: last.id.status === 'serviceDown' ? 'error' : slotAttached(last.id) ? 'ready' : 'noReader',
      cardPresent: slotPresent(last.id),
      sam,
      readers: last.readers,
    };
  }

  function emit(e: CardReaderEvent): void {
    for (const l of [...listeners]) {
      try {
        l(e);
      } catch (err) {
        log.error({ event: 'listenerFailed', err: (err as Error).name }, 'card event listener threw');
      }
    }
  }

  /** Ends the card session: the profile zeroes what it read, the card is powered down. */
  function endSession(why: 'removed' | 'ended'): void {
    const s = session;
    if (!s) return;
    session = null;
    s.state.removed = why === 'removed';
    s.profile.end();
    void s.channel.close();
  }

  function dropSam(): void {
    const ch = samChannel;
    samChannel = null;
    if (ch) void ch.close();
  }

  function openSam(): Promise<void> {
    if (samOpening) return samOpening;
    samOpening = (async () => {
      let ch: ConnectedChannel | null = null;
      try {
        ch = await backend.connect('sam');
        const result = await opts.profile.openSam(ch, opts.samSecret);
        if (!running) throw new DeviceError('samMissing', 'stopped while opening the SAM');
        if (result === 'ready') {
          samChannel = ch;
          sam = 'ready';
          log.info({ event: 'samOpened' }, 'SAM opened');
        } else {
          sam = 'refused';
          log.error({ event: 'samRefused' }, 'SAM refused the PCID/configuration; not retrying until restart');
          void ch.close();
        }
      } catch (e) {
        if (ch) void ch.close();
        sam = 'missing';
        log.warn({ event: 'samUnavailable', reason: e instanceof DeviceError ? e.reason : 'error' }, 'SAM could not be opened');
        if (running) {
          samRetry = setTimeout(() => {
            samRetry = null;
            changed();
          }, SAM_RETRY_MS);
        }
      } finally {
        samOpening = null;
        changed();
      }
    })();
    return samOpening;
  }

  function changed(): void {
    if (!running) return;
    const now = backend.snapshot();
    const before = last;
    last = now;
    // Reader events are about the ID reader only: the SAM reader coming or going changes health.
    if (!slotAttached(before.id) && slotAttached(now.id)) emit({ type: 'readerAdded' });
    if (slotAttached(before.id) && !slotAttached(now.id)) emit({ type: 'readerRemoved' });
    const cardSwapped = swapped(before.id, now.id);
    if ((slotPresent(before.id) && !slotPresent(now.id)) || cardSwapped) {
      endSession('removed');
      emit({ type: 'cardRemoved' });
    }
    if ((!slotPresent(before.id) && slotPresent(now.id)) || cardSwapped) emit({ type: 'cardInserted' });
    const samSwapped = swapped(before.sam, now.sam);
    if ((!slotPresent(now.sam) || samSwapped) && sam !== 'refused') {
      dropSam();
      sam = 'missing';
    }
    if (samRetry && ((!slotPresent(before.sam) && slotPresent(now.sam)) || samSwapped)) {
      clearTimeout(samRetry);
      samRetry = null;
    }
    if (slotPresent(now.sam) && sam !== 'refused' && sam !== 'ready' && !samOpening && !samRetry) void openSam();
    const h = health();
    if (JSON.stringify(h) !== JSON.stringify(lastHealth)) {
      lastHealth = h;
      emit({ type: 'healthChanged', health: h });
    }
  }

  async function ready(): Promise<ConnectedChannel> {
    if (samOpening) await samOpening;
    if (sam === 'refused') throw new DeviceError('samRefused', 'SAM refused to open');
    if (sam !== 'ready' || !samChannel) throw new DeviceError('samMissing', 'SAM is not available');
    return samChannel;
  }

  function guardedCard(channel: ConnectedChannel, state: { removed: boolean }): ApduChannel {
    return {
      async transmit(apdu, max) {
        if (state.removed || !slotPresent(last.id)) throw new DeviceError('cardRemoved', 'card removed');
        try {
          return await channel.transmit(apdu, max);
        } catch (e) {
          if (state.removed) throw new DeviceError('cardRemoved', 'card removed');
          throw e;
        }
      },
    };
  }

  function guardedSam(ch: ConnectedChannel): ApduChannel {
    return {
      async transmit(apdu, max) {
        try {
          return await ch.transmit(apdu, max);
        } catch (e) {
          if (e instanceof DeviceError && e.reason === 'samMissing' && samChannel === ch) {
            dropSam();
            sam = 'missing';
            changed();
          }
          throw e;
        }
      },
    };
  }

  async function run<T>(op: (s: Session) => Promise<T>, s: Session): Promise<T> {
    try {
      return await op(s);
    } catch (e) {
      endSession(s.state.removed ? 'removed' : 'ended');
      if (e instanceof DeviceError) {
        if (e.reason === 'samMissing' && samChannel && sam === 'ready') {
          // The SAM forgot it was open (power cycle): close it so it is opened again, once.
          dropSam();
          sam = 'missing';
          changed();
        }
        log.warn({ event: 'cardReadFailed', reason: e.reason }, 'card read failed');
      }
      throw e;
    }
  }

  return {
    async start() {
      if (running) return;
      running = true;
      sam = 'unknown';
      await backend.start(changed);
      changed();
      if (samOpening) await samOpening;
    },
    async stop() {
      if (!running) return;
      endSession('ended');
      if (samOpening) await samOpening.catch(() => undefined);
      running = false;
      if (samRetry) clearTimeout(samRetry);
      samRetry = null;
      dropSam();
      await backend.stop();
    },
    health,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async readTemplates(signal, onProgress) {
      signal.throwIfAborted();
      const samCh = await ready();
      if (!slotAttached(last.id)) throw new DeviceError('readerRemoved', 'no ID reader');
      if (!slotPresent(last.id)) throw new DeviceError('cardRemoved', 'no card in the reader');
      endSession('ended');
      const channel = await backend.connect('card');
      const state = { removed: !slotPresent(last.id) };
      const s: Session = { channel, profile: opts.profile.begin({ card: guardedCard(channel, state), sam: guardedSam(samCh) }), state };
      session = s;
      return run((x) => x.profile.readTemplates(signal, onProgress), s);
    },
    async readRecord(signal, onProgress) {
      signal.throwIfAborted();
      const s = session;
      if (!s) throw new DeviceError('cardRemoved', 'no card session');
      await ready();
      return run((x) => x.profile.readRecord(signal, onProgress), s);
    },
    endSession() {
      endSession('ended');
    },
  };
}
