/**
 * Over HTTP: staff clear the tamper lock with their PIN; the demo panel opens and closes the
 * simulated enclosure. Real server, real tamper lock and flags, fake card and registry ports.
 */
import t, { type Test } from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServer } from '../../device/server/app.ts';
import { STAFF_PIN, fakeDeviceKiosk } from './kiosk.ts';
import { capturingLogger } from '../support/logger.ts';

async function serve(t: Test) {
  const k = await fakeDeviceKiosk(t);
  const uiDir = mkdtempSync(join(tmpdir(), 'anj9-ui-'));
  t.teardown(() => rmSync(uiDir, { recursive: true, force: true }));
  const app = await buildServer({
    runtime: k.runtime,
    logger: capturingLogger().logger,
    uiDir,
    health: () => ({ ready: true, state: 'idle', devices: {} }),
    clearTamper: (pin) => k.tamper.clear(pin),
    // inject() sends Host localhost:80 and has no socket port: the configured one stands in.
    http: { host: '127.0.0.1', port: 80 },
    demo: {
      personaIds: ['valid'],
      personas: async () => [{ id: 'valid', title: { id: 'Contoh', en: 'Example' } }],
      insertCard: async () => undefined,
      removeCard: async () => undefined,
      presentFinger: () => undefined,
      setTamper: (open) => k.gpio.setTamper(open),
    },
  });
  t.teardown(() => app.close());
  const post = (url: string, payload: unknown) => app.inject({ method: 'POST', url, payload: payload as object });
  return { k, post };
}

t.test('the demo opens the enclosure; staff clear the lock once it is closed', async (t) => {
  const { k, post } = await serve(t);
  t.equal((await post('/api/demo/tamper', { open: true })).statusCode, 200);
  await k.flush();
  t.match(k.view(), { screen: 'outOfService', reason: 'tamper' });

  const open = await post('/api/staff/tamper/clear', { pin: STAFF_PIN });
  t.equal(open.statusCode, 409);
  t.match(open.json(), { error: 'switchOpen' });

  await post('/api/demo/tamper', { open: false });
  await k.flush();
  t.match(k.view(), { screen: 'outOfService', reason: 'tamper' }, 'closed is not cleared');

  const wrong = await post('/api/staff/tamper/clear', { pin: '0000' });
  t.equal(wrong.statusCode, 403);
  t.match(wrong.json(), { error: 'pinRejected' });
  t.equal((await post('/api/staff/tamper/clear', { pin: 'abc' })).statusCode, 400, 'not a PIN: refused at the edge');
  t.equal((await post('/api/staff/tamper/clear', { pin: STAFF_PIN, extra: 1 })).statusCode, 400);
  t.match(k.view(), { screen: 'outOfService', reason: 'tamper' });

  t.equal((await post('/api/staff/tamper/clear', { pin: STAFF_PIN })).statusCode, 200);
  await k.flush();
  t.equal(k.view().screen, 'welcome');
  const again = await post('/api/staff/tamper/clear', { pin: STAFF_PIN });
  t.equal(again.statusCode, 409);
  t.match(again.json(), { error: 'notLocked' });
  t.equal((await post('/api/demo/tamper', { open: 'yes' })).statusCode, 400);
});
