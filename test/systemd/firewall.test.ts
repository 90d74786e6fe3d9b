/**
 * The egress allowlist for real: the rule set rendered from a kiosk configuration is loaded with
 * nft into a network namespace this test creates (the "kiosk"), joined by a veth pair to a second
 * namespace it also creates (the "closed network") that plays the allowed endpoint and forbidden
 * ones. Every packet stays inside these two namespaces.
 */
import t from 'tap';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoDefaults, type KioskConfig } from '../../device/config.ts';
import { EgressConfigError, EGRESS_TABLE, REJECTED_COUNTER, renderEgressRules } from '../../device/firewall.ts';

const KIOSK_NS = 'anj15-fw-kiosk';
const NET_NS = 'anj15-fw-net';
const KIOSK_IP = '10.215.15.1';
const ENDPOINT_IP = '10.215.15.2';
const OTHER_IP = '10.215.15.3';
const UPLINK_PORT = 8443;
const OTHER_PORT = 9443;
const STAFF_LAN_PORT = 8444;

function configWith(uplinkUrl: string, egress?: KioskConfig['egress']): KioskConfig {
  const config = demoDefaults(new Date());
  config.uplink.baseUrl = uplinkUrl;
  if (egress) config.egress = egress;
  return config;
}

t.test('rendering refuses names: the rules load before DNS works', async (t) => {
  t.throws(() => renderEgressRules(configWith('https://dukcapil.example:8443/')), EgressConfigError);
  t.throws(() => renderEgressRules(configWith(`https://${ENDPOINT_IP}/`, { ntpServers: ['ntp.example'] })), EgressConfigError);
  const rules = renderEgressRules(configWith(`https://${ENDPOINT_IP}/`, { ntpServers: ['10.215.15.9', 'fd15::9'] }));
  t.match(rules, `ip daddr ${ENDPOINT_IP} tcp dport 443 accept`, 'a URL without a port means 443');
  t.match(rules, 'ip daddr 10.215.15.9 udp dport 123 accept');
  t.match(rules, 'ip6 daddr fd15::9 udp dport 123 accept');
});

t.test("the unit's loader: a kiosk half provisioned already reaches its NTP servers; a broken file gets loopback only", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'anj23-fw-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'config.json');
  const load = () =>
    spawnSync(process.execPath, ['--import=tsx', join(import.meta.dirname, '../../device/firewall-script.ts')], {
      env: { ...process.env, NODE_OPTIONS: '', ANJUNGAN_CONFIG: file, ANJUNGAN_MODE: 'production' },
      encoding: 'utf8',
    });
  // What `init` and `time set` leave: production, no uplink nor issuer key yet.
  writeFileSync(file, JSON.stringify({ mode: 'production', egress: { ntpServers: ['10.215.15.9'] } }));
  const partial = load();
  t.equal(partial.status, 0);
  t.match(partial.stdout, 'ip daddr 10.215.15.9 udp dport 123 accept');
  t.equal(partial.stderr, '');
  writeFileSync(file, JSON.stringify({ mode: 'production', egress: { ntpServers: ['ntp.example'] } }));
  const named = load();
  t.notMatch(named.stdout, /dport 123/, 'a name: loopback only');
  t.match(named.stderr, /only loopback is allowed/);
  writeFileSync(file, '{');
  t.notMatch(load().stdout, /daddr/, 'an unreadable file: loopback only');
});

t.test('the data balikan delivery endpoint is allowed too, by IP address only', async (t) => {
  const config = configWith(`https://${ENDPOINT_IP}:${UPLINK_PORT}/`);
  config.returnData = { delivery: { url: `https://${OTHER_IP}:${OTHER_PORT}/dukcapil/get_json/BKD/DATA_BALIKAN` } };
  t.match(renderEgressRules(config), `ip daddr ${OTHER_IP} tcp dport ${OTHER_PORT} accept`);
  config.returnData = { delivery: { url: 'https://balikan.example:8443/' } };
  t.throws(() => renderEgressRules(config), EgressConfigError);
});

const nsExec = (ns: string, cmd: string[], input?: string) =>
  execFileSync('ip', ['netns', 'exec', ns, ...cmd], { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], ...(input ? { input } : {}) });

/** Connects from the kiosk namespace (or `from`); 'answered' when the endpoint sent its greeting, else the error code. */
function probe(address: string, port: number, from = KIOSK_NS): string {
  const script = `
    const s = require('node:net').connect({ host: '${address}', port: ${port}, timeout: 3000 });
    s.on('data', () => { console.log('answered'); s.destroy(); });
    s.on('timeout', () => { console.log('timeout'); s.destroy(); });
    s.on('error', (e) => console.log(e.code));`;
  return nsExec(from, [process.execPath, '-e', script]).trim();
}

function rejectedPackets(): number {
  const listed = JSON.parse(nsExec(KIOSK_NS, ['nft', '-j', 'list', 'counter', 'inet', EGRESS_TABLE, REJECTED_COUNTER]));
  const counter = listed.nftables.find((e: Record<string, unknown>) => 'counter' in e).counter;
  return counter.packets;
}

t.test(
  'only the configured endpoint answers; the rest is rejected and counted',
  { skip: process.getuid?.() !== 0 && 'needs root (network namespaces)' },
  async (t) => {
    const servers: ChildProcess[] = [];
    const deleteNamespaces = () => {
      for (const ns of [KIOSK_NS, NET_NS]) {
        try {
          execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
        } catch {
          // not there (never made, or left by nobody)
        }
      }
    };
    deleteNamespaces();
    t.teardown(() => {
      for (const s of servers) s.kill();
      deleteNamespaces();
    });
    const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });
    ip('netns', 'add', KIOSK_NS);
    ip('netns', 'add', NET_NS);
    // No IPv6 on the test link: its autoconfiguration chatter (router and neighbour solicitations)
    // would be rejected and counted too, at moments of its own, beside the probes counted below.
    nsExec(KIOSK_NS, [
      'sh',
      '-c',
      'echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6; echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6',
    ]);
    ip('link', 'add', 'anj15-k', 'netns', KIOSK_NS, 'type', 'veth', 'peer', 'name', 'anj15-n', 'netns', NET_NS);
    nsExec(KIOSK_NS, ['ip', 'addr', 'add', `${KIOSK_IP}/24`, 'dev', 'anj15-k']);
    nsExec(KIOSK_NS, ['ip', 'link', 'set', 'anj15-k', 'up']);
    nsExec(KIOSK_NS, ['ip', 'link', 'set', 'lo', 'up']);
    nsExec(NET_NS, ['ip', 'addr', 'add', `${ENDPOINT_IP}/24`, 'dev', 'anj15-n']);
    nsExec(NET_NS, ['ip', 'addr', 'add', `${OTHER_IP}/24`, 'dev', 'anj15-n']);
    nsExec(NET_NS, ['ip', 'link', 'set', 'anj15-n', 'up']);

    // The closed network: one greeting server on both addresses and both ports.
    const server = spawn(
      'ip',
      [
        'netns',
        'exec',
        NET_NS,
        process.execPath,
        '-e',
        `const net = require('node:net'); let n = 0;
       for (const port of [${UPLINK_PORT}, ${OTHER_PORT}]) net.createServer((s) => s.end('hello\\n')).listen(port, '0.0.0.0', () => { if (++n === 2) console.log('listening'); });`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    servers.push(server);
    await new Promise<void>((resolve, reject) => {
      server.stdout!.on('data', (d) => String(d).includes('listening') && resolve());
      server.on('exit', () => reject(new Error('the endpoint server exited')));
    });

    // Without the rules every probe answers: a rejection below is the firewall's doing.
    t.equal(probe(ENDPOINT_IP, UPLINK_PORT), 'answered', 'before: the endpoint answers');
    t.equal(probe(OTHER_IP, UPLINK_PORT), 'answered', 'before: the other address answers');
    t.equal(probe(ENDPOINT_IP, OTHER_PORT), 'answered', 'before: the other port answers');

    const rules = renderEgressRules(configWith(`https://${ENDPOINT_IP}:${UPLINK_PORT}/ws`, { ntpServers: ['10.215.15.9'] }));
    nsExec(KIOSK_NS, ['nft', '-f', '-'], rules);
    t.equal(rejectedPackets(), 0, 'nothing rejected yet');

    t.equal(probe(ENDPOINT_IP, UPLINK_PORT), 'answered', 'the uplink host:port answers');
    t.not(probe(OTHER_IP, UPLINK_PORT), 'answered', 'another address on the same port is refused');
    t.not(probe(ENDPOINT_IP, OTHER_PORT), 'answered', 'another port on the uplink host is refused');
    const refused = probe(OTHER_IP, OTHER_PORT);
    t.not(refused, 'timeout', 'a refusal is immediate (rejected, not dropped)');
    t.equal(rejectedPackets(), 3, 'each refused connection attempt is counted');

    // Loading the rendered set again replaces it instead of stacking a second table.
    nsExec(KIOSK_NS, ['nft', '-f', '-'], rules);
    t.equal(rejectedPackets(), 0, 'reloading starts a fresh table');
    t.equal(probe(ENDPOINT_IP, UPLINK_PORT), 'answered');

    // The staff LAN listener is inbound: the rules filter output only and let the replies of an
    // accepted connection out, so it needs no rule of its own.
    const listener = spawn(
      'ip',
      [
        'netns',
        'exec',
        KIOSK_NS,
        process.execPath,
        '-e',
        `require('node:net').createServer((s) => s.end('hello\\n')).listen(${STAFF_LAN_PORT}, '${KIOSK_IP}', () => console.log('listening'));`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    servers.push(listener);
    await new Promise<void>((resolve, reject) => {
      listener.stdout!.on('data', (d) => String(d).includes('listening') && resolve());
      listener.on('exit', () => reject(new Error('the staff LAN stand-in exited')));
    });
    t.equal(probe(KIOSK_IP, STAFF_LAN_PORT, NET_NS), 'answered', 'a LAN client reaches a port the kiosk listens on');
    t.equal(rejectedPackets(), 0, 'none of its packets was rejected');
  },
);
