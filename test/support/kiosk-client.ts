/**
 * Drives the real kiosk's HTTP API through one persona's whole path, as the demo panel and the
 * screen would: insert the card, present fingers, answer staff assist, link return data, remove.
 */
import type { KioskView } from '../../device/view/protocol.ts';
import type { PersonaId } from '../../device/sim/personas.ts';

export const DEMO_STAFF_PIN = '246810';

export class KioskClient {
  /** Every distinct view the client saw, for scans of what the screen was given. */
  readonly seen = new Map<number, KioskView>();

  constructor(readonly url: string) {}

  async view(): Promise<KioskView> {
    const v = (await (await fetch(`${this.url}/api/view`)).json()) as KioskView;
    this.seen.set(v.seq, v);
    return v;
  }

  async call(method: string, path: string, body?: unknown): Promise<number> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    await res.arrayBuffer();
    return res.status;
  }

  async intent(intent: object): Promise<void> {
    const status = await this.call('POST', '/api/intent', intent);
    if (status !== 200) throw new Error(`intent ${JSON.stringify(intent)} refused with ${status}`);
  }

  /** Polls the view until it satisfies `pred` (the stream is tested elsewhere). */
  async until(pred: (v: KioskView) => boolean, what: string, timeoutMs = 15_000): Promise<KioskView> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = await this.view();
      if (pred(v)) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last view ${v.screen}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

/** Runs one persona from card insert to the welcome screen; returns the last informative view. */
export async function runPersona(k: KioskClient, id: PersonaId): Promise<KioskView> {
  await k.until((v) => v.screen === 'welcome', 'welcome');
  if ((await k.call('POST', '/api/demo/card', { persona: id })) !== 200) throw new Error('card refused');
  let v = await k.until((v) => v.screen === 'awaitingFinger', 'finger prompt');
  if (id === 'finger-unreadable') {
    while (v.screen === 'awaitingFinger') {
      const attempt = v.attempt;
      await k.call('POST', '/api/demo/finger', { genuine: true });
      v = await k.until((n) => n.screen !== 'awaitingFinger' || n.attempt > attempt, 'next attempt');
    }
    await k.intent({ type: 'staffUnlock', pin: DEMO_STAFF_PIN });
    await k.until((n) => n.screen === 'staffAssist' && n.step === 'compareFace', 'photo');
    await k.intent({ type: 'staffConfirmFace', matches: true });
  } else {
    await k.call('POST', '/api/demo/finger', { genuine: true });
  }
  const end = await k.until((n) => n.screen === 'result' || n.screen === 'failed', 'result');
  if (end.screen === 'result') {
    if (end.canLinkReturnData) {
      await k.intent({ type: 'linkReturnData' });
      await k.until((n) => n.screen === 'returnData', 'return data form');
      await k.intent({ type: 'submitReturnData', nop: '33.13.010.001.001-0001.0', npwpd: 'P.2.0001234.33.13' });
    } else {
      await k.intent({ type: 'finish' });
    }
    await k.until((n) => n.screen === 'finished', 'take your card');
  }
  await k.call('DELETE', '/api/demo/card');
  await k.until((n) => n.screen === 'welcome', 'welcome again');
  return end;
}
