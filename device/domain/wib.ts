/** Western Indonesia Time: UTC+7 all year (Indonesia has no daylight saving time). The kiosk's days, months and hours are WIB. */
export const WIB_OFFSET_MS = 7 * 3_600_000;

/** The WIB calendar day of an instant, `YYYY-MM-DD`. */
export function wibDate(at: Date): string {
  return new Date(at.getTime() + WIB_OFFSET_MS).toISOString().slice(0, 10);
}
