/**
 * #27's open finding, made to happen every time: a fleet kiosk shows the welcome screen holding
 * no hit (the fleet's word that hits are free counts while it is fresh), the fleet stops, and the
 * next taxpayer's hit is refused by the kiosk's own ledger. That must put the kiosk out of service
 * only until its next lease, not until tomorrow: the lease the fleet hands it once back is spent,
 * so the day stays exact. (Before the fix, readiness took the ledger's refusal for the registry's
 * "quota gone", and the kiosk sat out the day on a lease nobody spent.)
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

t.test('a kiosk whose own ledger refused a hit while the fleet was away serves again on its next lease', async (t) => {
  await buildKiosk();
  // One hit per lease and one outstanding lease per kiosk: after its first taxpayer the kiosk
  // holds nothing (its spent lease counts until it is settled), while the fleet has hits free.
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
  t.equal((await k.view()).screen, 'welcome', 'holding nothing, the kiosk still serves: the fleet has hits free');

  for (const i of fleet.instances.splice(0)) await i.stop();
  fleet.balancer.setBackends([]);
  fleet.balancer.cutConnections();
  t.equal(await serveTaxpayer(k), 'failed:quotaReached', 'with the fleet gone, the next hit is refused by its own ledger');
  await k.until((v) => v.screen === 'outOfService', 'out of service while it holds nothing', 60_000);

  // The fleet comes back allowing each kiosk more (its restart read a larger share per kiosk).
  const fleetConfig = JSON.parse(readFileSync(fleet.configFile, 'utf8')) as { quota: Record<string, number> };
  fleetConfig.quota.maxOutstandingPerKiosk = 10;
  writeFileSync(fleet.configFile, JSON.stringify(fleetConfig));
  await fleet.startInstance();
  await k.until((v) => v.screen === 'welcome', 'the kiosk back in service on its next lease, the same day', 90_000);
  t.equal(await serveTaxpayer(k), 'verified', 'and the lease it was given is spent');
  t.notMatch(kiosk.output(), /quotaReachedAtRegistry/, "the ledger's refusal was never taken for the registry's");
});
