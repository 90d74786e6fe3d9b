import t from 'tap';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkCredentials, resolveTarget, UplinkConfigError, type UplinkEndpoint } from '../../device/uplink/endpoint.ts';
import { buildRequestBody } from '../../device/uplink/request.ts';
import { persona } from '../../device/sim/personas.ts';

const dir = mkdtempSync(join(tmpdir(), 'anjungan-endpoint-'));
execFileSync(
  'openssl',
  [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    join(dir, 'k'),
    '-out',
    join(dir, 'ca.pem'),
    '-days',
    '1',
    '-subj',
    '/CN=t',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
  ],
  { stdio: 'ignore' },
);
execFileSync(
  'openssl',
  [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    join(dir, 'k2'),
    '-out',
    join(dir, 'leaf.pem'),
    '-days',
    '1',
    '-subj',
    '/CN=leaf',
    '-addext',
    'basicConstraints=critical,CA:FALSE',
  ],
  { stdio: 'ignore' },
);
const caPem = readFileSync(join(dir, 'ca.pem'), 'utf8');
const leafPem = readFileSync(join(dir, 'leaf.pem'), 'utf8');

const base: UplinkEndpoint = {
  baseUrl: 'https://10.20.30.40:8443/api',
  institution: 'BKD_KRA',
  keyCasing: 'upper',
  method: 'CALL_NIK',
  verifyThreshold: 80,
  caPem,
  connectTimeoutMs: 3000,
  totalTimeoutMs: 10000,
};

t.test('the target is fixed by configuration', async (t) => {
  const target = resolveTarget(base);
  t.equal(target.host, '10.20.30.40');
  t.equal(target.port, 8443);
  t.equal(target.pathFor('CALL_NIK'), '/api/dukcapil/get_json/BKD_KRA/CALL_NIK');
  t.equal(target.pathFor('CALL_VERIFY_BY_ELEMEN'), '/api/dukcapil/get_json/BKD_KRA/CALL_VERIFY_BY_ELEMEN');
  t.equal(resolveTarget({ ...base, baseUrl: 'https://dukcapil.internal/' }).port, 443);
});

t.test('every bad setting is a typed error naming the setting', async (t) => {
  const bad: Array<[Partial<UplinkEndpoint>, string]> = [
    [{ baseUrl: 'http://10.20.30.40:8000' }, 'baseUrl'],
    [{ baseUrl: 'https://user:pw@10.20.30.40' }, 'baseUrl'],
    [{ baseUrl: 'https://10.20.30.40/?x=1' }, 'baseUrl'],
    [{ baseUrl: 'not a url' }, 'baseUrl'],
    [{ institution: '../admin' }, 'institution'],
    [{ institution: '' }, 'institution'],
    [{ institution: '..' }, 'institution'],
    [{ keyCasing: 'mixed' as 'upper' }, 'keyCasing'],
    [{ method: 'CALL_ALL' as 'CALL_NIK' }, 'method'],
    [{ verifyThreshold: 101 }, 'verifyThreshold'],
    [{ verifyThreshold: 79.5 }, 'verifyThreshold'],
    [{ caPem: 'garbage' }, 'caPem'],
    [{ caPem: leafPem }, 'caPem'],
    [{ spkiSha256: 'abc' }, 'spkiSha256'],
    [{ connectTimeoutMs: 0 }, 'timeouts'],
    [{ totalTimeoutMs: Number.POSITIVE_INFINITY }, 'timeouts'],
    [{ connectTimeoutMs: 20000, totalTimeoutMs: 10000 }, 'timeouts'],
  ];
  for (const [patch, problem] of bad) {
    t.throws(
      () => resolveTarget({ ...base, ...patch }),
      new UplinkConfigError(problem as never),
      `${JSON.stringify(patch).slice(0, 50)} -> ${problem}`,
    );
  }
  t.throws(() => checkCredentials({ userId: '', password: 'p', ipUser: '10.0.0.1' }), new UplinkConfigError('credentials'));
});

t.test('request bodies follow the configured key casing', async (t) => {
  const card = persona('valid').card;
  const creds = { userId: 'U', password: 'P', ipUser: '192.0.2.10' };
  t.same(JSON.parse(buildRequestBody({ ...base, keyCasing: 'upper' }, creds, card)), {
    NIK: card.nik,
    user_id: 'U',
    password: 'P',
    IP_USER: '192.0.2.10',
  });
  t.same(JSON.parse(buildRequestBody({ ...base, keyCasing: 'lower' }, creds, card)), {
    nik: card.nik,
    user_id: 'U',
    password: 'P',
    ip_user: '192.0.2.10',
  });
  const verify = JSON.parse(buildRequestBody({ ...base, method: 'CALL_VERIFY_BY_ELEMEN', verifyThreshold: 90 }, creds, card));
  t.match(verify, { USER_ID: 'U', PASSWORD: 'P', IP_USER: '192.0.2.10', TRESHOLD: 90, NIK: card.nik, TGL_LHR: '12-03-1988', NO_RT: '003' });
  const lower = JSON.parse(buildRequestBody({ ...base, method: 'CALL_VERIFY_BY_ELEMEN', keyCasing: 'lower' }, creds, card));
  t.ok(Object.keys(lower).every((k) => k === k.toLowerCase()));
  t.notOk('AGAMA' in verify, 'nothing beyond the permitted elements is sent');
});
