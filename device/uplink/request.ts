/**
 * Request bodies for the two Dukcapil methods. Key casing differs between deployments, so one
 * builder covers both. The only personal data sent is the card's own permitted elements, and
 * for CALL_NIK only the NIK.
 */
import type { PersonData } from '../domain/record.ts';
import type { DukcapilCredentials, UplinkEndpoint } from './endpoint.ts';
import { isoToDmy } from './normalize.ts';

export function buildRequestBody(
  endpoint: Pick<UplinkEndpoint, 'method' | 'keyCasing' | 'verifyThreshold'>,
  credentials: DukcapilCredentials,
  card: PersonData,
): string {
  const upper = endpoint.keyCasing === 'upper';
  const k = (upperKey: string) => (upper ? upperKey : upperKey.toLowerCase());
  if (endpoint.method === 'CALL_NIK') {
    // Field deployments keep user_id/password lower case even where NIK/IP_USER are upper.
    return JSON.stringify({
      [k('NIK')]: card.nik,
      user_id: credentials.userId,
      password: credentials.password,
      [k('IP_USER')]: credentials.ipUser,
    });
  }
  const a = card.alamat;
  return JSON.stringify({
    [k('USER_ID')]: credentials.userId,
    [k('PASSWORD')]: credentials.password,
    [k('IP_USER')]: credentials.ipUser,
    [k('TRESHOLD')]: endpoint.verifyThreshold,
    [k('NIK')]: card.nik,
    [k('NO_KK')]: card.nomorKk,
    [k('NAMA_LGKP')]: card.namaLengkap,
    [k('JENIS_KLMIN')]: card.jenisKelamin,
    [k('TMPT_LHR')]: card.tempatLahir,
    [k('TGL_LHR')]: isoToDmy(card.tanggalLahir),
    [k('JENIS_PKRJN')]: card.jenisPekerjaan,
    [k('STATUS_KAWIN')]: card.statusPerkawinan,
    [k('ALAMAT')]: a.jalan,
    [k('NO_RT')]: a.rt,
    [k('NO_RW')]: a.rw,
    [k('KEL_NAME')]: a.kelurahan,
    [k('KEC_NAME')]: a.kecamatan,
    [k('KAB_NAME')]: a.kabupaten,
    [k('PROP_NAME')]: a.provinsi,
  });
}
