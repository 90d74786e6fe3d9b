/** `credentials set|show`: the Dukcapil User ID, password and IP_USER. Values are never printed. */
import { checkCredentials, UplinkConfigError } from '../device/uplink/endpoint.ts';
import type { CommandContext, Outcome } from './context.ts';
import { badInput } from './errors.ts';
import { readSecrets } from './secret-input.ts';
import { loadConfigFile, loadCredentials, requireActive, saveCredentials } from './state.ts';

export async function setCredentials(ctx: CommandContext, o: { userId: string }): Promise<Outcome> {
  const l = ctx.layout;
  requireActive(loadConfigFile(l));
  const credentials = loadCredentials(l);
  const [password, ipUser] = await readSecrets(ctx.secrets, ['Password', 'IP_USER']);
  const dukcapil = { userId: o.userId, password: password!, ipUser: ipUser! };
  try {
    checkCredentials(dukcapil);
  } catch (e) {
    if (e instanceof UplinkConfigError) throw badInput('User ID, password and IP_USER must each be 1 to 256 characters');
    throw e;
  }
  saveCredentials(l, { ...credentials, dukcapil: { ...dukcapil, setAt: ctx.now.toISOString() } });
  return {
    data: { credentials: 'set', setAt: ctx.now.toISOString() },
    lines: ['Dukcapil credentials stored (0600). Restart the kiosk service for it to use them.'],
  };
}

export function showCredentials(ctx: CommandContext): Outcome {
  const c = loadCredentials(ctx.layout);
  const set = (present: boolean, at?: string) => ({ set: present, ...(at ? { at } : {}) });
  const data = {
    dukcapil: set(c.dukcapil !== undefined, c.dukcapil?.setAt),
    sam: set(c.sam !== undefined, c.sam?.installedAt),
    staffPins: c.staff.length,
    auditKey: set(true),
    outboxKey: set(true),
  };
  const line = (name: string, s: { set: boolean; at?: string }) =>
    `${name.padEnd(22)} ${s.set ? 'set' : 'not set'}${s.at ? ` (${s.at})` : ''}`;
  return {
    data,
    lines: [
      line('Dukcapil User ID/password/IP_USER', data.dukcapil),
      line('SAM PCID + configuration', data.sam),
      `${'staff PINs'.padEnd(22)} ${data.staffPins}`,
      line('audit key', data.auditKey),
      line('outbox key', data.outboxKey),
    ],
  };
}
