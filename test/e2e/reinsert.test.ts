/**
 * End to end over HTTP (the real demo daemon): a taxpayer who pulls the card mid-session and puts
 * it straight back, while the kiosk still shows why the session ended, is served once the
 * failure has been shown, without having to take the card out and try again.
 */
import t from 'tap';
import { buildKiosk, spawnKiosk } from '../support/kiosk-process.ts';
import { KioskClient } from '../support/kiosk-client.ts';

await buildKiosk();
const kiosk = await spawnKiosk();
t.teardown(() => kiosk.stop());
const k = new KioskClient(kiosk.url);

t.test('a card put back during the failure screen starts a new session after it', async (t) => {
  await k.until((v) => v.screen === 'welcome', 'welcome');
  t.equal(await k.call('POST', '/api/demo/card', { persona: 'valid' }), 200);
  await k.until((v) => v.screen === 'awaitingFinger', 'the finger prompt');
  t.equal(await k.call('DELETE', '/api/demo/card'), 200);
  const failed = await k.until((v) => v.screen === 'failed', 'the failure screen');
  t.equal(failed.screen === 'failed' && failed.reason, 'cardRemoved');
  t.equal(await k.call('POST', '/api/demo/card', { persona: 'valid' }), 200, 'the card goes back in at once');
  const next = await k.until((v) => v.screen !== 'failed', 'the failure screen to end', 20_000);
  t.not(next.screen, 'welcome', 'not asked to insert a card that is already in the reader');
  await k.until((v) => v.screen === 'awaitingFinger', 'the finger prompt of the new session');
  t.equal(await k.call('DELETE', '/api/demo/card'), 200);
  await k.until((v) => v.screen === 'welcome', 'welcome');
});
