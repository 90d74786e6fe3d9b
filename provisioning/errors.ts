/**
 * Exit codes of anjungan-provision (documented in --help) and the one error type commands
 * throw. Messages are plain language for a technician and never carry a secret's value.
 */
export const EXIT = {
  ok: 0,
  /** Something unexpected (a bug, a disk error): the message says what failed. */
  failure: 1,
  /** Bad input or usage: nothing was changed. */
  badInput: 2,
  /** `agreement check`: in force but ending within 30 days. */
  agreementEnding: 3,
  /** `agreement check`: ended or not started (or none recorded). */
  agreementNotInForce: 4,
  /** A device or network check failed (uplink test, SAM refused or absent, doctor). */
  checkFailed: 5,
  /** The kiosk is not in the state the command needs (not initialised, deactivated, no SAM). */
  wrongState: 6,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class ProvisionError extends Error {
  override readonly name = 'ProvisionError';
  constructor(
    readonly exitCode: ExitCode,
    message: string,
  ) {
    super(message);
  }
}

export const badInput = (message: string) => new ProvisionError(EXIT.badInput, message);
export const wrongState = (message: string) => new ProvisionError(EXIT.wrongState, message);

export const EXIT_CODES_HELP = `
Exit codes:
  0  done
  1  unexpected failure (disk, bug): read the message
  2  bad input or usage: nothing was changed
  3  agreement check: in force, ending within 30 days
  4  agreement check: ended, not started, or none recorded
  5  a device or network check failed (uplink, SAM, doctor)
  6  the kiosk is not in the state this command needs (not initialised, deactivated, no SAM)`;
