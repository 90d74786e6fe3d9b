/** Reading the service's answer to a batch: only confirmations of keys that were sent count. */
import t from 'tap';
import { readAnswer, wireRequest } from '../../device/return-data/wire.ts';

const sent = ['a', 'b', 'c'];

t.test('confirmed by code or by RESPON text alone; refused only for unusable entries; the rest stays pending', async (t) => {
  const body = JSON.stringify({
    content: [
      { IDEMPOTENCY_KEY: 'a', RESPON: 'Data Diterima', RESPONSE_CODE: '01' },
      { IDEMPOTENCY_KEY: 'b', RESPON: 'DATA SUDAH ADA' },
      { IDEMPOTENCY_KEY: 'c', RESPON: 'Di luar jam akses', RESPONSE_CODE: '06' },
      { IDEMPOTENCY_KEY: 'not-sent', RESPON: 'Data Diterima', RESPONSE_CODE: '01' },
    ],
  });
  t.same(readAnswer(body, sent), { kind: 'answered', confirmed: ['a', 'b'], refused: [], unsettled: ['c'] });
  const refused = JSON.stringify({ content: [{ IDEMPOTENCY_KEY: 'c', RESPON: 'Parameter Tidak Lengkap', RESPONSE_CODE: '07' }] });
  t.same(readAnswer(refused, sent), { kind: 'answered', confirmed: [], refused: ['c'], unsettled: ['a', 'b'] });
});

t.test('read as leniently as the NIK service: numeric codes, keys in any casing, a single object, codes of one digit', async (t) => {
  const body = JSON.stringify({
    Content: [
      { idempotency_key: 'a', respon: 'data diterima', response_code: 1 },
      { Idempotency_Key: 'b', RESPONSE_CODE: ' 2 ' },
      { IDEMPOTENCY_KEY: 'c', RESPON: '  parameter   tidak lengkap ' },
    ],
  });
  t.same(readAnswer(body, sent), { kind: 'answered', confirmed: ['a', 'b'], refused: ['c'], unsettled: [] });
  t.same(readAnswer(JSON.stringify({ content: { idempotency_key: 'b', response_code: '01' } }), sent), {
    kind: 'answered',
    confirmed: ['b'],
    refused: [],
    unsettled: ['a', 'c'],
  });
  t.same(readAnswer(JSON.stringify({ content: [{ respon: 'Login Gagal', response_code: 3 }] }), sent), {
    kind: 'batchRefused',
    code: '03',
  });
});

t.test('a batch-level refusal and a malformed answer confirm nothing', async (t) => {
  t.same(readAnswer(JSON.stringify({ content: [{ RESPON: 'Login Gagal', RESPONSE_CODE: '03' }] }), sent), {
    kind: 'batchRefused',
    code: '03',
  });
  t.same(readAnswer('{"content":[{"IDEMPOTENCY_KEY":"a"', sent), { kind: 'malformed' });
  t.same(
    readAnswer('{"content":{}}', sent),
    { kind: 'batchRefused', code: 'none' },
    'a single object without a key answers the batch, and settles nothing',
  );
  t.same(readAnswer('null', sent), { kind: 'malformed' });
  t.same(readAnswer('{"content":[]}', sent), { kind: 'answered', confirmed: [], refused: [], unsettled: ['a', 'b', 'c'] });
});

t.test('the request carries the entry, its key and the WIB access day', async (t) => {
  const request = wireRequest(
    [
      {
        idempotencyKey: 'k1',
        queuedAt: '2026-03-10T18:30:00.000Z',
        entry: { nik: '3313990000000001', nop: null, npwpd: 'P.2.0000001.33.13' },
      },
    ],
    { userId: 'SIMULATOR-ONLY-USER', password: 'simulator-only-password', ipUser: '192.0.2.10' },
  );
  t.same(request, {
    USER_ID: 'SIMULATOR-ONLY-USER',
    PASSWORD: 'simulator-only-password',
    IP_USER: '192.0.2.10',
    JUMLAH: 1,
    DATA: [{ IDEMPOTENCY_KEY: 'k1', NIK: '3313990000000001', NOP_PBB: null, NPWPD: 'P.2.0000001.33.13', TGL_AKSES: '2026-03-11' }],
  });
});
