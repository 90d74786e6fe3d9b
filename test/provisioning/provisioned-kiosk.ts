/**
 * A kiosk as init, credentials set, agreement set and sam install leave it (the SAM part written
 * directly: sam.test.ts covers install through pcscd), with synthetic secrets a test can scan for.
 */
import type { Test } from 'tap';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { readCredentials, writeCredentials } from '../../device/store/credentials.ts';
import { demoSamSecret } from '../../device/sim/vcard/demo-keys.ts';
import { layout } from '../../provisioning/layout.ts';
import { cli, INIT, tempRoot } from './cli-harness.ts';

const secret = demoSamSecret();
export const PCID = Buffer.from(secret.pcid).toString('hex');
export const CONFIGURATION = Buffer.from(secret.configuration).toString('hex');
export const PASSWORD = 'synthetic-password-deactivate';
export const USER_ID = 'SYNTH-USER-77';
export const IP_USER = '192.0.2.77';

export async function provisionedKiosk(t: Test): Promise<{ root: string; samFile: Buffer }> {
  const root = tempRoot(t, 'deact');
  t.equal((await cli([...INIT, '--root', root])).code, 0);
  t.equal((await cli(['credentials', 'set', '--root', root, '--user-id', USER_ID], { stdin: `${PASSWORD}\n${IP_USER}\n` })).code, 0);
  t.equal(
    (await cli(['agreement', 'set', '--root', root, '--numbers', '470/1/2022,027/2/2022', '--from', '2022-11-10', '--until', '2024-11-09']))
      .code,
    0,
  );
  t.equal((await cli(['agreement', 'extend', '--root', root, '--addendum', '470/9/2024', '--until', '2025-11-09'])).code, 0);
  const l = layout(root);
  const samFile = Buffer.from(`${CONFIGURATION}\n`);
  writeFileSync(l.samConfigurationFile, samFile, { mode: 0o600 });
  const c = readCredentials(l.credentialFile);
  writeCredentials(l.credentialFile, {
    ...c,
    sam: {
      pcid: PCID,
      configuration: CONFIGURATION,
      configurationSha256: createHash('sha256').update(samFile).digest('hex'),
      atr: '3b8f8001',
      installedAt: '2022-11-10T02:00:00.000Z',
    },
  });
  return { root, samFile };
}
