/**
 * `operators add|list|disable|roster`: the staff who may use the kiosk's staff functions. Each
 * must have signed the NDA first. The PIN is hashed with the daemon's own hashStaffPin into the
 * credential file's `staff` list, which the daemon checks PINs against; the roster details (the
 * fields of the User ID request in the Juknis) live beside it in operators.json (0600).
 */
import * as Value from 'typebox/value';
import { EMPLOYMENT_STATUSES, OperatorSchema, readRoster, RosterFileError, type Operator } from '../device/staff/roster.ts';
import { hashStaffPin } from '../device/store/credentials.ts';
import { isCalendarDay } from '../device/domain/agreement.ts';
import { wibDate } from '../device/domain/wib.ts';
import type { CommandContext, Outcome } from './context.ts';
import { badInput, EXIT, ProvisionError } from './errors.ts';
import { writeFileAtomic } from '../device/files.ts';
import { MODES, type Layout } from './layout.ts';
import { readSecrets } from './secret-input.ts';
import { loadConfigFile, loadCredentials, requireActive, saveCredentials } from './state.ts';

export { EMPLOYMENT_STATUSES };

export function loadOperators(l: Layout): Operator[] {
  try {
    return readRoster(l.operatorsFile);
  } catch (e) {
    if (e instanceof RosterFileError) throw new ProvisionError(EXIT.failure, `${l.operatorsFile} is malformed: restore it from a backup`);
    throw e;
  }
}

function saveOperators(l: Layout, operators: Operator[]): void {
  writeFileAtomic(l.operatorsFile, `${JSON.stringify({ operators }, null, 2)}\n`, MODES.secret);
}

export interface AddOptions {
  userId: string;
  name: string;
  nip: string;
  employmentStatus: string;
  position: string;
  ndaSigned?: string;
}

export async function addOperator(ctx: CommandContext, o: AddOptions): Promise<Outcome> {
  const l = ctx.layout;
  if (o.ndaSigned === undefined) {
    throw badInput('an operator may use the kiosk only after signing the NDA: give --nda-signed YYYY-MM-DD (the date on the signed NDA)');
  }
  if (!isCalendarDay(o.ndaSigned)) throw badInput(`--nda-signed ${JSON.stringify(o.ndaSigned)} is not a date: write YYYY-MM-DD`);
  if (o.ndaSigned > wibDate(ctx.now))
    throw badInput(`--nda-signed ${o.ndaSigned} is in the future: the NDA must be signed before the operator is added`);
  if (!/^[a-z0-9-]{1,32}$/.test(o.userId)) throw badInput('--user-id must be 1 to 32 lowercase letters, digits or -');
  if (!/^[0-9]{18}$/.test(o.nip)) throw badInput('--nip must be the 18-digit NIP');
  if (!(EMPLOYMENT_STATUSES as readonly string[]).includes(o.employmentStatus))
    throw badInput(`--employment-status must be one of ${EMPLOYMENT_STATUSES.join(', ')}`);
  const operator: Operator = {
    userId: o.userId,
    name: o.name.trim(),
    nip: o.nip,
    employmentStatus: o.employmentStatus as Operator['employmentStatus'],
    position: o.position.trim(),
    ndaSigned: o.ndaSigned,
    addedAt: ctx.now.toISOString(),
  };
  if (!Value.Check(OperatorSchema, operator)) throw badInput('--name and --position must be 1 to 100 characters');
  requireActive(loadConfigFile(l));
  const credentials = loadCredentials(l);
  const operators = loadOperators(l);
  if (operators.some((x) => x.userId === o.userId)) throw badInput(`operator ${o.userId} already exists`);

  const interactive = ctx.secrets.stdin.isTTY === true;
  const [pin, again] = await readSecrets(ctx.secrets, interactive ? ['PIN (6 to 12 digits)', 'PIN again'] : ['PIN']);
  if (!/^[0-9]{6,12}$/.test(pin!)) throw badInput('the PIN must be 6 to 12 digits');
  if (interactive && again !== pin) throw badInput('the two PINs differ');
  const staff = await hashStaffPin(o.userId, pin!);

  // The roster record first: a crash in between leaves an operator without a PIN, never a PIN
  // without a signed NDA on record.
  saveOperators(l, [...operators, operator]);
  saveCredentials(l, { ...credentials, staff: [...credentials.staff.filter((s) => s.id !== o.userId), staff] });
  return {
    data: { added: o.userId, ndaSigned: o.ndaSigned },
    lines: [`operator ${o.userId} (${operator.name}) added; NDA signed ${o.ndaSigned}. Restart the kiosk service for the PIN to work.`],
  };
}

export function listOperators(ctx: CommandContext): Outcome {
  const operators = loadOperators(ctx.layout);
  const pins = new Set(loadCredentials(ctx.layout).staff.map((s) => s.id));
  const rows = operators.map((x) => ({ ...x, pin: pins.has(x.userId), active: !x.disabledAt && pins.has(x.userId) }));
  return {
    data: { operators: rows },
    lines:
      rows.length === 0
        ? ['no operators']
        : rows.map(
            (x) =>
              `${x.userId.padEnd(16)} ${x.name.padEnd(28)} ${x.position.padEnd(20)} NDA ${x.ndaSigned}  ${x.disabledAt ? `disabled ${x.disabledAt}` : x.pin ? 'active' : 'NO PIN'}`,
          ),
  };
}

export function disableOperator(ctx: CommandContext, userId: string): Outcome {
  const l = ctx.layout;
  const operators = loadOperators(l);
  const found = operators.find((x) => x.userId === userId);
  if (!found) throw badInput(`no operator ${userId}`);
  if (found.disabledAt) throw badInput(`operator ${userId} is already disabled (${found.disabledAt})`);
  const credentials = loadCredentials(l);
  // The PIN goes first: a crash in between leaves a disabled PIN, never a usable one.
  saveCredentials(l, { ...credentials, staff: credentials.staff.filter((s) => s.id !== userId) });
  saveOperators(
    l,
    operators.map((x) => (x.userId === userId ? { ...x, disabledAt: ctx.now.toISOString() } : x)),
  );
  return { data: { disabled: userId }, lines: [`operator ${userId} disabled: the PIN no longer works once the kiosk service restarts`] };
}

const ROSTER_COLUMNS = [
  'Nama',
  'NIP',
  'Status Kepegawaian',
  'Jabatan',
  'Kode Wilayah Kantor',
  'Nama Kantor',
  'Alamat Kantor',
  'User ID Lokal',
  'Tanggal NDA',
];

/** The User ID request's fields (Juknis) for every active operator, as CSV (UTF-8). */
export function writeRoster(ctx: CommandContext, out: string): Outcome {
  const config = loadConfigFile(ctx.layout);
  if (!config.kiosk) throw badInput('the kiosk has no site recorded: run init first');
  const active = loadOperators(ctx.layout).filter((x) => !x.disabledAt);
  const cell = (v: string) => (/[",\n;]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const rows = active.map((x) => [
    x.name,
    x.nip,
    x.employmentStatus,
    x.position,
    config.kiosk!.regionCode,
    config.kiosk!.site,
    config.kiosk!.officeAddress ?? '',
    x.userId,
    x.ndaSigned,
  ]);
  const csv = [ROSTER_COLUMNS, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
  try {
    writeFileAtomic(out, csv, MODES.config);
  } catch {
    throw badInput(`--out ${out} cannot be written`);
  }
  return { data: { roster: out, operators: active.length }, lines: [`roster of ${active.length} operator(s) written to ${out}`] };
}
