/**
 * A session cut by `kill -9` of the real daemon, in each state a session can be in, is closed in
 * the audit trail at the next boot: one `sessionEnd` with outcome `interrupted`, nothing personal.
 */
import t from 'tap';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildKiosk, spawnKiosk, type KioskProcess } from '../support/kiosk-process.ts';
import { KioskClient } from '../support/kiosk-client.ts';

await buildKiosk();

const stateDir = mkdtempSync(join(tmpdir(), 'anj8-state-'));
t.teardown(() => rmSync(stateDir, { recursive: true, force: true }));

async function killHard(kiosk: KioskProcess): Promise<void> {
  process.kill(kiosk.pid, 'SIGKILL');
  await kiosk.stop();
}

function auditRows(): Array<{ code: string; session_id: string | null; outcome: string | null; nik_hmac: string | null }> {
  const db = new Database(join(stateDir, 'anjungan.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT code, session_id, outcome, nik_hmac FROM audit_event ORDER BY id').all() as never;
  } finally {
    db.close();
  }
}

t.test('a session cut by kill -9 is closed as interrupted at the next boot, in every state', async (t) => {
  const STATES: Array<[string, (k: KioskClient) => Promise<void>]> = [
    ['awaitingFinger', async () => undefined],
    [
      'staffAssist',
      async (k) => {
        await k.intent({ type: 'cannotGiveFinger' });
        await k.until((v) => v.screen === 'staffAssist', 'staff assist');
      },
    ],
    [
      'result',
      async (k) => {
        await k.call('POST', '/api/demo/finger', { genuine: true });
        await k.until((v) => v.screen === 'result', 'result');
      },
    ],
    [
      'returnData',
      async (k) => {
        await k.call('POST', '/api/demo/finger', { genuine: true });
        await k.until((v) => v.screen === 'result', 'result');
        await k.intent({ type: 'linkReturnData' });
        await k.until((v) => v.screen === 'returnData', 'return data form');
      },
    ],
    [
      'finished',
      async (k) => {
        await k.call('POST', '/api/demo/finger', { genuine: true });
        await k.until((v) => v.screen === 'result', 'result');
        await k.intent({ type: 'finish' });
        await k.until((v) => v.screen === 'finished', 'take your card');
      },
    ],
  ];
  for (const [state, reach] of STATES) {
    const kiosk = await spawnKiosk({ ANJUNGAN_STATE_DIR: stateDir });
    const k = new KioskClient(kiosk.url);
    await k.until((v) => v.screen === 'welcome', 'welcome');
    if ((await k.call('POST', '/api/demo/card', { persona: 'valid' })) !== 200) throw new Error('card refused');
    await k.until((v) => v.screen === 'awaitingFinger', 'finger prompt');
    await reach(k);
    const sessionId = auditRows()
      .filter((r) => r.code === 'sessionStart')
      .pop()!.session_id;
    await killHard(kiosk);
    const next = await spawnKiosk({ ANJUNGAN_STATE_DIR: stateDir });
    const ends = auditRows().filter((r) => r.code === 'sessionEnd' && r.session_id === sessionId);
    t.same(
      ends.map((r) => r.outcome),
      ['interrupted'],
      `${state}: one sessionEnd, interrupted`,
    );
    t.equal(ends[0]?.nik_hmac, null, `${state}: nothing personal in it`);
    await next.stop();
  }
});
