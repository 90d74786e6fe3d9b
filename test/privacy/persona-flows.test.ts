/**
 * Privacy: the real daemon runs every persona's flow; then everything it wrote (the state
 * folder including SQLite's WAL and SHM files, and its whole log output) is scanned for each
 * persona's personal data in clear and for the secrets it holds. Nothing may be found, except
 * the secrets in the credential file whose job is to hold them.
 */
import t from 'tap';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { allPersonas } from '../../device/sim/personas.ts';
import { DEMO_CREDENTIALS } from '../../device/sim/dukcapil/server.ts';
import { demoSamSecret } from '../../device/sim/vcard/demo-keys.ts';
import { formatAlamat } from '../../device/domain/record.ts';
import { KioskClient, runPersona, DEMO_STAFF_PIN } from '../support/kiosk-client.ts';
import { buildKiosk, spawnKiosk } from '../support/kiosk-process.ts';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** The forms a value could take in a file: as text, and as UTF-16 (SQLite may store either). */
function needles(value: string): Buffer[] {
  return [Buffer.from(value, 'utf8'), Buffer.from(value, 'utf16le')];
}

t.test('no personal data or secret in anything the kiosk wrote', async (t) => {
  await buildKiosk();
  const kiosk = await spawnKiosk({ ANJUNGAN_LOG_LEVEL: 'debug' });
  t.teardown(() => kiosk.stop());
  const stateDir = kiosk.stateDir;
  const k = new KioskClient(kiosk.url);
  const outcomes: Record<string, string> = {};
  for (const p of allPersonas()) {
    const end = await runPersona(k, p.id);
    outcomes[p.id] = end.screen === 'result' ? end.outcome : end.screen === 'failed' ? end.reason : end.screen;
  }
  t.same(
    outcomes,
    {
      valid: 'verified',
      'address-changed': 'dataDiffers',
      'not-found': 'notFound',
      deceased: 'deceased',
      inactive: 'inactive',
      'tampered-card': 'signatureInvalid',
      'finger-unreadable': 'verified',
      'other-regency': 'verified',
    },
    'every persona ran its whole path',
  );
  await kiosk.halt();
  const output = kiosk.output();

  const written = filesUnder(stateDir);
  t.ok(
    written.some((f) => f.endsWith('.sqlite')),
    'the database was written',
  );
  const blobs = [
    ...written.map((f) => ({ name: f.slice(stateDir.length + 1), bytes: readFileSync(f) })),
    { name: 'process output', bytes: Buffer.from(output) },
  ];
  t.ok(output.length > 1000, 'the process logged');

  for (const p of allPersonas()) {
    const personal = [
      p.card.nik,
      p.card.nomorKk,
      p.card.namaLengkap,
      p.card.tanggalLahir,
      p.card.tanggalLahir.split('-').reverse().join('-'),
      p.card.alamat.jalan,
      formatAlamat(p.card.alamat),
      p.cardExtras.namaIbu,
    ];
    for (const value of personal) {
      const hits = blobs.filter((b) => needles(value).some((n) => b.bytes.includes(n))).map((b) => b.name);
      t.same(hits, [], `${p.id}: a personal value is in none of the ${blobs.length} outputs`);
    }
  }
  const sam = demoSamSecret();
  const secrets = [
    DEMO_CREDENTIALS.userId,
    DEMO_CREDENTIALS.password,
    DEMO_CREDENTIALS.ipUser,
    Buffer.from(sam.pcid).toString('hex'),
    Buffer.from(sam.configuration).toString('hex'),
    DEMO_STAFF_PIN,
  ];
  const views = JSON.stringify([...k.seen.values()]);
  t.ok(k.seen.size > 40, `${k.seen.size} views seen`);
  for (const secret of secrets) {
    t.notOk(views.includes(secret), 'no secret in any view the screen was given');
    const hits = blobs.filter((b) => b.name !== 'credentials.json' && needles(secret).some((n) => b.bytes.includes(n))).map((b) => b.name);
    t.same(hits, [], 'a secret is only in the credential file');
  }
  const mode = statSync(join(stateDir, 'credentials.json')).mode & 0o777;
  t.equal(mode, 0o600, 'the credential file is readable by its owner only');
});
