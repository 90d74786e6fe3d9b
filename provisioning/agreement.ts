/**
 * `agreement set|extend|show|check`: the data-access agreement's numbers and period. Whole days
 * in WIB, the end day included: the rule of device/domain/agreement.ts, which the daemon uses.
 */
import { daysInForceLeft, isCalendarDay } from '../device/domain/agreement.ts';
import { wibDate } from '../device/domain/wib.ts';
import type { KioskConfig } from '../device/config.ts';
import type { CommandContext, Outcome } from './context.ts';
import { badInput, EXIT } from './errors.ts';
import { loadConfigFile, requireActive, saveConfigFile } from './state.ts';

/** `agreement check` exits 3 when the agreement has this many days left or fewer. */
export const ENDING_SOON_DAYS = 30;

function day(flag: string, value: string): string {
  if (!isCalendarDay(value)) throw badInput(`${flag} ${JSON.stringify(value)} is not a date: write YYYY-MM-DD, e.g. 2024-11-09`);
  return value;
}

export function setAgreement(ctx: CommandContext, o: { numbers: string; from: string; until: string }): Outcome {
  const numbers = o.numbers.split(',').map((n) => n.trim());
  if (numbers.length === 0 || numbers.some((n) => n === '' || n.length > 100))
    throw badInput('--numbers must list the agreement numbers separated by commas');
  const start = day('--from', o.from);
  const end = day('--until', o.until);
  if (end < start) throw badInput(`--until ${end} is before --from ${start}`);
  const config = loadConfigFile(ctx.layout);
  requireActive(config);
  config.agreement = { numbers, start, end };
  saveConfigFile(ctx.layout, config);
  return {
    data: { agreement: config.agreement },
    lines: [...describe(config.agreement, ctx.now), 'Restart the kiosk service for it to use the new period.'],
  };
}

export function extendAgreement(ctx: CommandContext, o: { addendum: string; until: string }): Outcome {
  const until = day('--until', o.until);
  const number = o.addendum.trim();
  if (number === '' || number.length > 100) throw badInput('--addendum must name the addendum number');
  const config = loadConfigFile(ctx.layout);
  requireActive(config);
  const a = config.agreement;
  if (a.numbers.length === 0) throw badInput('no agreement is recorded yet: use `agreement set` first');
  if (until <= a.end) throw badInput(`--until ${until} does not extend the agreement (it already runs until ${a.end})`);
  if ((a.addenda ?? []).some((x) => x.number === number)) throw badInput(`addendum ${number} is already recorded`);
  config.agreement = { ...a, end: until, addenda: [...(a.addenda ?? []), { number, until, recordedAt: ctx.now.toISOString() }] };
  saveConfigFile(ctx.layout, config);
  return {
    data: { agreement: config.agreement },
    lines: [...describe(config.agreement, ctx.now), 'Restart the kiosk service for it to use the new period.'],
  };
}

export type AgreementState = 'inForce' | 'endingSoon' | 'ended' | 'notStarted' | 'none';

export function agreementState(a: KioskConfig['agreement'], at: Date): { state: AgreementState; daysLeft: number | null } {
  if (a.numbers.length === 0) return { state: 'none', daysLeft: null };
  const left = daysInForceLeft(a, at);
  if (left === null) return { state: 'notStarted', daysLeft: null };
  if (left === 0) return { state: 'ended', daysLeft: 0 };
  return { state: left <= ENDING_SOON_DAYS ? 'endingSoon' : 'inForce', daysLeft: left };
}

function describe(a: KioskConfig['agreement'], at: Date): string[] {
  if (a.numbers.length === 0) return ['no agreement recorded'];
  const s = agreementState(a, at);
  const status = {
    inForce: `in force, ${s.daysLeft} days left`,
    endingSoon: `in force, ENDING: ${s.daysLeft} days left (extend it by addendum or prepare deactivation)`,
    ended: 'ENDED: the kiosk serves nobody',
    notStarted: 'NOT STARTED yet: the kiosk serves nobody',
    none: '',
  }[s.state];
  return [
    `agreement ${a.numbers.join(', ')}`,
    `  period: ${a.start} to ${a.end} inclusive (WIB)`,
    ...(a.addenda ?? []).map((x) => `  addendum ${x.number}: until ${x.until} (recorded ${x.recordedAt})`),
    `  today (WIB) ${wibDate(at)}: ${status}`,
  ];
}

export function showAgreement(ctx: CommandContext): Outcome {
  const a = loadConfigFile(ctx.layout).agreement;
  return {
    data: { agreement: a.numbers.length ? a : null, ...agreementState(a, ctx.now), today: wibDate(ctx.now) },
    lines: describe(a, ctx.now),
  };
}

export function checkAgreement(ctx: CommandContext): Outcome {
  const config = loadConfigFile(ctx.layout);
  const s = agreementState(config.agreement, ctx.now);
  const exitCode = s.state === 'inForce' ? EXIT.ok : s.state === 'endingSoon' ? EXIT.agreementEnding : EXIT.agreementNotInForce;
  return { data: { ...s, today: wibDate(ctx.now), end: config.agreement.end }, lines: describe(config.agreement, ctx.now), exitCode };
}
