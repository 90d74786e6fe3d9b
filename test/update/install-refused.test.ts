/**
 * `anjungan-provision update install` refusing bundles, on a kiosk whose slots are files
 * (rauc-kiosk.ts), with real RAUC and the real pre-install handler: a bundle that is not one,
 * signed by another key or a certificate not for signing code, damaged after signing, for another
 * board, or not later than the running release is refused with its reason, audited, and nothing
 * is written, armed or paused.
 */
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { copyFileSync, openSync, readFileSync, readSync, writeSync, closeSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { layout } from '../../provisioning/layout.ts';
import {
  installFootprint,
  laterBuild,
  makeSigner,
  pauseFlag,
  raucKiosk,
  RUNNING,
  signerWithoutCodeSigning,
  updateAuditRows,
} from './rauc-kiosk.ts';

t.setTimeout(900_000);

t.test('refused bundles: each with its reason, nothing written, the kiosk not paused', async (t) => {
  const k = await raucKiosk(t);
  const before = installFootprint(k);
  const other = makeSigner(join(k.root, 'pki'), 'stranger');
  const good = k.bundle({ version: '0.2.0', build: laterBuild(5) });
  const damaged = join(k.root, 'damaged.raucb');
  copyFileSync(good, damaged);
  // One byte of the payload (the squashfs with the images) changed after signing.
  const fd = openSync(damaged, 'r+');
  const byte = Buffer.alloc(1);
  readSync(fd, byte, 0, 1, 40_000);
  writeSync(fd, Buffer.from([byte[0]! ^ 0xff]), 0, 1, 40_000);
  closeSync(fd);
  const junk = join(k.root, 'photo.raucb');
  writeFileSync(junk, Buffer.alloc(100_000, 7));
  const cases: Array<[string, string, RegExp, string]> = [
    [
      'signed by another key',
      k.bundle({ version: '0.2.0', build: laterBuild(5), signer: other }),
      /signature does not verify: not signed by a key this kiosk trusts/,
      'untrusted',
    ],
    [
      'signed under the trusted CA, by a certificate not for signing code',
      k.bundle({ version: '0.2.0', build: laterBuild(5), signer: signerWithoutCodeSigning(k.trusted, join(k.root, 'pki/tls')) }),
      /signature does not verify: .*unsuitable certificate purpose/,
      'untrusted',
    ],
    ['damaged after signing', damaged, /damaged or was altered after signing/, 'damaged'],
    ['not a bundle at all', junk, /not an update bundle/, 'unreadable'],
    [
      'for another board',
      k.bundle({ version: '0.2.0', build: laterBuild(5), compatible: 'anjungan-rpi4-rpi5' }),
      /the bundle is for 'anjungan-rpi4-rpi5', this kiosk is 'anjungan-amd64'/,
      'foreignBoard',
    ],
    [
      'an older release',
      k.bundle({ version: '0.0.9', build: laterBuild(60) }),
      /release 0\.0\.9 \(.*\), older than the running 0\.1\.0/,
      'notNewer',
    ],
    [
      'the same version built earlier',
      k.bundle({ version: '0.1.0', build: '20251231T235900Z-ccccccc' }),
      /older than the running/,
      'notNewer',
    ],
    ['the running release itself', k.bundle({ version: RUNNING.version, build: RUNNING.build }), /is the one running/, 'notNewer'],
  ];
  for (const [what, file, message, code] of cases) {
    const r = await k.cli(['update', 'install', file]);
    t.equal(r.code, 2, `${what}: exit 2 (bad input, nothing changed)`);
    t.match(r.stderr, message, what);
    t.match(r.stderr, /nothing was written/, `${what}: says nothing was written`);
    t.same(installFootprint(k), before, `${what}: no slot, boot setting or state written`);
    t.same(
      updateAuditRows(k).at(-1),
      { code: 'updateRefused', state: null, outcome: code, staffId: 'anjungan-provision update' },
      `${what}: audited as ${code}`,
    );
  }
  t.equal(pauseFlag(k), null, 'the kiosk was never paused');
  t.notOk(updateAuditRows(k).some((r) => r.code === 'kioskPaused'));

  t.test("the kiosk's own configuration takes verity bundles only", async (t) => {
    const conf = layout(k.root).raucSystemConf;
    const test = readFileSync(conf, 'utf8');
    t.teardown(() => writeFileSync(conf, test));
    writeFileSync(
      conf,
      test.replace(
        /^bundle-formats=.*$/m,
        readFileSync(join(import.meta.dirname, '../../image/rauc/system.conf'), 'utf8').match(/^bundle-formats=.*$/m)![0],
      ),
    );
    const r = await k.cli(['update', 'install', k.bundle({ version: '0.2.0', build: laterBuild(5), format: 'plain' })]);
    t.equal(r.code, 2);
    t.match(r.stderr, /in RAUC's 'plain' format; this kiosk installs only crypt, verity bundles/);
    t.same(installFootprint(k), before);
  });

  t.test('rauc install itself, past the command, refuses an older release in its pre-install handler', async (t) => {
    const older = k.bundle({ version: '0.0.9', build: laterBuild(60), format: 'plain' });
    const r = spawnSync('rauc', ['install', older], { env: k.env, encoding: 'utf8' });
    t.not(r.status, 0);
    t.match(r.stdout + r.stderr, /Pre-install handler error/);
    t.same(installFootprint(k).slots, before.slots, 'no slot written');
    t.same(installFootprint(k).autoboot, before.autoboot);
    t.equal(updateAuditRows(k).at(-1)?.outcome, 'notNewer', 'the handler audited it');
  });
});
