/**
 * A fleet kiosk that holds no hit while the day's shared quota is not spent is out of service
 * only until its next lease, never until tomorrow, and is never "quota reached" for it. Here it
 * holds its maximum of unsettled hits (the fleet refuses it more): it leaves the welcome screen
 * before a taxpayer's card, as awaitingLease, with no quotaReached staff alert (nor one at boot,
 * before its first lease); when the fleet allows it more it serves again the same day, and the
 * lease it is given is spent. (#27 first found the kiosk sitting out the day on a lease nobody
 * spent, when its own ledger's refusal was taken for the registry's "quota gone"; session 9 found
 * it showing the welcome screen while the fleet refused it, so taxpayers failed at validation.)
 */
import t from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLocalFleet } from '../../fleet/demo/cluster.ts';
import { buildKiosk, spawnKiosk } from '../support/kiosk-process.ts';
import { KioskClient } from '../support/kiosk-client.ts';

async function serveTaxpayer(k: KioskClient): Promise<string> {
  if ((await k.call('POST', '/api/demo/card', { persona: 'valid' })) !== 200) throw new Error('card refused');
  await k.until((v) => v.screen === 'awaitingFinger', 'finger prompt');
  await k.call('POST', '/api/demo/finger', { genuine: true });
  const end = await k.until((n) => n.screen === 'result' || n.screen === 'failed', 'result', 60_000);
  await k.call('DELETE', '/api/demo/card');
  await k.until((n) => n.screen === 'welcome' || n.screen === 'outOfService', 'welcome or out of service');
  return end.screen === 'result' ? end.outcome : end.screen === 'failed' ? `failed:${end.reason}` : end.screen;
}

t.test('a kiosk the fleet refuses for holding its maximum of unsettled hits waits for a lease, and serves again on it', async (t) => {
  await buildKiosk();
  // One hit per lease and one unsettled hit per kiosk: after its first taxpayer the kiosk holds
  // nothing (its spent lease counts until it is settled), while the fleet has hits free.
  const fleet = await startLocalFleet({
    instances: 1,
    quota: { dailyLimit: 4, maxLeaseSize: 1, leaseTtlS: 600, maxOutstandingPerKiosk: 1 },
  });
  t.teardown(() => fleet.close());
  const link = await fleet.enrolKiosk('KRA-01');
  const file = (name: string, content: string) => {
    const path = join(fleet.dir, `KRA-01-${name}`);
    writeFileSync(path, content, { mode: 0o600 });
    return path;
  };
  const config = file(
    'config.json',
    JSON.stringify({
      kiosk: { id: 'KRA-01', site: 'Site KRA-01', regionCode: '33.13' },
      fleet: {
        url: fleet.url,
        kioskId: 'KRA-01',
        caFile: file('ca.pem', link.caPem),
        certFile: file('cert.pem', link.certPem!),
        keyFile: file('key.pem', link.keyPem!),
        leaseSize: 1,
        lowWater: 0,
        heartbeatEveryS: 1,
        figuresEveryS: 1,
      },
    }),
  );
  const kiosk = await spawnKiosk({ ANJUNGAN_CONFIG: config });
  t.teardown(() => kiosk.stop());
  const k = new KioskClient(kiosk.url);

  await k.until((v) => v.screen === 'welcome', 'the kiosk in service with its first lease', 60_000);
  t.equal(await serveTaxpayer(k), 'verified', 'the first taxpayer is verified');
  const waiting = await k.until(
    (v) => v.screen === 'outOfService' && v.reason === 'awaitingLease',
    'out of service, waiting for a lease, while the fleet refuses it more',
    60_000,
  );
  t.match(waiting, { screen: 'outOfService', reason: 'awaitingLease' }, 'holding nothing and refused more, the kiosk lets no taxpayer in');

  // The fleet restarts allowing each kiosk more (its restart reads a larger share per kiosk).
  for (const i of fleet.instances.splice(0)) await i.stop();
  fleet.balancer.setBackends([]);
  fleet.balancer.cutConnections();
  const fleetConfig = JSON.parse(readFileSync(fleet.configFile, 'utf8')) as { quota: Record<string, number> };
  fleetConfig.quota.maxOutstandingPerKiosk = 10;
  writeFileSync(fleet.configFile, JSON.stringify(fleetConfig));
  await fleet.startInstance();
  await k.until((v) => v.screen === 'welcome', 'the kiosk back in service on its next lease, the same day', 90_000);
  t.equal(await serveTaxpayer(k), 'verified', 'and the lease it was given is spent');
  t.notMatch(kiosk.output(), /quotaReachedAtRegistry/, "the ledger's refusal was never taken for the registry's");
  t.notMatch(kiosk.output(), /"kind":"quota(80|95|Reached)"|"event":"quotaAlert"/, 'no quota alert for staff, at boot or since');
});
