/**
 * Who may act as staff: the operators on the roster (anjungan-provision operators) with an NDA
 * signed and not disabled, each with a PIN in the credential file. One PIN check for the
 * kiosk's own PIN pad (rate-limited per kiosk) and one sign-in for the dashboard (per operator).
 */
import { wibDate } from '../domain/wib.ts';
import type { ClockPort, StaffAuthPort } from '../flow/ports.ts';
import type { Logger } from '../log.ts';
import { StaffPinVerifier, type Credentials } from '../store/credentials.ts';
import type { PinLockout } from '../store/pin-lockout.ts';
import type { SignInLockout } from '../store/sign-in-lockout.ts';
import { permittedOperatorIds, readSignInRoster, RosterFileError, type SignInEntry } from './roster.ts';
import { OperatorSignIn } from './sign-in.ts';

export function staffAccess(deps: {
  rosterFile: string;
  staff: Credentials['staff'];
  store: { pinLockout: PinLockout; signInLockout: SignInLockout };
  clock: ClockPort;
  logger: Pick<Logger, 'error'>;
}): { staffAuth: StaffAuthPort; signIn: OperatorSignIn } {
  // Unreadable, the roster permits nobody; the kiosk still serves.
  let roster: SignInEntry[] = [];
  try {
    roster = readSignInRoster(deps.rosterFile);
  } catch (err) {
    if (!(err instanceof RosterFileError)) throw err;
    deps.logger.error({ event: 'rosterUnreadable' }, 'the operator roster is malformed: no staff PIN works until it is restored');
  }
  const permitted = (operatorId: string) => permittedOperatorIds(roster, wibDate(deps.clock.now())).has(operatorId);
  return {
    staffAuth: new StaffPinVerifier(deps.staff, deps.store.pinLockout, permitted),
    signIn: new OperatorSignIn({ staff: deps.staff, permitted, lockout: deps.store.signInLockout }),
  };
}
