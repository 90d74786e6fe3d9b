/**
 * What the real daemon keeps on disk, across `kill -9` and restart: the staff PIN throttle, and
 * files only its owner can read. A state folder others can read stops it with a clear message.
 */
import t from 'tap';
import Database from 'better-sqlite3';
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { buildKiosk, spawnKiosk, type KioskProcess } from '../support/kiosk-process.ts';
import { DEMO_STAFF_PIN, KioskClient } from '../support/kiosk-client.ts';
import { until } from '../support/until.ts';
import { KIOSK_SCREEN_THROTTLE } from '../../device/store/attempt-throttle.ts';

await buildKiosk();

const stateDir = mkdtempSync(join(tmpdir(), 'anj8-state-'));
t.teardown(() => rmSync(stateDir, { recursive: true, force: true }));

function throttleRow(): { failures: number; wait_until: number | null } | undefined {
  const db = new Database(join(stateDir, 'anjungan.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare("SELECT failures, wait_until FROM staff_attempt_throttle WHERE source = 'kioskScreen'").get() as
      { failures: number; wait_until: number | null } | undefined;
  } finally {
    db.close();
  }
}

async function killHard(kiosk: KioskProcess): Promise<void> {
  process.kill(kiosk.pid, 'SIGKILL');
  await kiosk.stop();
}

async function toStaffAssist(k: KioskClient): Promise<void> {
  await k.until((v) => v.screen === 'welcome', 'welcome');
  if ((await k.call('POST', '/api/demo/card', { persona: 'valid' })) !== 200) throw new Error('card refused');
  await k.until((v) => v.screen === 'awaitingFinger', 'finger prompt');
  await k.intent({ type: 'cannotGiveFinger' });
  await k.until((v) => v.screen === 'staffAssist', 'staff assist');
}

/** Sends a PIN once the screen takes one (it refuses a PIN while the previous one is checked). */
async function sendPin(k: KioskClient, pin: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await k.call('POST', '/api/intent', { type: 'staffUnlock', pin })) !== 200) {
    if (Date.now() > deadline) throw new Error('the PIN was never taken');
    await new Promise((r) => setTimeout(r, 50));
  }
}

t.test('wrong PINs stay counted across kill -9 and restart: a restart gives no fresh tries', async (t) => {
  let kiosk = await spawnKiosk({ ANJUNGAN_STATE_DIR: stateDir });
  let k = new KioskClient(kiosk.url);
  await toStaffAssist(k);
  for (let i = 1; i <= KIOSK_SCREEN_THROTTLE.freeFailures; i++) {
    await sendPin(k, '000000');
    await until(() => throttleRow()?.failures === i, `wrong PIN ${i} counted`, 10_000);
  }
  await k.until((v) => v.screen === 'staffAssist' && v.staffPin.attemptsLeft === 0, 'no free tries left in the view');
  await killHard(kiosk);

  kiosk = await spawnKiosk({ ANJUNGAN_STATE_DIR: stateDir });
  t.teardown(() => kiosk.stop());
  k = new KioskClient(kiosk.url);
  await toStaffAssist(k);
  t.equal(throttleRow()?.failures, KIOSK_SCREEN_THROTTLE.freeFailures, 'the count survived');
  await sendPin(k, '000000');
  await until(() => throttleRow()?.wait_until != null, 'the next wrong PIN makes the screen wait', 10_000);
  const waiting = await k.until((v) => v.screen === 'staffAssist' && v.pinLockedUntil !== undefined, 'the wait in the view');
  t.ok(waiting.screen === 'staffAssist' && Date.parse(waiting.pinLockedUntil!) > Date.now(), 'the view says until when');
  await sendPin(k, DEMO_STAFF_PIN);
  const after = await k.until((v) => v.screen === 'staffAssist' && v.pinRejected, 'the right PIN refused while waiting');
  t.equal(after.screen === 'staffAssist' && after.step, 'callStaff', 'the photo is not unlocked');
  await kiosk.halt();
});

t.test('everything the daemon created is the owner’s only', async (t) => {
  t.equal(statSync(stateDir).mode & 0o777, 0o700, 'state folder 0700');
  const files = readdirSync(stateDir);
  t.ok(files.includes('anjungan.sqlite') && files.includes('credentials.json'), `files: ${files.join(', ')}`);
  for (const f of files) {
    const st = statSync(join(stateDir, f));
    t.equal(st.mode & 0o777, st.isDirectory() ? 0o700 : 0o600, `${f} is ${st.isDirectory() ? '0700' : '0600'}`);
  }
});

t.test('a state folder or database others can read stops the daemon with a clear message', async (t) => {
  for (const [what, path, mode] of [
    ['folder', stateDir, 0o755],
    ['database', join(stateDir, 'anjungan.sqlite'), 0o644],
  ] as const) {
    chmodSync(path, mode);
    const run = spawnSync('/usr/bin/env', ['-u', 'NODE_OPTIONS', process.execPath, '--max-old-space-size=48', 'dist/device/main.cjs'], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ANJUNGAN_MODE: 'demo', ANJUNGAN_STATE_DIR: stateDir, ANJUNGAN_PORT: '0' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    chmodSync(path, what === 'folder' ? 0o700 : 0o600);
    t.equal(run.status, 1, `${what} ${mode.toString(8)}: the daemon does not start`);
    t.match(
      run.stderr,
      new RegExp(
        `cannot start: StatePermissionError: ${path.replace(/[.]/g, '\\.')} is open to other users \\(mode ${mode.toString(8)}\\)`,
      ),
      `${what}: the message names it`,
    );
  }
});
