/**
 * The agreement period (Pasal 5; extended by addendum, Pasal 10 (2)). Outside it the kiosk
 * verifies nobody. Dates are calendar days in WIB (Asia/Jakarta, UTC+7, no daylight saving).
 */
export interface AgreementPeriod {
  numbers: string[];
  /** First day in force, YYYY-MM-DD. */
  start: string;
  /** Last day in force, YYYY-MM-DD. */
  end: string;
}

const WIB_OFFSET_MS = 7 * 3_600_000;

export function wibDate(at: Date): string {
  return new Date(at.getTime() + WIB_OFFSET_MS).toISOString().slice(0, 10);
}

export function agreementInForce(period: AgreementPeriod, at: Date): boolean {
  const today = wibDate(at);
  return period.start <= today && today <= period.end;
}
