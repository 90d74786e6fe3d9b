import t from 'tap';
import fc from 'fast-check';
import { compareByElements, compareWithRegistry, verdictFromFields } from '../../device/uplink/compare.ts';
import { normalizeAddressText, normalizeDate, normalizeGender, normalizeRegionName } from '../../device/uplink/normalize.ts';
import type { RegistryRecord } from '../../device/uplink/response.ts';
import { PERMITTED_FIELDS, type PersonData } from '../../device/domain/record.ts';
import { allPersonas, persona } from '../../device/sim/personas.ts';

function asRegistry(p: PersonData): RegistryRecord {
  return { ...p, alamat: { ...p.alamat } };
}

const disagreeing = (fields: { key: string; agrees: boolean }[]) => fields.filter((f) => !f.agrees).map((f) => f.key);

t.test('identical card and registry agree on all nine fields', async (t) => {
  for (const p of allPersonas()) {
    const fields = compareWithRegistry(p.card, asRegistry(p.card));
    t.same(
      fields.map((f) => f.key),
      [...PERMITTED_FIELDS],
      p.id,
    );
    t.same(disagreeing(fields), [], p.id);
    t.equal(verdictFromFields(fields).kind, 'verified');
  }
});

t.test('the registry spelling the same facts differently still agrees', async (t) => {
  const card = persona('valid').card;
  const registry: RegistryRecord = {
    nomorKk: ' 3313091503100012 ',
    nik: '3313091203880005',
    namaLengkap: 'Bagas  Arya Wiranata',
    jenisKelamin: 'L',
    tempatLahir: 'karanganyar',
    tanggalLahir: '12-03-1988',
    jenisPekerjaan: 'Wiraswasta',
    statusPerkawinan: 'kawin',
    alamat: {
      jalan: 'Jalan Cempaka Wangi Nomor 17',
      rt: '3',
      rw: '06',
      kelurahan: 'KEL. BEJEN',
      kecamatan: 'Kec. Karanganyar',
      kabupaten: 'KAB. KARANGANYAR',
      provinsi: 'Prov. Jawa Tengah',
    },
  };
  const fields = compareWithRegistry(card, registry);
  t.same(disagreeing(fields), []);
  t.equal(fields.find((f) => f.key === 'jenisKelamin')?.registry, 'LAKI-LAKI', 'gender shown in its normal form');
  t.equal(
    fields.find((f) => f.key === 'alamat')?.registry,
    'Jalan Cempaka Wangi Nomor 17 RT 3/RW 06, KEL. BEJEN, Kec. Karanganyar, KAB. KARANGANYAR, Prov. Jawa Tengah',
  );
});

t.test('a moved address differs on the address only; the verdict is dataDiffers', async (t) => {
  const p = persona('address-changed');
  if (p.registry.status !== 'active') throw new Error('persona changed');
  const fields = compareWithRegistry(p.card, asRegistry(p.registry.person));
  t.same(disagreeing(fields), ['alamat']);
  t.equal(verdictFromFields(fields).kind, 'dataDiffers');
});

t.test('real differences are found in every field', async (t) => {
  const card = persona('valid').card;
  const changes: Array<[keyof PersonData, Partial<RegistryRecord>]> = [
    ['nomorKk', { nomorKk: '3313091503100013' }],
    ['nik', { nik: '3313091203880006' }],
    ['namaLengkap', { namaLengkap: 'BAGAS ARYA WIRANATHA' }],
    ['jenisKelamin', { jenisKelamin: 'P' }],
    ['tempatLahir', { tempatLahir: 'SURAKARTA' }],
    ['tanggalLahir', { tanggalLahir: '1988-12-03' }],
    ['jenisPekerjaan', { jenisPekerjaan: 'PETANI/PEKEBUN' }],
    ['statusPerkawinan', { statusPerkawinan: 'BELUM KAWIN' }],
    ['alamat', { alamat: { ...card.alamat, rt: '004' } }],
    ['alamat', { alamat: { ...card.alamat, kabupaten: 'KOTA KARANGANYAR' } }],
    ['alamat', { alamat: { ...card.alamat, jalan: 'GG. CEMPAKA WANGI NO. 17' } }],
  ];
  for (const [key, change] of changes) {
    const fields = compareWithRegistry(card, { ...asRegistry(card), ...change });
    t.same(disagreeing(fields), [key], `${key}: ${JSON.stringify(change).slice(0, 60)}`);
  }
});

t.test('a field the registry did not send is shown as missing and does not agree', async (t) => {
  const card = persona('valid').card;
  const fields = compareWithRegistry(card, { ...asRegistry(card), nomorKk: null, alamat: null, tanggalLahir: 'kemarin' });
  t.same(disagreeing(fields), ['nomorKk', 'tanggalLahir', 'alamat']);
  t.equal(fields.find((f) => f.key === 'nomorKk')?.registry, null);
  t.equal(fields.find((f) => f.key === 'tanggalLahir')?.registry, 'kemarin');
});

t.test('verify-by-element answers list only answered fields, without registry values', async (t) => {
  const card = persona('valid').card;
  const fields = compareByElements(card, { nik: { agrees: true, score: 100 }, alamat: { agrees: false, score: 40 } });
  t.same(fields, [
    { key: 'nik', card: card.nik, registry: null, agrees: true },
    {
      key: 'alamat',
      card: 'JL. CEMPAKA WANGI NO. 17 RT 003/RW 006, BEJEN, KARANGANYAR, KARANGANYAR, JAWA TENGAH',
      registry: null,
      agrees: false,
    },
  ]);
  t.equal(verdictFromFields(fields).kind, 'dataDiffers');
  t.equal(verdictFromFields([]).kind, 'dataDiffers', 'nothing compared is never "verified"');
});

t.test('address abbreviations and punctuation normalise to one form', async (t) => {
  const same: Array<[string, string]> = [
    ['JL. MELATI PUTIH NO. 4', 'Jalan Melati Putih Nomor 4'],
    ['JL.MELATI PUTIH NO.4', 'JALAN MELATI PUTIH NO 4'],
    ['GG. MAWAR', 'GANG MAWAR'],
    ['DS. KEBAK', 'DESA KEBAK'],
    ['DSN. NGLEBAK', 'DUSUN NGLEBAK'],
    ['PERUM GRIYA ASRI BLOK C NO. 08', 'PERUMAHAN GRIYA ASRI BLOK C NOMOR 8'],
  ];
  for (const [a, b] of same) t.equal(normalizeAddressText(a), normalizeAddressText(b), `${a} = ${b}`);
  t.equal(normalizeRegionName('KEL. BEJEN'), normalizeRegionName('BEJEN'));
  t.equal(normalizeRegionName('KECAMATAN JATEN'), 'JATEN');
  t.equal(normalizeRegionName('KAB. KARANGANYAR'), 'KARANGANYAR');
  t.not(normalizeRegionName('KOTA SEMARANG'), normalizeRegionName('KAB. SEMARANG'), 'a city and a regency of one name stay apart');
});

t.test('gender spellings', async (t) => {
  for (const s of ['L', 'l', 'LK', 'LAKI-LAKI', 'Laki Laki', 'laki-laki', 'PRIA']) t.equal(normalizeGender(s), 'LAKI-LAKI', s);
  for (const s of ['P', 'PR', 'PEREMPUAN', 'Perempuan', 'WANITA']) t.equal(normalizeGender(s), 'PEREMPUAN', s);
  t.equal(normalizeGender('X'), null);
});

t.test('dates in every registry format parse to the same ISO day, impossible dates do not', async (t) => {
  for (const s of ['1987-03-10', '10-03-1987', '10/03/1987', '1987-03-10 00:00:00.0', '1987-03-10T00:00:00Z', '1987-3-10']) {
    t.equal(normalizeDate(s), '1987-03-10', s);
  }
  for (const s of ['31-02-1987', '1987-13-01', '10031987', '', 'kemarin']) t.equal(normalizeDate(s), null, s);
});

t.test('property: ISO and DD-MM-YYYY spellings of any day agree', async () => {
  fc.assert(
    fc.property(fc.date({ min: new Date('1900-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }), (d) => {
      const iso = d.toISOString().slice(0, 10);
      const [y, m, day] = iso.split('-');
      return normalizeDate(`${day}-${m}-${y}`) === iso && normalizeDate(iso) === iso;
    }),
  );
});

t.test('property: case, spacing and punctuation never make a field differ', async () => {
  const card = persona('address-changed').card;
  const noisy = fc.constantFrom<(s: string) => string>(
    (s) => s.toLowerCase(),
    (s) => `  ${s.replace(/ /g, '   ')} `,
    (s) => s.replace(/\. /g, '.'),
    (s) => s.replace(/ /g, ', '),
  );
  fc.assert(
    fc.property(noisy, noisy, (f, g) => {
      const registry: RegistryRecord = {
        ...asRegistry(card),
        namaLengkap: f(card.namaLengkap),
        jenisPekerjaan: g(card.jenisPekerjaan),
        alamat: { ...card.alamat, jalan: f(card.alamat.jalan), kelurahan: g(card.alamat.kelurahan) },
      };
      return compareWithRegistry(card, registry).every((x) => x.agrees);
    }),
  );
});
