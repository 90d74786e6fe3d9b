import t from 'tap';
import { parseRegistryResponse, type RegistryAnswer } from '../../device/uplink/response.ts';
import { quoteLongIntegers } from '../../device/uplink/answer-envelope.ts';

// Recorded response shapes from field deployments, re-made with synthetic people.
const ENVELOPE_TAIL = '"lastPage":true,"numberOfElements":1,"sort":null,"totalElements":1,"firstPage":true,"number":0,"size":1';

const RECORD_UPPER_NUMERIC = `{"content":[{"NO_KK":3313091503100012,"NIK":3313091203880005,"NAMA_LGKP":"BAGAS ARYA WIRANATA",
  "KAB_NAME":"KARANGANYAR","AGAMA":"ISLAM","NO_RW":6,"KEC_NAME":"KARANGANYAR","JENIS_PKRJN":"WIRASWASTA",
  "NO_KEC":9,"TGL_LHR":"12-03-1988","NO_KAB":13,"STATUS_KAWIN":"KAWIN","NO_PROP":33,"NO_KEL":2001,
  "NAMA_LGKP_IBU":"SRI MULYANINGRUM","PROP_NAME":"JAWA TENGAH","GOL_DARAH":"O","KEL_NAME":"BEJEN",
  "JENIS_KLMIN":"Laki-Laki","TMPT_LHR":"KARANGANYAR","ALAMAT":"JL. CEMPAKA WANGI NO. 17","NO_RT":3,"PDDK_AKH":"SLTA"}],${ENVELOPE_TAIL}}`;

const RECORD_LOWER_STRINGS = `{"content":[{"no_kk":"3313091503100012","nik":"3313091203880005","nama_lgkp":"BAGAS ARYA WIRANATA",
  "kab_name":"KARANGANYAR","agama":"ISLAM","no_rw":"006","kec_name":"KARANGANYAR","jenis_pkrjn":"WIRASWASTA",
  "tgl_lhr":"1988-03-12","status_kawin":"KAWIN","nama_lgkp_ibu":"SRI MULYANINGRUM","prop_name":"JAWA TENGAH",
  "kel_name":"BEJEN","jenis_klmin":"LAKI-LAKI","tmpt_lhr":"KARANGANYAR","alamat":"JL. CEMPAKA WANGI NO. 17","no_rt":"003"}],${ENVELOPE_TAIL.toLowerCase()}}`;

const respon = (text: string, code?: string | number) =>
  JSON.stringify({
    content: [{ RESPON: text, ...(code === undefined ? {} : { RESPONSE_CODE: code }) }],
    lastPage: true,
    numberOfElements: 1,
  });

const outcomeOf = (a: RegistryAnswer) => (a.kind === 'outcome' ? a.outcome.kind : a.kind);

t.test('a record in upper-case keys with numeric NIK/NO_KK and DD-MM-YYYY keeps the nine elements only', async (t) => {
  const a = parseRegistryResponse(200, RECORD_UPPER_NUMERIC, 80);
  t.equal(a.kind, 'record');
  if (a.kind !== 'record') return;
  t.same(a.record, {
    nomorKk: '3313091503100012',
    nik: '3313091203880005',
    namaLengkap: 'BAGAS ARYA WIRANATA',
    jenisKelamin: 'Laki-Laki',
    tempatLahir: 'KARANGANYAR',
    tanggalLahir: '1988-03-12',
    jenisPekerjaan: 'WIRASWASTA',
    statusPerkawinan: 'KAWIN',
    alamat: {
      jalan: 'JL. CEMPAKA WANGI NO. 17',
      rt: '3',
      rw: '6',
      kelurahan: 'BEJEN',
      kecamatan: 'KARANGANYAR',
      kabupaten: 'KARANGANYAR',
      provinsi: 'JAWA TENGAH',
    },
  });
  const serialised = JSON.stringify(a);
  for (const dropped of ['ISLAM', 'SRI MULYANINGRUM', 'SLTA', 'GOL_DARAH', 'AGAMA']) {
    t.notOk(serialised.includes(dropped), `non-permitted element dropped: ${dropped}`);
  }
});

t.test('a record in lower-case keys with string numbers and ISO dates parses to the same elements', async (t) => {
  const a = parseRegistryResponse(200, RECORD_LOWER_STRINGS, 80);
  t.equal(a.kind, 'record');
  if (a.kind !== 'record') return;
  t.equal(a.record.nik, '3313091203880005');
  t.equal(a.record.tanggalLahir, '1988-03-12');
  t.equal(a.record.alamat?.rt, '003');
  t.notOk(JSON.stringify(a).includes('ISLAM'));
});

t.test('a NIK above 2^53 sent as a JSON number keeps every digit', async (t) => {
  const body = '{"content":[{"NIK":9471011705850006,"NO_KK":9471012301140006,"NAMA_LGKP":"X"}]}';
  const a = parseRegistryResponse(200, body, 80);
  t.equal(a.kind === 'record' && a.record.nik, '9471011705850006');
  t.equal(a.kind === 'record' && a.record.nomorKk, '9471012301140006');
});

t.test('long digit runs inside strings and fractions are left alone', async (t) => {
  t.equal(quoteLongIntegers('{"a":"x 1234567890123456 y","b":1234567890123456}'), '{"a":"x 1234567890123456 y","b":"1234567890123456"}');
  t.equal(quoteLongIntegers('[0.12345678901234567,-1234567890123456789,1e17,12]'), '[0.12345678901234567,-1234567890123456789,1e17,12]');
  t.equal(quoteLongIntegers('{"a":"say \\"1234567890123456\\"","b":2}'), '{"a":"say \\"1234567890123456\\"","b":2}');
});

t.test('every RESPONSE_CODE maps to its typed outcome, as a string or a number', async (t) => {
  const expected: Record<string, string> = {
    '03': 'loginFailed',
    '04': 'ipRefused',
    '05': 'quotaReached',
    '06': 'outsideHours',
    '07': 'serviceError',
    '08': 'serviceError',
    '09': 'loginFailed',
    '10': 'ipRefused',
    '11': 'deceased',
    '12': 'duplicateRecords',
    '13': 'notFound',
    '14': 'inactive',
    '15': 'notFound',
    '16': 'institutionInactive',
    '17': 'userInactive',
  };
  for (const [code, kind] of Object.entries(expected)) {
    t.equal(outcomeOf(parseRegistryResponse(200, respon('apa saja', code), 80)), kind, `code ${code}`);
    t.equal(outcomeOf(parseRegistryResponse(200, respon('apa saja', Number(code)), 80)), kind, `code ${Number(code)} as number`);
  }
});

t.test('RESPON texts in any casing map to their outcome without a code', async (t) => {
  const cases: Array<[string, string]> = [
    ['Data Tidak Ditemukan', 'notFound'],
    ['Login Gagal', 'loginFailed'],
    ['Kuota Akses Hari ini telah Habis', 'quotaReached'],
    ['IP Address Tidak Sesuai', 'ipRefused'],
    ['Diluar Jam Akses Layanan', 'outsideHours'],
    ['Data Ditemukan, Status Meninggal Dunia', 'deceased'],
    ['Data Ditemukan, Status Nik Tidak Aktif', 'inactive'],
    ['Data Ganda', 'duplicateRecords'],
    ['Instansi Tidak Aktif', 'institutionInactive'],
    ['User Id Tidak Aktif', 'userInactive'],
  ];
  for (const [text, kind] of cases) {
    for (const variant of [text, text.toUpperCase(), text.toLowerCase(), `  ${text}  `]) {
      t.equal(outcomeOf(parseRegistryResponse(200, respon(variant), 80)), kind, variant);
    }
    const lowerKeys = JSON.stringify({ content: [{ respon: text.toLowerCase() }] });
    t.equal(outcomeOf(parseRegistryResponse(200, lowerKeys, 80)), kind, `lower-case key: ${text}`);
  }
});

t.test('an unknown RESPON text or code is a service error, never a verdict about the person', async (t) => {
  t.same(parseRegistryResponse(200, respon('Sistem sedang sibuk'), 80), {
    kind: 'outcome',
    outcome: { kind: 'serviceError' },
    problem: 'unknownRespon',
  });
  t.same(parseRegistryResponse(200, respon('??', '42'), 80), {
    kind: 'outcome',
    outcome: { kind: 'serviceError' },
    problem: 'unknownRespon',
  });
  t.same(parseRegistryResponse(200, JSON.stringify({ content: [{ RESPONSE_CODE: '42' }] }), 80), {
    kind: 'outcome',
    outcome: { kind: 'serviceError' },
    problem: 'unknownCode',
  });
});

t.test('two records for one NIK are duplicate records', async (t) => {
  const body = JSON.stringify({ content: [{ NIK: '3313091203880005' }, { NIK: '3313091203880005' }] });
  t.equal(outcomeOf(parseRegistryResponse(200, body, 80)), 'duplicateRecords');
});

t.test('broken, empty, redirected and failed answers are service errors', async (t) => {
  const cases: Array<[number, string, string]> = [
    [200, '{"content":[{"NIK":33', 'malformed'],
    [200, '<html>gateway</html>', 'malformed'],
    [200, '"just a string"', 'malformed'],
    [200, '{"content":[]}', 'emptyContent'],
    [200, '{"content":[{"FOO":"BAR"}]}', 'malformed'],
    [302, '', 'redirect'],
    [307, '', 'redirect'],
    [500, RECORD_UPPER_NUMERIC, 'httpStatus'],
    [503, 'Service Unavailable', 'httpStatus'],
    [404, 'not here', 'httpStatus'],
    [404, RECORD_UPPER_NUMERIC, 'httpStatus'],
  ];
  for (const [status, body, problem] of cases) {
    t.same(
      parseRegistryResponse(status, body, 80),
      { kind: 'outcome', outcome: { kind: 'serviceError' }, problem },
      `${status} ${problem}`,
    );
  }
});

t.test('a refusal carried with a 4xx status is still understood', async (t) => {
  t.equal(outcomeOf(parseRegistryResponse(401, respon('Login Gagal', '03'), 80)), 'loginFailed');
});

t.test('an envelope-less answer (the record at the root) parses', async (t) => {
  const a = parseRegistryResponse(200, '{"NIK":"3313091203880005","NAMA_LGKP":"X","RESPONSE_CODE":"01"}', 80);
  t.equal(a.kind === 'record' && a.record.nik, '3313091203880005');
  t.equal(outcomeOf(parseRegistryResponse(200, '[{"RESPON":"Data Tidak Ditemukan"}]', 80)), 'notFound');
});

t.test('CALL_VERIFY_BY_ELEMEN scores: "Sesuai (NN)" against the threshold, plain texts, any casing', async (t) => {
  const body = JSON.stringify({
    content: [
      {
        NIK: 'Sesuai (100)',
        NO_KK: 'Sesuai (100)',
        NAMA_LGKP: 'sesuai (85)',
        TGL_LHR: 'Tidak Sesuai (59)',
        JENIS_KLMIN: 'SESUAI',
        TMPT_LHR: 'Tidak Sesuai',
        JENIS_PKRJN: 'Sesuai (100)',
        STATUS_KAWIN: 'Sesuai (100)',
        ALAMAT: 'Sesuai (90)',
        NO_RT: 'Sesuai (100)',
        NO_RW: 'Sesuai (100)',
        KEL_NAME: 'Sesuai (70)',
        KEC_NAME: 'Sesuai (100)',
        KAB_NAME: 'Sesuai (100)',
        PROP_NAME: 'Sesuai (100)',
        AGAMA: 'Sesuai (100)',
        RESPONSE_CODE: '01',
      },
    ],
  });
  const a = parseRegistryResponse(200, body, 80);
  t.equal(a.kind, 'elements');
  if (a.kind !== 'elements') return;
  t.same(a.elements, {
    nik: { agrees: true, score: 100 },
    nomorKk: { agrees: true, score: 100 },
    namaLengkap: { agrees: true, score: 85 },
    tanggalLahir: { agrees: false, score: 59 },
    jenisKelamin: { agrees: true, score: null },
    tempatLahir: { agrees: false, score: null },
    jenisPekerjaan: { agrees: true, score: 100 },
    statusPerkawinan: { agrees: true, score: 100 },
    // KEL_NAME scored 70, under the threshold of 80: the address as a whole does not agree.
    alamat: { agrees: false, score: 70 },
  });
  const strict = parseRegistryResponse(200, body, 90);
  t.equal(
    strict.kind === 'elements' && strict.elements.namaLengkap?.agrees,
    false,
    'a "Sesuai (85)" under our threshold of 90 does not agree',
  );
  const lower = parseRegistryResponse(
    200,
    body.replace(/"([A-Z_]+)":/g, (_, k: string) => `"${k.toLowerCase()}":`),
    80,
  );
  t.same(lower, a, 'lower-case keys give the same verdicts');
});

t.test('a verify answer that leaves any element sent unjudged is a serviceError (incompleteAnswer)', async (t) => {
  t.same(parseRegistryResponse(200, '{"content":[{"NIK":"Sesuai"}]}', 80), {
    kind: 'outcome',
    outcome: { kind: 'serviceError' },
    problem: 'incompleteAnswer',
  });
  const full: Record<string, string> = Object.fromEntries(
    [
      'NIK',
      'NO_KK',
      'NAMA_LGKP',
      'JENIS_KLMIN',
      'TMPT_LHR',
      'TGL_LHR',
      'JENIS_PKRJN',
      'STATUS_KAWIN',
      'ALAMAT',
      'NO_RT',
      'NO_RW',
      'KEL_NAME',
      'KEC_NAME',
      'KAB_NAME',
      'PROP_NAME',
    ].map((k) => [k, 'Sesuai (100)']),
  );
  t.equal(parseRegistryResponse(200, JSON.stringify({ content: [full] }), 80).kind, 'elements', 'all fifteen judged: usable');
  for (const key of Object.keys(full)) {
    const missing = { ...full };
    delete missing[key];
    t.match(parseRegistryResponse(200, JSON.stringify({ content: [missing] }), 80), { problem: 'incompleteAnswer' }, `${key} left out`);
    t.match(
      parseRegistryResponse(200, JSON.stringify({ content: [{ ...full, [key]: 'Tidak Diketahui' }] }), 80),
      { problem: 'incompleteAnswer' },
      `${key} not judged`,
    );
  }
});
