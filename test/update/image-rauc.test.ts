/**
 * What image/rauc/install.sh puts into a root file system: RAUC's configuration naming the
 * board, a keyring of certificates only (a private key is refused), the firmware backend and
 * pre-install handler, and release.json in the form the update commands compare.
 */
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkRelease } from '../../device/update/release.ts';
import { allowedBundleFormats, parseIni } from '../../device/update/ini.ts';
import { makeSigner } from './rauc-kiosk.ts';
import { REPO } from './fake-board.ts';

const install = (tree: string, arch: string, keyring?: string) =>
  spawnSync('bash', [join(REPO, 'image/rauc/install.sh'), tree, arch], {
    encoding: 'utf8',
    env: { ...process.env, ...(keyring ? { ANJUNGAN_UPDATE_KEYRING: keyring } : {}) },
  });

t.test('a tree for the Raspberry Pi: configuration, keyring, backend, release', async (t) => {
  const dir = mkdtempSync('/var/tmp/anj26-tree-');
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const keys = makeSigner(dir, 'office');
  const tree = join(dir, 'tree');
  const r = install(tree, 'arm64', keys.ca);
  t.equal(r.status, 0, 'installed', { stderr: r.stderr });
  const conf = parseIni(readFileSync(join(tree, 'etc/rauc/system.conf'), 'utf8'));
  t.equal(conf.system?.compatible, 'anjungan-rpi4-rpi5');
  t.equal(conf.system?.bootloader, 'custom');
  t.same([...allowedBundleFormats(conf)], ['verity', 'crypt'], 'verity bundles (and crypt), never plain');
  t.equal(conf.keyring?.['check-purpose'], 'codesign');
  t.equal(conf.handlers?.['bootloader-custom-backend'], '/usr/lib/anjungan/rauc/boot-backend');
  t.same(
    Object.entries(conf)
      .filter(([k]) => k.startsWith('slot.'))
      .map(([k, v]) => [k, v.device, v.bootname ?? v.parent]),
    [
      ['slot.rootfs.0', '/dev/disk/by-partuuid/414e4a47-05', 'A'],
      ['slot.boot.0', '/dev/disk/by-partuuid/414e4a47-02', 'rootfs.0'],
      ['slot.rootfs.1', '/dev/disk/by-partuuid/414e4a47-06', 'B'],
      ['slot.boot.1', '/dev/disk/by-partuuid/414e4a47-03', 'rootfs.1'],
    ],
    'the slots are the partitions build-image.sh lays out',
  );
  t.equal(readFileSync(join(tree, 'etc/rauc/keyring.pem'), 'utf8'), readFileSync(keys.ca, 'utf8'));
  for (const f of ['boot-backend', 'pre-install'])
    t.equal(statSync(join(tree, 'usr/lib/anjungan/rauc', f)).mode & 0o777, 0o755, `${f} executable`);
  const release = JSON.parse(readFileSync(join(tree, 'usr/lib/anjungan/release.json'), 'utf8')) as Record<string, unknown>;
  t.same(checkRelease(release, 'release.json'), release, 'a release the update commands read');
  t.equal(release.version, (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version);
  t.equal(release.compatible, 'anjungan-rpi4-rpi5');
});

t.test('the keyring takes certificates only', async (t) => {
  const dir = mkdtempSync('/var/tmp/anj26-tree-');
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const keys = makeSigner(dir, 'office');
  const withKey = join(dir, 'ca-and-key.pem');
  writeFileSync(withKey, readFileSync(keys.ca, 'utf8') + readFileSync(keys.ca.replace(/ca\.pem$/, 'ca.key'), 'utf8'));
  const r = install(join(dir, 'tree'), 'amd64', withKey);
  t.equal(r.status, 2);
  t.match(r.stderr, /holds a private key: the kiosk's keyring takes certificates only/);
  const none = install(join(dir, 'tree2'), 'amd64');
  t.equal(none.status, 0);
  t.match(none.stderr, /this image accepts no update bundle/);
  t.notOk(existsSync(join(dir, 'tree2/etc/rauc/keyring.pem')));
  const other = install(join(dir, 'tree3'), 'riscv64', keys.ca);
  t.not(other.status, 0, 'no board family for another architecture');
});
