/**
 * The reference of a session that staff and the taxpayer can say aloud: the first eight hex
 * digits of its session id (a random UUID), upper-case, e.g. `3F9A01BC`. It identifies nothing
 * personal; the staff dashboard lists sessions by it.
 */
export function sessionReference(sessionId: string): string {
  return sessionId
    .replace(/[^0-9a-fA-F]/g, '')
    .slice(0, 8)
    .toUpperCase();
}
