/**
 * The UI's only door to the daemon: typed HTTP calls and the view stream. Components never call
 * fetch or open sockets themselves; they raise intents and the app passes them here.
 */
import type { DemoPersonaSummary, Intent, IntentRefusal, KioskView } from '../device/view/protocol.ts';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting';

export type IntentResult = { ok: true } | { ok: false; refusal: IntentRefusal };

/** A call that did not get an answer the contract allows; carries no request body. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: 'network' | 'httpStatus' | 'badResponse',
    readonly path: string,
    readonly status?: number,
  ) {
    super(`${code} on ${path}${status === undefined ? '' : ` (${status})`}`);
  }
}

export interface Backoff {
  initialMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 250, maxMs: 5000 };

/** Delay before reconnect attempt n (0-based): doubles each time, capped, so a restarting daemon is not hammered. */
export function reconnectDelay(attempt: number, backoff: Backoff = DEFAULT_BACKOFF): number {
  return Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.max(0, attempt));
}

/** Keeps only views newer than the last one; a fresh connection may restart the sequence. */
export class ViewSequencer {
  private last = -1;
  reset(): void {
    this.last = -1;
  }
  accept(view: KioskView): boolean {
    if (view.seq <= this.last) return false;
    this.last = view.seq;
    return true;
  }
}

/** The part of the browser WebSocket the stream uses, so tests can supply their own. */
export interface StreamSocket {
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  close(): void;
}

export interface KioskApiOptions {
  /** Origin of the daemon, e.g. http://127.0.0.1:8080; defaults to the page's own. */
  baseUrl: string;
  fetch?: typeof fetch;
  openSocket?: (url: string) => StreamSocket;
  backoff?: Backoff;
  schedule?: (fn: () => void, ms: number) => unknown;
  unschedule?: (handle: unknown) => void;
}

export interface ViewSubscription {
  close(): void;
}

function isView(v: unknown): v is KioskView {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { screen?: unknown }).screen === 'string' &&
    typeof (v as { seq?: unknown }).seq === 'number'
  );
}

/** How often the page tells the daemon it is alive (the daemon's UiWatch waits several times this). */
export const UI_PING_INTERVAL_MS = 5000;

export class KioskApi {
  private readonly fetchImpl: typeof fetch;
  private readonly openSocket: (url: string) => StreamSocket;
  private readonly backoff: Backoff;
  private readonly schedule: (fn: () => void, ms: number) => unknown;
  private readonly unschedule: (handle: unknown) => void;

  constructor(private readonly opts: KioskApiOptions) {
    this.fetchImpl = opts.fetch ?? ((input, init) => fetch(input, init));
    this.openSocket = opts.openSocket ?? ((url) => new WebSocket(url) as unknown as StreamSocket);
    this.backoff = opts.backoff ?? DEFAULT_BACKOFF;
    this.schedule = opts.schedule ?? ((fn, ms) => setTimeout(fn, ms));
    this.unschedule = opts.unschedule ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  }

  private url(path: string): string {
    return new URL(path, this.opts.baseUrl).toString();
  }

  private async request(path: string, init: RequestInit): Promise<Response> {
    try {
      return await this.fetchImpl(this.url(path), init);
    } catch {
      throw new ApiError('network', path);
    }
  }

  private async json<T>(
    path: string,
    init: RequestInit,
    accept: (status: number) => boolean = (s) => s >= 200 && s < 300,
  ): Promise<{ status: number; body: T }> {
    const res = await this.request(path, init);
    if (!accept(res.status)) throw new ApiError('httpStatus', path, res.status);
    try {
      return { status: res.status, body: (await res.json()) as T };
    } catch {
      throw new ApiError('badResponse', path, res.status);
    }
  }

  private static post(body: unknown): RequestInit {
    return { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  }

  /** Tells the daemon this page's event loop still runs (it restarts a frozen browser). */
  async ping(): Promise<void> {
    await this.request('/api/ui-ping', { method: 'POST' });
  }

  async view(): Promise<KioskView> {
    const { body } = await this.json<unknown>('/api/view', { method: 'GET' });
    if (!isView(body)) throw new ApiError('badResponse', '/api/view');
    return body;
  }

  /** A refusal (400) is an answer, not an error: the screen may have moved on meanwhile. */
  async sendIntent(intent: Intent): Promise<IntentResult> {
    const { status, body } = await this.json<IntentRefusal>(
      '/api/intent',
      KioskApi.post(intent),
      (s) => (s >= 200 && s < 300) || s === 400,
    );
    return status === 400 ? { ok: false, refusal: body } : { ok: true };
  }

  async demoPersonas(): Promise<DemoPersonaSummary[]> {
    const { body } = await this.json<DemoPersonaSummary[]>('/api/demo/personas', { method: 'GET' });
    if (!Array.isArray(body)) throw new ApiError('badResponse', '/api/demo/personas');
    return body;
  }

  async demoInsertCard(persona: string): Promise<void> {
    await this.json<unknown>('/api/demo/card', KioskApi.post({ persona }));
  }

  async demoRemoveCard(): Promise<void> {
    const res = await this.request('/api/demo/card', { method: 'DELETE' });
    if (!res.ok) throw new ApiError('httpStatus', '/api/demo/card', res.status);
  }

  async demoPresentFinger(genuine: boolean): Promise<void> {
    await this.json<unknown>('/api/demo/finger', KioskApi.post({ genuine }));
  }

  /** Staff PIN to clear the tamper lock; a refusal (403, 409) is an answer, not an error. */
  async staffClearTamper(pin: string): Promise<'cleared' | 'pinRejected' | 'switchOpen' | 'notLocked'> {
    const { status, body } = await this.json<{ error?: string }>(
      '/api/staff/tamper/clear',
      KioskApi.post({ pin }),
      (s) => s === 200 || s === 403 || s === 409,
    );
    if (status === 200) return 'cleared';
    if (body.error === 'pinRejected' || body.error === 'switchOpen' || body.error === 'notLocked') return body.error;
    throw new ApiError('badResponse', '/api/staff/tamper/clear', status);
  }

  async demoSetTamper(open: boolean): Promise<void> {
    await this.json<unknown>('/api/demo/tamper', KioskApi.post({ open }));
  }

  /**
   * Streams views: the first message of each connection is the current view. Reconnects with
   * growing back-off until closed; each new connection restarts the sequence check because a
   * restarted daemon counts from the beginning again.
   */
  streamViews(onView: (view: KioskView) => void, onState: (state: ConnectionState) => void = () => {}): ViewSubscription {
    const sequencer = new ViewSequencer();
    const wsUrl = this.url('/api/stream').replace(/^http/, 'ws');
    let attempt = 0;
    let socket: StreamSocket | null = null;
    let timer: unknown = null;
    let closed = false;

    const connect = (): void => {
      sequencer.reset();
      const s = this.openSocket(wsUrl);
      socket = s;
      s.onopen = () => {
        attempt = 0;
        onState('open');
      };
      s.onmessage = (ev) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(String(ev.data));
        } catch {
          return;
        }
        if (isView(parsed) && sequencer.accept(parsed)) onView(parsed);
      };
      s.onerror = () => s.close();
      s.onclose = () => {
        if (closed || socket !== s) return;
        socket = null;
        onState('reconnecting');
        timer = this.schedule(connect, reconnectDelay(attempt++, this.backoff));
      };
    };
    onState('connecting');
    connect();

    return {
      close: () => {
        closed = true;
        if (timer !== null) this.unschedule(timer);
        socket?.close();
        socket = null;
      },
    };
  }
}
