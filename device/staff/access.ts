/**
 * Who may act as staff: the operators on the roster (anjungan-provision operators) with an NDA
 * signed and not disabled, each with a PIN in the credential file. One PIN check for the
 * kiosk's own PIN pad and one sign-in for the dashboard, both slowed per source (store/attempt-throttle.ts).
 */
import { wibDate } from '../domain/wib.ts';
import type { ClockPort, StaffAuthPort } from '../flow/ports.ts';
import type { Logger } from '../log.ts';
import { StaffPinVerifier, type Credentials } from '../store/credentials.ts';
import { AttemptThrottle } from '../store/attempt-throttle.ts';
import type { Db } from '../store/db.ts';
import { raiseGuessingAlert, type AlertLog } from './alerts.ts';
import { permittedOperatorIds, readSignInRoster, RosterFileError, type SignInEntry } from './roster.ts';
import { OperatorSignIn } from './sign-in.ts';

export function staffAccess(deps: {
  rosterFile: string;
  staff: Credentials['staff'];
  store: { db: Db };
  alerts: AlertLog;
  clock: ClockPort;
  logger: Pick<Logger, 'warn' | 'error'>;
}): { staffAuth: StaffAuthPort; signIn: OperatorSignIn; attempts: AttemptThrottle; operators: () => string[] } {
  // Unreadable, the roster permits nobody; the kiosk still serves.
  let roster: SignInEntry[] = [];
  try {
    roster = readSignInRoster(deps.rosterFile);
  } catch (err) {
    if (!(err instanceof RosterFileError)) throw err;
    deps.logger.error({ event: 'rosterUnreadable' }, 'the operator roster is malformed: no staff PIN works until it is restored');
  }
  const permitted = (operatorId: string) => permittedOperatorIds(roster, wibDate(deps.clock.now())).has(operatorId);
  // Wrong staff PINs slow their own source only; staff hear of a source made to wait and of bursts.
  const attempts = new AttemptThrottle(deps.store.db, deps.clock, (signal) => raiseGuessingAlert(deps.alerts, signal, deps.logger));
  return {
    staffAuth: new StaffPinVerifier(deps.staff, attempts, permitted),
    signIn: new OperatorSignIn({ staff: deps.staff, permitted, throttle: attempts }),
    attempts,
    operators: () =>
      deps.staff
        .map((s) => s.id)
        .filter(permitted)
        .sort(),
  };
}
