/**
 * `anjungan-provision update install` refusing bundles, on a kiosk whose slots are files
 * (rauc-kiosk.ts), with real RAUC and the real pre-install handler: a bundle that is not one,
 * signed by another key or a certificate not for signing code, damaged after signing, for another
 * board, or not later than the running release is refused with its reason, audited, and nothing
 * is written, armed or paused.
 */
import t from 'tap';
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, openSync, readFileSync, readSync, writeSync, closeSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { layout } from '../../provisioning/layout.ts';
import { makeSigner, raucKiosk, laterBuild, RUNNING, signerWithoutCodeSigning, type RaucKiosk } from './rauc-kiosk.ts';

t.setTimeout(900_000);

function auditRows(k: RaucKiosk) {
  const db = new Database(join(layout(k.root).stateDir, 'anjungan.sqlite'), { readonly: true });
  try {
    return db
      .prepare(
        "SELECT code, state, outcome, staff_id AS staffId FROM audit_event WHERE code LIKE 'update%' OR code LIKE 'kiosk%' ORDER BY id",
      )
      .all() as Array<{ code: string; state: string | null; outcome: string | null; staffId: string | null }>;
  } finally {
    db.close();
  }
}

function pauseFlag(k: RaucKiosk): string | null {
  const db = new Database(join(layout(k.root).stateDir, 'anjungan.sqlite'), { readonly: true });
  try {
    return (db.prepare("SELECT value FROM kiosk_flag WHERE name = 'pausedByStaff'").get() as { value: string } | undefined)?.value ?? null;
  } finally {
    db.close();
  }
}

/** Everything an install could have touched: slots, autoboot.txt, the flag, RAUC's and our state. */
function footprint(k: RaucKiosk) {
  const b = k.board;
  const read = (p: string) => (existsSync(p) ? readFileSync(p, 'utf8') : null);
  return {
    slots: k.slotDigests(),
    autoboot: read(b.autoboot),
    flag: existsSync(b.flag),
    bootState: read(b.stateFile),
    raucStatus: read(join(k.root, 'data/rauc/central.raucs')),
    journal: read(layout(k.root).updateJournalFile),
    reboots: k.systemctl().filter((c) => c.startsWith('reboot')),
  };
}

t.test('refused bundles: each with its reason, nothing written, the kiosk not paused', async (t) => {
  const k = await raucKiosk(t);
  const before = footprint(k);
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
    t.same(footprint(k), before, `${what}: no slot, boot setting or state written`);
    t.same(
      auditRows(k).at(-1),
      { code: 'updateRefused', state: null, outcome: code, staffId: 'anjungan-provision update' },
      `${what}: audited as ${code}`,
    );
  }
  t.equal(pauseFlag(k), null, 'the kiosk was never paused');
  t.notOk(auditRows(k).some((r) => r.code === 'kioskPaused'));

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
    t.same(footprint(k), before);
  });

  t.test('rauc install itself, past the command, refuses an older release in its pre-install handler', async (t) => {
    const older = k.bundle({ version: '0.0.9', build: laterBuild(60), format: 'plain' });
    const r = spawnSync('rauc', ['install', older], { env: k.env, encoding: 'utf8' });
    t.not(r.status, 0);
    t.match(r.stdout + r.stderr, /Pre-install handler error/);
    t.same(footprint(k).slots, before.slots, 'no slot written');
    t.same(footprint(k).autoboot, before.autoboot);
    t.equal(auditRows(k).at(-1)?.outcome, 'notNewer', 'the handler audited it');
  });
});
