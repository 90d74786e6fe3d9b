/**
 * `anjungan-provision update pull`: the office LAN's update folder, here an HTTPS server on
 * loopback with its own test CA, as `make bundle` leaves a folder (BOARD.json and the bundle).
 * The pinned CA, no redirect, bounded sizes, the bundle's SHA-256 against its entry; a later
 * release is installed as from a stick, a release rolled back here is not pulled again, and the
 * egress firewall lets the folder's address through.
 */
import t, { type Test } from 'tap';
import { createServer, type Server } from 'node:https';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { basename, dirname, join } from 'node:path';
import { layout } from '../../provisioning/layout.ts';
import { egressDestinations } from '../../device/firewall.ts';
import { demoDefaults } from '../../device/config.ts';
import { makeTestTls } from '../support/test-tls.ts';
import { raucKiosk, laterBuild, RUNNING, type RaucKiosk } from './rauc-kiosk.ts';
import { PARTITION } from './fake-board.ts';

t.setTimeout(600_000);

/** An HTTPS folder: files served from dir; `answer` may take over a request. */
async function folderServer(t: Test, cert: { certFile: string; keyFile: string }, dir: string) {
  let answer: ((path: string, res: import('node:http').ServerResponse) => boolean) | null = null;
  const requests: string[] = [];
  const server: Server = createServer({ cert: readFileSync(cert.certFile), key: readFileSync(cert.keyFile) }, (req, res) => {
    requests.push(req.url ?? '');
    if (answer?.(req.url ?? '', res)) return;
    const file = join(dir, decodeURIComponent((req.url ?? '').replace(/^\/anjungan\//, '')));
    if (!req.url?.startsWith('/anjungan/') || !existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-length': readFileSync(file).length }).end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise<void>((r) => server.close(() => r())));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}/anjungan/`,
    requests,
    take(f: typeof answer) {
      answer = f;
    },
  };
}

/** The folder `make bundle` leaves: the bundle and its BOARD.json. */
function publish(k: RaucKiosk, dir: string, bundle: string) {
  mkdirSync(dir, { recursive: true });
  copyFileSync(bundle, join(dir, basename(bundle)));
  copyFileSync(join(dirname(bundle), `${RUNNING.compatible}.json`), join(dir, `${RUNNING.compatible}.json`));
}

function configure(k: RaucKiosk, url: string, caPem: string) {
  const l = layout(k.root);
  writeFileSync(join(l.configDir, 'update-ca.pem'), caPem);
  const config = JSON.parse(readFileSync(l.configFile, 'utf8')) as Record<string, unknown>;
  config.updates = { source: { url, caFile: join(l.configDir, 'update-ca.pem') } };
  writeFileSync(l.configFile, JSON.stringify(config, null, 2));
}

t.test('a later release in the folder is downloaded, checked and installed; the copy is not kept', async (t) => {
  const k = await raucKiosk(t);
  const tls = makeTestTls(t, 'anj26-folder');
  const dir = join(k.root, 'folder');
  const folder = await folderServer(t, tls, dir);
  configure(k, folder.url, tls.caPem);

  t.test('nothing offered yet: a clear failure, nothing written', async (t) => {
    const before = k.slotDigests();
    const r = await k.cli(['update', 'pull']);
    t.equal(r.code, 5);
    t.match(r.stderr, /the update folder: anjungan-amd64\.json: the folder answered 404; nothing was written/);
    t.same(k.slotDigests(), before);
  });

  t.test('the running release offered: up to date', async (t) => {
    publish(k, dir, k.bundle({ version: RUNNING.version, build: RUNNING.build, format: 'plain' }));
    const r = await k.cli(['update', 'pull']);
    t.equal(r.code, 0);
    t.match(r.stdout, /up to date/);
    t.notOk(
      folder.requests.some((u) => u.endsWith('.raucb')),
      'the bundle is not fetched',
    );
  });

  t.test('a later one: installed into slot B, the kiosk reboots to try it', async (t) => {
    const bundle = k.bundle({ version: '0.3.0', build: laterBuild(30), format: 'plain' });
    publish(k, dir, bundle);
    const r = await k.cli(['update', 'pull']);
    t.equal(r.code, 0, 'pulled and installed', { stderr: r.stderr });
    t.match(r.stderr, /downloading anjungan-anjungan-amd64-0\.3\.0-20260101T003000Z\.raucb/);
    t.match(r.stdout, /release 0\.3\.0 .* installed into slot B/);
    t.same(
      k.systemctl().filter((c) => c.startsWith('reboot')),
      ['reboot 0 tryboot'],
    );
    t.same(readdirSync(layout(k.root).updateDownloadDir), [], 'the downloaded copy is removed');
    t.same(await k.reboot(), { slot: 'B', tryboot: true });
  });
});

t.test('the folder is held to the same rules as the uplink', async (t) => {
  const k = await raucKiosk(t);
  const tls = makeTestTls(t, 'anj26-folder');
  const stranger = makeTestTls(t, 'anj26-stranger');
  const dir = join(k.root, 'folder');
  const bundle = k.bundle({ version: '0.3.0', build: laterBuild(30), format: 'plain' });
  publish(k, dir, bundle);
  const before = k.slotDigests();
  const refused = async (t: Test, what: string, message: RegExp) => {
    const r = await k.cli(['update', 'pull']);
    t.equal(r.code, 5, `${what}: exit 5`);
    t.match(r.stderr, message, what);
    t.same(k.slotDigests(), before, `${what}: nothing written`);
    t.same(
      readdirSync(layout(k.root).updateDownloadDir, { withFileTypes: true }).map((e) => e.name),
      [],
      `${what}: no file left`,
    );
  };
  mkdirSync(layout(k.root).updateDownloadDir, { recursive: true });

  t.test('a server whose certificate does not chain to the pinned CA', async (t) => {
    const impostor = await folderServer(t, stranger, dir);
    configure(k, impostor.url, tls.caPem);
    await refused(t, 'foreign certificate', /the server is not the pinned one/);
    t.same(impostor.requests, [], 'no request reached it');
  });

  const folder = await folderServer(t, tls, dir);
  configure(k, folder.url, tls.caPem);
  t.test('a redirect is not followed', async (t) => {
    folder.take((url, res) => {
      if (!url.endsWith('.json')) return false;
      res.writeHead(302, { location: 'https://127.0.0.1:1/elsewhere.json' }).end();
      return true;
    });
    await refused(t, 'redirect', /answered 302/);
  });
  t.test('a bundle that is not the one its entry describes (SHA-256)', async (t) => {
    folder.take((url, res) => {
      if (!url.endsWith('.raucb')) return false;
      const body = Buffer.from(readFileSync(bundle));
      body[1000] = body[1000]! ^ 0xff;
      res.writeHead(200, { 'content-length': body.length }).end(body);
      return true;
    });
    await refused(t, 'altered bundle', /its SHA-256 is not the folder's/);
  });
  t.test('more bytes than its entry says', async (t) => {
    folder.take((url, res) => {
      if (!url.endsWith('.raucb')) return false;
      const body = Buffer.concat([readFileSync(bundle), Buffer.alloc(4096)]);
      res.writeHead(200).end(body);
      return true;
    });
    await refused(t, 'oversize', /more than \d+ bytes/);
  });
  t.test('an entry that is not a release of this board', async (t) => {
    folder.take((url, res) => {
      if (!url.endsWith('.json')) return false;
      res.writeHead(200).end(
        JSON.stringify({
          compatible: 'anjungan-rpi4-rpi5',
          version: '9.0.0',
          build: laterBuild(99),
          file: 'x.raucb',
          size: 1,
          sha256: '0'.repeat(64),
        }),
      );
      return true;
    });
    await refused(t, 'foreign entry', /describes a bundle for anjungan-rpi4-rpi5/);
  });
  t.test('the folder by name, not address: refused before any connection', async (t) => {
    folder.take(null);
    configure(k, folder.url.replace('127.0.0.1', 'localhost'), tls.caPem);
    await refused(t, 'host name', /by IP address/);
  });

  t.test("the egress firewall allows the folder's address and port", async (t) => {
    const config = {
      ...demoDefaults(new Date()),
      updates: { source: { url: 'https://10.20.30.40:8443/anjungan/', caFile: '/etc/anjungan/update-ca.pem' } },
    };
    t.same(egressDestinations(config).at(-1), { address: '10.20.30.40', protocol: 'tcp', port: 8443 });
  });
});

t.test('a release rolled back on this kiosk is not pulled again by itself', async (t) => {
  const k = await raucKiosk(t);
  const tls = makeTestTls(t, 'anj26-folder');
  const dir = join(k.root, 'folder');
  const folder = await folderServer(t, tls, dir);
  configure(k, folder.url, tls.caPem);
  publish(k, dir, k.bundle({ version: '0.3.0', build: laterBuild(30), format: 'plain' }));
  t.equal((await k.cli(['update', 'pull'])).code, 0);
  t.same(await k.reboot(), { slot: 'B', tryboot: true });
  // Its check never runs (it hangs); the board is reset and A boots.
  t.same(await k.reboot({ powerCut: true }), { slot: 'A', tryboot: false });
  t.equal((await k.cli(['update', 'confirm-boot'])).code, 0);
  const fetched = folder.requests.length;
  const r = await k.cli(['update', 'pull']);
  t.equal(r.code, 0);
  t.match(r.stdout, /release 0\.3\.0 .* was rolled back on this kiosk \(neverChecked\): not tried again by itself/);
  t.equal(folder.requests.filter((u) => u.endsWith('.raucb')).length, 1, 'the bundle was not downloaded again');
  t.ok(folder.requests.length > fetched, 'the entry was read');
  t.same(k.board.autobootPartitions(), { all: PARTITION.A, tryboot: PARTITION.B });
  t.test('a later release is pulled', async (t) => {
    publish(k, dir, k.bundle({ version: '0.3.1', build: laterBuild(40), format: 'plain' }));
    const again = await k.cli(['update', 'pull']);
    t.equal(again.code, 0, 'installed', { stderr: again.stderr });
    t.match(again.stdout, /release 0\.3\.1 .* installed into slot B/);
  });
});
